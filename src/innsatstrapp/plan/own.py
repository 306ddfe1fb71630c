"""The plan's own figures beside KOSTRA's (contract §8): coverage of an age group
on some steps, and cost per user of some steps, computed from the store, the population
file and the accounts, each with how it is computed and how that differs from KOSTRA's
definition, so nobody reads a difference of definitions as a difference of practice."""

from __future__ import annotations

import datetime as dt

import numpy as np

from innsatstrapp.catalog import Step
from innsatstrapp.disclosure.plan import counted, decide_union_figures
from innsatstrapp.kostra.compare import indicators
from innsatstrapp.model.plan import OwnFigure, PlanKostra
from innsatstrapp.plan.accounts import StepAccount
from innsatstrapp.plan.comparison import COST, PER_1000, SHARE, Rule
from innsatstrapp.plan.project import CELLS
from innsatstrapp.text import age_words, listing


def comparison_steps(rules: list[Rule], steps: tuple[Step, ...]) -> list[str]:
    """Every step some rule counts, in the order the rules name them, then every staircase
    step above the lowest of them (a bit each): a person's level (highest staircase step),
    which the month publishes per age band, needs them to be told."""
    named = list(dict.fromkeys(s for r in rules for s in r.steps))
    ladder = {s.name: s.order for s in steps if s.on_staircase}
    lowest = min((ladder[s] for s in named if s in ladder), default=None)
    above = [s.name for s in steps if lowest is not None and s.name in ladder
             and ladder[s.name] > lowest and s.name not in named]
    return named + above


def own_figures(rules: list[Rule], persons: dict[tuple[int, str, str], int],
                steps: list[str], *,
                catalog_steps: tuple[Step, ...], municipality: str, kostra_rows: list[dict],
                base_cells: np.ndarray, accounts: dict[str, StepAccount], matrix: list[dict],
                rates: list[dict], month: dict | None, threshold: int, as_of: dt.date,
                population_file: str) -> PlanKostra:
    """One figure per rule; `persons` are `figures.step_patterns`'s rows over `steps`
    (`comparison_steps`, bit i for steps[i]), keyed by (pattern, band, gender); `matrix`
    and `rates` the plan's rows as published (their `suppressed` decided), `month` the
    month's decided figures (None: no suppression), `base_cells` the population per band ×
    gender cell on 1 January of B."""
    bit = {s: 1 << i for i, s in enumerate(steps)}
    published = {i.indicator.lower(): i for i in indicators(kostra_rows, municipality)}
    shapes = {k: (sum(bit[s] for s in rule.steps),
                  None if rule.computation == COST else frozenset(rule.bands))
              for k, rule in enumerate(rules)}
    month = month or {}
    withheld = decide_union_figures(
        persons, steps, staircase={s.name: s.order for s in catalog_steps if s.on_staircase},
        cells_withheld={(r["step"], r["age_band"], r["gender"]) for r in rates
                        if "users" in r["suppressed"]},
        totals_shown={r["step"]: r["users"] is not None for r in matrix},
        levels={(step, a["age_band"], a["gender"]): v is not None
                for a in month.get("by_age", []) for step, v in a["persons_by_level"].items()},
        level_totals={r["step"]: "persons" not in r["suppressed"]
                      for r in month.get("levels", [])},
        figures=shapes, threshold=threshold)
    out = []
    for k, rule in enumerate(rules):
        users = sum(v for cell, v in persons.items() if counted(cell, *shapes[k]))
        if rule.computation == COST:
            costs = [accounts[s].cost if s in accounts else None for s in rule.steps]
            missing = [s for s, c in zip(rule.steps, costs, strict=True) if c is None]
            denominator = None if missing else float(sum(costs))
            value = denominator / users if denominator is not None and users else None
        else:
            missing = []
            denominator = float(sum(base_cells[i] for i, (b, _) in enumerate(CELLS)
                                    if b in rule.bands))
            scale = 100 if rule.computation == SHARE else 1000
            value = users / denominator * scale if denominator else None
        hide = k in withheld
        out.append(OwnFigure(
            indicator=rule.indicator, computation=rule.computation, steps=list(rule.steps),
            ages=rule.ages, users=None if hide else users, denominator=denominator,
            value=None if hide else value, suppressed=["users", "value"] if hide else [],
            definition=definition(rule, as_of, population_file, missing),
            differs=DIFFERS[rule.computation],
            kostra=published.get(rule.indicator.lower())))
    return PlanKostra(municipality=municipality, figures=out)


def step_list(steps: tuple[str, ...] | list[str], word: str = "eller") -> str:
    """«Trinn 2» eller «Trinn 3», as a sentence names them."""
    return listing([f"«{s}»" for s in steps], word)


def definition(rule: Rule, as_of: dt.date, population_file: str, missing: list[str]) -> str:
    """How the figure is computed, in words a reader of the plan checks it by."""
    date = as_of.strftime("%d.%m.%Y")
    on = f"med vedtak på {step_list(rule.steps)} {date} (telt én gang)"
    if rule.computation == COST:
        text = f"Regnskapsfilens kostnad for {step_list(rule.steps, 'og')} delt på personene {on}."
        if missing:
            text += (f" Regnskapsfilen har ingen kostnad for {step_list(missing, 'og')}, så "
                     f"tallet mangler.")
        return text
    ages, year = age_words(rule.ages), as_of.year
    unit = "i prosent av" if rule.computation == SHARE else "per 1 000 av"
    return (f"Personer {ages} 1. januar {year} {on}, {unit} innbyggerne {ages} 1. januar "
            f"{year} i befolkningsfilen «{population_file}». Personer uten kjent alder eller "
            f"kjønn er ikke med.")


DIFFERS = {
    SHARE: "KOSTRA teller mottakerne og innbyggerne 31.12, med alderen ved årets slutt, og "
           "avgrenser tjenestene etter IPLOS; her telles vedtakene på uttrekkets dato, "
           "alderen 1. januar og tjenestene på katalogens trinn.",
    COST: "KOSTRA deler korrigerte brutto driftsutgifter for hele året (utgiftene uten blant "
          "annet refusjoner og salg til andre kommuner) på mottakerne 31.12; her deles "
          "regnskapsfilens kostnad på brukerne på uttrekkets dato.",
}
DIFFERS[PER_1000] = DIFFERS[SHARE]
