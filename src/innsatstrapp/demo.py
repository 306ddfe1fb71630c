"""A seeded synthetic municipality, «Fjordvik kommune», modelled on a real town of 48 000.

Every person, id and number here is made up. The demo feeds `innsatstrapp demo`, the tests and
the docs, so it has the quirks real extracts have: Profil-style CSV in Windows-1252 with `;`,
comma decimals and dd.mm.yyyy dates, one month as XLSX with other column names and typed
cells, a column that is not used (Saksbehandler), a service written with a trailing space,
a BPA decision with 0 hours and services that the catalog does not know. Every step holds
services, as a municipality would fill its staircase (the empty step is a fixture test's case).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from innsatstrapp.catalog.staircase import Catalog, CatalogService, Step
from innsatstrapp.errors import InnsatstrappError
from innsatstrapp.period import Period

MUNICIPALITY = "Fjordvik kommune"
MUNICIPALITY_NUMBER = "3999"
LAST_PERIOD = Period(2026, 10)
XLSX_MONTHS_BACK = 2  # which month is delivered as XLSX (counted back from the newest)

STEPS = (
    Step("Grunnmur", 0, "Forebygging og mestring"),
    Step("Trinn 1", 1, "Forebygging og mestring"),
    Step("Trinn 2", 2, "Hjemmebaserte tjenester"),
    Step("Trinn 3", 3, "Hjemmebaserte tjenester"),
    Step("Trinn 4", 4, "Korttid og avlastning"),
    Step("Trinn 5", 5, "Heldøgns omsorg"),
    Step("Trinn 6", 6, "Langtid"),
    Step("På tvers", 7, "Andre", on_staircase=False),
    Step("Boliger", 8, "Andre", on_staircase=False),
)

# name | group ("" = itself) | step | role | active | mean days | hours kind | unit | audience
# hours kind: hs = home nursing (approved + resource), pb = practical help, pbo = training
# (FUN), bpa, sk = support contact, avl = respite hours, "" = none. A mean in brackets means
# a time-limited decision (its end date is set when it starts).
_SERVICES = """
Trygghetsalarm, digital|Trygghetsalarmer|Grunnmur||455|1500||Velferdsteknologi|eldre
Trygghetsalarm, husleie|Trygghetsalarmer|Grunnmur||240|1500||Velferdsteknologi|eldre
Trygghetsalarm husstand|Trygghetsalarmer|Grunnmur||18|1500||Velferdsteknologi|eldre
Tryggh.alarm i husleie FUN|Trygghetsalarmer|Grunnmur||4|1500||Velferdsteknologi|fun
Mobil trygghetsalarm|Trygghetsalarmer|Grunnmur||100|900||Velferdsteknologi|eldre
Mobil trygghetsalarm u/bet|Trygghetsalarmer|Grunnmur||14|900||Velferdsteknologi|eldre
Trygghetsalarm m/røykvarsler|Trygghetsalarmer|Grunnmur||225|1500||Velferdsteknologi|eldre
Tekniske hj.midler Fjordvik|Tekniske hjelpemidler|Grunnmur||4600|1800||Hjelpemiddelsentralen|alle
Tekniske hj.midler, korttidslån|Tekniske hjelpemidler|Grunnmur||160|[60]||Hjelpemiddelsentralen|alle
Varslingsteknologi, dørsensor|Varslingsteknologi|Grunnmur||95|1200||Velferdsteknologi|eldre
Varslingsteknologi, fallsensor|Varslingsteknologi|Grunnmur||70|1200||Velferdsteknologi|eldre
Varslingsteknologi, sengesensor|Varslingsteknologi|Grunnmur||45|1200||Velferdsteknologi|eldre
Komfyrvakt|Varslingsteknologi|Grunnmur||120|2000||Velferdsteknologi|eldre
Lokaliseringsteknologi, GPS|Lokaliseringsteknologi|Grunnmur||85|700||Velferdsteknologi|eldre
Digital hjemmeoppfølging||Grunnmur||70|400||Velferdsteknologi|alle
Elektronisk medisineringsstøtte|Medisineringsstøtte|Grunnmur||80|900||Velferdsteknologi|eldre
Medisindispenser m/varsling|Medisineringsstøtte|Grunnmur||30|900||Velferdsteknologi|eldre
Matombringing, Fjordvik|Matombringing|Grunnmur||430|700||Kjøkkendrift|eldre
Matombringing, Dalbygda|Matombringing|Grunnmur||50|700||Kjøkkendrift|eldre
Forsterket utskrivning||Grunnmur||200|[30]||Helsehuset|eldre
Fysioterapi Fjordvik|Fysio- og ergoterapi|Grunnmur||120|[120]||Fysio- og ergoterapi|alle
Ergoterapi Fjordvik|Fysio- og ergoterapi|Grunnmur||150|[180]||Fysio- og ergoterapi|alle
Fysioterapi, barn og unge|Fysio- og ergoterapi|Grunnmur||40|[240]||Fysio- og ergoterapi|barn
Frisklivssentral||Grunnmur||90|[90]||Fysio- og ergoterapi|alle
Fallforebyggende trening|Treningsgrupper|Grunnmur||60|[120]||Fysio- og ergoterapi|eldre
Seniortrim|Treningsgrupper|Grunnmur||75|[180]||Fysio- og ergoterapi|eldre
Forebyggende hjemmebesøk 78+||Grunnmur||150|[60]||Tildelingskontoret|eldre
Hverdagsrehabilitering||Grunnmur||65|[42]||Fysio- og ergoterapi|eldre
Dagaktivitet, Borgejordet|Dagsenter/-aktivitet/-opphold|Trinn 1||17|500||Dagtilbud|fun
Dagsenter AOK|Dagsenter/-aktivitet/-opphold|Trinn 1||138|500||Dagtilbud|eldre
Dagaktivitet, Veldre|Dagsenter/-aktivitet/-opphold|Trinn 1||6|500||Dagtilbud|fun
Dagopphold Frøytunet|Dagsenter/-aktivitet/-opphold|Trinn 1||14|500||Dagtilbud|eldre
Dagopphold Furuheim|Dagsenter/-aktivitet/-opphold|Trinn 1||15|500||Dagtilbud|eldre
Dagopphold Grevle sykehjem|Dagsenter/-aktivitet/-opphold|Trinn 1||45|500||Dagtilbud|eldre
Dag/kveldsopphold, Vittersø gård|Dagsenter/-aktivitet/-opphold|Trinn 1||24|500||Dagtilbud|eldre
Dagopphold Nordbygda sykehjem|Dagsenter/-aktivitet/-opphold|Trinn 1||11|500||Dagtilbud|eldre
Dagopphold Dalbygda|Dagsenter/-aktivitet/-opphold|Trinn 1||18|500||Dagtilbud|eldre
Dagopphold Sentrum|Dagsenter/-aktivitet/-opphold|Trinn 1||26|500||Dagtilbud|eldre
Dagopphold Tjølling sykehjem|Dagsenter/-aktivitet/-opphold|Trinn 1||22|500||Dagtilbud|eldre
Dagopphold Tårngården|Dagsenter/-aktivitet/-opphold|Trinn 1||21|500||Dagtilbud|eldre
Grønn omsorg - dagaktivitet|Dagsenter/-aktivitet/-opphold|Trinn 1||14|400||Dagtilbud|fun
Støttekontakt, barn og unge|Støttekontakt|Trinn 1||62|900|sk|Funksjonshemmede|barn
Støttekontakt, voksne|Støttekontakt|Trinn 1||108|900|sk|Funksjonshemmede|fun
Støttekontakt, psykisk helse|Støttekontakt|Trinn 1||66|700|sk|Psykisk helse og rus|fun
Bolig og trening||Trinn 1||10|[300]||Psykisk helse og rus|fun
Praktisk bistand Fjordvik|Praktisk bistand|Trinn 2||427|900|pb|Hjemmetjenester|eldre
Praktisk bistand ring 1|Praktisk bistand|Trinn 2||53|900|pb|Hjemmetjenester ring 1|eldre
Praktisk bistand ring 2|Praktisk bistand|Trinn 2||89|900|pb|Hjemmetjenester ring 2|eldre
Praktisk bistand ring 3|Praktisk bistand|Trinn 2||59|900|pb|Hjemmetjenester ring 3|eldre
Praktisk bistand DNAS|Praktisk bistand|Trinn 2||3|900|pb|Hjemmetjenester|eldre
Praktisk bistand Nordbygda|Praktisk bistand|Trinn 2||20|900|pb|Hjemmetjenester|eldre
Praktisk bistand Dalbygda|Praktisk bistand|Trinn 2||37|900|pb|Dalbygda hjemmetjenester|eldre
Praktisk bistand FUN|Praktisk bistand|Trinn 2||48|1200|pb|Funksjonshemmede|fun
Praktisk bistand dagl.gj., ring 2|Praktisk bistand|Trinn 2||6|600|pb|Hjemmetjenester ring 2|eldre
Praktisk bistand dagl.gj., ring 3|Praktisk bistand|Trinn 2||5|600|pb|Hjemmetjenester ring 3|eldre
Praktisk bistand dagl.gj., Dalbygda|Praktisk bistand|Trinn 2||2|600|pb|Dalbygda hjemmetjenester|eldre
Praktisk bistand/opplæring ROP|Praktisk bistand|Trinn 2||2|600|pbo|Psykisk helse og rus|fun
Praktisk bistand og opplæring, FUN|Praktisk bistand|Trinn 2||224|1500|pbo|Funksjonshemmede|fun
Praktisk bistand/opplæring, psykisk helse|Praktisk bistand|Trinn 2||9|600|pbo|Psykisk helse og rus|fun
Praktisk bistand/opplæring, botiltak|Praktisk bistand|Trinn 2||31|1200|pbo|Funksjonshemmede|fun
Brukerstyrt personlig assistanse|BPA|Trinn 2||14|2500|bpa|Funksjonshemmede|fun
Omsorgsstønad||Trinn 2||124|1200||Tildelingskontoret|fun
Avlastning privat FUN|Avlastning, privat|Trinn 2||25|[365]|avl|Funksjonshemmede|barn
Hjemmesykepleie ring 1|Hjemmesykepleie, ringene|Trinn 3|hjemmesykepleie|540|420|hs|Hjemmetjenester ring 1|eldre
Hjemmesykepleie ring 2|Hjemmesykepleie, ringene|Trinn 3|hjemmesykepleie|520|420|hs|Hjemmetjenester ring 2|eldre
Hjemmesykepleie ring 3|Hjemmesykepleie, ringene|Trinn 3|hjemmesykepleie|480|420|hs|Hjemmetjenester ring 3|eldre
Hjemmesykepleie, natt|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|90|300|hs|Hjemmetjenester natt|eldre
Hjemmesykepleie FUN|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|118|900|hs|Funksjonshemmede|fun
Hjemmesykepleie DNAS|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|40|420|hs|Hjemmetjenester|eldre
Hjemmesykepleie Dalbygda|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|110|420|hs|Dalbygda hjemmetjenester|eldre
Hjemmesykepleie Nordbygda|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|50|420|hs|Hjemmetjenester|eldre
Hjemmesykepleie ambulerende VPA|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|2|600|hs|Hjemmetjenester|eldre
Hjemmesykepleie levert av andre|Hjemmesykepleie, andre|Trinn 3|hjemmesykepleie|3|200|hs|Tildelingskontoret|eldre
Psykisk helsearbeid i hjemmet||Trinn 3||120|500||Psykisk helse og rus|fun
Avlastning timer - avlastningssenter|Avlastning|Trinn 4||14|[60]|avl|Funksjonshemmede|barn
Avlastning døgn - avlastningssenter|Avlastning|Trinn 4||60|[90]||Funksjonshemmede|barn
Avlastning døgn - Snippen|Avlastning|Trinn 4||1|[90]||Funksjonshemmede|barn
Avklaringsopphold Byskogen|Avlastning|Trinn 4||1|[14]||Helsehuset|eldre
Avklaringsplass Helsehuset|Avlastning|Trinn 4||18|[10]||Helsehuset|eldre
Avlastningsopphold sykehjem|Avlastning|Trinn 4||9|[9]||Sykehjem|eldre
Korttid Byskogen sykehjem|Korttid|Trinn 4||7|[18]||Sykehjem|eldre
Korttidsopphold sykehjem utr/beh|Korttid|Trinn 4||17|[15]||Sykehjem|eldre
Korttid rehabilitering Presteløkka|Korttid|Trinn 4||21|[12]||Helsehuset|eldre
Korttid utr/beh Helsehuset|Korttid|Trinn 4||20|[14]||Helsehuset|eldre
Lindrende utr/beh Helsehuset||Trinn 4||3|[13]||Helsehuset|eldre
Ø-hjelp Helsehuset|Ø-hjelp|Trinn 4||4|[3]||Helsehuset|alle
Bolig med heldøgns bemanning|Heldøgns omsorg i bolig|Trinn 5||60|1500||Boligkontoret|eldre
Bofellesskap med heldøgns tjenester, FUN|Heldøgns omsorg i bolig|Trinn 5||24|3000||Funksjonshemmede|fun
Langtidsopphold sykehjem|Langtidsopphold|Trinn 6|langtidsopphold|300|850||Sykehjem|eldre
Langtidsopphold Byskogen sykehjem|Langtidsopphold|Trinn 6|langtidsopphold|13|1150||Sykehjem|eldre
Langtidsopphold Helsehuset|Langtidsopphold|Trinn 6|langtidsopphold|6|60||Helsehuset|eldre
Langtidsopphold fra andre kommuner|Langtidsopphold|Trinn 6|langtidsopphold|1|800||Tildelingskontoret|eldre
Langtidsopphold Fraida|Langtidsopphold|Trinn 6|langtidsopphold|2|600||Sykehjem|eldre
Individuell plan||På tvers||32|1500||Tildelingskontoret|fun
Koordinator||På tvers||140|1200||Tildelingskontoret|alle
Ledsagerbevis||På tvers||500|1100||Tildelingskontoret|alle
Parkeringsbevis||På tvers||620|1100||Tildelingskontoret|alle
TT-kort||På tvers||627|1100||Tildelingskontoret|alle
Omsorgsbolig|Boliger|Boliger||250|1800||Boligkontoret|eldre
Trygghetsbolig|Boliger|Boliger||80|1800||Boligkontoret|eldre
Bofellesskap FUN|Boliger|Boliger||90|3000||Funksjonshemmede|fun
"""

# Services that turn up in the extracts but not in the catalog (data quality).
_UNMAPPED = """
Hverdagsrehabilitering, pilot|||8|[42]||Fysio- og ergoterapi|eldre
Tjeneste under avklaring|||3|[60]||Tildelingskontoret|alle
Velferdsteknologi, nattkamera|||6|900||Velferdsteknologi|eldre
"""


@dataclass(frozen=True)
class DemoService:
    name: str
    group: str
    step: str | None
    role: str | None
    active: int
    mean_days: int
    time_limited: bool
    hours: str
    unit: str
    audience: str


def _parse(table: str, mapped: bool) -> list[DemoService]:
    out = []
    for line in table.strip().splitlines():
        if mapped:
            name, group, step, role, active, mean, hours, unit, audience = line.split("|")
        else:
            name, group, role, active, mean, hours, unit, audience = line.split("|")
            step = ""
        limited = mean.startswith("[")
        out.append(DemoService(name, group or name, step or None, role or None, int(active),
                               int(mean.strip("[]")), limited, hours, unit, audience))
    return out


SERVICES = _parse(_SERVICES, mapped=True)
UNMAPPED = _parse(_UNMAPPED, mapped=False)


def demo_catalog() -> Catalog:
    return Catalog(STEPS, tuple(CatalogService(s.name, s.group, s.step, s.role)
                                for s in SERVICES))


# --- the synthetic population and its decisions ----------------------------------------------

_STEP_LEVEL = {s.name: s.order for s in STEPS}


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
    level = _STEP_LEVEL.get(svc.step or "", 1)
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


def _rows(con: duckdb.DuckDBPyConnection, period: Period) -> list[tuple]:
    as_of = period.last_day
    rows = con.execute(_EXTRACT_SQL, {"as_of": as_of}).fetchall()
    out = []
    bpa = sorted(r[4] for r in rows if r[3] == "Brukerstyrt personlig assistanse")
    zero = {v for v in bpa if v.endswith("7")} or set(bpa[:1])
    for (pid, birth, gender, service, vid, s, e, limited, hours, resource, unit,
         clerk) in rows:
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


@dataclass(frozen=True)
class DemoResult:
    db: Path
    catalog: Path
    extracts: list[Path]
    first: str
    last: str
    users: int
    active: int
    report: Path
    plan: Path  # plan.html


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
        rows = _rows(con, period)
        if k == months - 1 - XLSX_MONTHS_BACK:
            path = folder / f"vedtak_{period}.xlsx"
            write_xlsx(path, rows)
        else:
            path = folder / f"profil_{period}.csv"
            write_csv(path, rows)
        written.append((period, path))
    con.close()
    return written


def build_demo(out_dir: Path, *, seed: int = 2024, months: int = 24, last: Period = LAST_PERIOD,
               on_month: Callable[[str], None] | None = None) -> DemoResult:
    """Write extracts and catalog, and ingest every month into a fresh store in `out_dir`."""
    from innsatstrapp.catalog.template import write_template
    from innsatstrapp.files import not_a_folder
    from innsatstrapp.ingest import ingest_file
    from innsatstrapp.ingest.pseudonymise import key_path
    from innsatstrapp.store import Store

    out_dir = Path(out_dir)
    not_a_folder(out_dir)
    db = out_dir / "innsatstrapp.duckdb"
    for old in (db, key_path(db), db.with_suffix(".duckdb.wal")):
        old.unlink(missing_ok=True)
    if (out_dir / "uttrekk").exists():
        shutil.rmtree(out_dir / "uttrekk")
    written = write_extracts(out_dir, seed, months, last)
    for period, path in written:
        ingest_file(path, period, db=db)
        if on_month:
            on_month(str(period))
    catalog_path = out_dir / "katalog.xlsx"
    with Store.open(db, read_only=True) as store:
        rows = store.service_rows(str(last))
        users, active = store.con.execute(
            "SELECT count(DISTINCT person), count(*) FROM decisions d JOIN extracts x "
            "USING (period) WHERE period = ? AND start_date <= x.as_of "
            "AND (end_date IS NULL OR end_date >= x.as_of)", [str(last)]).fetchall()[0]
    catalog = demo_catalog()
    known = {s.name for s in catalog.services}
    write_template(catalog_path, [(s, n) for s, n in rows if s in known], catalog)
    # as `ingest --catalog` would have: every month's suppression decided and kept, so the
    # report and the dashboard's first view find it made
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.metrics.build import decide_all

    decide_all(load_catalog(catalog_path), db=db)
    report = _write_report(out_dir, db, catalog_path, last, months)
    plan = _write_plan(out_dir, db, catalog_path, last)
    return DemoResult(db, catalog_path, [p for _, p in written], str(written[0][0]), str(last),
                      users, active, report, plan)


def _write_report(out_dir: Path, db: Path, catalog_path: Path, last: Period, months: int
                  ) -> Path:
    """The newest month against the month before, with history like seed 000's columns."""
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.metrics import build_report
    from innsatstrapp.outputs import render

    history = [str(last.shift(-k)) for k in (12, 6) if k < months]
    report = build_report(load_catalog(catalog_path), str(last), history=history, db=db)
    formats = ["json", "xlsx", "pptx", "html"]
    try:
        from innsatstrapp.outputs.pdf import chromium

        chromium()
        formats.insert(3, "pdf")
    except InnsatstrappError:
        pass  # no Chromium here: the pack is written without the PDF
    files = render(report, out_dir / "rapport", formats)
    return files[-1]


def _write_plan(out_dir: Path, db: Path, catalog_path: Path, last: Period) -> Path:
    """Synthetic projection, accounts and scenarios in plan-input/, the plan in plan/."""
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.outputs.plan import render
    from innsatstrapp.plan.build import build_plan
    from innsatstrapp.plan.synthetic import write_inputs

    catalog = load_catalog(catalog_path)
    inputs = write_inputs(out_dir / "plan-input", catalog, str(last), db)
    built = build_plan(catalog, str(last), inputs["population"], accounts=inputs["accounts"],
                       scenarios=inputs["scenarios"], db=db)
    return render(built.plan, out_dir / "plan", ["json", "xlsx", "pptx", "html"])[-1]
