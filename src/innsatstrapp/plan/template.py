"""Workbooks to fill in for the plan: the accounts per step, the scenarios and the
comparison with KOSTRA, each with a guide sheet, so the analyst starts from a file the plan
reads as it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from innsatstrapp.catalog.staircase import Catalog, Step, default_steps
from innsatstrapp.files import written

ACCOUNTS = "regnskap.xlsx"
SCENARIOS = "scenarier.xlsx"
COMPARISON = "sammenligning.xlsx"
# KOSTRA's names (table 12003 in SSB's statistics bank) for the rows the template suggests
HOME_SHARE = "Andel innbyggere 80 år og over som er brukere av hjemmetjenester (prosent)"
HOME_COST = "Korrigerte brutto driftsutgifter per mottaker av hjemmetjenester (i kr)"

_ACCOUNTS_GUIDE = [
    "Slik fyller du ut regnskapet per trinn",
    "",
    "Én rad per trinn i innsatstrappen. «Kostnad» er netto driftsutgift i kroner per år "
    "(for eksempel fra KOSTRA eller kommunens regnskap), «Årsverk» er avtalte årsverk.",
    "Skriv tallene som i Excel, for eksempel 12 500 000 og 18,5. En tom celle betyr «ikke "
    "oppgitt», og planen viser da ingen kostnad for trinnet.",
    "Trinnene må hete som i katalogen. Trinn som ikke står her, får ingen kostnad.",
    "Planen regner kostnad per bruker = kostnad / brukere på trinnet på telledatoen, og "
    "framskriver kostnaden med antall brukere.",
]
_SCENARIOS_GUIDE = [
    "Slik fyller du ut scenarioene",
    "",
    "Hvert scenario er én eller flere rader med samme navn i «Scenario». En rad flytter en "
    "andel av brukerne på «Fra trinn» til «Til trinn».",
    "«Andel» er prosent av brukerne på «Fra trinn» (0–100). Flyttingen trappes opp jevnt fra "
    "«Startår» til «Fullt år»: med startår 2027 og fullt år 2030 flyttes 1/4 av andelen i "
    "2027, 2/4 i 2028 og hele andelen fra 2030.",
    "Alle rader i et scenario regnes fra «Uendret praksis» (dagens andel brukere per alder og "
    "kjønn), ikke fra hverandre. Til sammen kan ett scenario flytte høyst 100 % av brukerne "
    "på ett trinn.",
    "Eksempelradene kan endres eller slettes. «Uendret praksis» lages alltid og kan ikke "
    "brukes som navn.",
]

_COMPARISON_GUIDE = [
    "Slik fyller du ut sammenligningen med KOSTRA",
    "",
    "Filen sier hvilke av planens egne tall som skal stå ved siden av hvilken KOSTRA- eller "
    "KPR-indikator. Én rad per trinn: radene med samme «Indikator» blir ett tall, og en "
    "person med vedtak på flere av trinnene telles én gang.",
    "«Indikator» er indikatorens navn slik «innsatstrapp kostra list» viser det (store og "
    "små bokstaver spiller ingen rolle).",
    "«Beregning»: «andel» er brukere i prosent av innbyggerne i aldersgruppen, «per 1000» "
    "brukere per 1 000 innbyggere i aldersgruppen, «kostnad per bruker» regnskapets kostnad "
    "for trinnene delt på brukerne.",
    "«Alder» for andel og per 1000: for eksempel 80+, 67+, 67-79 eller alle. Grensene må "
    "følge aldersgruppene 0, 18, 50, 67, 75, 80, 85 og 90 år. Tomt for kostnad per bruker.",
    "Eksempelradene bruker trinnene med «hjem» i kategorien og KOSTRAs navn i tabell 12003. "
    "Endre eller slett dem.",
    "Tallene er ikke definert helt som KOSTRAs (telledato, alder og regnskapsbegrep): planen "
    "skriver forskjellen under hvert tall.",
]


def write_templates(out_dir: Path, catalog: Catalog | None = None,
                    today: dt.date | None = None) -> list[Path]:
    """Write regnskap.xlsx, scenarier.xlsx and sammenligning.xlsx to `out_dir`; the
    catalog's steps when given."""
    steps = catalog.steps if catalog else default_steps()
    year = (today or dt.date.today()).year
    with (written(out_dir / ACCOUNTS) as accounts, written(out_dir / SCENARIOS) as scenarios,
          written(out_dir / COMPARISON) as comparison):
        _accounts(accounts, steps)
        _scenarios(scenarios, steps, year)
        _comparison(comparison, steps)
    return [out_dir / ACCOUNTS, out_dir / SCENARIOS, out_dir / COMPARISON]


def _book(path: Path):
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    return book, book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})


def _guide(book, lines: list[str]) -> None:
    sheet = book.add_worksheet("Veiledning")
    bold = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for i, line in enumerate(lines):
        sheet.write_string(i, 0, line, bold if i == 0 else wrap)
    sheet.set_column(0, 0, 110)


def _step_list(book, head, steps: tuple[Step, ...]) -> None:
    """The sheet «Trinn» the drop-down lists of steps read from."""
    lists = book.add_worksheet("Trinn")
    lists.write_string(0, 0, "Trinn", head)
    for i, step in enumerate(steps, start=1):
        lists.write_string(i, 0, step.name)
    lists.set_column(0, 0, 24)


def _accounts(path: Path, steps: tuple[Step, ...]) -> Path:
    book, head = _book(path)
    money = book.add_format({"num_format": "# ##0"})
    fte = book.add_format({"num_format": "0.0"})
    sheet = book.add_worksheet("Regnskap")
    for col, title in enumerate(("Trinn", "Kostnad", "Årsverk")):
        sheet.write_string(0, col, title, head)
    for i, step in enumerate(steps, start=1):
        sheet.write_string(i, 0, step.name)
        sheet.write_blank(i, 1, None, money)
        sheet.write_blank(i, 2, None, fte)
    sheet.data_validation(1, 1, len(steps), 2, {
        "validate": "decimal", "criteria": ">=", "value": 0,
        "error_message": "Skriv et tall som ikke er negativt."})
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 18, money)
    sheet.set_column(2, 2, 12, fte)
    sheet.freeze_panes(1, 0)
    _guide(book, _ACCOUNTS_GUIDE)
    book.close()
    return path


def _scenarios(path: Path, steps: tuple[Step, ...], year: int) -> Path:
    book, head = _book(path)
    sheet = book.add_worksheet("Scenarier")
    titles = ("Scenario", "Fra trinn", "Til trinn", "Andel", "Startår", "Fullt år")
    for col, title in enumerate(titles):
        sheet.write_string(0, col, title, head)
    ladder = sorted((s for s in steps if s.on_staircase), key=lambda s: s.order)
    if len(ladder) >= 3:  # examples: fewer at the top, fewer at the middle
        top, below, middle, lower = ladder[-1], ladder[-2], ladder[len(ladder) // 2], ladder[1]
        examples = [("Eksempel: flere hjemme", top.name, below.name, 10, year + 1, year + 5),
                    ("Eksempel: tidlig innsats", middle.name, lower.name, 15, year + 1,
                     year + 3)]
        for i, row in enumerate(examples, start=1):
            for col, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(i, col, value)
                else:
                    sheet.write_number(i, col, value)
    names = f"=Trinn!$A$2:$A${len(steps) + 1}"
    sheet.data_validation(1, 1, 500, 2, {"validate": "list", "source": names,
                                         "error_message": "Velg et trinn fra arket Trinn."})
    sheet.data_validation(1, 3, 500, 3, {"validate": "decimal", "criteria": "between",
                                         "minimum": 0, "maximum": 100,
                                         "error_message": "Andelen er prosent fra 0 til 100."})
    sheet.data_validation(1, 4, 500, 5, {"validate": "integer", "criteria": "between",
                                         "minimum": 2000, "maximum": 2100,
                                         "error_message": "Skriv et årstall."})
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 2, 20)
    sheet.set_column(3, 5, 10)
    sheet.freeze_panes(1, 0)
    _guide(book, _SCENARIOS_GUIDE)
    _step_list(book, head, steps)
    book.close()
    return path


def _comparison(path: Path, steps: tuple[Step, ...]) -> Path:
    book, head = _book(path)
    sheet = book.add_worksheet("Sammenligning")
    for col, title in enumerate(("Indikator", "Beregning", "Trinn", "Alder")):
        sheet.write_string(0, col, title, head)
    home = [s.name for s in steps if "hjem" in (s.category or "").lower()]
    examples = [*((HOME_SHARE, "andel", step, "80+") for step in home),
                *((HOME_COST, "kostnad per bruker", step, "") for step in home)]
    for i, row in enumerate(examples, start=1):
        for col, value in enumerate(row):
            sheet.write_string(i, col, value)
    sheet.data_validation(1, 1, 500, 1, {
        "validate": "list", "source": ["andel", "per 1000", "kostnad per bruker"],
        "error_message": "Velg andel, per 1000 eller kostnad per bruker."})
    sheet.data_validation(1, 2, 500, 2, {
        "validate": "list", "source": f"=Trinn!$A$2:$A${len(steps) + 1}",
        "error_message": "Velg et trinn fra arket Trinn."})
    sheet.set_column(0, 0, 80)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 2, 24)
    sheet.set_column(3, 3, 10)
    sheet.freeze_panes(1, 0)
    _guide(book, _COMPARISON_GUIDE)
    _step_list(book, head, steps)
    book.close()
    return path
