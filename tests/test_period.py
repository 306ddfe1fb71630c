"""The period as a type: parsed once where it enters (a command's option, a dashboard
address), passed on as a Period, its text only the key of stored rows."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from helpers import write_csv
from innsatstrapp.cli import app
from innsatstrapp.errors import UsageError
from innsatstrapp.model.base import dump
from innsatstrapp.period import Period


def test_a_period_from_itself_or_its_text() -> None:
    p = Period(2024, 1)
    assert Period.of(p) is p and Period.of(" 2024-01 ") == p and str(p) == "2024-01"
    assert Period(2023, 12) < Period(2024, 1) < Period(2024, 10)  # by month, not by text
    assert sorted([Period(2024, 10), Period(2024, 2)]) == [Period(2024, 2), Period(2024, 10)]
    for bad in ("2024-1", "2024-13", "januar", ""):
        with pytest.raises(UsageError, match="Ugyldig periode"):
            Period.of(bad)


class Stop(Exception):
    pass


def test_the_command_line_parses_each_period_once_and_passes_the_type(tmp_path,
                                                                     monkeypatch) -> None:
    """report hands build_report Periods (the month, the compared month and the history);
    ingest hands ingest_file one, and catalog template the store."""
    import innsatstrapp.catalog.template as template
    import innsatstrapp.ingest as ingest
    import innsatstrapp.metrics as metrics

    seen: dict[str, tuple] = {}

    def catch(name):
        def record(*args, **kwargs):
            seen[name] = (*args, *kwargs.values())
            raise Stop()
        return record

    monkeypatch.setattr(metrics, "build_report", catch("report"))
    monkeypatch.setattr(ingest, "ingest_file", catch("ingest"))
    monkeypatch.setattr(template, "services", catch("template"))
    from small import write_catalog

    catalog = write_catalog(tmp_path / "k.xlsx")
    runner = CliRunner()
    for args in (["report", "--period", "2024-01", "--compare", "2023-11", "--history",
                  "2023-10,2023-12", "--catalog", catalog],
                 ["ingest", write_csv(tmp_path / "x.csv", []), "--period", "2024-01"],
                 ["catalog", "template", "--period", "2024-01", "--out", tmp_path / "t.xlsx"]):
        result = runner.invoke(app, [str(a) for a in args])
        assert isinstance(result.exception, Stop), result.output
    _, period, compare, history, *_ = seen["report"]
    assert (period, compare, history) == (Period(2024, 1), Period(2023, 11),
                                          [Period(2023, 10), Period(2023, 12)])
    assert seen["ingest"][1] == Period(2024, 1) and seen["template"][1] == Period(2024, 1)


def test_every_entrance_takes_the_type_or_its_text(small_store) -> None:
    """The same report from a Period and from its text; the month compared by default is
    the newest stored before it, across a new year (2023-12 before 2024-01)."""
    from innsatstrapp.metrics import build_report
    from innsatstrapp.store import Store

    db, catalog = small_store
    typed = build_report(catalog, Period(2024, 1), db=db, suppress=0)
    text = build_report(catalog, "2024-01", db=db, suppress=0)
    assert typed.previous_period == "2023-12"
    assert dump(typed, exclude=["provenance"]) == dump(text, exclude=["provenance"])
    with Store.open(db, read_only=True) as store:
        assert store.require(Period(2023, 12)) == store.require("2023-12")
        assert store.service_rows(Period(2024, 1)) == store.service_rows("2024-01") != []


@pytest.mark.parametrize(("command", "known"), [
    (["report"], "Ukjent format «docx». Velg blant: json, html, xlsx, pptx, pdf."),
    (["plan", "--population", "{tmp}/p.csv"],
     "Ukjent format «docx». Velg blant: json, html, xlsx, pptx."),
    (["report", "--format", ","], "Ingen formater valgt")])
def test_an_unknown_format_is_said_before_anything_is_computed(tmp_path, monkeypatch,
                                                               command, known) -> None:
    """report and plan check --format against the registry before the (long) build."""
    import innsatstrapp.metrics as metrics
    import innsatstrapp.plan.build as plan_build

    built = []
    monkeypatch.setattr(metrics, "build_report", lambda *a, **k: built.append(a))
    monkeypatch.setattr(plan_build, "build_plan", lambda *a, **k: built.append(a))
    from small import write_catalog

    args = [a.format(tmp=tmp_path) for a in command]
    result = CliRunner().invoke(app, [*args, "--period", "2024-01", "--catalog",
                                      str(write_catalog(tmp_path / "k.xlsx")),
                                      *([] if "--format" in args else
                                        ["--format", "json, DOCX"])])
    assert result.exit_code == 1 and built == []
    assert known in result.stderr


def test_formats_are_read_once_each_known() -> None:
    from innsatstrapp.outputs import formats
    from innsatstrapp.outputs.plan import PLAN_RENDERERS

    assert formats(" JSON,html,,json ") == ["json", "html"]
    for empty in ("", " , "):
        with pytest.raises(UsageError, match="Ingen formater valgt"):
            formats(empty)
    with pytest.raises(UsageError, match="Ukjent format «pdf»"):
        formats("json,pdf", PLAN_RENDERERS)
