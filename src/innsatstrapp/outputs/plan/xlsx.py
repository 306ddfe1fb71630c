"""plan.xlsx: the plan as a workbook the analyst can filter, chart, reuse and print.

The same house style as report.xlsx: real numbers with number formats (never numbers as
text), frozen headers, landscape A4 fitted to the width, native charts, and a withheld
figure written as the text "*" with a footnote. Projected figures are model results: they are
stored unrounded and shown rounded (whole persons, NOK thousands, one decimal of FTE).
Every text from the inputs (step and scenario names) is written as a string, never a formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innsatstrapp.model.plan import Plan, ScenarioRows
from innsatstrapp.outputs import comparison
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs.charts import PALETTE, WITHHELD_LABEL
from innsatstrapp.outputs.comparison_sheet import Formats as sheet_formats
from innsatstrapp.outputs.comparison_sheet import indicator_table
from innsatstrapp.outputs.plan.sentences import all_sentences
from innsatstrapp.outputs.workbook import MARK, Workbook
from innsatstrapp.plan.disclose import published
from innsatstrapp.plan.scenarios import BASELINE

DASH = "–"
KOSTRA = "KOSTRA"
HEAD = 2  # zero-based row of the header of every table sheet
COLOURS = PALETTE
FIXED_SHEETS = ("Oversikt", "Matrise", "Satser", "Befolkning", "Sammenligning", KOSTRA)
_INVALID = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


@dataclass(frozen=True)
class Col:
    title: str
    get: Callable[[Any], Any]  # the value of a row, or None
    kind: str = "int"  # a key of _Book.fmt, or "text"
    width: float = 12
    field: str = ""  # the model field, to look up in a row's `suppressed`


def sheet_names(scenarios: Iterable[str], reserved: Iterable[str] = FIXED_SHEETS) -> list[str]:
    """Valid, unique Excel sheet names for the scenarios, in order.

    Excel refuses names over 31 characters, with []:*?/\\, starting or ending with an
    apostrophe, or equal (ignoring case) to another sheet or to "History"; a scenario file
    may hold any of these, so names are cleaned, cut after a whole word (a single word longer
    than that is cut where it must) and numbered "(2)", "(3)" … The sheet's title holds the
    scenario's whole name."""
    taken = {n.casefold() for n in reserved} | {"history"}
    out = []
    for name in scenarios:
        base = " ".join(_INVALID.sub("-", name).split()).strip("'").strip() or "Scenario"
        candidate, n = _fit(base, 31), 2
        while candidate.casefold() in taken:
            suffix = f" ({n})"
            candidate = _fit(base, 31 - len(suffix)) + suffix
            n += 1
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def _fit(text: str, room: int) -> str:
    """`text` in at most `room` characters, cut after a whole word (and the comma or dash
    before the cut), never inside one unless its first word alone is longer; no apostrophe
    or space at the end."""
    if len(text) > room:
        head = text[:room + 1]
        cut = head.rsplit(" ", 1)[0].rstrip(" ,.;–-") if " " in head.strip() else ""
        text = cut or text[:room]
    return text.rstrip().rstrip("'").rstrip()


def _thousands(value: float | None) -> float | None:
    return None if value is None else value / 1000


def _age_key(group: str) -> int:
    digits = re.match(r"\d+", group)
    return int(digits.group()) if digits else 999


class _Book(Workbook):
    def __init__(self, path: Path, plan: Plan) -> None:
        super().__init__(path, f"Innsatstrappen mot {plan.to_year}")
        self.plan = plan
        b = self.book
        self.fmt.update({
            "group": b.add_format({"bold": True, "bg_color": "#BDD7EE", "border": 1,
                                   "align": "center"}),
            "subtitle": b.add_format({"bold": True, "font_size": 12}),
            "label": b.add_format({"bold": True, "valign": "top"}),
            "wrap": b.add_format({"text_wrap": True, "valign": "top"}),
            "link": b.add_format({"font_color": "#0563C1", "underline": 1}),
            "year": b.add_format({"num_format": "0", "align": "left"}),
            "dec1": b.add_format({"num_format": "#,##0.0"}),
            "dec2": b.add_format({"num_format": "#,##0.00"}),
            "dec3": b.add_format({"num_format": "0.000"}),
            "rate": b.add_format({"num_format": "0.0"}),
            # Conditional sections: a change that rounds to zero shows as 0, not +0.
            "signed": b.add_format({"num_format": "[>=0.5]+#,##0;[<=-0.5]-#,##0;0"}),
            "signed1": b.add_format({"num_format": "[>=0.05]+#,##0.0;[<=-0.05]-#,##0.0;0.0"}),
            "plain": b.add_format({"num_format": "0"}),
            "dash": b.add_format({"font_color": "#888888", "align": "right"}),
        })

    def value(self, sheet, row: int, col: int, value, kind: str, suppressed: bool = False
              ) -> None:
        """One cell: "*" when withheld, "–" when there is no figure, else a real number."""
        if suppressed:
            sheet.write_string(row, col, MARK, self.fmt["mark"])
        elif value is None:
            sheet.write_string(row, col, DASH, self.fmt["dash"])
        elif kind == "text":
            sheet.write_string(row, col, str(value))
        else:
            sheet.write_number(row, col, value, self.fmt[kind])

    def header(self, sheet, row: int, cols: Sequence[Col], first: int = 0) -> None:
        for c, col in enumerate(cols, start=first):
            sheet.write_string(row, c, col.title, self.fmt["head"])
            sheet.set_column(c, c, col.width)

    def rows(self, sheet, top: int, cols: Sequence[Col], rows: Sequence, first: int = 0
             ) -> int:
        """Write `rows` from row `top`; returns the row after the last."""
        for r, row in enumerate(rows, start=top):
            withheld = set(getattr(row, "suppressed", ()))
            for c, col in enumerate(cols, start=first):
                self.value(sheet, r, c, col.get(row), col.kind, col.field in withheld)
        return top + len(rows)

    def sheet(self, name: str, title: str, subtitle: str = "", repeat: int | None = HEAD):
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, title, self.fmt["title"])
        if subtitle:
            sheet.write_string(1, 0, subtitle, self.fmt["note"])
        self.print_setup(sheet, repeat)
        return sheet

    def suppression_note(self, sheet, row: int) -> None:
        n = self.plan.suppress
        text = (f"{MARK} Skjult: færre enn {n} personer, eller ville avslørt et skjult tall."
                if n else "Skjuling av små tall er slått av (intern bruk).")
        sheet.write_string(row, 0, text, self.fmt["note"])

    def model_note(self, sheet, row: int) -> None:
        sheet.write_string(row, 0, "Framskrevne tall er modellresultater og skjules ikke. De "
                                   "vises avrundet til hele personer, 1 000 kr og én desimal "
                                   "årsverk; kostnad i dagens kroner.", self.fmt["note"])

    def line_chart(self, sheet_name: str, title: str, top: int, last: int, cat_col: int,
                   series: Sequence[tuple[str, int]], y_format: str = "[$-414]#,##0"):
        """A native line chart of columns of `sheet_name` (rows top … last) over years."""
        chart = self.book.add_chart({"type": "line"})
        for i, (name, col) in enumerate(series):
            colour = COLOURS[i % len(COLOURS)]
            chart.add_series({"name": name,
                              "categories": [sheet_name, top, cat_col, last, cat_col],
                              "values": [sheet_name, top, col, last, col],
                              "line": {"color": colour, "width": 2.25},
                              "marker": {"type": "none"}})
        chart.set_title({"name": title, "name_font": {"size": 12}})
        chart.set_x_axis({"num_font": {"rotation": -45} if last - top > 10 else {}})
        chart.set_y_axis({"num_format": y_format, "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 360})
        return chart


def render(plan: Plan, out_dir: Path, **_: object) -> Path:
    """Write `out_dir / "plan.xlsx"` from a built plan; the store is never opened."""
    path = out_dir / "plan.xlsx"
    plan = published(plan)  # rounded as shown, today's withheld counts withheld
    wb = _Book(path, plan)
    names = sheet_names(s.scenario for s in plan.scenarios)
    _overview(wb, names)
    _matrix(wb)
    _rates(wb)
    _population(wb)
    for rows, name in zip(plan.scenarios, names, strict=True):
        _scenario(wb, rows, name)
    _comparison(wb)
    _kostra(wb)
    wb.book.close()
    return path


def _overview(wb: _Book, names: list[str]) -> None:
    """«Oversikt»: what the plan is built from, the main findings in words, the sheets."""
    plan = wb.plan
    sheet = wb.sheet("Oversikt", f"Innsatstrappen mot {plan.to_year}", repeat=None)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 110)
    inputs = plan.inputs
    n = plan.suppress
    facts = [
        ("Periode", f"{f.month(plan.period)} (telledato {f.date(plan.as_of)})"),
        ("Basisår", f"{plan.base_year} (befolkning 1. januar)"),
        ("Framskrevet til", str(plan.to_year)),
        ("Befolkningsalternativ", plan.alternative or DASH),
        ("Befolkning", inputs.population),
        ("Katalog", inputs.catalog),
        ("Regnskap", inputs.accounts or "ingen (uten kostnad og årsverk)"),
        ("Scenarier", inputs.scenarios or "ingen (bare uendret praksis)"),
        ("Skjuling av små tall", f"færre enn {n} personer vises som {MARK}" if n else
         "slått av (intern bruk)"),
    ]
    row = 2
    for label, text in facts:
        sheet.write_string(row, 0, label, wb.fmt["label"])
        sheet.write_string(row, 1, text)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Hovedfunn", wb.fmt["subtitle"])
    row += 1
    for text in all_sentences(plan):
        sheet.write_string(row, 0, "•", wb.fmt["label"])
        sheet.write_string(row, 1, text, wb.fmt["wrap"])
        lines = -(-len(text) // 130)  # a wrapped cell keeps its height in LibreOffice
        if lines > 1:
            sheet.set_row(row, 15 * lines)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Arkene", wb.fmt["subtitle"])
    row += 1
    contents = [
        ("Matrise", f"Tjenester, brukere, timer, kostnad og årsverk per trinn, "
                    f"{f.date(plan.as_of)}"),
        ("Satser", f"Brukere per 1 000 innbyggere etter trinn, alder og kjønn, "
                   f"{f.date(plan.as_of)}"),
        ("Befolkning", f"Befolkningsframskrivingen {plan.base_year}–{plan.to_year}"),
        *((name, f"Scenario «{rows.scenario}»: brukere per trinn, kostnad og årsverk per år")
          for name, rows in zip(names, plan.scenarios, strict=True)),
        ("Sammenligning", "Scenariene side om side, og forskjellen fra uendret praksis"),
    ]
    for name, text in contents:
        quoted = name.replace("'", "''")
        sheet.write_url(row, 0, f"internal:'{quoted}'!A1", wb.fmt["link"], string=name)
        sheet.write_string(row, 1, text)
        row += 1
    row += 1
    wb.model_note(sheet, row)


def _has(values: Iterable[Any]) -> bool:
    return any(v is not None for v in values)


def _matrix(wb: _Book) -> None:
    """«Matrise»: the staircase today, one row per step, and a chart of users per step."""
    plan = wb.plan
    accounts = _has(r.cost for r in plan.matrix) or _has(r.fte for r in plan.matrix)
    cols = [Col("Trinn", lambda r: r.step, "text", 16, "step"),
            Col("Kategori", lambda r: r.category, "text", 26, "category"),
            Col("Tjenester", lambda r: r.services, "int", 11, "services"),
            Col("Brukere", lambda r: r.users, "int", 11, "users"),
            Col("Vedtatte timer per uke", lambda r: r.approved_hours, "dec1", 13,
                "approved_hours")]
    if accounts:
        cols += [Col("Kostnad (1 000 kr)", lambda r: _thousands(r.cost), "int", 13, "cost"),
                 Col("Årsverk", lambda r: r.fte, "dec1", 10, "fte"),
                 Col("Kostnad per bruker (kr)", lambda r: r.cost_per_user, "int", 13,
                     "cost_per_user"),
                 Col("Årsverk per bruker", lambda r: r.fte_per_user, "dec3", 11,
                     "fte_per_user"),
                 Col("Kostnad per tjeneste (kr)", lambda r: r.cost_per_service, "int", 13,
                     "cost_per_service")]
    sheet = wb.sheet("Matrise", f"Matrisen: innsatstrappen {f.date(plan.as_of)}",
                     "Aktive vedtak på telledatoen; kostnad og årsverk fra regnskapet, i "
                     "dagens kroner." if accounts else
                     "Aktive vedtak på telledatoen. Uten regnskapsfil: ingen kostnad eller "
                     "årsverk.")
    wb.header(sheet, HEAD, cols)
    end = wb.rows(sheet, HEAD + 1, cols, plan.matrix)
    sheet.set_row(HEAD, 30)
    sheet.freeze_panes(HEAD + 1, 1)
    wb.suppression_note(sheet, end + 1)
    sheet.write_string(end + 2, 0, f"{DASH} Ingen verdi (ingen vedtak med timer, ingen "
                                   "regnskapstall eller ingen brukere).", wb.fmt["note"])
    chart = wb.book.add_chart({"type": "column"})
    chart.add_series({"name": "Brukere", "categories": ["Matrise", HEAD + 1, 0, end - 1, 0],
                      "values": ["Matrise", HEAD + 1, 3, end - 1, 3],
                      "fill": {"color": COLOURS[0]},
                      # A withheld count is text, a bar of 0 to the chart: label it.
                      "data_labels": {"value": True, "num_format": "[$-414]#,##0", "custom": [
                          {"value": WITHHELD_LABEL} if "users" in r.suppressed else None
                          for r in plan.matrix]}})
    chart.set_title({"name": f"Brukere per trinn, {f.date(plan.as_of)}",
                     "name_font": {"size": 12}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "[$-414]#,##0", "major_gridlines": {"visible": True}})
    chart.set_size({"width": 760, "height": 340})
    sheet.insert_chart(end + 4, 0, chart)


def _rates(wb: _Book) -> None:
    """«Satser»: today's users per 1 000 inhabitants, the rates the projection keeps."""
    plan = wb.plan
    cols = [Col("Trinn", lambda r: r.step, "text", 16, "step"),
            Col("Aldersgruppe", lambda r: r.age_band, "text", 13, "age_band"),
            Col("Kjønn", lambda r: r.gender, "text", 8, "gender"),
            Col("Brukere", lambda r: r.users, "int", 11, "users"),
            Col(f"Befolkning 1.1.{plan.base_year}", lambda r: r.population, "int", 19,
                "population"),
            Col("Per 1 000", lambda r: r.per_1000, "rate", 11, "per_1000")]
    sheet = wb.sheet("Satser", f"Brukere per 1 000 innbyggere, {f.date(plan.as_of)}",
                     "Uendret praksis holder disse satsene fast og framskriver med "
                     "befolkningen. Kjønn: K kvinner, M menn.")
    wb.header(sheet, HEAD, cols)
    end = wb.rows(sheet, HEAD + 1, cols, plan.rates)
    sheet.freeze_panes(HEAD + 1, 1)
    sheet.autofilter(HEAD, 0, max(end - 1, HEAD), len(cols) - 1)
    wb.suppression_note(sheet, end + 1)
    sheet.write_string(end + 2, 0, f"{DASH} Ingen innbyggere i gruppen.", wb.fmt["note"])


def _population(wb: _Book) -> None:
    """«Befolkning»: the projection per year with a chart of the old, and the pyramid data
    of the base and the last year."""
    plan = wb.plan
    cols = [Col("År", lambda r: r.year, "year", 8),
            Col("Innbyggere", lambda r: r.total, "int", 12),
            Col("67 år og eldre", lambda r: r.age_67_plus, "int", 12),
            Col("80 år og eldre", lambda r: r.age_80_plus, "int", 12)]
    alt = f", alternativ {plan.alternative}" if plan.alternative else ""
    sheet = wb.sheet("Befolkning", f"Befolkningen {plan.base_year}–{plan.to_year}",
                     f"Per 1. januar; fra {plan.inputs.population}{alt}.")
    wb.header(sheet, HEAD, cols)
    end = wb.rows(sheet, HEAD + 1, cols, plan.population)
    sheet.freeze_panes(HEAD + 1, 1)

    # The pyramid to the right of the yearly table: age group × K/M for each year held.
    years = sorted({r.year for r in plan.pyramid})
    persons = {(r.year, r.age_group, r.gender): r.persons for r in plan.pyramid}
    groups = sorted({r.age_group for r in plan.pyramid}, key=_age_key)
    left = len(cols) + 1
    pyr = [Col("Aldersgruppe", lambda g: g, "text", 13)]
    for year in years:
        for gender, label in (("K", "Kvinner"), ("M", "Menn")):
            pyr.append(Col(f"{label} {year}",
                           lambda g, y=year, k=gender: persons.get((y, g, k)), "int", 11))
    pyramid_end = end
    if groups:
        sheet.write_string(HEAD - 1, left, "Alderspyramiden", wb.fmt["subtitle"])
        wb.header(sheet, HEAD, pyr, first=left)
        pyramid_end = wb.rows(sheet, HEAD + 1, pyr, groups, first=left)
    sheet.set_column(left - 1, left - 1, 3)
    sheet.set_row(HEAD, 30)
    wb.model_note(sheet, max(end, pyramid_end) + 1)
    chart = wb.line_chart("Befolkning", "Innbyggere 67 år og eldre og 80 år og eldre",
                          HEAD + 1, end - 1, 0, [("67 år og eldre", 2), ("80 år og eldre", 3)])
    below = max(end, pyramid_end) + 3
    sheet.set_h_pagebreaks([below - 1])
    sheet.insert_chart(below, 0, chart)


def _scenario(wb: _Book, rows: ScenarioRows, name: str) -> None:
    """One sheet per scenario: users per step per year, totals, its shifts, a chart."""
    plan = wb.plan
    steps = [r.step for r in sorted(plan.matrix, key=lambda r: r.order)]
    held = {s.step for y in rows.years for s in y.steps}
    steps = [s for s in steps if s in held] + sorted(held - set(steps))

    def per_step(step: str) -> Callable[[Any], Any]:
        return lambda y: next((s.users for s in y.steps if s.step == step), None)

    cols = [Col("År", lambda y: y.year, "year", 8),
            *(Col(s, per_step(s), "int", max(10, min(len(s) + 2, 16)), s) for s in steps),
            Col("Brukere i alt", lambda y: y.users, "int", 11, "users")]
    if _has(y.cost for y in rows.years):
        cols.append(Col("Kostnad (1 000 kr)", lambda y: _thousands(y.cost), "int", 13))
    if _has(y.fte for y in rows.years):
        cols.append(Col("Årsverk", lambda y: y.fte, "dec1", 10))
    what = ("dagens bruk per aldersgruppe og kjønn, framskrevet med befolkningen"
            if rows.scenario == BASELINE and not rows.shifts else
            "uendret praksis med dreiingene nedenfor")
    sheet = wb.sheet(name, f"Scenario «{rows.scenario}» {plan.base_year}–{plan.to_year}",
                     f"Brukere per trinn og år: {what}.")
    wb.header(sheet, HEAD, cols)
    sheet.set_row(HEAD, 30)
    end = wb.rows(sheet, HEAD + 1, cols, rows.years)
    sheet.freeze_panes(HEAD + 1, 1)
    wb.model_note(sheet, end + 1)
    row = end + 3
    if rows.shifts:
        sheet.write_string(row, 0, "Dreiinger", wb.fmt["subtitle"])
        shift_cols = [Col("Fra trinn", lambda s: s.from_step, "text"),
                      Col("Til trinn", lambda s: s.to_step, "text"),
                      Col("Andel %", lambda s: s.share / 100, "pct"),
                      Col("Startår", lambda s: s.start_year, "plain"),
                      Col("Fullt år", lambda s: s.full_year, "plain")]
        for c, col in enumerate(shift_cols):
            sheet.write_string(row + 1, c, col.title, wb.fmt["head"])
        row = wb.rows(sheet, row + 2, shift_cols, rows.shifts)
        sheet.write_string(row, 0, "Andelen av brukerne på fra-trinnet som flyttes, fases "
                                   "inn lineært fra startåret til fullt år.", wb.fmt["note"])
        row += 2
    chart = wb.line_chart(name, f"Brukere per trinn, «{rows.scenario}»", HEAD + 1, end - 1, 0,
                          [(s, c) for c, s in enumerate(steps, start=1)])
    chart.set_size({"width": 900, "height": 420})
    sheet.set_h_pagebreaks([row])
    sheet.insert_chart(row + 1, 0, chart)


def _comparison(wb: _Book) -> None:
    """«Sammenligning»: per year, every scenario side by side and its difference from
    «Uendret praksis». One block per measure (users, cost, FTE) with the same columns and a
    chart beside it, a page each, so the sheet stays readable on paper."""
    plan = wb.plan
    scenarios = plan.scenarios
    base = scenarios[0]
    others = scenarios[1:]
    years = [y.year for y in base.years]

    def figure(rows: ScenarioRows, year: int, name: str, scale: float) -> float | None:
        y = next((y for y in rows.years if y.year == year), None)
        v = None if y is None else getattr(y, name)
        return None if v is None else v / scale

    def withheld(rows: ScenarioRows, year: int, name: str) -> bool:
        y = next((y for y in rows.years if y.year == year), None)
        return y is not None and name in y.suppressed

    measures = [("users", "Brukere i alt", 1, "int", "signed")]
    if any(_has(y.cost for y in s.years) for s in scenarios):
        measures.append(("cost", "Kostnad (1 000 kr)", 1000, "int", "signed"))
    if any(_has(y.fte for y in s.years) for s in scenarios):
        measures.append(("fte", "Årsverk", 1, "dec1", "signed1"))
    heads = ["År", *(s.scenario for s in scenarios),
             *(f"Forskjell: {s.scenario}" for s in others)]

    sheet = wb.sheet("Sammenligning",
                     f"Scenariene sammenlignet {plan.base_year}–{plan.to_year}",
                     "Forskjell = scenarioet minus uendret praksis samme år." if others else
                     "Bare uendret praksis: ingen scenariofil.", repeat=None)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, len(heads) - 1, 14)
    row, breaks = HEAD, []
    for m, label, scale, kind, signed in measures:
        if row > HEAD:
            breaks.append(row)
        if len(heads) > 1:
            sheet.merge_range(row, 0, row, len(heads) - 1, label, wb.fmt["group"])
        else:
            sheet.write_string(row, 0, label, wb.fmt["group"])
        for c, title in enumerate(heads):
            sheet.write_string(row + 1, c, title, wb.fmt["head"])
        sheet.set_row(row + 1, 30)
        first = row + 2
        for r, year in enumerate(years, start=first):
            sheet.write_number(r, 0, year, wb.fmt["year"])
            for c, s in enumerate(scenarios, start=1):
                wb.value(sheet, r, c, figure(s, year, m, scale), kind, withheld(s, year, m))
            for c, s in enumerate(others, start=1 + len(scenarios)):
                a, b = figure(s, year, m, scale), figure(base, year, m, scale)
                wb.value(sheet, r, c, None if a is None or b is None else a - b, signed,
                         withheld(s, year, m) or withheld(base, year, m))
        last = first + len(years) - 1
        chart = wb.line_chart("Sammenligning", f"{label} per scenario", first, last, 0,
                              [(s.scenario, c) for c, s in enumerate(scenarios, start=1)])
        chart.set_size({"width": 620, "height": max(300, 20 * (len(years) + 2))})
        sheet.insert_chart(row, len(heads) + 1, chart)
        row = max(last + 3, row + 17)
    sheet.set_h_pagebreaks(breaks)
    sheet.freeze_panes(HEAD + 2, 1)
    wb.model_note(sheet, row - 1)


def _kostra(wb: _Book) -> None:
    """«KOSTRA»: per own figure the sentence, the figure with what it is computed from, how
    it is computed and how it differs, then the indicator's published table and chart."""
    plan = wb.plan
    if plan.kostra is None:
        return
    own = plan.kostra.municipality
    sheet = wb.sheet(KOSTRA, f"Egne tall ved siden av KOSTRA, kommune {own}",
                     "Definisjonene er ikke de samme: under hvert tall står hvordan det er "
                     "regnet og hva som skiller det fra KOSTRA.", repeat=None)
    formats = sheet_formats(wb)
    label = comparison.own_label(plan.as_of)
    row, width = 3, 2
    for fig in plan.kostra.figures:
        places = comparison.own_places(fig)
        kind = "int" if places == 0 else "dec1" if places == 1 else "dec2"
        sheet.write_string(row, 0, fig.indicator, wb.fmt["title"])
        sheet.write_string(row + 1, 0, comparison.own_sentence(fig, own, plan.as_of,
                                                               plan.suppress))
        cost = fig.computation == "kostnad per bruker"
        lines = [(label, fig.value, kind, "value"), ("Brukere", fig.users, "int", "users"),
                 ("Kostnad (kr per år)" if cost else "Innbyggere", fig.denominator, "int", "")]
        for i, (title, v, k, field) in enumerate(lines, start=row + 2):
            sheet.write_string(i, 0, title, wb.fmt["label"])
            wb.value(sheet, i, 1, v, k, field in fig.suppressed)
        texts = [("Slik er tallet regnet", fig.definition), ("Forskjell fra KOSTRA", fig.differs)]
        for i, (title, text) in enumerate(texts, start=row + 5):
            sheet.write_string(i, 0, title, wb.fmt["label"])
            sheet.merge_range(i, 1, i, 8, text, wb.fmt["wrap"])
            sheet.set_row(i, 45)
        row += 8
        if fig.kostra is not None:
            width = max(width, len(fig.kostra.years) + 2)
            mine = None if "value" in fig.suppressed else fig.value
            row = indicator_table(wb, sheet, KOSTRA, fig.kostra, own, row, formats,
                                  own_column=(label, mine))
        else:
            sheet.write_string(row - 1, 0, "KOSTRA-tallene i lageret har ikke denne "
                                           "indikatoren for kommunen.", wb.fmt["note"])
            row += 1
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, width, 12)
    if plan.suppress:
        wb.suppression_note(sheet, row)
