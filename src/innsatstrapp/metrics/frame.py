"""The one table every metric starts from: decisions of some periods, with the contract's
definitions (active, new, ended at the period's D) and the catalog joined on.

Everything is an Ibis expression with `period` as a column, so one query computes a figure
for many periods, on DuckDB or any other Ibis backend.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from innsatstrapp.catalog import Catalog
from innsatstrapp.metrics.mapped import CATALOG_COLUMNS, catalog_rows
from innsatstrapp.model.report import HOME_NURSING, LONG_TERM, NO_UNIT  # noqa: F401 (re-exported)

BY = ["period", "unit_scope"]  # every figure is grouped by these first
HOURS = "decimal(18, 4)"  # at most 1 000 hours (ingest) × millions of decisions


def catalog_table(catalog: Catalog) -> ir.Table:
    """The catalog's mapped services as an in-memory table."""
    rows = catalog_rows(catalog)
    types = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BOOLEAN": pa.bool_()}
    return ibis.memtable(pa.table({
        name: pa.array([r[i] for r in rows], types[t])
        for i, (name, t) in enumerate(CATALOG_COLUMNS)}))


def decisions(con: ibis.BaseBackend, periods: list[str] | ir.Column, catalog: Catalog | ir.Table,
              by_unit: bool = False) -> ir.Table:
    """Decision rows of `periods` with as_of (D), flags and the catalog's group/step/role.

    `periods` and `catalog` may also be tables of the connection (a column of periods; the
    catalog as `catalog_table` gives it), so that one compiled statement serves any.
    `unit_scope` is null for the whole municipality; with `by_unit` every row appears a
    second time with its unit (NO_UNIT when it has none) as scope, so one query computes
    the whole and every unit."""
    d = con.table("decisions")
    x = con.table("extracts").select("period", "as_of")
    d = d.filter(d.period.isin(periods)).join(x, "period")
    month_start = d.as_of.truncate("M")  # M: D always lies in its period's month
    d = d.mutate(
        # hours as exact decimals (to 1/10 000 hour): a sum of floats depends on the order
        # the engine adds them in, which varies between runs; a decimal sum does not. A value
        # no decimal holds (∞, stored by a version before ingest refused it) counts as none.
        hours_per_week=d.hours_per_week.try_cast(HOURS),
        resource_hours_per_week=d.resource_hours_per_week.try_cast(HOURS),
        active=(d.start_date <= d.as_of) & (d.end_date.isnull() | (d.end_date >= d.as_of)),
        new=(d.start_date >= month_start) & (d.start_date <= d.as_of),
        ended=d.end_date.notnull() & (d.end_date >= month_start) & (d.end_date <= d.as_of),
        days=d.as_of.delta(d.start_date, unit="day"),
    )
    steps = catalog_table(catalog) if isinstance(catalog, Catalog) else catalog
    d = d.left_join(steps, "service").drop("service_right")
    whole = d.mutate(unit_scope=ibis.null(str))
    if not by_unit:
        return whole
    return whole.union(d.mutate(unit_scope=d.unit.fill_null(NO_UNIT)))


def rows(con: ibis.BaseBackend, expr: ir.Table) -> list[dict]:
    """Run an expression; results are small (per period × step/group/service)."""
    t = con.to_pyarrow(expr)
    return t.cast(pa.schema([pa.field(f.name, pa.float64()) if pa.types.is_decimal(f.type)
                             else f for f in t.schema])).to_pylist()
