"""SSB statistics-bank exports written from a list of figures, in each form SSB offers:
what the tests read back. A figure: (indicator, code, name, year, value or a symbol)."""

from __future__ import annotations

import json
from pathlib import Path

TITLE = "12362: Nøkkeltall for pleie og omsorg (K) 2016 - 2019"
NOTES = ["", "Kilde: Statistisk sentralbyrå", '"Fotnote: tall for 2019; er foreløpige"']


def _cell(value: object, comma: bool) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    text = repr(float(value)).removesuffix(".0")
    return text.replace(".", ",") if comma else text


def _order(figures: list[tuple]) -> tuple[list, list, list]:
    indicators = list(dict.fromkeys(f[0] for f in figures))
    regions = list(dict.fromkeys((f[1], f[2]) for f in figures))
    years = list(dict.fromkeys(f[3] for f in figures))
    return indicators, regions, years


def long_csv(path: Path, figures: list[tuple], sep: str = ";", comma: bool = True,
             encoding: str = "utf-8-sig") -> Path:
    lines = [TITLE, "", sep.join(['"region"', '"statistikkvariabel"', '"år"',
                                  f'"{TITLE}"'])]
    for ind, code, name, year, value in figures:
        lines.append(sep.join([f'"{code} {name}"', f'"{ind}"', f'"{year}"',
                               _cell(value, comma)]))
    path.write_text("\n".join([*lines, *NOTES]) + "\n", encoding=encoding)
    return path


def wide_csv(path: Path, figures: list[tuple], sep: str = ";", comma: bool = True,
             encoding: str = "utf-8-sig") -> Path:
    indicators, regions, years = _order(figures)
    at = {(f[0], f[1], f[3]): f[4] for f in figures}
    lines = [TITLE, "", sep.join(['"region"', '"statistikkvariabel"',
                                  *(f'"{y}"' for y in years)])]
    for code, name in regions:
        for ind in indicators:
            lines.append(sep.join([f'"{code} {name}"', f'"{ind}"',
                                   *(_cell(at[(ind, code, y)], comma) for y in years)]))
    path.write_text("\n".join([*lines, *NOTES]) + "\n", encoding=encoding)
    return path


def json_stat(path: Path, figures: list[tuple], status_as_list: bool = False) -> Path:
    indicators, regions, years = _order(figures)
    at = {(f[0], f[1], f[3]): f[4] for f in figures}
    values, status = [], {}
    for code, _ in regions:
        for ind in indicators:
            for y in years:
                v = at[(ind, code, y)]
                if isinstance(v, str):
                    status[str(len(values))] = v
                    values.append(None)
                else:
                    values.append(v)
    contents = {f"KOS{k:04d}": ind for k, ind in enumerate(indicators)}
    doc = {"version": "2.0", "class": "dataset", "label": TITLE,
           "source": "Statistisk sentralbyrå", "id": ["KOKkommuneregion0000", "ContentsCode",
                                                     "Tid"],
           "size": [len(regions), len(indicators), len(years)],
           "role": {"geo": ["KOKkommuneregion0000"], "metric": ["ContentsCode"],
                    "time": ["Tid"]},
           "dimension": {
               "KOKkommuneregion0000": {"label": "region", "category": {
                   "index": {c: k for k, (c, _) in enumerate(regions)},
                   "label": dict(regions)}},
               "ContentsCode": {"label": "statistikkvariabel", "category": {
                   "index": {c: k for k, c in enumerate(contents)}, "label": contents}},
               "Tid": {"label": "år", "category": {"index": years,
                                                    "label": {y: y for y in years}}}},
           "value": values,
           "status": [status.get(str(k)) for k in range(len(values))] if status_as_list
           else status}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path
