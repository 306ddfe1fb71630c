"""The model at the bottom: what a report and a plan hold, as frozen pydantic models, and
their JSON Schemas. It imports no engine and no renderer library, so every stage above can
read it (renderers, the web app, the plan) without pulling in Ibis or DuckDB."""

from innsatstrapp.model.plan import Plan, plan_schema
from innsatstrapp.model.report import Report, report_schema

__all__ = ["Plan", "Report", "plan_schema", "report_schema"]
