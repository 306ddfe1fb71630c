"""innsatstrapp: the municipal service staircase, computed from the raw case-system extract.

The public surface, from the extract to the outputs:

    ingest_file(path, period, db=...)         -> a stored, pseudonymised month
    load_catalog(path)                        -> the staircase (which service on which step)
    build_report(catalog, period, db=...)     -> Report
    build_plan(catalog, period, population)   -> Plan
    render(report, out_dir, ["html", ...])    -> the files written

Every name is imported when first used, so `import innsatstrapp` (and the command's start)
loads no engine.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> the module that holds it
_HOME = {
    "ingest_file": "innsatstrapp.ingest",
    "Store": "innsatstrapp.store",
    "Catalog": "innsatstrapp.catalog",
    "load_catalog": "innsatstrapp.catalog",
    "Period": "innsatstrapp.period",
    "build_report": "innsatstrapp.metrics",
    "build_plan": "innsatstrapp.plan.build",
    "render": "innsatstrapp.outputs",
    "Report": "innsatstrapp.model",
    "Plan": "innsatstrapp.model",
}

__all__ = ["__version__", *_HOME]


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(f"module 'innsatstrapp' has no attribute {name!r}")
