"""The contract every registered renderer keeps, the report's and the plan's alike: it writes
one file named for its format into the folder it is given, the file reads back as that
format, and a withheld figure is marked «*» in it, never left out or shown as 0."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
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


PLUGIN = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from innsatstrapp.outputs import RENDERERS, formats, renderer
    from innsatstrapp.outputs.plan import PLAN_RENDERERS
    formats("json,html,xlsx,pptx,pdf")
    # a built-in format is found without reading any installed package's metadata
    assert RENDERERS["html"] == "innsatstrapp.outputs.html:render"
    assert "importlib.metadata" not in sys.modules, "read the entry points"
    assert formats("txt,json") == ["txt", "json"]
    assert list(RENDERERS) == ["json", "html", "xlsx", "pptx", "pdf", "txt"]
    assert list(PLAN_RENDERERS) == ["json", "html", "xlsx", "pptx", "txt"]
    assert renderer("txt").__module__ == "plug_txt"
    print("ok")
""")


def test_a_plugin_adds_a_format_and_a_built_in_one_reads_no_metadata(tmp_path: Path) -> None:
    """A package's entry points add formats after the built-in ones, which it cannot
    replace; the entry points are read only when a format is not a built-in one."""
    info = tmp_path / "plug-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: plug\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[innsatstrapp.renderers]\nreport.txt = plug_txt:render\n"
        "report.html = plug_txt:render\nplan.txt = plug_txt:render\n")
    (tmp_path / "plug_txt.py").write_text("def render(report, out_dir, **options):\n"
                                          "    return out_dir / 'report.txt'\n")
    out = subprocess.run([sys.executable, "-c", PLUGIN, str(tmp_path)], capture_output=True,
                         text=True)
    assert out.returncode == 0 and out.stdout == "ok\n", out.stderr


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


def test_renderers_are_imported_beside_the_build() -> None:
    """`preload` imports the formats' renderers on a thread of its own, and its wait
    returns once they are imported; one whose module fails is left to `render` to say."""
    code = textwrap.dedent("""
        import sys, threading
        from innsatstrapp import outputs
        assert "innsatstrapp.outputs.html" not in sys.modules
        wait = outputs.preload(["json", "html"])
        wait()
        assert {"innsatstrapp.outputs.html", "innsatstrapp.outputs.json", "jinja2"} <= set(
            sys.modules), sorted(sys.modules)
        assert threading.active_count() == 1
        outputs.preload(["x"], {"x": "innsatstrapp_no_such_module:render"})()
        try:
            outputs.render(None, __import__("pathlib").Path("."), ["x"],
                           registry={"x": "innsatstrapp_no_such_module:render"})
        except ModuleNotFoundError as e:
            print("said:", e.name)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "said: innsatstrapp_no_such_module"
    assert done.stderr == ""  # the thread said nothing of the module it could not import
