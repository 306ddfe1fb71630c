"""The demo's monthly extracts: a synthetic population, every decision it has over the
months, and each month written as the case system delivers it (Profil-style CSV, one month
as XLSX with other column names and typed cells)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from innsatstrapp.demo.municipality import (
    LAST_PERIOD,
    MUNICIPALITY_NUMBER,
    SERVICES,
    STEP_LEVEL,
    UNMAPPED,
    DemoService,
)
from innsatstrapp.period import Period

XLSX_MONTHS_BACK = 2  # which month is delivered as XLSX (counted back from the newest)


def _persons(rng: np.random.Generator, n: int, ref_year: int) -> dict[str, np.ndarray]:
    """Persons with age, gender and frailty; the old are frailer, and the frail get more."""
    group = rng.choice(3, size=n, p=[0.06, 0.22, 0.72])  # children, adults < 67, elderly
    age = np.where(group == 0, rng.integers(2, 18, n),
                   np.where(group == 1, rng.integers(18, 67, n),
                            np.clip(rng.normal(82, 7.5, n), 67, 104).astype(int)))
    frailty = np.clip((age - 60) / 40 + rng.normal(0, 0.25, n), 0, 1.2)
    gender = np.where(rng.random(n) < np.where(age >= 80, 0.64, 0.52), "K", "M")
    ids = rng.choice(np.arange(100_000, 999_999), size=n, replace=False)
    return {"id": ids, "birth_year": ref_year - age, "age": age, "gender": gender,
            "frailty": frailty}


def _weights(persons: dict[str, np.ndarray], svc: DemoService) -> np.ndarray:
    age, frailty = persons["age"], persons["frailty"]
    if svc.audience == "barn":
        w = (age < 18).astype(float)
    elif svc.audience == "fun":
        w = np.where(age < 67, 1.0, 0.08)
    elif svc.audience == "eldre":
        w = np.where(age >= 67, 1.0, 0.03)
    else:
        w = np.where(age >= 67, 1.0, 0.35)
    level = STEP_LEVEL.get(svc.step or "", 1)
    return w * np.exp(0.9 * level * frailty) + 1e-12


def _hours(rng: np.random.Generator, kind: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Approved and resource hours per week for n decisions (NaN where the kind has none)."""
    nan = np.full(n, np.nan)
    if kind == "hs":
        approved = np.maximum(np.round(np.minimum(rng.lognormal(np.log(1.5), 1.1, n), 70) * 4) / 4,
                              0.25)
        resource = np.round(approved * rng.lognormal(0.01, 0.18, n), 2)
        approved[rng.random(n) < 0.004] = np.nan  # a few decisions registered without hours
        return approved, resource
    params = {"pb": (0.6, 0.9, 20), "pbo": (5.0, 1.3, 120), "bpa": (45, 0.5, 168),
              "sk": (3.0, 0.5, 20), "avl": (8.0, 0.6, 60)}
    if kind not in params:
        return nan, nan
    median, sigma, cap = params[kind]
    approved = np.maximum(np.round(np.minimum(rng.lognormal(np.log(median), sigma, n), cap) * 4) / 4,
                          0.25)
    return approved, nan


def generate(seed: int = 2024, months: int = 24, last: Period = LAST_PERIOD) -> pa.Table:
    """All decisions of the demo municipality over time, one row each (clear synthetic ids)."""
    rng = np.random.default_rng(seed)
    first = last.shift(-(months - 1))
    persons = _persons(rng, 9_000, last.year)
    origin = dt.date(1990, 1, 1)
    day = lambda d: (d - origin).days  # noqa: E731
    first_d, last_d = day(first.first_day), day(last.last_day)
    late_start = day(first.shift(months // 2).first_day)
    parts = []
    for svc in SERVICES + UNMAPPED:
        window_start = first_d - 6 * svc.mean_days - 400
        if svc in UNMAPPED and svc.name.endswith("pilot"):
            window_start = late_start  # a new service, half-way through
        rate = svc.active / svc.mean_days
        n = rng.poisson(rate * (last_d + 60 - window_start))
        start = rng.integers(window_start, last_d + 60, n)
        shape = 1.4 if svc.time_limited else 1.0
        duration = np.maximum(1, rng.gamma(shape, svc.mean_days / shape, n)).astype(int)
        end = start + duration
        keep = end >= first_d - 200
        start, end = start[keep], end[keep]
        n = len(start)
        approved, resource = _hours(rng, svc.hours, n)
        w = _weights(persons, svc)
        who = rng.choice(len(w), size=n, p=w / w.sum())
        parts.append(pa.table({
            "service": pa.array([svc.name] * n, pa.string()),
            "start": pa.array(start, pa.int32()),
            "end": pa.array(end, pa.int32()),
            "time_limited": pa.array(np.full(n, svc.time_limited)),
            "hours": pa.array(approved, pa.float64(), from_pandas=True),
            "resource": pa.array(resource, pa.float64(), from_pandas=True),
            "unit": pa.array([svc.unit] * n, pa.string()),
            "person": pa.array(who, pa.int32()),
            "early": pa.array(rng.random(n) < 0.01),  # registered before it starts
        }))
    table = pa.concat_tables(parts)
    n = table.num_rows
    order = rng.permutation(n)
    table = table.take(pa.array(order))
    who = table.column("person").to_numpy()
    birth = persons["birth_year"][who].astype(np.int32)
    wrong = rng.choice(n, size=3, replace=False)  # a few rows disagree on the birth year
    birth[wrong] += 1
    return (table.append_column("person_id", pa.array(persons["id"][who].astype(str)))
            .append_column("birth_year", pa.array(birth))
            .append_column("gender", pa.array(persons["gender"][who]))
            .append_column("decision_id", pa.array([f"V{i:07d}" for i in
                                                    rng.permutation(n) + 1_000_000]))
            .append_column("clerk", pa.array([f"SB-{i:03d}" for i in
                                              rng.integers(1, 60, n)])))


_EXTRACT_SQL = """
WITH d AS (
  SELECT *, DATE '1990-01-01' + start AS s, DATE '1990-01-01' + "end" AS e FROM decisions)
SELECT person_id, birth_year, gender, service, decision_id, s, e, time_limited, hours,
       resource, unit, clerk
FROM d
WHERE (s <= $as_of OR (early AND s <= $as_of + INTERVAL 31 DAY))
  AND e >= $as_of - INTERVAL 92 DAY
ORDER BY decision_id
"""


def rows(con: duckdb.DuckDBPyConnection, period: Period) -> list[tuple]:
    """The month's extract as the case system lists it (the decisions of `decisions`
    registered by the month's end), one tuple per line in the file's column order."""
    as_of = period.last_day
    listed = con.execute(_EXTRACT_SQL, {"as_of": as_of}).fetchall()
    out = []
    bpa = sorted(r[4] for r in listed if r[3] == "Brukerstyrt personlig assistanse")
    zero = {v for v in bpa if v.endswith("7")} or set(bpa[:1])
    for (pid, birth, gender, service, vid, s, e, limited, hours, resource, unit,
         clerk) in listed:
        shown_end = e if (limited or e <= as_of) else None
        if vid in zero:
            hours = 0.0  # as real extracts have: a BPA decision with 0 hours
        out.append((pid, birth, gender, service, vid, s, shown_end, hours, resource, unit,
                    clerk))
    return out


_CSV_HEADER = ["Løpenummer", "Fødselsår", "Kjønn", "Kommunenr", "Tjeneste", "Vedtaksnr",
               "Fra dato", "Til dato", "Vedtatte timer per uke", "Ressurstimer per uke",
               "Avdeling", "Saksbehandler"]


def _nb(x: float | None) -> str:
    if x is None or x != x:
        return ""
    return f"{x:.2f}".replace(".", ",")


def write_csv(path: Path, rows: list[tuple]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(_CSV_HEADER)
    for i, (pid, birth, gender, service, vid, s, e, hours, resource, unit, clerk) in enumerate(
            rows):
        if service == "Koordinator" and i % 3 == 0:
            service = "Koordinator "  # Profil pads some names with spaces
        w.writerow([pid, birth, gender, MUNICIPALITY_NUMBER, service, vid, f"{s:%d.%m.%Y}",
                    f"{e:%d.%m.%Y}" if e else "", _nb(hours), _nb(resource), unit, clerk])
    path.write_bytes(buf.getvalue().encode("cp1252"))


def write_xlsx(path: Path, rows: list[tuple]) -> None:
    """The same extract as another system exports it: other column names, typed cells."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Vedtak")
    datef = book.add_format({"num_format": "dd.mm.yyyy"})
    header = ["Brukernr", "Fødselsår", "Kjønn", "Kommunenummer", "Tjenestenavn", "Vedtak-ID",
              "Startdato", "Sluttdato", "Vedtatte timer", "Ressurstimer", "Enhet",
              "Saksbehandler"]
    for c, h in enumerate(header):
        sheet.write_string(0, c, h)
    for r, (pid, birth, gender, service, vid, s, e, hours, resource, unit, clerk) in enumerate(
            rows, start=1):
        sheet.write_number(r, 0, int(pid))
        sheet.write_number(r, 1, birth)
        sheet.write_string(r, 2, "Kvinne" if gender == "K" else "Mann")
        sheet.write_number(r, 3, int(MUNICIPALITY_NUMBER))
        sheet.write_string(r, 4, service)
        sheet.write_string(r, 5, vid)
        sheet.write_datetime(r, 6, dt.datetime.combine(s, dt.time()), datef)
        if e:
            sheet.write_datetime(r, 7, dt.datetime.combine(e, dt.time()), datef)
        if hours is not None and hours == hours:
            sheet.write_number(r, 8, hours)
        if resource is not None and resource == resource:
            sheet.write_number(r, 9, resource)
        sheet.write_string(r, 10, unit)
        sheet.write_string(r, 11, clerk)
    book.close()


def write_extracts(out_dir: Path, seed: int = 2024, months: int = 24,
                   last: Period = LAST_PERIOD) -> list[tuple[Period, Path]]:
    """Write one extract file per month; the newest but `XLSX_MONTHS_BACK` is an XLSX."""
    decisions = generate(seed, months, last)
    con = duckdb.connect()
    con.register("decisions", decisions)
    folder = out_dir / "uttrekk"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(months):
        period = last.shift(k - months + 1)
        month = rows(con, period)
        if k == months - 1 - XLSX_MONTHS_BACK:
            path = folder / f"vedtak_{period}.xlsx"
            write_xlsx(path, month)
        else:
            path = folder / f"profil_{period}.csv"
            write_csv(path, month)
        written.append((period, path))
    con.close()
    return written
