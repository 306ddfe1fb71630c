"""Every figure of the report as Ibis expressions over the store, with period as a dimension.

`build_report` and `build_reports` are imported when first used, so that reading the model
(`Report`) pulls in neither Ibis nor DuckDB."""

from innsatstrapp.model.report import Report, report_schema

__all__ = ["Report", "build_report", "build_reports", "keeping_beside", "report_schema"]


def __getattr__(name: str) -> object:
    if name in ("build_report", "build_reports"):
        from innsatstrapp.metrics import build

        return getattr(build, name)
    if name == "keeping_beside":
        from innsatstrapp.metrics import keeping

        return keeping.keeping_beside
    raise AttributeError(f"module 'innsatstrapp.metrics' has no attribute {name!r}")
