"""The dashboard page «Sammenligning»: the stored KOSTRA and KPR figures for a chosen
municipality and span of years, per indicator the sentence, the chart and the table (and so
the CSV and XLSX downloads), as report.html shows them."""

from __future__ import annotations

from dataclasses import dataclass

from innsatstrapp.kostra.compare import indicators as compare
from innsatstrapp.model.report import KostraIndicator, KostraRegion
from innsatstrapp.outputs import comparison as c
from innsatstrapp.outputs.charts import script_json
from innsatstrapp.web.pages import Chart
from innsatstrapp.web.tables import Column, Table

KINDS = {0: "int", 1: "dec1", 2: "dec2"}


@dataclass(frozen=True)
class Choices:
    """What the page can show: the municipalities and the years of the stored figures."""

    municipalities: list[tuple[str, str]]  # (code, name)
    years: list[str]


def choices(rows: list[dict]) -> Choices:
    towns = {r["region"]: c.short_name(r["region_name"]) for r in rows
             if c.kind(r["region"], "") == "municipality"}
    return Choices(sorted(towns.items(), key=lambda kv: kv[1]),
                   sorted({r["year"] for r in rows}))


def within(indicator: KostraIndicator, first: str | None, last: str | None
           ) -> KostraIndicator | None:
    """The indicator with only the years from `first` to `last`; None if none is left."""
    years = [y for y in indicator.years if (not first or y >= first) and (not last or y <= last)]
    if not years:
        return None
    return KostraIndicator(indicator=indicator.indicator, years=years, regions=[
        KostraRegion(code=r.code, name=r.name, values={y: r.values.get(y) for y in years})
        for r in indicator.regions])


def page(rows: list[dict], own: str, first: str | None, last: str | None
         ) -> tuple[list[KostraIndicator], list[str], list[Table], list[Chart]]:
    """The indicators shown, their sentences, tables and charts."""
    shown = [x for i in compare(rows, own) if (x := within(i, first, last))]
    sentences, tables, charts = [], [], []
    for k, ind in enumerate(shown, 1):
        kind = KINDS[c.digits(ind)]
        table = Table(f"kostra-{k}", ind.indicator,
                      [Column("Region", "text", True), *(Column(y, kind) for y in ind.years)])
        for r in c.regions(ind, own):
            table.rows.append([r.name + (" (kommunen)" if r.kind == "own" else ""),
                               *(r.values.get(y) for y in ind.years)])
        tables.append(table)
        charts.append(Chart(f"chart-kostra-{k}", script_json(c.chart(ind, own)),
                            c.text_alternative(ind, own), table.id))
        sentences.append(c.sentence(ind, own))
    return shown, sentences, tables, charts
