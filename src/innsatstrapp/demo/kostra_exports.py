"""The demo's KOSTRA and KPR tables: Fjordvik beside four made-up neighbours, a KOSTRA group
and the country, written in the three forms SSB's statistics bank gives (wide CSV, long CSV,
JSON-stat 2.0), as an analyst downloads them. Every region but «Landet» and the group's name,
and every number, is made up; one figure is missing, as SSB marks one («..»)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from innsatstrapp.demo.municipality import MUNICIPALITY, MUNICIPALITY_NUMBER

YEARS = ("2022", "2023", "2024", "2025")
REGIONS = ((MUNICIPALITY_NUMBER, MUNICIPALITY.removesuffix(" kommune")), ("3901", "Nordvik"),
           ("3902", "Sørdal"), ("3903", "Havøy"), ("3904", "Lia"),
           ("EKG13", "Kostragruppe 13"), ("EAK", "Landet"))
# (indicator, level in the first year, yearly growth, spread between regions, decimals); the
# levels near what the demo's own figures beside them give (its accounts are made up too)
INDICATORS = (
    ("Korrigerte brutto driftsutgifter per mottaker av hjemmetjenester (i kr)", 118_000,
     0.045, 0.09, 0),
    ("Korrigerte brutto driftsutgifter, institusjon, per kommunal plass (i kr)", 1_310_000,
     0.05, 0.07, 0),
    ("Andel innbyggere 80 år og over som er brukere av hjemmetjenester (prosent)", 21.0,
     -0.01, 0.08, 1),
)
TITLE = "Nøkkeltall for pleie og omsorg (K) 2022 - 2025 (syntetiske tall for demoen)"
NOTES = ("", "Kilde: syntetiske tall laget av innsatstrapp, formet som en eksport fra SSBs "
             "statistikkbank")


def figures(seed: int = 2024) -> list[tuple[str, str, str, str, float | str]]:
    """(indicator, code, name, year, value or SSB's symbol), in file order."""
    rng = np.random.default_rng(seed + 18)
    out: list[tuple[str, str, str, str, float | str]] = []
    for name, level, growth, spread, places in INDICATORS:
        for k, (code, region) in enumerate(REGIONS):
            # Fjordvik below its peers in cost, near them in coverage
            bias = -0.06 if k == 0 and places == 0 else rng.normal(0, spread)
            for t, year in enumerate(YEARS):
                v = level * (1 + bias) * (1 + growth) ** t * (1 + rng.normal(0, 0.01))
                out.append((name, code, region, year, round(v, places) if places
                            else float(round(v))))
    # the group's newest figure for institutions is not published yet
    at = next(i for i, f in enumerate(out)
              if f[0] == INDICATORS[1][0] and f[1] == "EKG13" and f[3] == YEARS[-1])
    out[at] = (*out[at][:4], "..")
    return out


def _number(v: float | str, places: int) -> str:
    if isinstance(v, str):
        return f'"{v}"'
    return f"{v:.{places}f}".replace(".", ",")


def write_exports(folder: Path, seed: int = 2024) -> list[Path]:
    """The three files in `folder` (kostra/ beside the store): one indicator in each form."""
    folder.mkdir(parents=True, exist_ok=True)
    all_figures = figures(seed)
    by = {name: [f for f in all_figures if f[0] == name] for name, *_ in INDICATORS}
    (cost, *_, cp), (place, *_, pp), (share, *_) = INDICATORS
    wide = [TITLE, "", ";".join(['"region"', '"statistikkvariabel"', *(f'"{y}"' for y in YEARS)])]
    for code, region in REGIONS:
        row = {f[3]: f[4] for f in by[cost] if f[1] == code}
        wide.append(";".join([f'"{code} {region}"', f'"{cost}"',
                              *(_number(row[y], cp) for y in YEARS)]))
    long = [TITLE, "", '"region";"statistikkvariabel";"år";"Nøkkeltall for pleie og omsorg"']
    long += [f'"{c} {r}";"{i}";"{y}";{_number(v, pp)}' for i, c, r, y, v in by[place]]
    paths = [folder / "hjemmetjenester_bred.csv", folder / "institusjon_lang.csv",
             folder / "dekning_80_aar.json"]
    paths[0].write_text("\r\n".join([*wide, *NOTES]) + "\r\n", encoding="cp1252")
    paths[1].write_text("\r\n".join([*long, *NOTES]) + "\r\n", encoding="utf-8-sig")
    values = [f[4] for f in by[share]]
    paths[2].write_text(json.dumps({
        "version": "2.0", "class": "dataset", "label": TITLE, "source": NOTES[1],
        "id": ["KOKkommuneregion0000", "ContentsCode", "Tid"],
        "size": [len(REGIONS), 1, len(YEARS)],
        "role": {"geo": ["KOKkommuneregion0000"], "metric": ["ContentsCode"], "time": ["Tid"]},
        "dimension": {
            "KOKkommuneregion0000": {"label": "region", "category": {
                "index": {c: k for k, (c, _) in enumerate(REGIONS)}, "label": dict(REGIONS)}},
            "ContentsCode": {"label": "statistikkvariabel", "category": {
                "index": {"KOSandel80hjemme0000": 0}, "label": {"KOSandel80hjemme0000": share}}},
            "Tid": {"label": "år", "category": {"index": {y: k for k, y in enumerate(YEARS)},
                                               "label": {y: y for y in YEARS}}}},
        "value": [None if isinstance(v, str) else v for v in values],
        "status": {str(k): v for k, v in enumerate(values) if isinstance(v, str)},
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    return paths
