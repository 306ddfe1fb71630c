"""A seeded synthetic municipality, «Fjordvik kommune», modelled on a real town of 48 000.

Every person, id and number here is made up. The demo feeds `innsatstrapp demo`, the tests and
the docs, so it has the quirks real extracts have: Profil-style CSV in Windows-1252 with `;`,
comma decimals and dd.mm.yyyy dates, one month as XLSX with other column names and typed
cells, a column that is not used (Saksbehandler), a service written with a trailing space,
a BPA decision with 0 hours and services that the catalog does not know. Every step holds
services, as a municipality would fill its staircase (the empty step is a fixture test's case).

The parts: the municipality (`municipality`), its extracts (`extracts`), the plan's inputs
(`plan_inputs`) and the run that puts them together (`build`).
"""

from innsatstrapp.demo.build import DemoResult, build_demo
from innsatstrapp.demo.extracts import generate, rows, write_csv, write_extracts, write_xlsx
from innsatstrapp.demo.municipality import (
    LAST_PERIOD,
    MUNICIPALITY,
    SERVICES,
    UNMAPPED,
    demo_catalog,
)

__all__ = ["LAST_PERIOD", "MUNICIPALITY", "SERVICES", "UNMAPPED", "DemoResult", "build_demo",
           "demo_catalog", "generate", "rows", "write_csv", "write_extracts", "write_xlsx"]
