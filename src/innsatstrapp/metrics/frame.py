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
from innsatstrapp.metrics.model import NO_UNIT

HOME_NURSING = "hjemmesykepleie"
LONG_TERM = "langtidsopphold"
BY = ["period", "unit_scope"]  # every figure is grouped by these first


def catalog_table(catalog: Catalog) -> ir.Table:
    """Mapped services only: a service without a step counts as unmapped."""
    mapped = catalog.mapped
    order = {s.name: s.order for s in catalog.steps}
    ladder = {s.name: s.on_staircase for s in catalog.steps}
    return ibis.memtable(pa.table({
        "service": pa.array([s.name for s in mapped], pa.string()),
        "group": pa.array([s.group for s in mapped], pa.string()),
        "step": pa.array([s.step for s in mapped], pa.string()),
        "step_order": pa.array([order[s.step] for s in mapped], pa.int32()),
        "role": pa.array([s.role for s in mapped], pa.string()),
        "on_staircase": pa.array([ladder[s.step] for s in mapped], pa.bool_()),
    }))


def decisions(con: ibis.BaseBackend, periods: list[str], catalog: Catalog,
              by_unit: bool = False) -> ir.Table:
    """Decision rows of `periods` with as_of (D), flags and the catalog's group/step/role.

    `unit_scope` is null for the whole municipality; with `by_unit` every row appears a
    second time with its unit (NO_UNIT when it has none) as scope, so one query computes
    the whole and every unit."""
    d = con.table("decisions")
    x = con.table("extracts").select("period", "as_of")
    d = d.filter(d.period.isin(periods)).join(x, "period")
    month_start = d.as_of.truncate("M")  # M: D always lies in its period's month
    d = d.mutate(
        active=(d.start_date <= d.as_of) & (d.end_date.isnull() | (d.end_date >= d.as_of)),
        new=(d.start_date >= month_start) & (d.start_date <= d.as_of),
        ended=d.end_date.notnull() & (d.end_date >= month_start) & (d.end_date <= d.as_of),
        days=d.as_of.delta(d.start_date, unit="day"),
    )
    d = d.left_join(catalog_table(catalog), "service").drop("service_right")
    whole = d.mutate(unit_scope=ibis.null(str))
    if not by_unit:
        return whole
    return whole.union(d.mutate(unit_scope=d.unit.fill_null(NO_UNIT)))


def rows(con: ibis.BaseBackend, expr: ir.Table) -> list[dict]:
    """Run an expression; results are small (per period × step/group/service)."""
    return con.to_pyarrow(expr).to_pylist()
