"""Build the plan (contract §7) of one period: read and check the inputs, query the store
once, suppress the counts of persons, and project every scenario."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from innsatstrapp.catalog import Catalog
from innsatstrapp.errors import InputFileError, MetricError, Problem, UsageError
from innsatstrapp.kostra.compare import municipality_for
from innsatstrapp.metrics import frame, movement
from innsatstrapp.metrics.build import decided_month
from innsatstrapp.model.base import load, replace
from innsatstrapp.model.plan import Inputs, MatrixRow, Plan, PopulationYear, PyramidRow, RateRow
from innsatstrapp.period import Period
from innsatstrapp.plan import disclose, figures
from innsatstrapp.plan.accounts import StepAccount, read_accounts
from innsatstrapp.plan.comparison import read_comparison
from innsatstrapp.plan.own import comparison_steps, own_figures
from innsatstrapp.plan.population import Population, read_population
from innsatstrapp.plan.project import CELLS, GENDERS, Basis, band, project
from innsatstrapp.plan.scenarios import Scenario, read_scenarios
from innsatstrapp.store import DEFAULT_DB, Store, require
from innsatstrapp.store.kostra import figures as kostra_figures
from innsatstrapp.text import listing

DEFAULT_TO = 2040


@dataclass(frozen=True)
class Built:
    """The published plan and the raw basis the dashboard projects new scenarios from."""

    plan: Plan
    basis: Basis
    scenarios: tuple[Scenario, ...]
    municipality: str | None = None  # the comparison's, when a comparison file is given


def build_plan(catalog: Catalog, period: Period | str, population: Path, *,
               accounts: Path | None = None, scenarios: Path | None = None,
               alternative: str = "MMMM", to_year: int = DEFAULT_TO, suppress: int = 5,
               db: Path | str = DEFAULT_DB, comparison: Path | None = None,
               municipality: str | None = None) -> Built:
    """Every figure of §7 for `period`, and the own figures beside KOSTRA's (§8) when a
    comparison file is given; input files are checked before the store is read."""
    import ibis

    if suppress < 0:
        raise MetricError("--suppress må være 0 eller større.")
    db, period = Path(db), str(Period.of(period))  # its text: the key of the stored rows
    with Store.open(db, read_only=True) as store:
        extracts = {x.period: x for x in store.periods()}
        as_of = require(extracts, period, db).as_of
        base = as_of.year
        if to_year < base:
            raise UsageError(f"--to {to_year} er før basisåret {base} (året for telledatoen "
                             f"til {period}).")
        years = range(base, to_year + 1)
        pop = read_population(population, alternative, years)
        steps_cost = read_accounts(accounts, catalog) if accounts else {}
        chosen = read_scenarios(scenarios, catalog) if scenarios else []
        rules = read_comparison(comparison, catalog) if comparison else []
        con = ibis.duckdb.from_connection(store.con)
        d = con.create_table("plan_frame", frame.decisions(con, [period], catalog), temp=True)
        m = {r["step"]: r for r in frame.rows(con, figures.step_matrix(d))}
        people = movement.persons(d)
        by_age = frame.rows(con, figures.step_users_by_age(d, people))
        if not m and not frame.rows(con, d.filter(d.step.notnull()).limit(1)):
            raise MetricError(f"Katalogen «{catalog.file_name}» passer ikke til uttrekket for "
                              f"{period}: ingen av tjenestene i katalogen finnes i "
                              f"uttrekket. Lag en ny med «innsatstrapp catalog template».")
        month = decided_month(con, catalog, period, suppress, extracts, db)
        code = municipality_for(store, municipality, period) if comparison else None
        if code is not None and rules:
            kostra_rows = kostra_figures(store)
            bits = comparison_steps(rules, catalog.steps)
            persons = {(r["pattern"], r["age_band"], r["gender"]): r["users"]
                       for r in frame.rows(con, figures.step_patterns(d, people, bits))}
    known = np.zeros((len(catalog.steps), len(CELLS)))
    step_index = {s.name: i for i, s in enumerate(catalog.steps)}
    cell_index = {c: k for k, c in enumerate(CELLS)}
    for r in by_age:
        known[step_index[r["step"]], cell_index[(r["age_band"], r["gender"])]] = r["users"]
    people_by_cell = _cells(pop, years)
    _check_population(pop, catalog, known, people_by_cell[0], base)

    matrix = [_matrix_row(s, m.get(s.name), steps_cost.get(s.name)) for s in catalog.steps]
    rates = [{"step": s.name, "age_band": b, "gender": g,
              "users": int(known[i, k]), "population": _num(people_by_cell[0, k]),
              "per_1000": (float(known[i, k] / people_by_cell[0, k] * 1000)
                           if people_by_cell[0, k] > 0 else None), "suppressed": []}
             for i, s in enumerate(catalog.steps) for k, (b, g) in enumerate(CELLS)]
    users_now = np.array([float(r["users"]) for r in matrix])
    per_user = {f: np.array([np.nan if r[f] is None else r[f] for r in matrix])
                for f in ("cost_per_user", "fte_per_user")}
    ladder = [s for s in catalog.steps if s.on_staircase]
    top = max(ladder, key=lambda s: s.order).name if ladder else None
    disclose.matrix(matrix, suppress, month)
    disclose.rates(rates, matrix, suppress, month, top)
    own = own_figures(rules, persons, bits, catalog_steps=catalog.steps, municipality=code,
                      kostra_rows=kostra_rows, base_cells=people_by_cell[0],
                      accounts=steps_cost, matrix=matrix, rates=rates, month=month,
                      threshold=suppress, as_of=as_of, population_file=pop.file_name
                      ) if code is not None and rules else None

    basis = Basis(steps=tuple(s.name for s in catalog.steps), years=tuple(years),
                  users=users_now, known=known, population=people_by_cell,
                  cost_per_user=per_user["cost_per_user"], fte_per_user=per_user["fte_per_user"])
    plan = Plan(
        period=period, as_of=as_of, base_year=base, to_year=to_year,
        alternative=pop.alternative, suppress=suppress,
        inputs=Inputs(population=pop.file_name, catalog=catalog.file_name,
                      accounts=Path(accounts).name if accounts else None,
                      scenarios=Path(scenarios).name if scenarios else None,
                      comparison=Path(comparison).name if comparison else None),
        population=_population(pop, years), pyramid=_pyramid(pop, (base, to_year)),
        matrix=[load(MatrixRow, r) for r in matrix],
        rates=[load(RateRow, r) for r in rates],
        scenarios=project(basis, chosen), kostra=own)
    return Built(plan, basis, tuple(chosen), code)


def _num(value: float) -> int | float:
    """Whole numbers as integers in the JSON (SSB's counts are whole)."""
    return int(value) if float(value).is_integer() else float(value)


def _matrix_row(step, row: dict | None, account: StepAccount | None) -> dict:
    services = int(row["services"]) if row else 0
    users = int(row["users"]) if row else 0
    cost = account.cost if account else None
    fte = account.fte if account else None

    def per(total: float | None, count: int) -> float | None:
        return total / count if total is not None and count else None

    return {"step": step.name, "order": step.order, "category": step.category,
            "services": services, "users": users,
            "approved_hours": row["approved_hours"] if row else None,
            "cost": cost, "fte": fte, "cost_per_user": per(cost, users),
            "fte_per_user": per(fte, users), "cost_per_service": per(cost, services),
            "suppressed": []}


def _cells(pop: Population, years: range) -> np.ndarray:
    """[Y, K] persons per year and band × gender cell."""
    out = np.zeros((len(years), len(CELLS)))
    first = years[0]
    index = {c: k for k, c in enumerate(CELLS)}
    for (year, age, gender), persons in pop.persons.items():
        if year in years:
            out[year - first, index[(band(age), gender)]] += persons
    return out


def _check_population(pop: Population, catalog: Catalog, known: np.ndarray,
                      base_cells: np.ndarray, base: int) -> None:
    """Users in a band and gender with no population cannot be turned into a rate."""
    problems = [
        Problem(None, None, None, f"ingen personer i aldersgruppen {b} år, kjønn {g}, "
                f"1. januar {base}, men " + _steps_text([
                    catalog.steps[i].name for i in range(len(catalog.steps))
                    if known[i, k] > 0]) + " brukere i gruppen. Sjekk at filen har alle "
                "aldre og begge kjønn")
        for k, (b, g) in enumerate(CELLS) if base_cells[k] == 0 and known[:, k].any()]
    if problems:
        raise InputFileError(pop.file_name, problems, what="Befolkningsfilen")


def _steps_text(names: list[str]) -> str:
    joined = listing([f"«{n}»" for n in names])
    return f"{'trinnet' if len(names) == 1 else 'trinnene'} {joined} har"


def _population(pop: Population, years: range) -> list[PopulationYear]:
    totals = {y: [0.0, 0.0, 0.0] for y in years}
    for (year, age, _), persons in pop.persons.items():
        if year in totals:
            t = totals[year]
            t[0] += persons
            t[1] += persons if age >= 67 else 0
            t[2] += persons if age >= 80 else 0
    return [PopulationYear(year=y, total=_num(t[0]), age_67_plus=_num(t[1]),
                           age_80_plus=_num(t[2])) for y, t in totals.items()]


def _pyramid(pop: Population, years: tuple[int, int]) -> list[PyramidRow]:
    groups = [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]
    sums = {(y, g, s): 0.0 for y in dict.fromkeys(years) for g in groups for s in GENDERS}
    for (year, age, gender), persons in pop.persons.items():
        if year in years:
            sums[(year, groups[min(age // 5, 18)], gender)] += persons
    return [PyramidRow(year=y, age_group=g, gender=s, persons=_num(v))
            for (y, g, s), v in sums.items()]


def with_scenarios(built: Built, scenarios: list[Scenario]) -> Built:
    """The same plan with other scenarios (the dashboard's edits): only the projection is
    computed again, from the basis, without the store."""
    plan = replace(built.plan, scenarios=project(built.basis, scenarios))
    return Built(plan, built.basis, tuple(scenarios), built.municipality)


def find_inputs(folder: Path) -> dict[str, Path]:
    """befolkning, regnskap, scenarier and sammenligning (CSV or XLSX) in `folder`, where the
    demo and `plan template` put them; the population is required, the others when
    present."""
    names = {"population": "befolkning", "accounts": "regnskap", "scenarios": "scenarier",
             "comparison": "sammenligning"}
    found = {}
    for key, stem in names.items():
        for suffix in (".xlsx", ".csv"):
            if (folder / f"{stem}{suffix}").is_file():
                found[key] = folder / f"{stem}{suffix}"
                break
    return found
