"""report.xlsx: the report as a workbook the analyst can filter, chart and print.

Real numbers with number formats (never numbers as text), frozen headers, autofilters,
landscape print set-up, native charts; a withheld figure is the text "*" with a footnote.
Every text from the extract is written as a string, never as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from innsatstrapp.model import absent
from innsatstrapp.model.absent import NOT_IN_EXTRACT
from innsatstrapp.model.base import dump
from innsatstrapp.model.report import HEADLINE, Report
from innsatstrapp.outputs import comparison_sheet
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs import movement as mv
from innsatstrapp.outputs.charts import PALETTE, WITHHELD_LABEL
from innsatstrapp.outputs.workbook import MARK, Workbook

# The sheets, each named in full for what it holds, within Excel's 31 characters (so Excel
# never cuts one); report.pptx points to them by these names.
HEADLINE_SHEET = "Nøkkeltall"
STEPS_SHEET = "Trinn"
GROUPS_SHEET = "Grupper"
SERVICES_SHEET = "Tjenester"
HOME_SHEET = "Hjemmesykepleie"
CONCENTRATION_SHEET = "Konsentrasjon"
STAYS_SHEET = "Langtidsopphold"
MOVEMENT_SHEET = "Bevegelse"
AGE_SHEET = "Alder"
QUALITY_SHEET = "Datakvalitet"
ABOUT_SHEET = "Om rapporten"


@dataclass(frozen=True)
class Col:
    title: str
    field: str
    kind: str = "int"  # int | dec | pct (percent value, e.g. 4.3) | frac | text | signed
    width: int = 12


class _Book(Workbook):
    def __init__(self, path: Path, report: Report) -> None:
        super().__init__(path, f"Innsatstrappen {report.period}")
        self.report = report
        b = self.book
        self.fmt.update({
            "dec": b.add_format({"num_format": "#,##0.00"}),
            "signed": b.add_format({"num_format": "+#,##0;-#,##0;0"}),
            "signed_dec": b.add_format({"num_format": "+#,##0.00;-#,##0.00;0.00"}),
            "signed_pct": b.add_format({"num_format": "+0.0%;-0.0%;0.0%"}),
            "absent": b.add_format({"font_color": "#555555", "italic": True, "align": "right"}),
        })

    def value(self, sheet, row: int, col: int, value, kind: str, suppressed: bool,
              absent: bool = False) -> None:
        """One cell: «*» when withheld, «ikke i uttrekket» when its column was not in the
        extract, blank when there is no value, else the number in its format."""
        if suppressed:
            sheet.write_string(row, col, MARK, self.fmt["mark"])
        elif value is None and absent:
            sheet.write_string(row, col, NOT_IN_EXTRACT, self.fmt["absent"])
        elif value is None:
            sheet.write_blank(row, col, None)
        elif kind == "text":
            sheet.write_string(row, col, str(value))
        elif kind in ("pct", "signed_pct"):
            sheet.write_number(row, col, value / 100, self.fmt[kind])
        else:
            sheet.write_number(row, col, value, self.fmt[kind])

    def table(self, name: str, title: str, cols: list[Col], rows: list, note: str = "",
              absent: frozenset[str] = frozenset()):
        """One sheet: a title, a header row, the rows, a footnote; returns the sheet. The
        fields in `absent` rest on a column the extract lacked."""
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, title, self.fmt["title"])
        for c, col in enumerate(cols):
            sheet.write_string(2, c, col.title, self.fmt["head"])
            sheet.set_column(c, c, col.width)
        for r, row in enumerate(rows, start=3):
            suppressed = set(getattr(row, "suppressed", ()) if not isinstance(row, dict)
                             else row.get("suppressed", ()))
            for c, col in enumerate(cols):
                v = row.get(col.field) if isinstance(row, dict) else getattr(row, col.field)
                self.value(sheet, r, c, v, col.kind, col.field in suppressed,
                           col.field in absent)
        last = 2 + len(rows)
        sheet.freeze_panes(3, 1)
        sheet.autofilter(2, 0, max(last, 2), len(cols) - 1)
        self.footnote(sheet, last + 2, note)
        self.print_setup(sheet)
        return sheet

    def footnote(self, sheet, row: int, note: str = "") -> None:
        n = self.report.suppression_threshold
        text = (f"{MARK} Skjult for å verne personvernet: tall fra 1 til {n - 1} personer eller "
                f"vedtak, og tall som bygger på færre enn {n} personer." if n else
                "Skjuling av små tall er slått av (intern bruk).")
        sheet.write_string(row, 0, text, self.fmt["note"])
        if note:
            sheet.write_string(row + 1, 0, note, self.fmt["note"])


def _history_cols(report: Report) -> list[Col]:
    return [Col(p, f"h:{p}") for p in (report.history.periods if report.history else [])]


def _with_history(rows: list, series: dict, cols: list[Col]) -> list[dict]:
    out = []
    for row in rows:
        d = dump(row)
        key = d.get("service") or d.get("group") or d.get("step")
        h = series.get(key)
        for col in cols:
            p = col.field[2:]
            d[col.field] = h.counts.get(p) if h else None
            if h and h.counts.get(p) is None:
                d["suppressed"] = [*d["suppressed"], col.field]
        out.append(d)
    return out


def render(report: Report, out_dir: Path, **_: object) -> Path:
    """Write `out_dir / "report.xlsx"`, one sheet per table of the report, in the order the
    committee reads them."""
    path = out_dir / "report.xlsx"
    wb = _Book(path, report)
    hist = _history_cols(report)
    series = {}
    if report.history:
        series = {h.name: h for h in
                  [*report.history.steps, *report.history.groups, *report.history.services]}
    _headline_sheet(wb, report)
    _staircase_sheets(wb, report, hist, series)
    _home_nursing_sheet(wb, report)
    _hours_and_stays_sheets(wb, report)
    _movement(wb, report)
    comparison_sheet.write(wb, report)
    _quality_sheet(wb, report)
    _about_sheet(wb, report)
    wb.book.close()
    return path


def _headline_sheet(wb: _Book, report: Report) -> None:
    head_rows = []
    gone = absent.headline(report)
    for name in HEADLINE:
        fig = report.headline[name]
        label, digits = f.HEADLINE_LABELS[name]
        head_rows.append({"name": label, "suppressed": fig.suppressed,
                          "value": fig.value, "previous": fig.previous, "change": fig.change,
                          "change_pct": fig.change_pct, "dec": digits > 0,
                          "absent": gone.get(name)})
    sheet = wb.book.add_worksheet(HEADLINE_SHEET)
    sheet.write_string(0, 0, f"Innsatstrappen – {f.month(report.period)}"
                       f"{f.unit_suffix(report.unit)}", wb.fmt["title"])
    compare = (f"sammenlignet med {f.month(report.previous_period)}"
               if report.previous_period else "uten sammenligning")
    sheet.write_string(1, 0, f"Telledato {f.date(report.as_of)}, {compare}", wb.fmt["note"])
    for c, title in enumerate(("Nøkkeltall", "Verdi", "Forrige", "Endring", "Endring %")):
        sheet.write_string(3, c, title, wb.fmt["head"])
    for r, row in enumerate(head_rows, start=4):
        sheet.write_string(r, 0, row["name"])
        kind = "dec" if row["dec"] else "int"
        for c, field in enumerate(("value", "previous", "change", "change_pct"), start=1):
            k = {"change": "signed_dec" if row["dec"] else "signed",
                 "change_pct": "signed_pct"}.get(field, kind)
            wb.value(sheet, r, c, row[field], k, field in row["suppressed"],
                     (row["absent"] == "now" and field == "value")
                     or (row["absent"] == "before" and field == "previous"))
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 4, 14)
    sheet.freeze_panes(4, 1)
    wb.footnote(sheet, 4 + len(head_rows) + 1)
    wb.print_setup(sheet)


def _staircase_sheets(wb: _Book, report: Report, hist: list[Col], series: dict) -> None:
    """Steps (with their chart), groups and services, with the history's months."""
    step_cols = [Col("Trinn", "step", "text", 18), Col("Nr", "order"),
                 Col("Kategori", "category", "text", 24), Col("Tjenester", "services"),
                 Col("Brukere", "users"), Col("Forrige", "previous"),
                 Col("Endring", "change", "signed"), Col("Endring %", "change_pct", "signed_pct"),
                 *hist]
    sheet = wb.table(STEPS_SHEET, "Tjenester og brukere per trinn", step_cols,
                     _with_history(report.steps, series, hist))
    chart = wb.book.add_chart({"type": "column"})
    chart.show_hidden_data()  # its numbers are in a hidden column
    n = len(report.steps)
    chart.add_series({"name": "Tjenester", "categories": [STEPS_SHEET, 3, 0, 2 + n, 0],
                      "values": chart_numbers(sheet, 3, CHART_COL, report.steps,
                                                   "services"), "fill": {"color": PALETTE[0]},
                      "data_labels": withheld_labels(report.steps, "services", True)})
    chart.set_title({"name": f"Aktive vedtak per trinn, {f.month(report.period)}"})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "[$-414]#,##0", "major_gridlines": {"visible": True}})
    chart.set_size({"width": 760, "height": 340})
    sheet.insert_chart(n + 7, 0, chart)

    wb.table(GROUPS_SHEET, "Tjenester og brukere per gruppe", [
        Col("Gruppe", "group", "text", 36), Col("Trinn", "step", "text", 14),
        Col("Tjenester", "services"), Col("Brukere", "users"), Col("Forrige", "previous"),
        Col("Endring", "change", "signed"), Col("Endring %", "change_pct", "signed_pct"), *hist],
        _with_history(report.groups, series, hist))

    wb.table(SERVICES_SHEET, "Tjenester: antall, nye og avsluttede vedtak, timer", [
        Col("Tjeneste", "service", "text", 40), Col("Gruppe", "group", "text", 28),
        Col("Trinn", "step", "text", 12), Col("Antall", "count"), Col("Brukere", "users"),
        Col("Forrige", "previous"), Col("Endring", "change", "signed"),
        Col("Endring %", "change_pct", "signed_pct"), Col("Nye", "new"),
        Col("Sluttet", "ended"), Col("Netto", "net", "signed"),
        Col("Vedtatte timer/uke", "approved_hours", "dec", 14),
        Col("Ressurstimer/uke", "resource_hours", "dec", 14), *hist],
        _with_history(report.services, series, hist), absent=absent.service_fields(report))


def _home_nursing_sheet(wb: _Book, report: Report) -> None:
    hours_gone = absent.service_fields(report) & {"approved_hours", "resource_hours"}
    home = [s for s in report.services if s.role == "hjemmesykepleie"]
    home_rows = []
    for s in home:
        d = dump(s)
        ok = s.approved_hours and s.resource_hours is not None
        d["ratio"] = s.resource_hours / s.approved_hours if ok else None
        if {"approved_hours", "resource_hours"} & set(s.suppressed):
            d["suppressed"] = [*d["suppressed"], "ratio"]
        home_rows.append(d)
    sheet = wb.table(HOME_SHEET, "Hjemmesykepleie: vedtatte timer og ressurstimer per uke",
                     [Col("Tjeneste", "service", "text", 40), Col("Brukere", "users"),
                      Col("Vedtatte timer", "approved_hours", "dec", 16),
                      Col("Ressurstimer", "resource_hours", "dec", 16),
                      Col("Ressursandel av vedtatt", "ratio", "dec", 16)], home_rows,
                     note="Ressursandel = ressurstimer / vedtatte timer.",
                     absent=hours_gone | ({"ratio"} if hours_gone else set()))
    if home:
        chart = wb.book.add_chart({"type": "bar"})
        chart.show_hidden_data()  # its numbers are in a hidden column
        k = len(home)
        for col, name, color, fld in ((2, "Vedtatte timer", PALETTE[0], "approved_hours"),
                                      (3, "Ressurstimer", PALETTE[1], "resource_hours")):
            chart.add_series({"name": name, "categories": [HOME_SHEET, 3, 0, 2 + k, 0],
                              "values": chart_numbers(sheet, 3, CHART_COL + col, home, fld),
                              "fill": {"color": color},
                              "data_labels": withheld_labels(home, fld)})
        chart.set_title({"name": "Vedtatte timer og ressurstimer per uke"})
        chart.set_x_axis({"num_format": "[$-414]#,##0"})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 760, "height": 60 + 34 * k})
        sheet.insert_chart(k + 7, 0, chart)


def _hours_and_stays_sheets(wb: _Book, report: Report) -> None:
    wb.table(CONCENTRATION_SHEET,
             "Hvor konsentrert er timene (vedtatte timer per uke per person)", [
        Col("Type", "scope_type", "text", 10), Col("Gruppe / tjeneste", "scope", "text", 40),
        Col("Brukere", "users"), Col("Timer", "hours", "dec"),
        Col("Topp 10 % har", "top10_hours_pct", "pct"),
        Col("Under 2 t: brukere", "below_2h_users_pct", "pct"),
        Col("Under 2 t: timer", "below_2h_hours_pct", "pct"), Col("Gini", "gini", "dec"),
        Col("Under 1 t", "under_1h"), Col("1–6 t", "h1_to_6"), Col("6–12 t", "h6_to_12"),
        Col("12 t eller mer", "h12_plus")],
        [{**dump(c), "scope_type": "gruppe" if c.scope_type == "group" else "tjeneste"}
         for c in report.concentration])

    wb.table(STAYS_SHEET, "Aktive langtidsopphold etter varighet (dager)", [
        Col("Tjeneste", "service", "text", 40), Col("Beboere", "residents"),
        Col("Under 150 dager", "under_150_days"), Col("150 dager–1 år", "days_150_to_365"),
        Col("1–2 år", "days_365_to_730"), Col("Over 2 år", "over_730_days"),
        Col("Median dager", "median_days", "dec"), Col("Snitt dager", "mean_days", "dec")],
        report.long_term_stays)


def _quality_sheet(wb: _Book, report: Report) -> None:
    dq = report.data_quality
    wb.table(QUALITY_SHEET, "Tjenester i uttrekket som ikke er plassert på et trinn", [
        Col("Tjeneste", "service", "text", 44), Col("Rader", "rows"),
        Col("Aktive vedtak", "active")], dq.unmapped_services,
        note=f"Uttrekket har {_dq(dq, 'rows')} rader; {_dq(dq, 'active')} aktive vedtak. "
             + "; ".join(f"{w.message}{' (' + w.service + ')' if w.service else ''}"
                         + (f": {MARK}" if "count" in w.suppressed else
                            "" if w.count is None else f": {w.count}") for w in dq.warnings))


def _about_sheet(wb: _Book, report: Report) -> None:
    sheet = wb.book.add_worksheet(ABOUT_SHEET)
    lines = [
        ("Om rapporten", "title"),
        (f"Periode {report.period}, telledato {f.date(report.as_of)}; sammenlignet med "
         f"{report.previous_period or '–'}.", None),
        ("Aktivt vedtak: startdato på eller før telledatoen, og ingen sluttdato eller sluttdato "
         "på eller etter den.", None),
        ("Nytt / avsluttet vedtak: startdato / sluttdato i måneden, til og med telledatoen.",
         None),
        ("Endring: verdien nå minus forrige; endring % = endring / forrige.", None),
        ("Topp 10 %: de ⌈n/10⌉ personene med flest timer i gruppen. Gini: 0 = likt fordelt.",
         None),
        (f"Skjuling: tall fra 1 til {max(report.suppression_threshold - 1, 0)} og tall som "
         f"bygger på færre enn {report.suppression_threshold} personer vises som {MARK}.", None),
        ("", None), ("Kilder", "title")]
    if report.provenance:
        for x in report.provenance.extracts:
            lines.append((f"{x.period}: {x.file_name}, SHA-256 {x.file_sha256}, {x.rows} rader",
                          None))
        lines.append((f"Katalog: {report.provenance.catalog_file}, SHA-256 "
                      f"{report.provenance.catalog_sha256}", None))
        lines.append((f"Laget {report.provenance.generated_at:%d.%m.%Y %H:%M} med innsatstrapp "
                      f"{report.provenance.tool_version}", None))
    for r, (text, style) in enumerate(lines):
        sheet.write_string(r, 0, text, wb.fmt[style] if style else None)
    sheet.set_column(0, 0, 120)
    wb.print_setup(sheet)


CHART_COL = 40  # where a sheet keeps its charts' numbers, hidden


def chart_numbers(sheet, first_row: int, col: int, rows: list, field: str) -> list:
    """A chart series' numbers in a hidden column: a withheld value as 0, so its bar exists
    for the label «* skjult» (a text cell «*» is left out of the chart by LibreOffice, and
    its label with it); no value, no bar. The visible table keeps the marks."""
    for i, r in enumerate(rows):
        v = 0 if field in r.suppressed else getattr(r, field)
        if v is not None:
            sheet.write_number(first_row + i, col, v)
    sheet.set_column(col, col, None, None, {"hidden": True})
    return [sheet.get_name(), first_row, col, first_row + len(rows) - 1, col]


def withheld_labels(rows: list, field: str, values: bool = False) -> dict:
    """A chart series' data labels: «* skjult» on each withheld point (its cell holds the
    mark, which Excel draws at 0), so a withheld bar never reads as a plain zero; with
    `values`, the other points show their value."""
    marks = [{"value": WITHHELD_LABEL} if field in r.suppressed else
             (None if values else {"delete": True}) for r in rows]
    labels: dict = {"value": True, "num_format": "[$-414]#,##0"}
    if any(m and "value" in m for m in marks):
        labels["custom"] = marks
    elif not values:
        return {}
    return labels


def _movement(wb: _Book, report: Report) -> None:
    """Sheets «Bevegelse» (levels, the transition matrix, moved down/up, a native chart) and
    «Alder» (users and levels by age band and gender)."""
    prev = f.month(report.previous_period) if report.previous_period else "forrige"
    sheet = wb.table(MOVEMENT_SHEET, "Bevegelse i trappen: personer per nivå (høyeste trinn)", [
        Col("Trinn", "step", "text", 24), Col("Personer", "persons"),
        Col(prev, "previous"), Col("Endring", "change", "signed")], report.levels,
        note=" ".join(mv.sentences(report)))
    k = len(report.levels)
    chart = wb.book.add_chart({"type": "column"})
    chart.show_hidden_data()  # its numbers are in a hidden column
    for col, name, colour, fld in ((2, prev, "#56B4E9", "previous"),
                                   (1, f.month(report.period), PALETTE[0], "persons")):
        chart.add_series({"name": name, "categories": [MOVEMENT_SHEET, 3, 0, 2 + k, 0],
                          "values": chart_numbers(sheet, 3, CHART_COL + col, report.levels,
                                                    fld),
                          "fill": {"color": colour},
                          "data_labels": withheld_labels(report.levels, fld)})
    chart.set_title({"name": "Personer per nivå"})
    chart.set_y_axis({"num_format": "[$-414]#,##0"})
    chart.set_size({"width": 620, "height": 300})
    sheet.insert_chart(1, 6, chart)
    grid = mv.grid(report)
    if grid is not None:
        top = k + 7
        sheet.write_string(top, 0, f"Fra nivå i {prev} (rader) til nivå i "
                                   f"{f.month(report.period)} (kolonner)", wb.fmt["title"])
        sheet.write_string(top + 1, 0, "Fra \\ til", wb.fmt["head"])
        for c, b in enumerate(grid.columns, start=1):
            sheet.write_string(top + 1, c, mv.label(b), wb.fmt["head"])
        for r, a in enumerate(grid.rows, start=top + 2):
            sheet.write_string(r, 0, mv.label(a), wb.fmt["head"])
            for c, b in enumerate(grid.columns, start=1):
                v = grid.value(a, b)
                if not (a == b == mv.NONE):
                    wb.value(sheet, r, c, None if v == MARK else v, "int", v == MARK)
        t = report.transitions
        below = top + 3 + len(grid.rows)
        for i, (label, field) in enumerate((
                ("Flyttet ned", "moved_down"), ("Flyttet opp", "moved_up"),
                ("Samme trinn", "stayed"), ("Kom inn", "entered"), ("Gikk ut", "left"))):
            sheet.write_string(below + i, 0, label)
            wb.value(sheet, below + i, 1, getattr(t, field), "int", field in t.suppressed)
    names = [x.step for x in report.levels]
    rows = []
    for a in report.by_age:
        d = {"age_band": a.age_band, "gender": a.gender, "users": a.users,
             "suppressed": list(a.suppressed)}
        for name in names:
            v = a.persons_by_level.get(name, 0)
            d[f"l:{name}"] = v
            if v is None:
                d["suppressed"].append(f"l:{name}")
        rows.append(d)
    wb.table(AGE_SHEET, f"Brukere og nivå etter alder og kjønn, {f.month(report.period)}", [
        Col("Alder", "age_band", "text", 10), Col("Kjønn", "gender", "text", 8),
        Col("Brukere", "users"), *(Col(n, f"l:{n}") for n in names)], rows,
        note="Alder 1. januar (årstallet for telledatoen minus fødselsår minus 1). «ukjent»: "
             "mangler, eller ulikt på ulike rader.")


def _dq(dq, field: str) -> str:
    return MARK if field in dq.suppressed else f.integer(getattr(dq, field))
