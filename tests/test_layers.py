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
