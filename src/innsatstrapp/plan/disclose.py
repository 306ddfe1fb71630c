"""Suppression of the plan's counts of persons (contract §5, §7), consistent with the report.

The matrix's services and users per step are the report's step figures for the same month,
so they take the status the month's report decided (`metrics.publish`): a figure is never
shown in one and withheld in the other. Derived figures follow what they give back: cost per
user reveals users (the cost is public), the step's hours are the sum of its services'
hours, a rate per 1 000 reveals users (the population is public).

Rates: each step's users per age band and gender are decided by `disclosure.plan` (the step's
users as the month shows them, the sum of the cells). On the top step of the staircase the
rates are exactly the report's persons by level and age, so they take those statuses
instead.
"""

from __future__ import annotations

from innsatstrapp.disclosure.plan import decide_step_cells
from innsatstrapp.model.base import replace
from innsatstrapp.model.plan import Plan, ScenarioYear, StepYear
from innsatstrapp.rounding import whole


def matrix(rows: list[dict], n: int, month: dict | None) -> None:
    """Withhold in place; `month` is the whole municipality's decided report (None: n = 0)."""
    if not n:
        return
    steps = {r["step"]: r for r in (month or {}).get("steps", [])}
    hidden_hours = {s["step"] for s in (month or {}).get("services", [])
                    if "approved_hours" in s["suppressed"]}
    for row in rows:
        decided = steps.get(row["step"])
        for field in ("services", "users"):
            if (decided is not None and field in decided["suppressed"]) or (
                    decided is None and 0 < (row[field] or 0) < n):
                _hide(row, field)
        if row["approved_hours"] is not None and (
                row["users"] is None or 0 < row["users"] < n or row["step"] in hidden_hours):
            _hide(row, "approved_hours")
        # derived figures follow what they give back; a figure that is null anyway (no
        # accounts) is not withheld, it is missing
        if row["users"] is None:
            for field in ("cost_per_user", "fte_per_user"):
                if row[field] is not None:
                    _hide(row, field)
        if row["services"] is None and row["cost_per_service"] is not None:
            _hide(row, "cost_per_service")


def rates(rows: list[dict], matrix_rows: list[dict], n: int, month: dict | None,
          top: str | None) -> None:
    """Withhold users and per 1 000 in place, step by step (see the module's docstring)."""
    if not n:
        return
    shown = {r["step"]: r["users"] is not None for r in matrix_rows}
    levels = {(a["age_band"], a["gender"]): a["persons_by_level"]
              for a in (month or {}).get("by_age", [])}
    by_step: dict[str, list[dict]] = {}
    for row in rows:
        by_step.setdefault(row["step"], []).append(row)
    for step, cells in by_step.items():
        if step == top and levels:
            withheld = [c for c in cells if (c["age_band"], c["gender"]) in levels
                        and step in levels[(c["age_band"], c["gender"])]
                        and levels[(c["age_band"], c["gender"])][step] is None]
        else:
            keys = {(c["age_band"], c["gender"]): c for c in cells}
            hidden = decide_step_cells({k: c["users"] for k, c in keys.items()}, n,
                                       shown.get(step, False))
            withheld = [keys[k] for k in hidden]
        for c in withheld:
            _hide(c, "users")
            _hide(c, "per_1000")


def published(plan: Plan) -> Plan:
    """The plan as HTML, Excel, PowerPoint and the dashboard show it: projections rounded
    (whole persons, NOK thousands, FTE to one decimal), so that the unrounded series cannot
    be solved back to withheld rates, and the base year withheld where it is today's
    withheld count (the base year of «Uendret praksis» reproduces today exactly, and a
    scenario's base year differs from it only by a public share). plan.json stays exact."""
    hidden = {r.step for r in plan.matrix if "users" in r.suppressed}

    def rounded(value: float | None, digits: int) -> float | None:
        return None if value is None else round(value, digits)

    def users(value: float) -> float:  # a whole number, but a float as the model says
        return float(whole(value))

    scenarios = []
    for rows in plan.scenarios:
        years = []
        for y in rows.years:
            base = y.year == plan.base_year
            steps = [StepYear(step=s.step,
                              users=None if base and s.step in hidden else users(s.users),
                              cost=rounded(s.cost, -3), fte=rounded(s.fte, 1),
                              suppressed=["users"] if base and s.step in hidden else [])
                     for s in y.steps]
            withheld = base and bool(hidden)  # the total minus the shown steps
            years.append(ScenarioYear(
                year=y.year, steps=steps, users=None if withheld else users(y.users),
                cost=rounded(y.cost, -3), fte=rounded(y.fte, 1),
                suppressed=["users", *sorted(hidden)] if withheld else []))
        scenarios.append(replace(rows, years=years))
    return replace(plan, scenarios=scenarios)


def _hide(row: dict, field: str) -> None:
    row[field] = None
    if field not in row["suppressed"]:
        row["suppressed"].append(field)
