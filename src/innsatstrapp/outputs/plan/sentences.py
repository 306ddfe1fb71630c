"""Sentences generated from the plan's figures, the same in HTML, slides and the dashboard.

Projected figures are model results: persons are rounded to whole persons, money to NOK
(shown in millions in prose, in thousands in tables), FTE to one decimal."""

from __future__ import annotations

from innsatstrapp.model.plan import Plan, ScenarioRows, ScenarioYear
from innsatstrapp.outputs import format as f
from innsatstrapp.text import listing


def year_of(rows: ScenarioRows, year: int) -> ScenarioYear:
    return next(y for y in rows.years if y.year == year)


def step_users(rows: ScenarioRows, year: int) -> dict[str, float | None]:
    return {s.step: s.users for s in year_of(rows, year).steps}


def millions(value: float | None) -> str:
    """`1 323,3 mill. kr`."""
    return "–" if value is None else f"{f.decimal(value / 1e6, 1)} mill. kr"


def change_pct(now: float, then: float) -> float | None:
    return (now - then) / then * 100 if then else None


def population(plan: Plan) -> list[str]:
    first, last = plan.population[0], plan.population[-1]
    out = []
    for field, label in (("age_80_plus", "80 år og eldre"), ("age_67_plus", "67 år og eldre")):
        a, b = getattr(first, field), getattr(last, field)
        pct = change_pct(b, a)
        more = f" ({f.signed_percent(pct)})" if pct is not None else ""
        out.append(f"Antall innbyggere {label} går fra {f.integer(a)} i {first.year} til "
                   f"{f.integer(b)} i {last.year}{more}.")
    return out


def baseline(plan: Plan, steps: int = 3) -> list[str]:
    """The steps that grow most with today's practice, and the cost of the steps with
    accounts."""
    base = plan.scenarios[0]
    now, then = step_users(base, plan.to_year), step_users(base, plan.base_year)
    order = {r.step: r.order for r in plan.matrix}
    # a step whose users today are withheld is left out: its change would give them back
    growing = sorted((s for s in now if then[s] is not None and now[s] is not None
                      and then[s] >= 0.5 and now[s] - then[s] >= 0.5),
                     key=lambda s: (-(now[s] - then[s]), order[s]))[:steps]
    out = []
    for s in sorted(growing, key=lambda s: order[s]):
        pct = change_pct(now[s], then[s])
        out.append(f"Med uendret praksis trengs {f.integer(now[s])} brukere på {s} i "
                   f"{plan.to_year}, {f.percent(abs(pct or 0), 0)} "
                   f"{'flere' if now[s] >= then[s] else 'færre'} enn i dag.")
    a, b = year_of(base, plan.base_year), year_of(base, plan.to_year)
    if a.cost is not None and b.cost is not None:
        out.append(f"Kostnaden på trinnene med regnskap går fra {millions(a.cost)} i "
                   f"{plan.base_year} til {millions(b.cost)} i {plan.to_year} med uendret "
                   f"praksis (i dagens kroner).")
    if a.fte is not None and b.fte is not None:
        out.append(f"Det trengs {f.decimal(b.fte, 1)} årsverk i {plan.to_year}, "
                   f"{f.signed(b.fte - a.fte, 1)} fra {plan.base_year}.")
    return out


def scenario(plan: Plan, rows: ScenarioRows) -> list[str]:
    """What a scenario changes in the last year compared with today's practice."""
    base = plan.scenarios[0]
    a, b = year_of(base, plan.to_year), year_of(rows, plan.to_year)
    mine, theirs = step_users(rows, plan.to_year), step_users(base, plan.to_year)
    moved = [s for s in mine if mine[s] is not None and theirs[s] is not None
             and abs(mine[s] - theirs[s]) >= 0.5]
    if not moved:
        return [f"«{rows.scenario}» endrer ingenting i {plan.to_year}."]
    parts = [f"{f.integer(abs(mine[s] - theirs[s]))} "
             f"{'flere' if mine[s] > theirs[s] else 'færre'} på {s}" for s in moved]
    text = (f"«{rows.scenario}» gir i {plan.to_year} " + listing(parts)
            + " enn uendret praksis")
    if a.cost is not None and b.cost is not None and abs(b.cost - a.cost) >= 500:
        diff = b.cost - a.cost
        text += (f", og {millions(abs(diff))} {'høyere' if diff > 0 else 'lavere'} "
                 f"kostnad")
    return [text + "."]


def all_sentences(plan: Plan) -> list[str]:
    return [*population(plan), *baseline(plan),
            *(s for rows in plan.scenarios[1:] for s in scenario(plan, rows))]
