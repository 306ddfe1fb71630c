"""Every figure of the report as Ibis expressions over the store, with period as a dimension."""

from innsatstrapp.metrics.build import build_report, headline_history
from innsatstrapp.metrics.model import Report, report_schema

__all__ = ["Report", "build_report", "headline_history", "report_schema"]
