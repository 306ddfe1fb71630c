"""The projection (contract §7) with arrays: today's users per step, age band and gender,
divided by the population of the base year, times the population of each later year.

Everything the scenarios need is in a `Basis`, so the dashboard can change a scenario and
project again in milliseconds without touching the store."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from innsatstrapp.model.plan import ScenarioRows, ScenarioYear, ShiftRow, StepYear
from innsatstrapp.model.report import AGE_BANDS
from innsatstrapp.plan.scenarios import BASELINE, Scenario

GENDERS = ("K", "M")
CELLS = [(band, gender) for band in AGE_BANDS for gender in GENDERS]  # the K axis below
_UPPER = {"0-17": 17, "18-49": 49, "50-66": 66, "67-74": 74, "75-79": 79, "80-84": 84,
          "85-89": 89, "90+": 10_000}


def band(age: int) -> str:
    """§6's age band of an age on 1 January."""
    return next(b for b in AGE_BANDS if age <= _UPPER[b])


@dataclass(frozen=True)
class Basis:
    """Raw (unsuppressed) inputs of the projection; never published as such."""

    steps: tuple[str, ...]
    years: tuple[int, ...]  # base year … to year
    users: np.ndarray  # [S] users per step at D
    known: np.ndarray  # [S, K] users of known age and gender per step and cell
    population: np.ndarray  # [Y, K] persons per year and cell
    cost_per_user: np.ndarray  # [S], nan = none
    fte_per_user: np.ndarray  # [S], nan = none

    def baseline(self) -> np.ndarray:
        """[Y, S] users with today's rates: scale × Σ rate × population; a step with no user
        of known age and gender keeps today's users."""
        base = self.population[0]
        rate = np.divide(self.known, base, out=np.zeros_like(self.known, dtype=float),
                         where=base > 0)
        known_total = self.known.sum(axis=1)
        scale = np.divide(self.users, known_total, out=np.zeros(len(self.steps)),
                          where=known_total > 0)
        projected = (self.population @ rate.T) * scale
        return np.where(known_total > 0, projected, self.users.astype(float))

    def shifted(self, baseline: np.ndarray, scenario: Scenario) -> np.ndarray:
        """[Y, S] users with the scenario's shifts, each taken from the baseline."""
        out = baseline.copy()
        index = {s: i for i, s in enumerate(self.steps)}
        for shift in scenario.shifts:
            fraction = np.array([shift.fraction(y) for y in self.years])
            moved = fraction * baseline[:, index[shift.source]]
            out[:, index[shift.source]] -= moved
            out[:, index[shift.target]] += moved
        return out


def project(basis: Basis, scenarios: list[Scenario]) -> list[ScenarioRows]:
    """«Uendret praksis» and then every scenario, for every year."""
    baseline = basis.baseline()
    out = [_rows(basis, BASELINE, (), baseline)]
    for scenario in scenarios:
        out.append(_rows(basis, scenario.name, scenario.shifts,
                         basis.shifted(baseline, scenario)))
    return out


def _money(users: np.ndarray, per_user: np.ndarray) -> tuple[list, float | None]:
    """Per step (None where the step has no per-user figure) and the sum over those that do."""
    has = ~np.isnan(per_user)
    values = users * np.where(has, per_user, 0.0)
    return ([float(v) if h else None for v, h in zip(values, has, strict=True)],
            float(values[has].sum()) if has.any() else None)


def _rows(basis: Basis, name: str, shifts: tuple, users: np.ndarray) -> ScenarioRows:
    years = []
    for i, year in enumerate(basis.years):
        cost, cost_total = _money(users[i], basis.cost_per_user)
        fte, fte_total = _money(users[i], basis.fte_per_user)
        steps = [StepYear(step=s, users=float(users[i, j]), cost=cost[j], fte=fte[j])
                 for j, s in enumerate(basis.steps)]
        years.append(ScenarioYear(year=year, steps=steps, users=float(users[i].sum()),
                                  cost=cost_total, fte=fte_total))
    return ScenarioRows(scenario=name, years=years, shifts=[
        ShiftRow(from_step=s.source, to_step=s.target, share=s.share, start_year=s.start,
                 full_year=s.full) for s in shifts])
