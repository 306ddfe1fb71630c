"""The catalog's mapped services as rows: what the frame (an Ibis table) and the compiled
statements (a temporary DuckDB table) both join the decisions on. Light on purpose: no Ibis."""

from __future__ import annotations

from innsatstrapp.catalog import Catalog


def catalog_rows(catalog: Catalog) -> list[tuple]:
    """Mapped services only (a service without a step counts as unmapped), as rows of
    CATALOG_COLUMNS."""
    order = {s.name: s.order for s in catalog.steps}
    ladder = {s.name: s.on_staircase for s in catalog.steps}
    return [(s.name, s.group, s.step, order[s.step], s.role, ladder[s.step])
            for s in catalog.mapped]


# the catalog as a table: (name, DuckDB type)
CATALOG_COLUMNS = (("service", "VARCHAR"), ("group", "VARCHAR"), ("step", "VARCHAR"),
                   ("step_order", "INTEGER"), ("role", "VARCHAR"), ("on_staircase", "BOOLEAN"))
