"""`innsatstrapp demo`: the demo municipality's extracts ingested into a fresh store, its
catalog, every month's suppression decided, and the report and plan written, as an analyst
would have them after a first month with the tool."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from innsatstrapp.demo.extracts import write_extracts
from innsatstrapp.demo.municipality import LAST_PERIOD, demo_catalog
from innsatstrapp.errors import InnsatstrappError
from innsatstrapp.period import Period


@dataclass(frozen=True)
class DemoResult:
    db: Path
    catalog: Path
    extracts: list[Path]
    first: str
    last: str
    users: int
    active: int
    report: Path
    plan: Path  # plan.html


def build_demo(out_dir: Path, *, seed: int = 2024, months: int = 24, last: Period = LAST_PERIOD,
               on_month: Callable[[str], None] | None = None) -> DemoResult:
    """Write extracts and catalog, and ingest every month into a fresh store in `out_dir`."""
    from innsatstrapp.catalog.template import write_template
    from innsatstrapp.files import not_a_folder
    from innsatstrapp.ingest import ingest_file
    from innsatstrapp.ingest.pseudonymise import key_path
    from innsatstrapp.store import Store

    out_dir = Path(out_dir)
    not_a_folder(out_dir)
    db = out_dir / "innsatstrapp.duckdb"
    for old in (db, key_path(db), db.with_suffix(".duckdb.wal")):
        old.unlink(missing_ok=True)
    if (out_dir / "uttrekk").exists():
        shutil.rmtree(out_dir / "uttrekk")
    written = write_extracts(out_dir, seed, months, last)
    for period, path in written:
        ingest_file(path, period, db=db)
        if on_month:
            on_month(str(period))
    catalog_path = out_dir / "katalog.xlsx"
    with Store.open(db, read_only=True) as store:
        rows = store.service_rows(str(last))
        users, active = store.con.execute(
            "SELECT count(DISTINCT person), count(*) FROM decisions d JOIN extracts x "
            "USING (period) WHERE period = ? AND start_date <= x.as_of "
            "AND (end_date IS NULL OR end_date >= x.as_of)", [str(last)]).fetchall()[0]
    catalog = demo_catalog()
    known = {s.name for s in catalog.services}
    write_template(catalog_path, [(s, n) for s, n in rows if s in known], catalog)
    # as `ingest --catalog` would have: every month's suppression decided and kept, so the
    # report and the dashboard's first view find it made
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.metrics.build import decide_all

    decide_all(load_catalog(catalog_path), db=db)
    _import_kostra(out_dir, db, seed)
    report = _write_report(out_dir, db, catalog_path, last, months)
    plan = _write_plan(out_dir, db, catalog_path, last)
    return DemoResult(db, catalog_path, [p for _, p in written], str(written[0][0]), str(last),
                      users, active, report, plan)


def _import_kostra(out_dir: Path, db: Path, seed: int) -> None:
    """The KOSTRA tables an analyst downloads, in kostra/, imported as `kostra import` does."""
    from innsatstrapp.demo.kostra_exports import write_exports
    from innsatstrapp.kostra import import_file

    folder = out_dir / "kostra"
    if folder.exists():
        shutil.rmtree(folder)
    for path in write_exports(folder, seed):
        import_file(path, db)


def _write_report(out_dir: Path, db: Path, catalog_path: Path, last: Period, months: int
                  ) -> Path:
    """The newest month against the month before, with history like seed 000's columns."""
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.metrics import build_report
    from innsatstrapp.outputs import render

    history = [str(last.shift(-k)) for k in (12, 6) if k < months]
    report = build_report(load_catalog(catalog_path), str(last), history=history, db=db)
    formats = ["json", "xlsx", "pptx", "html"]
    try:
        from innsatstrapp.outputs.pdf import chromium

        chromium()
        formats.insert(3, "pdf")
    except InnsatstrappError:
        pass  # no Chromium here: the pack is written without the PDF
    files = render(report, out_dir / "rapport", formats)
    return files[-1]


def _write_plan(out_dir: Path, db: Path, catalog_path: Path, last: Period) -> Path:
    """Synthetic projection, accounts and scenarios in plan-input/, the plan in plan/."""
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.demo.plan_inputs import write_inputs
    from innsatstrapp.outputs.plan import render
    from innsatstrapp.plan.build import build_plan

    catalog = load_catalog(catalog_path)
    inputs = write_inputs(out_dir / "plan-input", catalog, str(last), db)
    built = build_plan(catalog, str(last), inputs["population"], accounts=inputs["accounts"],
                       scenarios=inputs["scenarios"], comparison=inputs["comparison"], db=db)
    return render(built.plan, out_dir / "plan", ["json", "xlsx", "pptx", "html"])[-1]
