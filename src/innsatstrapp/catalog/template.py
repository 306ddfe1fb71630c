"""A catalog workbook to fill in: every service of a period, with what is already mapped kept."""

from __future__ import annotations

from pathlib import Path

from innsatstrapp.catalog.staircase import ROLES, Catalog, CatalogService, Step, default_steps
from innsatstrapp.files import written
from innsatstrapp.period import Period

_GUIDE = [
    ("Slik fyller du ut katalogen", True),
    ("", False),
    ("Arket «Trinn» er innsatstrappen: ett trinn per rad, med rekkefølge i «Nr» (laveste "
     "innsats først).", False),
    ("«Kategori» kan samle trinn i grupper. «Trapp» = nei betyr at trinnet står ved siden av "
     "trappen (for eksempel tjenester på tvers og boliger).", False),
    ("", False),
    ("Arket «Tjenester» har én rad per tjeneste slik den heter i uttrekket. Velg trinn i "
     "kolonnen «Trinn».", False),
    ("«Gruppe» samler tjenester i rapporten (tom = tjenesten selv). «Rolle» = hjemmesykepleie "
     "gir timer i rapporten; langtidsopphold gir liggetid.", False),
    ("Tjenester uten trinn telles med i totaltallene og vises som «ikke plassert» i "
     "datakvalitet.", False),
    ("«Ny» markerer tjenester som ikke stod i forrige katalog. Kolonnene «Ny» og «Rader i "
     "uttrekket» leses ikke inn; de er bare til hjelp.", False),
]


def services(db: Path, period: Period | str) -> list[tuple[str, int]]:
    """Each service of a stored period's extract with its rows, most rows first: what a
    template lists and a check compares with. A period not stored is said, with those that
    are."""
    from innsatstrapp.store import Store

    with Store.open(db, read_only=True) as store:
        store.require(period)
        return store.service_rows(period)


def write_template(out: Path, service_rows: list[tuple[str, int]],
                   old: Catalog | None = None) -> tuple[int, int]:
    """Write the workbook; return (services kept from `old`, new services appended). A
    file open in Excel is named in a message and left as it was (`files.written`)."""
    with written(out) as path:
        return _write(path, service_rows, old)


def _write(out: Path, service_rows: list[tuple[str, int]],
           old: Catalog | None) -> tuple[int, int]:
    import xlsxwriter

    steps: tuple[Step, ...] = old.steps if old else default_steps()
    counts = dict(service_rows)
    kept: list[CatalogService] = list(old.services) if old else []
    known = {s.name for s in kept}
    new = [CatalogService(name, "", None) for name, _ in service_rows if name not in known]

    book = xlsxwriter.Workbook(str(out))
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    fresh = book.add_format({"bg_color": "#FFF2CC"})
    text = book.add_format({"num_format": "@"})

    sheet = book.add_worksheet("Trinn")
    for col, title in enumerate(("Trinn", "Nr", "Kategori", "Trapp")):
        sheet.write_string(0, col, title, head)
    for i, step in enumerate(steps, start=1):
        sheet.write_string(i, 0, step.name)
        sheet.write_number(i, 1, step.order)
        sheet.write_string(i, 2, step.category or "")
        sheet.write_string(i, 3, "ja" if step.on_staircase else "nei")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 6)
    sheet.set_column(2, 2, 28)
    sheet.set_column(3, 3, 8)
    sheet.freeze_panes(1, 0)
    sheet.data_validation(1, 3, 200, 3, {"validate": "list", "source": ["ja", "nei"]})

    sheet = book.add_worksheet("Tjenester")
    titles = ("Tjeneste", "Gruppe", "Trinn", "Rolle", "Rader i uttrekket", "Ny")
    for col, title in enumerate(titles):
        sheet.write_string(0, col, title, head)
    rows = [(s, False) for s in kept] + [(s, True) for s in new]
    for i, (svc, is_new) in enumerate(rows, start=1):
        fmt = fresh if is_new else None
        sheet.write_string(i, 0, svc.name, fmt or text)
        sheet.write_string(i, 1, "" if svc.group == svc.name else svc.group, fmt)
        sheet.write_string(i, 2, svc.step or "", fmt)
        sheet.write_string(i, 3, svc.role or "", fmt)
        sheet.write_number(i, 4, counts.get(svc.name, 0), fmt)
        sheet.write_string(i, 5, "ny" if is_new else "", fmt)
    last = max(len(rows), 1)
    sheet.data_validation(1, 2, last + 500, 2, {
        "validate": "list", "source": f"=Trinn!$A$2:$A${len(steps) + 1}",
        "error_message": "Velg et trinn fra arket Trinn."})
    sheet.data_validation(1, 3, last + 500, 3, {"validate": "list", "source": list(ROLES)})
    sheet.set_column(0, 1, 40)
    sheet.set_column(2, 3, 18)
    sheet.set_column(4, 4, 16)
    sheet.set_column(5, 5, 6)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, last, len(titles) - 1)

    for ws in book.worksheets():
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)

    sheet = book.add_worksheet("Veiledning")
    bold = book.add_format({"bold": True, "font_size": 14})
    for i, (line, is_title) in enumerate(_GUIDE):
        sheet.write_string(i, 0, line, bold if is_title else None)
    sheet.set_column(0, 0, 120)
    book.close()
    return len(kept), len(new)
