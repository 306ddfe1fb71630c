"""The model at the bottom: what a report and a plan hold, as frozen models, and
their JSON Schemas. It imports no engine and no renderer library, so every stage above can
read it (renderers, the web app, the plan) without pulling in Ibis or DuckDB. Each model is
imported when first named: building the plan's classes costs a report 0,1 s it never uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from innsatstrapp.model.plan import Plan, plan_schema
    from innsatstrapp.model.report import Report, report_schema

__all__ = ["Plan", "Report", "plan_schema", "report_schema"]
_WHERE = {"Plan": "plan", "plan_schema": "plan", "Report": "report", "report_schema": "report"}


def __getattr__(name: str) -> object:
    if name in _WHERE:
        from importlib import import_module

        return getattr(import_module(f"innsatstrapp.model.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'innsatstrapp.model' has no attribute {name!r}")
