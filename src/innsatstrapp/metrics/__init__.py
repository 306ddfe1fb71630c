"""Every figure of the report as Ibis expressions over the store, with period as a dimension."""

from innsatstrapp.metrics.build import build_report, build_reports
from innsatstrapp.metrics.model import Report, report_schema

__all__ = ["Report", "build_report", "build_reports", "report_schema"]
