"""The dashboard: FastAPI + Jinja2 over the same metrics and report model as `report`."""

from innsatstrapp.web.app import create_app

__all__ = ["create_app"]
