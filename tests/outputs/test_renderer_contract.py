"""The contract every registered renderer keeps, the report's and the plan's alike: it writes
one file named for its format into the folder it is given, the file reads back as that
format, and a withheld figure is marked «*» in it, never left out or shown as 0."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from test_plan_xlsx import small_plan

from innsatstrapp.outputs import RENDERERS, renderer
from innsatstrapp.outputs import plan as plan_outputs
from innsatstrapp.outputs.plan import PLAN_RENDERERS
from innsatstrapp.outputs.registry import registered


def _text(path: Path) -> str:
    """What a reader of the file sees, as text: the document, every sheet, every slide."""
    kind = path.suffix
    if kind in (".json", ".html"):
        return path.read_text(encoding="utf-8")
    if kind in (".xlsx", ".pptx"):
        with zipfile.ZipFile(path) as z:  # also proves it is a whole Office file
            return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                            if n.endswith(".xml"))
    if kind == ".pdf":
        from pypdf import PdfReader

        return " ".join(page.extract_text() for page in PdfReader(str(path)).pages)
    raise AssertionError(f"no reader for {kind}")


def _withheld_marked(path: Path, text: str) -> bool:
    if path.suffix == ".json":
        body = json.loads(text)
        found = []

        def walk(x):
            if isinstance(x, dict):
                if x.get("suppressed"):
                    found.extend(x["suppressed"])
                    assert all(x.get(f) is None for f in x["suppressed"] if f in x), x
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
        walk(body)
        return bool(found)
    return "*" in text


def test_one_registry_for_both_models() -> None:
    assert registered("report") == RENDERERS and registered("plan") == PLAN_RENDERERS
    assert list(RENDERERS) == ["json", "html", "xlsx", "pptx", "pdf"]
    assert list(PLAN_RENDERERS) == ["json", "html", "xlsx", "pptx"]
    assert registered("nothing") == {}


@pytest.fixture(scope="module")
def report(small_store):
    from innsatstrapp.metrics import build_report

    db, catalog = small_store
    built = build_report(catalog, "2024-01", history=["2023-12"], db=db)  # threshold 5
    assert built.headline["new_decisions"].suppressed  # the fixture withholds figures
    return built


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_every_report_renderer(report, fmt: str, tmp_path: Path) -> None:
    if fmt == "pdf" and not shutil.which("chromium"):
        pytest.fail("the pdf renderer needs Chromium, which the test set-up installs")
    path = renderer(fmt)(report, tmp_path)
    assert path == tmp_path / f"report.{fmt}" and path.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # one file, nothing else
    text = _text(path)
    assert _withheld_marked(path, text), fmt


@pytest.mark.parametrize("fmt", list(PLAN_RENDERERS))
def test_every_plan_renderer(fmt: str, tmp_path: Path) -> None:
    plan = small_plan()
    path = plan_outputs.renderer(fmt)(plan, tmp_path)
    assert path == tmp_path / f"plan.{fmt}" and path.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert _withheld_marked(path, _text(path)), fmt
