"""The `innsatstrapp` command: parse, call, print. Heavy imports happen inside commands."""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from innsatstrapp import __version__
from innsatstrapp.cli_nb import Command, Group, txt
from innsatstrapp.console import err, out, prepare
from innsatstrapp.errors import InnsatstrappError, UsageError, visible
from innsatstrapp.period import Period

app = typer.Typer(
    name="innsatstrapp",
    cls=Group,
    context_settings={"help_option_names": ["--help", "-h"]},
    help="Innsatstrappen for helse og omsorg: fra månedsuttrekket (Profil, Gerica, CosDoc) "
         "til rapport, dashbord og planlegging – lokalt, pseudonymisert.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold person data
    rich_markup_mode="rich",
)
catalog_app = typer.Typer(cls=Group,
                          help="Katalogen (tjenesteguiden): hvilken tjeneste står på hvilket "
                               "trinn.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")
plan_app = typer.Typer(cls=Group,
                       help="Planlegging til 2040: brukere, kostnad og årsverk per trinn med "
                            "befolkningsframskrivingen og scenarioer.")
app.add_typer(plan_app, name="plan")
kostra_app = typer.Typer(cls=Group,
                         help="Sammenligning med KOSTRA og KPR: tall fra SSBs statistikkbank.",
                         no_args_is_help=True)
app.add_typer(kostra_app, name="kostra")


DbOption = Annotated[Path, typer.Option("--db", help="Lagerfilen (DuckDB).",
                                        show_default=True)]
DEFAULT_DB = Path("innsatstrapp.duckdb")
PptxTemplateOption = Annotated[Path | None, typer.Option(
    "--pptx-template", help="Kommunens egen PowerPoint-mal (for pptx).")]
SuppressOption = Annotated[int, typer.Option(
    "--suppress", help="Skjul tall fra 1 til N−1 personer eller vedtak; 0 slår av.")]
MunicipalityOption = Annotated[str | None, typer.Option(
    "--municipality", metavar="KOMMUNENR",
    help="Kommunen sammenligningen med KOSTRA gjelder. Standard: kommunen i uttrekket.",
    show_default=False)]


def _month(help_text: str) -> typer.models.OptionInfo:
    """A --period option: parsed once, here, into a Period (a bad one is said in
    Norwegian, naming the value), and passed as that type to every stage."""
    return typer.Option("--period", metavar="ÅÅÅÅ-MM", parser=Period.parse, help=help_text,
                        show_default=False)


class Months(tuple[Period, ...]):
    """Periods given as one comma-separated value (--history): a type of its own, so that
    Typer takes the option as one value and not as a tuple of several."""


def _months(text: str) -> Months:
    return Months(Period.parse(h) for h in text.split(",") if h.strip())


def _version(value: bool) -> None:
    if value:
        out.print(f"innsatstrapp {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool | None, typer.Option("--version", callback=_version,
                                                 is_eager=True,
                                                 help="Vis versjonen og avslutt.")] = None,
) -> None:
    """Innsatstrappen for helse og omsorg."""


def _engine_early() -> None:
    """The engine made on a thread of its own beside what a command does in Python before
    it opens a store (`store.attached.prepare`)."""
    from innsatstrapp.store import attached

    attached.prepare()


class _Waiting:
    """The spinner that says the store is in use, made when the wait begins (making one
    imports Rich's live display: a few milliseconds every command would pay)."""

    def __init__(self) -> None:
        self._status = None

    def start(self) -> None:
        if self._status is None:
            self._status = out.status("Lageret er i bruk av et annet program (for eksempel "
                                      "dashbordet); venter opptil 60 sekunder …")
            self._status.start()

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()


@app.command(cls=Command)
def ingest(
    file: Annotated[Path, typer.Argument(metavar="FIL",
                                         help="Uttrekket: CSV (; , eller tabulator) eller XLSX.",
                                         show_default=False)],
    period: Annotated[Period, _month("Perioden uttrekket gjelder, ÅÅÅÅ-MM.")],
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="ÅÅÅÅ-MM-DD",
        help="Telledato D (ÅÅÅÅ-MM-DD). Standard: siste dag i måneden.")] = None,
    db: DbOption = DEFAULT_DB,
    mapping: Annotated[Path | None, typer.Option(
        "--mapping", help="Kolonnekart (TOML) for kolonner med andre navn.")] = None,
    catalog: Annotated[Path | None, typer.Option(
        "--catalog", help="Katalogen (XLSX): avgjør skjulingen for måneden med en gang, så "
                          "rapporter og dashbordet finner den ferdig. Lageret husker "
                          "katalogen til neste gang.")] = None,
    suppress: SuppressOption = 5,
) -> None:
    """Les inn ett månedsuttrekk i lageret. Samme periode på nytt erstatter den forrige."""
    from innsatstrapp.ingest import ingest_file
    from innsatstrapp.outputs.format import integer

    status = _Waiting()
    cat = None
    if catalog is not None:
        from innsatstrapp.catalog import load_catalog

        cat = load_catalog(catalog)  # a bad catalog is said before the file is read
    printing = prepare()  # while the engine reads the file
    try:
        result = ingest_file(file, period, as_of=as_of, db=db, mapping=mapping, wait=60,
                             waiting=status.start)
    finally:
        printing()
        status.stop()
    x = result.extract
    verb = "Erstattet" if result.replaced else "Lest inn"
    out.print(f"[green]✓[/] {verb} {x.period} (telledato {x.as_of:%d.%m.%Y}) fra "
              f"[bold]{txt(visible(x.file_name, 200))}[/]: {integer(x.rows)} rader, "
              f"{integer(x.persons)} personer, {integer(result.services)} tjenester.",
              highlight=False)
    if result.ignored_columns:
        names = [visible(c) for c in result.ignored_columns[:20]]
        more = len(result.ignored_columns) - len(names)
        out.print("  Kolonner som ikke brukes (lagres ikke): " + txt(", ".join(names))
                  + (f" og {integer(more)} til" if more else ""), highlight=False)
    for warning in result.warnings:
        out.print(f"  [yellow]Advarsel: {txt(warning)}[/]", highlight=False)
    if result.key_created:
        from innsatstrapp.ingest.pseudonymise import key_path

        key = txt(str(key_path(result.db)))
        out.print(f"  [yellow]Ny nøkkel for pseudonymisering: {key}[/]. Ta "
                  "sikkerhetskopi av den; uten den kan nye uttrekk ikke kobles til de gamle.",
                  highlight=False)
    if cat is not None:
        from innsatstrapp.catalog.registered import register

        with contextlib.suppress(InnsatstrappError):  # only remembering failed
            register(result.db, catalog)
    elif result.catalog is not None:  # the one an earlier `ingest --catalog` registered
        cat = _remembered_catalog(result.catalog)
    if cat is not None and suppress:
        from innsatstrapp.metrics.build import decide

        with out.status("Avgjør skjulingen av små tall …"):
            done = decide(cat, x.period, suppress=suppress, db=db)
        pairs = ", ".join(f"{b}–{a}" for a, b in (d for d in done if len(d) == 2))
        out.print(f"  Skjuling avgjort (under {suppress}) for {x.period}"
                  + (f" og bevegelsene {pairs}" if pairs else "")
                  + f" med katalogen {txt(cat.file_name)}; lagret i lageret, og dashbordets "
                  "første side er klar.", highlight=False)


def _remembered_catalog(path: Path):
    """The catalog the store remembers, or None with a note (the month is stored anyway)."""
    from innsatstrapp.catalog import load_catalog

    what = "finnes ikke lenger" if not path.exists() else "kan ikke leses som katalog"
    try:
        if path.exists():
            return load_catalog(path)
    except InnsatstrappError:
        pass  # `report --catalog` with the file says exactly what is wrong with it
    out.print(f"  [yellow]Katalogen lageret husker, {txt(str(path))}, {what}.[/] Måneden er "
              "lagret; skjulingen avgjøres når rapporten lages. Oppgi --catalog FIL for å "
              "huske en annen.", highlight=False)
    return None


@app.command(cls=Command)
def periods(db: DbOption = DEFAULT_DB) -> None:
    """Vis periodene i lageret, med hvor hvert uttrekk kom fra."""
    from innsatstrapp.outputs.format import integer
    from innsatstrapp.store import Store

    with Store.open(db, read_only=True) as store:
        extracts = store.periods()
    if not extracts:
        out.print(f"Lageret {txt(str(db))} har ingen perioder ennå.", highlight=False)
        return
    from rich import box
    from rich.table import Table

    # dates, counts and the fingerprint never wrap; the file name folds when space is short,
    # and the tool version and the time of day are left out of a narrow window (80 columns,
    # a laptop's terminal)
    wide = out.width >= 110
    table = Table(title=f"Perioder i {txt(str(db))}", title_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  collapse_padding=True)
    for title, justify, fixed in (("Periode", "left", True), ("Telledato", "left", True),
                                  ("Fil", "left", False), ("SHA-256", "left", True),
                                  ("Rader", "right", True), ("Personer", "right", True),
                                  ("Lest inn", "left", True), *([("Versjon", "left", True)]
                                                                if wide else [])):
        table.add_column(title, justify=justify, no_wrap=fixed,  # type: ignore[arg-type]
                         overflow="fold")
    for x in extracts:
        table.add_row(x.period, f"{x.as_of:%d.%m.%Y}", txt(x.file_name), x.file_sha256[:8],
                      integer(x.rows), integer(x.persons),
                      f"{x.ingested_at:%d.%m.%Y %H:%M}" if wide else f"{x.ingested_at:%d.%m.%Y}",
                      *([x.tool_version] if wide else []))
    out.print(table)


@app.command(cls=Command)
def remove(
    period: Annotated[Period, _month("Perioden som skal fjernes fra lageret.")],
    yes: Annotated[bool, typer.Option(
        "--yes", help="Fjern perioden. Uten --yes vises bare hva som ville blitt fjernet.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Fjern en periode fra lageret (en måned lest inn med feil --period).

    Uten --yes vises bare hva som ville blitt fjernet."""
    from innsatstrapp.store import Store

    with Store.open(db, read_only=not yes) as store:
        found = store.require(period)
        what = (f"{period} ({txt(found.file_name)}, {_count(found.rows, 'rad', 'rader')}, "
                f"lest inn "
                f"{found.ingested_at:%d.%m.%Y %H:%M})")
        if not yes:
            out.print(f"Dette fjernes: {what}. Kjør på nytt med --yes for å fjerne den.",
                      highlight=False)
            return
        store.delete_period(period)
    out.print(f"[green]✓[/] Fjernet {what}. Les inn riktig fil med «innsatstrapp ingest».",
              highlight=False)


@catalog_app.command("template", cls=Command)
def catalog_template(
    period: Annotated[Period, _month("Perioden tjenestene hentes fra.")],
    out_file: Annotated[Path, typer.Option("--out", help="Arbeidsboken som skrives (XLSX).",
                                           show_default=False)],
    old: Annotated[Path | None, typer.Option(
        "--catalog", help="Eksisterende katalog: det som alt er plassert, beholdes.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Lag en katalog å fylle ut: alle tjenester i perioden, med antall rader."""
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.catalog.template import services, write_template

    previous = load_catalog(old) if old else None
    kept, new = write_template(out_file, services(db, period), previous)
    out.print(f"[green]✓[/] Skrev {txt(str(out_file))}: {kept} tjenester beholdt, {new} nye å "
              f"plassere på trinn.", highlight=False)


@catalog_app.command("check", cls=Command)
def catalog_check(
    file: Annotated[Path, typer.Argument(metavar="FIL",
                                         help="Katalogen (XLSX).", show_default=False)],
    period: Annotated[Period | None, _month("Sjekk også mot tjenestene i denne perioden.")
                      ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Kontroller katalogen, og vis tjenester i uttrekket som ikke er plassert."""
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.catalog.check import compare
    from innsatstrapp.catalog.template import services
    from innsatstrapp.outputs.format import integer

    catalog = load_catalog(file)
    rows = services(db, period) if period else []

    out.print(f"[green]✓[/] {txt(file.name)}: {len(catalog.steps)} trinn, "
              f"{_count(len(catalog.mapped), 'tjeneste', 'tjenester')} plassert.",
              highlight=False)
    if not period:
        return
    found = compare(catalog, rows)
    if found.unplaced:
        out.print(f"[yellow]{_count(len(found.unplaced), 'tjeneste', 'tjenester')} i {period} "
                  f"er ikke plassert på et trinn:[/]", highlight=False)
        for u in found.unplaced:
            guess = f"; mente du «{txt(u.near)}» i katalogen?" if u.near else ""
            out.print(f"  • {txt(u.service)} ({_count(u.rows, 'rad', 'rader')}){guess}",
                      highlight=False)
    if found.absent:
        shown = found.absent[:20]
        more = len(found.absent) - len(shown)
        out.print(f"{_count(len(found.absent), 'tjeneste', 'tjenester')} i katalogen har ingen "
                  f"rader i {period}: " + txt(", ".join(shown))
                  + (f" og {integer(more)} til" if more else "") + ".", highlight=False)


@app.command(cls=Command)
def report(
    period: Annotated[Period, _month("Perioden rapporten gjelder, ÅÅÅÅ-MM.")],
    catalog: Annotated[Path, typer.Option("--catalog", help="Katalogen (XLSX).",
                                          show_default=False)],
    compare: Annotated[Period | None, typer.Option(
        "--compare", metavar="ÅÅÅÅ-MM", parser=Period.parse,
        help="Periode å sammenligne med. Standard: forrige lagrede periode.")] = None,
    history: Annotated[Months | None, typer.Option(
        "--history", metavar="ÅÅÅÅ-MM,…", parser=_months,
        help="Flere perioder i tabellene, f.eks. 2025-01,2025-09.")] = None,
    db: DbOption = DEFAULT_DB,
    out_dir: Annotated[Path, typer.Option("--out", metavar="MAPPE",
                                          help="Mappen rapporten skrives til.")] = Path(
        "rapport"),
    formats: Annotated[str, typer.Option("--format", metavar="FORMATER",
                                         help="Formater, kommaseparert.")] = (
        "json,html"),
    suppress: SuppressOption = 5,
    pptx_template: PptxTemplateOption = None,
    unit: Annotated[str | None, typer.Option(
        "--unit", metavar="ENHET",
        help="Rapport for én enhet (Avdeling); «uten-enhet» for vedtak uten enhet.",
        show_default=False)] = None,
    municipality: MunicipalityOption = None,
) -> None:
    """Lag månedsrapporten: alle tall i innsatstrappen, med endring fra forrige periode.

    Formater: json, html, xlsx, pptx, pdf (pdf krever Chromium)."""
    _engine_early()  # while the command imports what it uses and reads the catalog
    from innsatstrapp import outputs
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.metrics import build_report, keeping_beside
    from innsatstrapp.model.report import NO_UNIT
    from innsatstrapp.outputs import format as f

    fmts = outputs.formats(formats)  # an unknown one is said before the report is built
    waits: list[Callable[[], None]] = []

    def meanwhile() -> None:  # the renderers' and Rich's imports, while the engine queries
        if not waits:
            waits.extend((outputs.preload(fmts), prepare()))

    # the files are written while the store keeps what the build made
    with keeping_beside(meanwhile):
        try:
            cat = load_catalog(catalog)
            built = build_report(cat, period, compare=compare, history=list(history or ()),
                                 suppress=suppress, db=db, municipality=municipality,
                                 unit=NO_UNIT if unit == "uten-enhet" else unit)
        finally:
            meanwhile()  # now, if the build did not start it (it failed first)
            for wait in waits:
                wait()
        files = outputs.render(built, out_dir, fmts, pptx_template=pptx_template)
    against = f" mot {built.previous_period}" if built.previous_period else ""
    whom = txt(f.unit_suffix(built.unit))
    out.print(f"[green]✓[/] Rapport for {period}{whom}{against} (skjuling under {suppress}):",
              highlight=False)
    for file in files:
        out.print(f"  {txt(str(file))}", highlight=False)
    if municipality and built.kostra is not None and not built.kostra.indicators:
        out.print(f"  [yellow]Merk: KOSTRA-tallene i lageret har ingen tall for kommune "
                  f"{txt(built.kostra.municipality)}.[/] Sjekk kommunenummeret, eller vis "
                  "hva som er lest inn med «innsatstrapp kostra list».", highlight=False)


@plan_app.callback(invoke_without_command=True)
def plan(
    ctx: typer.Context,
    period: Annotated[Period | None, _month("Perioden planen tar utgangspunkt i, ÅÅÅÅ-MM.")
                      ] = None,
    catalog: Annotated[Path | None, typer.Option("--catalog", help="Katalogen (XLSX).",
                                                 show_default=False)] = None,
    population: Annotated[Path | None, typer.Option(
        "--population", help="Befolkningsframskrivingen fra SSB (CSV eller XLSX).",
        show_default=False)] = None,
    accounts: Annotated[Path | None, typer.Option(
        "--accounts", help="Regnskapet per trinn: Trinn, Kostnad, Årsverk.")] = None,
    scenarios: Annotated[Path | None, typer.Option(
        "--scenarios", help="Scenarioene: Scenario, Fra trinn, Til trinn, Andel, Startår, "
                            "Fullt år.")] = None,
    comparison: Annotated[Path | None, typer.Option(
        "--comparison", help="Egne tall ved siden av KOSTRA: Indikator, Beregning, Trinn, "
                             "Alder.")] = None,
    municipality: MunicipalityOption = None,
    alternative: Annotated[str, typer.Option(
        "--alternative", metavar="KODE", help="Framskrivingsalternativet i SSB-filen.")] = "MMMM",
    to_year: Annotated[int, typer.Option("--to", metavar="ÅR", help="Siste år i planen.")] = 2040,
    db: DbOption = DEFAULT_DB,
    out_dir: Annotated[Path, typer.Option("--out", metavar="MAPPE",
                                          help="Mappen planen skrives til.")] = Path(
        "plan"),
    formats: Annotated[str, typer.Option("--format", metavar="FORMATER",
                                         help="Formater, kommaseparert.")] = (
        "json,html,xlsx,pptx"),
    suppress: SuppressOption = 5,
    pptx_template: PptxTemplateOption = None,
) -> None:
    """Lag planen: dagens brukere per trinn, alder og kjønn, framskrevet med befolkningen.

    Formater: json, html, xlsx, pptx. «innsatstrapp plan template» lager maler for regnskap
    og scenarioer."""
    if ctx.invoked_subcommand is not None:
        return
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.outputs import format as f
    from innsatstrapp.outputs import formats as known_formats
    from innsatstrapp.outputs.plan import PLAN_RENDERERS, render
    from innsatstrapp.plan.build import build_plan

    missing = [name for name, value in (("--period", period), ("--catalog", catalog),
                                        ("--population", population)) if value is None]
    if missing:
        raise UsageError("Planen trenger " + " og ".join(missing) + ". Se «innsatstrapp "
                         "plan --help».")
    assert period and catalog and population
    fmts = known_formats(formats, PLAN_RENDERERS)  # said before the plan is built
    built = build_plan(load_catalog(catalog), period, population, accounts=accounts,
                       scenarios=scenarios, alternative=alternative, to_year=to_year,
                       suppress=suppress, db=db, comparison=comparison,
                       municipality=municipality)
    files = render(built.plan, out_dir, fmts, pptx_template=pptx_template)
    plan_ = built.plan
    first = next(s for s in plan_.scenarios[0].years if s.year == plan_.base_year)
    last = plan_.scenarios[0].years[-1]
    count = len(plan_.scenarios)
    out.print(f"[green]✓[/] Plan for {period} til {plan_.to_year} ({count} "
              f"{'scenario' if count == 1 else 'scenarioer'}, skjuling under {suppress}): "
              f"med uendret praksis "
              f"{f.integer(first.users)} → {f.integer(last.users)} brukere summert over "
              f"trinnene.", highlight=False)
    for file in files:
        out.print(f"  {txt(str(file))}", highlight=False)
    _comparison_notes(built, comparison)


def _comparison_notes(built, comparison: Path | None) -> None:
    """What the analyst must know when the own figures are missing or stand alone."""
    plan_ = built.plan
    if comparison is None:
        return
    if built.municipality is None:
        out.print("  [yellow]Merk: planen vet ikke hvilken kommune den gjelder, så "
                  "sammenligningen med KOSTRA er ikke laget.[/] Gi kommunenummeret med "
                  "--municipality.", highlight=False)
        return
    if plan_.kostra is None:
        out.print(f"  [yellow]Merk: sammenligningsfilen «{txt(comparison.name)}» har ingen "
                  "rader, så planen har ingen egne tall ved siden av KOSTRA.[/] Se "
                  "veiledningen i malen fra «innsatstrapp plan template».", highlight=False)
        return
    alone = [f.indicator for f in plan_.kostra.figures if f.kostra is None]
    code = txt(plan_.kostra.municipality)
    if alone and len(alone) == len(plan_.kostra.figures):
        out.print(f"  [yellow]Merk: KOSTRA-tallene i lageret har ingen av indikatorene for "
                  f"kommune {code}.[/] De egne tallene står alene. Sjekk kommunenummeret og "
                  "navnene, eller vis hva som er lest inn med «innsatstrapp kostra list».",
                  highlight=False)
        return
    for name in alone:
        out.print(f"  [yellow]Merk: «{txt(name)}» finnes ikke i KOSTRA-tallene for kommune "
                  f"{code}.[/] Det egne tallet står alene. Vis navnene med «innsatstrapp "
                  "kostra list».", highlight=False)


@plan_app.command("template", cls=Command)
def plan_template(
    out_dir: Annotated[Path, typer.Option("--out", metavar="MAPPE",
                                          help="Mappen malene skrives til.",
                                          show_default=False)],
    catalog: Annotated[Path | None, typer.Option(
        "--catalog", help="Katalogen: trinnene hentes herfra (standard: en vanlig trapp).")
    ] = None,
) -> None:
    """Lag maler å fylle ut: regnskap.xlsx (per trinn), scenarier.xlsx og
    sammenligning.xlsx (egne tall ved siden av KOSTRA)."""
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.plan.template import write_templates

    files = write_templates(out_dir, load_catalog(catalog) if catalog else None)
    out.print("[green]✓[/] Skrev malene:", highlight=False)
    for file in files:
        out.print(f"  {txt(str(file))}", highlight=False)


@kostra_app.command("import", cls=Command)
def kostra_import(
    file: Annotated[Path, typer.Argument(
        metavar="FIL", help="Eksporten fra statistikkbanken: CSV (lang eller bred form) eller "
                            "JSON-stat.", show_default=False)],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Les inn KOSTRA- eller KPR-tall fra en fil lastet ned fra SSBs statistikkbank.

    Tall som alt er lagret for samme statistikkvariabel, region og år, erstattes."""
    from innsatstrapp.kostra import import_file
    from innsatstrapp.outputs.format import integer

    status = _Waiting()
    try:
        figures, done = import_file(file, db, wait=60, waiting=status.start)
    finally:
        status.stop()
    t = figures.table
    years = sorted(set(t.column("year").to_pylist()))
    regions = len(set(t.column("region").to_pylist()))
    form = {"long": "lang form", "wide": "bred form", "json-stat": "JSON-stat"}[figures.form]
    span = years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
    kinds = _count(len(done.indicators), "statistikkvariabel", "statistikkvariabler")
    out.print(f"[green]✓[/] Lest inn {txt(visible(figures.file_name, 200))} ({form}): "
              f"{integer(t.num_rows)} tall, {kinds}, {_count(regions, 'region', 'regioner')}, "
              f"{span}; {integer(done.new)} nye, {integer(done.replaced)} erstattet.",
              highlight=False)
    for name in done.indicators:
        out.print(f"  • {txt(visible(name, 200))}", highlight=False)


@kostra_app.command("list", cls=Command)
def kostra_list(db: DbOption = DEFAULT_DB) -> None:
    """Vis KOSTRA- og KPR-tallene i lageret: statistikkvariabler, regioner, år og filer."""
    from innsatstrapp.kostra import stored
    from innsatstrapp.outputs.format import integer

    found = stored(db)
    if not found:
        out.print(f"Lageret {txt(str(db))} har ingen KOSTRA-tall ennå. Les inn en eksport fra "
                  "statistikkbanken med «innsatstrapp kostra import FIL».", highlight=False)
        return
    out.print(f"KOSTRA- og KPR-tall i {txt(str(db))}:", highlight=False)
    for x in found:  # one indicator a paragraph: its name is long, a table would fold it
        span = x.years[0] if len(x.years) == 1 else f"{x.years[0]}–{x.years[-1]}"
        without = f" ({integer(x.without)} uten tall)" if x.without else ""
        out.print(f"  [bold]{txt(x.indicator)}[/]", highlight=False)
        out.print(f"    {_count(x.regions, 'region', 'regioner')}, {span}, "
                  f"{integer(x.figures)} tall{without}", highlight=False)
        out.print(f"    fra {txt(', '.join(x.files))}, lest inn "
                  f"{x.imported_at:%d.%m.%Y %H:%M}", highlight=False)


@app.command(cls=Command)
def serve(
    db: DbOption = DEFAULT_DB,
    catalog: Annotated[Path | None, typer.Option(
        "--catalog", help="Katalogen (XLSX). Standard: den lageret husker fra «ingest "
                          "--catalog», ellers katalog.xlsx ved siden av lageret.")] = None,
    host: Annotated[str, typer.Option("--host", metavar="ADRESSE",
                                      help="Adressen serveren lytter på.")] = (
        "127.0.0.1"),
    port: Annotated[int, typer.Option("--port", metavar="PORT", help="Porten.")] = 8000,
    suppress: SuppressOption = 5,
    plan_input: Annotated[Path | None, typer.Option(
        "--plan-input", metavar="MAPPE",
        help="Mappen med befolkning, regnskap og scenarier for siden "
                             "Framtid. Standard: plan-input ved siden av lageret.")] = None,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", metavar="VERT", help="Et vertsnavn dashbordet også skal svare på (for en "
                             "serverinstallasjon); kan gis flere ganger.")] = None,
    municipality: MunicipalityOption = None,
) -> None:
    """Start dashbordet i nettleseren (bare på denne maskinen, som standard)."""
    import uvicorn

    from innsatstrapp.catalog.registered import registered
    from innsatstrapp.web import create_app

    if catalog is None:
        catalog = registered(db) or db.parent / "katalog.xlsx"
    application = create_app(db, catalog, suppress=suppress, warm=True,
                             plan_input=plan_input, hosts=[host, *(allow_host or [])],
                             municipality=municipality)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]Advarsel:[/] dashbordet lytter på {txt(host)} og kan nås fra andre "
                  "maskiner. Helsedata: bruk bare et lukket nett.", highlight=False)
    out.print(f"Dashbordet kjører på http://{txt(host)}:{port}/ (Ctrl+C avslutter).",
              highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command(cls=Command)
def demo(
    out_dir: Annotated[Path, typer.Option("--out", metavar="MAPPE",
                                          help="Mappen demoen skrives til.")] = Path(
        "innsatstrapp-demo"),
    seed: Annotated[int, typer.Option("--seed", help="Frø for tilfeldige tall.")] = 2024,
    months: Annotated[int, typer.Option("--months", min=2, max=120,
                                        help="Antall månedsuttrekk.")] = 24,
) -> None:
    """Lag en syntetisk kommune, les inn alle månedene og vis hvor alt ligger."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from innsatstrapp.demo import build_demo

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=out.console, transient=False) as progress:
        task = progress.add_task("Lager og leser inn uttrekk", total=months)

        def step(label: str) -> None:
            progress.update(task, advance=1, description=f"Leser inn {label}")

        result = build_demo(out_dir, seed=seed, months=months, on_month=step)
    from innsatstrapp.outputs.format import integer

    out.print(f"[green]✓[/] Demokommunen er klar i [bold]{txt(str(out_dir))}[/]:", highlight=False)
    out.print(f"  Lager:     {txt(str(result.db))}", highlight=False)
    out.print(f"  Katalog:   {txt(str(result.catalog))}", highlight=False)
    out.print(f"  Uttrekk:   {len(result.extracts)} filer i {txt(str(result.extracts[0].parent))} "
              f"({result.first} – {result.last})", highlight=False)
    out.print(f"  Rapport:   {txt(str(result.report))}", highlight=False)
    out.print(f"  KOSTRA:    3 tabeller i {txt(str(result.db.parent / 'kostra'))} "
              f"(syntetiske, formet som SSBs eksport), lest inn", highlight=False)
    inputs = txt(str(result.plan.parent.parent / "plan-input"))
    out.print(f"  Plan:      {txt(str(result.plan))} (syntetisk befolkning, regnskap, "
              f"scenarioer og sammenligning med KOSTRA i {inputs})", highlight=False)
    out.print(f"  Siste måned: {integer(result.users)} brukere, {integer(result.active)} aktive "
              f"vedtak.", highlight=False)
    out.print(f"Prøv: {txt(_program())} periods --db {txt(str(result.db))}", highlight=False)


def _program() -> str:
    """How to start this command from here: its name when it is on PATH, else its path
    (`.venv\\Scripts\\innsatstrapp.exe` on Windows), relative to the working folder if inside."""
    import shutil

    name = "innsatstrapp"
    script = Path(sys.executable).parent / (f"{name}.exe" if os.name == "nt" else name)
    found = shutil.which(name)
    if found and Path(found).resolve() == script.resolve():
        return name
    with contextlib.suppress(ValueError):
        return str(script.relative_to(Path.cwd()))
    return str(script)


def _count(n: int, one: str, many: str) -> str:
    from innsatstrapp.outputs.format import integer

    return f"{integer(n)} {one if n == 1 else many}"


def _store_in(argv: list[str]) -> str:
    """The store a command was given (--db), for a message."""
    for i, a in enumerate(argv):
        if a == "--db" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--db="):
            return a[5:]
    return str(DEFAULT_DB)


def run() -> None:
    """The console command: `main`, then the process ends without tearing the interpreter
    down (`_exit`)."""
    try:
        main()
    except SystemExit as done:
        _exit(done.code)
    _exit(0)


def _exit(code: int | str | None) -> None:
    """End the process with `code` once all a normal exit does that anyone sees is done:
    the exit handlers (the engine's private folder removed, a store still attached
    checkpointed by closing the instance) and the output flushed. What is left is freeing
    the tens of thousands of objects a command leaves, one by one, which took 0,02 s of an
    ingest and 0,04–0,07 s of a report; os._exit skips it (as mypy does). With a thread
    still running, the exit is the normal one, which waits for it."""
    import atexit
    import threading

    if isinstance(code, str):  # SystemExit("text"): said, and a failure
        print(code, file=sys.stderr)
        code = 1
    code = 0 if code is None else int(code)
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # a closed pipe or
            stream.flush()  # stream, or none at all (pythonw)
    os._exit(code)


def only(argv: list[str]) -> typer.Typer:
    """The app with only the command (or group of commands) `argv` names first, so that
    Typer makes Click's command of that one alone: making every command's options took
    0,01–0,015 s of each run. Without a known command first (an option, a typo, nothing),
    the whole app, whose help and suggestions name every command."""
    name = argv[0] if argv else ""
    commands = [c for c in app.registered_commands
                if (c.name or typer.main.get_command_name(c.callback.__name__)) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    one = copy.copy(app)
    one.registered_commands, one.registered_groups = commands, groups
    return one


def main() -> None:
    try:
        only(sys.argv[1:])()
    except KeyboardInterrupt:
        err.print("Avbrutt.")
        sys.exit(130)
    except Exception as exc:  # never a traceback for the analyst (INNSATSTRAPP_DEBUG shows it)
        if os.environ.get("INNSATSTRAPP_DEBUG"):
            raise
        if ((isinstance(exc, RuntimeError) and str(exc).strip() == "Query interrupted")
                or type(exc).__name__ == "InterruptException"):
            err.print("Avbrutt.")  # Ctrl+C while the engine ran a query: it says so thus
            sys.exit(130)
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if isinstance(exc, OSError):  # a file the commands do not check for themselves
            from innsatstrapp.errors import os_reason

            where = f"«{txt(exc.filename)}»: " if exc.filename else ""
            err.print(f"[bold red]Feil:[/] {where}{os_reason(exc)}. Sjekk filen og mappen, "
                      "lukk den hvis den er åpen i et annet program, og prøv igjen.",
                      highlight=False, soft_wrap=True)
            sys.exit(1)
        if "duckdb" in type(exc).__module__:  # the engine could not read what it stored
            err.print(f"[bold red]Feil:[/] Lageret {txt(_store_in(sys.argv))} kan ikke leses; "
                      f"det ser ut til å være skadet eller ufullstendig ({txt(first[:200])}). "
                      "Gjenopprett lageret og nøkkelfilen fra sikkerhetskopi, eller lag et nytt "
                      "lager og les inn uttrekkene på nytt.", highlight=False, soft_wrap=True)
        else:
            err.print(f"[bold red]Uventet feil:[/] {txt(type(exc).__name__)}: "
                      f"{txt(first[:200])}. Dette er en feil i innsatstrapp, ikke i dataene "
                      "dine. Meld fra med kommandoen du kjørte (kjør den med "
                      "INNSATSTRAPP_DEBUG=1 for detaljer).", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    run()
