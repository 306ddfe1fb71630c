"""Synthetic inputs of the plan for the demo and the benchmarks: a population projection in
SSB's export format (three alternatives), accounts per step and scenarios.

The population is a smooth pyramid with a post-war bulge that reaches 80–89 by 2040 (as seed
002 shows), scaled so that no age band's users exceed a plausible share of its population.
Nothing here is real data."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from innsatstrapp.catalog import Catalog
from innsatstrapp.period import Period
from innsatstrapp.plan.project import CELLS, band

MAX_AGE = 105
# highest share of a band's population that may be users of one step (keeps rates plausible)
_CAP = {"0-17": 0.02, "18-49": 0.02, "50-66": 0.04, "67-74": 0.12, "75-79": 0.25,
        "80-84": 0.4, "85-89": 0.55, "90+": 0.7}
# mortality improvement per year: SSB's alternatives differ in life expectancy (the 3rd letter)
ALTERNATIVES = {"Hovedalternativet (MMMM)": 0.012, "Lav levealder (MMLM)": 0.006,
                "Høy levealder (MMHM)": 0.018}


def _survival(gender: str) -> np.ndarray:
    """Share of a cohort alive at each age (Gompertz): about 40 % of women and 28 % of men
    reach 90."""
    age = np.arange(MAX_AGE + 1, dtype=float)
    b, c = (0.000011, 0.1) if gender == "K" else (0.000016, 0.1)
    return np.exp(-b / c * (np.exp(c * age) - 1))


def _shape(gender: str) -> np.ndarray:
    """Relative persons per age: Gompertz survival, a bulge of those born after the war and
    the smaller cohorts before it."""
    age = np.arange(MAX_AGE + 1, dtype=float)
    bulge = 1 + 0.45 * np.exp(-(((age - 66) / 9) ** 2))  # the large post-war cohorts
    small = 1 - 0.45 / (1 + np.exp(-(age - 81) / 2.5))  # the small cohorts born before 1946
    return _survival(gender) * bulge * small


def population(users_by_cell: np.ndarray, base_year: int, to_year: int
               ) -> dict[str, dict[tuple[int, int, str], int]]:
    """Persons per (year, age, gender) for each alternative. `users_by_cell` [K]: the most
    users of any step in each band × gender cell, which the base year must comfortably hold."""
    out: dict[str, dict[tuple[int, int, str], int]] = {}
    shapes = {g: _shape(g) for g in ("K", "M")}
    scale = 0.0
    for k, (b, g) in enumerate(CELLS):
        in_band = sum(shapes[g][a] for a in range(MAX_AGE + 1) if band(a) == b)
        scale = max(scale, users_by_cell[k] / (_CAP[b] * in_band))
    scale = max(scale, 300.0)
    for name, improvement in ALTERNATIVES.items():
        persons: dict[tuple[int, int, str], int] = {}
        for g, shape in shapes.items():
            now = shape * scale
            alive = _survival(g)
            death = 1 - np.append(alive[1:] / alive[:-1], 0.0)  # yearly death risk by age
            for year in range(base_year, to_year + 1):
                for age in range(MAX_AGE + 1):
                    persons[(year, age, g)] = round(now[age])
                risk = death * (1 - improvement) ** (year - base_year + 1)
                survivors = now * (1 - risk)
                now = np.append(now[0] * 0.995, survivors[:-1])  # births fall a little
                now[-1] += survivors[-1]  # 105 or older
        out[name] = persons
    return out


def write_population(path: Path, projection: dict[str, dict[tuple[int, int, str], int]],
                     region: str = "9999 Demokommune") -> Path:
    """As SSB's statistics bank exports it: codes and labels, every alternative in one file."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL)
        w.writerow(["region", "kjønn", "alder", "statistikkvariabel", "år",
                    "Framskrevet folkemengde 1. januar"])
        for name, persons in projection.items():
            for (year, age, g), n in sorted(persons.items(), key=lambda x: (x[0][2], x[0][1],
                                                                         x[0][0])):
                label = f"{age} år eller eldre" if age == MAX_AGE else f"{age:03d} {age} år"
                w.writerow([region, "2 Kvinner" if g == "K" else "1 Menn", label, name, year, n])
    return path


def write_accounts(path: Path, catalog: Catalog, users: dict[str, int]) -> Path:
    """NOK and FTE per step, roughly as municipal accounts put them (a nursing-home place about
    five times a home-care user); «På tvers» is left without accounts on purpose."""
    per_user = {0: (6_000, 0.004), 1: (18_000, 0.02), 2: (60_000, 0.06), 3: (150_000, 0.15),
                4: (420_000, 0.45), 5: (600_000, 0.7), 6: (1_250_000, 1.3)}
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Trinn", "Kostnad", "Årsverk"])
        for step in catalog.steps:
            if users.get(step.name) and (step.on_staircase or step.name == "Boliger"):
                cost, fte = per_user.get(step.order, (90_000, 0.05))
                n = users[step.name]
                w.writerow([step.name, f"{cost * n:,.0f}".replace(",", " "),
                            f"{fte * n:.1f}".replace(".", ",")])
    return path


def write_scenarios(path: Path, base_year: int) -> Path:
    """Three scenarios the demo's steps make meaningful."""
    rows = [("Dreiing mot hjemmet", "Trinn 6", "Trinn 4", "15", base_year + 1, base_year + 6),
            ("Dreiing mot hjemmet", "Trinn 4", "Trinn 3", "10", base_year + 1, base_year + 6),
            ("Tidlig innsats", "Trinn 3", "Trinn 2", "10", base_year + 1, base_year + 4),
            ("Tidlig innsats", "Trinn 2", "Trinn 1", "10", base_year + 1, base_year + 4),
            ("Flere på sykehjem", "Trinn 4", "Trinn 6", "5", base_year + 2, base_year + 4)]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Scenario", "Fra trinn", "Til trinn", "Andel", "Startår", "Fullt år"])
        w.writerows(rows)
    return path


def write_comparison(path: Path, catalog: Catalog) -> Path:
    """The demo's own figures beside its KOSTRA tables: the home-based steps' coverage of
    inhabitants 80 and over, and their cost per user."""
    from innsatstrapp.demo.kostra_exports import INDICATORS

    (cost, *_), _, (share, *_) = INDICATORS
    home = [s.name for s in catalog.steps if s.category == "Hjemmebaserte tjenester"]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Indikator", "Beregning", "Trinn", "Alder"])
        w.writerows([share, "andel", step, "80+"] for step in home)
        w.writerows([cost, "kostnad per bruker", step, ""] for step in home)
    return path


def write_inputs(out_dir: Path, catalog: Catalog, period: Period | str, db: Path,
                 to_year: int = 2040) -> dict[str, Path]:
    """The four input files for a stored period, sized to its users (demo, benchmarks)."""
    import ibis

    from innsatstrapp.metrics import frame, movement
    from innsatstrapp.plan import figures
    from innsatstrapp.store import Store

    period = str(Period.of(period))
    with Store.open(db, read_only=True) as store:
        base = store.require(period).as_of.year
        con = ibis.duckdb.from_connection(store.con)
        d = frame.decisions(con, [period], catalog)
        by_age = frame.rows(con, figures.step_users_by_age(d, movement.persons(d)))
        users = {r["step"]: r["users"] for r in frame.rows(con, figures.step_matrix(d))}
    most = np.zeros(len(CELLS))
    index = {c: k for k, c in enumerate(CELLS)}
    for r in by_age:
        k = index[(r["age_band"], r["gender"])]
        most[k] = max(most[k], r["users"])
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "population": write_population(out_dir / "befolkning.csv",
                                       population(most, base, to_year)),
        "accounts": write_accounts(out_dir / "regnskap.csv", catalog, users),
        "scenarios": write_scenarios(out_dir / "scenarier.csv", base),
        "comparison": write_comparison(out_dir / "sammenligning.csv", catalog),
    }
