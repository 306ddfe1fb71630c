"""The house's layers: the model at the bottom, no engine behind a renderer's import."""

from __future__ import annotations

import subprocess
import sys

import pytest

import innsatstrapp

HEAVY = ("ibis", "duckdb", "fastapi", "pptx", "xlsxwriter", "plotly", "pandas", "pyarrow")


@pytest.mark.parametrize("module", ["innsatstrapp", "innsatstrapp.model", "innsatstrapp.outputs",
                                    "innsatstrapp.model.report", "innsatstrapp.model.plan",
                                    "innsatstrapp.model.absent"])
def test_importing_loads_no_engine(module: str) -> None:
    """A fresh process: reading the model or the renderers' registry costs no engine."""
    code = (f"import sys, {module}; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "", f"{module} loads {done.stdout.strip()}"


def test_the_public_surface() -> None:
    from innsatstrapp.model import Plan, Report

    assert innsatstrapp.Report is Report and innsatstrapp.Plan is Plan
    for name in innsatstrapp.__all__:
        assert getattr(innsatstrapp, name) is not None
    with pytest.raises(AttributeError):
        innsatstrapp.nothing_of_the_kind  # noqa: B018


# The stages from the bottom up: a module may import its own stage and those below it.
RANK = {"__init__": 0, "__version__": 0, "errors": 0, "text": 0, "rounding": 0,
        "period": 1, "files": 1, "model": 1, "tables": 1, "store": 2,
        "ingest": 3, "catalog": 3, "kostra": 3,
        "disclosure": 4, "metrics": 5, "plan": 6, "outputs": 7, "web": 8, "demo": 9,
        "console": 9, "cli_nb": 9, "cli": 10, "__main__": 11}
SRC = __import__("pathlib").Path(__file__).parents[1] / "src" / "innsatstrapp"


def _imports(src=SRC):
    """(file, its stage, the stage it imports, the names it takes) for every import of the
    package's own modules, also those inside functions."""
    import ast

    for path in sorted(src.rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        here = parts[0] if parts[0] != "__init__" else "__init__"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("innsatstrapp"):
                if node.module == "innsatstrapp":
                    for a in node.names:
                        yield path, here, a.name, [a.name]
                else:
                    yield path, here, node.module.split(".")[1], [
                        *node.module.split(".")[2:], *(a.name for a in node.names)]
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("innsatstrapp."):
                        yield path, here, a.name.split(".")[1], a.name.split(".")[2:]


def test_every_stage_is_known() -> None:
    stages = {p.relative_to(SRC).with_suffix("").parts[0] for p in SRC.rglob("*.py")}
    assert stages <= set(RANK), stages - set(RANK)


def upward(src=SRC) -> list[str]:
    return [f"{p.relative_to(src)} ({here}) imports {there}"
            for p, here, there, _ in _imports(src) if RANK[there] > RANK[here]]


def private(src=SRC) -> list[str]:
    return [f"{p.relative_to(src)} takes {names} from {there}"
            for p, here, there, names in _imports(src)
            if there != here and any(n.startswith("_") and not n.startswith("__")
                                     for n in names)]


def test_no_module_imports_upward() -> None:
    """The model and the engine-free stages below the renderers and the web app."""
    assert upward() == []


def test_no_stage_imports_another_stages_private_names() -> None:
    assert private() == []


def test_the_layer_checks_can_fail(tmp_path) -> None:
    """A made-up tree with an upward import (inside a function, too) and a private one."""
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "report.py").write_text(
        "def f():\n    from innsatstrapp.web import app\n")
    (tmp_path / "cli.py").write_text("from innsatstrapp.outputs import _format\n"
                                     "from innsatstrapp.outputs.html import _plot, cell\n")
    assert upward(tmp_path) == ["model/report.py (model) imports web"]
    assert private(tmp_path) == ["cli.py takes ['_format'] from outputs",
                                 "cli.py takes ['html', '_plot', 'cell'] from outputs"]


LONGEST = 120  # lines of one function, its docstring and decorators included


def long_functions(src=SRC) -> list[str]:
    """Every function (method and inner function too) longer than LONGEST lines."""
    import ast

    out = []
    for path in sorted(src.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                if (length := node.end_lineno - first + 1) > LONGEST:
                    out.append(f"{path.relative_to(src)}:{node.lineno} {node.name} ({length})")
    return out


def test_no_function_is_a_page_long() -> None:
    assert long_functions() == []


def test_the_length_check_can_fail(tmp_path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(LONGEST - 1))
    (tmp_path / "fits.py").write_text(f"def fits():\n{body}\n")
    (tmp_path / "long.py").write_text(f"class C:\n    @staticmethod\n    def long():\n"
                                      f"    {body.replace(chr(10), chr(10) + '    ')}\n")
    assert long_functions(tmp_path) == [f"long.py:3 long ({LONGEST + 1})"]
