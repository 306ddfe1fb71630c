"""The comparison with KOSTRA and KPR as every output shows it: the table, the chart and the
sentence of one indicator, from report.json's `kostra` block, and the plan's own figures
beside them (plan.json's). Renderers lay these out; none computes a figure of its own."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from innsatstrapp.model.report import Kostra, KostraIndicator
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs.charts import GREY, PALETTE
from innsatstrapp.text import age_words, listing

if TYPE_CHECKING:
    from innsatstrapp.model.plan import OwnFigure

_YEARS_IN_NAME = re.compile(r"\s*\(\d{4}\s*-\s*\d{4}\)\s*$")  # «Larvik (2018-2019)»
SOURCE_NOTE = ("Kilde: SSBs statistikkbank (KOSTRA og KPR). Publisert statistikk: tallene "
               "skjules ikke. «–»: SSB har ikke tall.")
PEERS = ("#8FB8DE", "#A6A6A6", "#C9B8E0", "#F2C28B", "#9FD3C7", "#D9A6A6")


@dataclass(frozen=True)
class Region:
    """A region of an indicator as shown: its kind decides its colour and its place in the
    sentence."""

    code: str
    name: str  # without the years SSB adds to a merged municipality
    kind: str  # "own", "municipality", "group" (a KOSTRA group), "country" or "other"
    values: dict[str, float | None]


def kind(code: str, own: str) -> str:
    if code == own:
        return "own"
    if code.isdigit() and len(code) == 4:
        return "municipality"
    if code.startswith("EKG"):
        return "group"
    if code.startswith("EAK"):
        return "country"
    return "other"


def short_name(name: str) -> str:
    return _YEARS_IN_NAME.sub("", name).strip() or name


def regions(indicator: KostraIndicator, own: str) -> list[Region]:
    return [Region(r.code, short_name(r.name), kind(r.code, own), r.values)
            for r in indicator.regions]


def digits(indicator: KostraIndicator) -> int:
    """Decimals the indicator is published with (0–2): 237 543 kr, 30,1 %."""
    shown = 0
    for r in indicator.regions:
        for v in r.values.values():
            if v is not None and v != int(v):
                shown = max(shown, min(2, len(f"{v:.2f}".rstrip("0").split(".")[1])))
    return shown


def from_zero(indicator: KostraIndicator) -> bool:
    """Whether the value axis starts at 0: unless a figure is negative."""
    return all(v is None or v >= 0 for r in indicator.regions for v in r.values.values())


def number_format(places: int, locale: str = "[$-414]") -> str:
    """Excel's and PowerPoint's format of a figure with `places` decimals («#,##0.0»); the
    locale prefix makes a chart draw it the Norwegian way whatever the viewer's language."""
    return locale + "#,##0" + ("." + "0" * places if places else "")


def value(v: float | None, places: int) -> str:
    """A published figure, nb-NO; «–» where SSB has none."""
    if v is None:
        return "–"
    return f.decimal(v, places) if places else f.integer(v)


def latest(indicator: KostraIndicator, own: str) -> str | None:
    """The newest year with a figure for the municipality."""
    mine = next((r for r in indicator.regions if r.code == own), None)
    years = [y for y in indicator.years if mine and mine.values.get(y) is not None]
    return years[-1] if years else None


def _lower(name: str) -> str:
    """«Korrigerte …» → «korrigerte …» inside a sentence; an acronym (KPR) stays."""
    return name if len(name) > 1 and name[1].isupper() else name[:1].lower() + name[1:]


_ORDINAL = {1: "", 2: "nest ", 3: "tredje ", 4: "fjerde ", 5: "femte ", 6: "sjette ",
            7: "sjuende ", 8: "åttende ", 9: "niende ", 10: "tiende "}


def _rank(mine: float, others: list[float]) -> str:
    """«lavest», «nest høyest», «delt lavest», «12. lavest»: counted from the nearer end."""
    low = 1 + sum(v < mine for v in others)
    high = 1 + sum(v > mine for v in others)
    tied = sum(v == mine for v in others) > 1
    place, word = (low, "lavest") if low <= high else (high, "høyest")
    return ("delt " if tied else "") + _ORDINAL.get(place, f"{place}. ") + word


def sentence(indicator: KostraIndicator, own: str) -> str:
    """What the figures say, as seed decks say it: the municipality's rank among the
    municipalities of the table in the newest year it has, and its distance to the KOSTRA
    group and the country. «Larvik har lavest korrigerte brutto driftsutgifter per mottaker
    av hjemmetjenester (i kr) av de 5 kommunene i 2019: 237 543. Det er 9,3 % lavere enn
    Kostragruppe 13 og 6,9 % lavere enn Landet.»"""
    year = latest(indicator, own)
    shown = regions(indicator, own)
    me = next((r for r in shown if r.kind == "own"), None)
    if year is None or me is None:
        return f"{me.name if me else own} har ingen tall for {_lower(indicator.indicator)}."
    places = digits(indicator)
    mine = me.values[year]
    towns = [r.values[year] for r in shown
             if r.kind in ("own", "municipality") and r.values.get(year) is not None]
    if len(towns) > 1:
        text = (f"{me.name} har {_rank(mine, towns)} {_lower(indicator.indicator)} av de "
                f"{len(towns)} kommunene i {year}: {value(mine, places)}")
    else:
        text = (f"{me.name} har {_lower(indicator.indicator)} på {value(mine, places)} i "
                f"{year}")
    parts = []
    for r in shown:
        other = r.values.get(year) if r.kind in ("group", "country") else None
        if other is None:
            continue
        if round(mine, places) == round(other, places):
            parts.append(f"det samme som {r.name}")
        elif other:  # a distance in % from a figure of 0 says nothing
            diff = (mine - other) / abs(other) * 100
            share = f.percent(abs(diff)).replace(" %", "\u00a0%")  # never «7,1» | «%»
            parts.append(f"{share} {'høyere' if mine > other else 'lavere'} enn {r.name}")
    if parts:
        return f"{text}. Det er {listing(parts)}."
    return f"{text}."


def colour(region: Region, index: int) -> str:
    """The municipality in the palette's first colour, the KOSTRA group in its second, the
    country in grey, the other municipalities in light tones."""
    return {"own": PALETTE[0], "group": PALETTE[1], "country": GREY}.get(
        region.kind, PEERS[index % len(PEERS)])


def chart(indicator: KostraIndicator, own: str) -> dict:
    """A Plotly figure: one group of bars per year, one bar per region, the municipality
    highlighted (its own colour and its value written on the bar)."""
    shown = regions(indicator, own)
    places = digits(indicator)
    fmt = f",.{places}~f"  # 237 543 and 29,8: no trailing zeros
    data = []
    for i, r in enumerate(shown):
        ys = [r.values.get(y) for y in indicator.years]
        bar = {"type": "bar", "name": r.name, "x": indicator.years, "y": ys,
               "marker": {"color": colour(r, i),
                          "line": {"color": "#1D2B36", "width": 1.5 if r.kind == "own" else 0}},
               "hovertemplate": "%{x}: %{y:" + fmt + "}<extra>" + r.name.replace("<", "")
               + "</extra>"}
        if r.kind == "own":
            bar |= {"text": [value(v, places) if v is not None else "" for v in ys],
                    "textposition": "outside", "cliponaxis": False}
        data.append(bar)
    return {"data": data, "layout": {
        "barmode": "group", "separators": ", ", "height": 380,
        "font": {"family": "system-ui, sans-serif"},
        "margin": {"t": 40, "r": 10, "b": 40, "l": 70},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "xaxis": {"type": "category"},
        "yaxis": {"separatethousands": True,
                  "rangemode": "tozero" if from_zero(indicator) else "normal",
                  "tickformat": fmt}}}


def text_alternative(indicator: KostraIndicator, own: str) -> str:
    """The chart in words, for a screen reader: every region's newest figure."""
    year = indicator.years[-1]
    places = digits(indicator)
    named = "; ".join(f"{r.name}: {value(r.values.get(year), places)}"
                      for r in regions(indicator, own))
    return f"Stolpediagram over {_lower(indicator.indicator)} per år og region. {year}: {named}."


def missing(kostra: Kostra | None) -> bool:
    """Whether any shown figure is one SSB has none of (the footnote «–»)."""
    return bool(kostra) and any(v is None for i in kostra.indicators for r in i.regions
                                for v in r.values.values())



# The plan's own figures beside KOSTRA's (plan.json's `kostra` block)

OWN_LABEL = "Egen beregning"
_UNIT = {"andel": "%", "per 1000": "per 1 000 innbyggere", "kostnad per bruker": "kr"}


def own_places(figure: OwnFigure) -> int:
    """The own figure's decimals: the indicator's beside it, at least one for a share or a
    rate (a figure of 20,5 % is not 21 % because KOSTRA's happen to be whole)."""
    least = 0 if figure.computation == "kostnad per bruker" else 1
    return max(least, digits(figure.kostra)) if figure.kostra is not None else least


def own_value(figure: OwnFigure) -> str | None:
    """The figure as a table shows it; None when it is withheld (the caller marks it)."""
    if "value" in figure.suppressed:
        return None
    return value(figure.value, own_places(figure))


def own_label(as_of: dt.date) -> str:
    """«Egen beregning 31.10.2026»: the column and the line of the own figure."""
    return f"{OWN_LABEL} {f.date(as_of)}"


def own_region(indicator: KostraIndicator, own: str) -> Region:
    """The municipality's own row of an indicator (its first, by the block's order)."""
    return next(r for r in regions(indicator, own) if r.kind == "own")


def own_sentence(figure: OwnFigure, own: str, as_of: dt.date, threshold: int) -> str:
    """«Egen beregning 31.10.2026: 20,5 % (1 410 av 6 870 innbyggere 80 år og over).
    KOSTRA-tallet for Fjordvik i 2025 er 26,2.» Numbers only where they are published."""
    name = own_region(figure.kostra, own).name if figure.kostra else f"kommune {own}"
    shown = own_value(figure)
    if shown is None:
        text = (f"{own_label(as_of)}: skjult, fordi tallet bygger på færre enn {threshold} "
                f"personer eller ville gitt et skjult tall tilbake.")
    elif figure.value is None:
        text = f"{own_label(as_of)}: ikke beregnet (se hvordan tallet er regnet)."
    else:
        unit = _UNIT[figure.computation]
        text = f"{own_label(as_of)}: {shown}{chr(0xA0)}{unit}"
        if figure.computation == "kostnad per bruker":
            text += (f" ({f.integer(figure.denominator)}{chr(0xA0)}kr fordelt på "
                     f"{_users(figure.users)}).")
        else:
            text += (f" ({_users(figure.users)} av {f.integer(figure.denominator)} "
                     f"innbyggere {age_words(figure.ages)}).")
    if figure.kostra is None:
        return text + f" KOSTRA-tallene i lageret har ikke denne indikatoren for {name}."
    year = latest(figure.kostra, own)
    mine = own_region(figure.kostra, own)
    published = value(mine.values.get(year), digits(figure.kostra)) if year else None
    return text + (f" KOSTRA-tallet for {name} i {year} er {published}." if published else "")


def _users(n: int | None) -> str:
    return "1 bruker" if n == 1 else f"{f.integer(n)} brukere"


def own_chart(figure: OwnFigure, own: str, as_of: dt.date) -> dict | None:
    """The indicator's chart with the own figure drawn across it as a dashed line, named in
    the legend (none without the indicator; no line when the figure is withheld or
    missing)."""
    if figure.kostra is None:
        return None
    fig = chart(figure.kostra, own)
    shown = own_value(figure)
    if shown is not None and figure.value is not None:
        years = figure.kostra.years
        name = f"{own_label(as_of)}: {shown}"
        fig["data"].append({"type": "scatter", "mode": "lines", "x": years,
                            "y": [figure.value] * len(years), "name": name,
                            "line": {"color": "#1D2B36", "width": 2, "dash": "dash"},
                            "hovertemplate": name.replace("<", "") + "<extra></extra>"})
    return fig
