"""Movement on the staircase as every renderer shows it: the transition matrix as a grid,
the sentences, the Sankey figure and the levels chart, from the report model only."""

from __future__ import annotations

from dataclasses import dataclass

from innsatstrapp.model.report import Report
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs.charts import PALETTE, with_withheld, withheld_trace

NONE = "ingen"
NONE_LABEL = "Ingen trinn"


@dataclass(frozen=True)
class Grid:
    """The matrix: rows = level then, columns = level now; a value, None (0) or "*"."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], int | str]
    largest: int

    def value(self, a: str, b: str) -> int | str:
        return self.cells.get((a, b), 0)

    def shade(self, a: str, b: str) -> float:
        """0–1 for the cell's background (light blue; text stays dark and readable)."""
        v = self.cells.get((a, b))
        return 0.0 if not isinstance(v, int) or not self.largest else v / self.largest


def label(level: str) -> str:
    return NONE_LABEL if level == NONE else level


def withheld(report: Report) -> bool:
    """The matrix is withheld whole (its shape too): too few persons to show any of it."""
    return report.transitions is not None and "matrix" in report.transitions.suppressed


def grid(report: Report) -> Grid | None:
    t = report.transitions
    if t is None or withheld(report):
        return None
    order = [x.step for x in report.levels] + [NONE]
    cells: dict[tuple[str, str], int | str] = {}
    for c in t.matrix:
        cells[(c.from_, c.to)] = "*" if "persons" in c.suppressed else c.persons
    numbers = [v for v in cells.values() if isinstance(v, int)]
    used = {a for a, _ in cells} | {b for _, b in cells}
    keep = [x for x in order if x in used or x != NONE]
    return Grid(keep, keep, cells, max(numbers, default=0))


def _n(row, field: str) -> str:
    value = getattr(row, field)
    return "*" if field in row.suppressed or value is None else f.integer(value)


def _persons(row, field: str) -> str:
    """«1 person», «212 personer», «* personer» (withheld)."""
    text = _n(row, field)
    return f"{text} person" if text == "1" else f"{text} personer"


def sentences(report: Report) -> list[str]:
    """The figures in words, e.g. «212 personer flyttet ned minst ett trinn, 187 opp»."""
    t = report.transitions
    if t is None:
        return ["Det er ingen tidligere måned å sammenligne med, så bevegelsen i trappen kan "
                "ikke vises."]
    then = f.month(report.previous_period) if report.previous_period else ""
    out = [f"Fra {then} til {f.month(report.period)} flyttet {_persons(t, 'moved_down')} "
           f"ned minst ett trinn og {_n(t, 'moved_up')} opp; {_n(t, 'stayed')} ble på samme "
           f"trinn.",
           f"{_persons(t, 'entered')} kom inn i trappen og {_n(t, 'left')} gikk ut av den."]
    known = [x for x in report.levels if x.persons is not None]
    if known:
        top = max(known, key=lambda x: x.persons)
        out.append(f"Flest personer har {top.step} som høyeste trinn ({f.integer(top.persons)}).")
    if withheld(report):
        out.append("Flyttingen mellom trinnene er skjult her: det er så få personer at den "
                   "ville avsløre skjulte tall.")
    elif any(x.suppressed for x in (t, *t.matrix)):
        out.append("Tall under grensen for skjuling, og tall som ellers kunne regnes ut, er "
                   "vist som *.")
    return out


SANKEY_HEIGHT, SANKEY_MARGIN, SANKEY_PAD = 460, 20, 12  # px: figure, top and bottom, nodes


def sankey(report: Report) -> dict | None:
    """Flows from the level then (left) to the level now (right); withheld cells not drawn.
    Both sides in the staircase's order from the top (the catalog's: Grunnmur, Trinn 1 …),
    «Ingen trinn» at the bottom: the nodes are placed (x, y), not left to Plotly's layout."""
    t = report.transitions
    if t is None or withheld(report):
        return None
    then = f.month(report.previous_period) if report.previous_period else ""
    now = f.month(report.period)
    levels = [x.step for x in report.levels] + [NONE]
    colour = {x: PALETTE[i % len(PALETTE)] for i, x in enumerate(levels)}
    colour[NONE] = "#8A8A8A"
    flows = [(c.from_, c.to, c.persons) for c in t.matrix
             if c.persons and "persons" not in c.suppressed and c.from_ in colour
             and c.to in colour]
    if not flows:
        return None  # every flow withheld: an empty chart would only puzzle
    out = {x: sum(v for a, _, v in flows if a == x) for x in levels}
    into = {x: sum(v for _, b, v in flows if b == x) for x in levels}
    left = [x for x in levels if out[x]]  # a level no drawn flow leaves or reaches: no node
    right = [x for x in levels if into[x]]
    ys = _stacked([[out[x] for x in left], [into[x] for x in right]])
    link = {"source": [left.index(a) for a, _, _ in flows],
            "target": [len(left) + right.index(b) for _, b, _ in flows],
            "value": [v for _, _, v in flows], "color": [colour[a] + "66" for a, _, _ in flows]}
    return {"data": [{"type": "sankey", "arrangement": "fixed",
                      "node": {"label": [f"{label(x)} ({then})" for x in left]
                               + [f"{label(x)} ({now})" for x in right],
                               "x": [0.001] * len(left) + [0.999] * len(right),
                               "y": ys[0] + ys[1], "pad": SANKEY_PAD, "thickness": 14,
                               "color": [colour[x] for x in (*left, *right)]},
                      "link": link, "valueformat": ",d"}],
            "layout": {"height": SANKEY_HEIGHT,
                       "margin": {"t": SANKEY_MARGIN, "r": 10, "b": SANKEY_MARGIN, "l": 10},
                       "separators": ", ", "font": {"family": "system-ui, sans-serif",
                                                    "size": 12}}}


def _stacked(columns: list[list[int]]) -> list[list[float]]:
    """The centre of every node (0 top, 1 bottom) when each column's nodes are stacked top
    to bottom in order and spread over the whole height, at the scale Plotly draws them
    (the column with most nodes fills the height with the nodes' padding between them)."""
    height = SANKEY_HEIGHT - 2 * SANKEY_MARGIN
    scale = min((height - (len(c) - 1) * SANKEY_PAD) / sum(c) for c in columns)
    out = []
    for c in columns:
        gap = (height - scale * sum(c)) / (len(c) - 1) if len(c) > 1 else 0
        top = 0.0 if len(c) > 1 else (height - scale * sum(c)) / 2
        ys = []
        for v in c:
            ys.append(min(max((top + scale * v / 2) / height, 0.001), 0.999))
            top += scale * v + gap
        out.append(ys)
    return out


def levels_chart(report: Report) -> dict:
    """Persons per level now and in the compared month, side by side."""
    steps = [x.step for x in report.levels]
    data, marks = [], []
    for field, name, colour in (
            *([("previous", f.month(report.previous_period), PALETTE[5])]
              if report.previous_period else []),
            ("persons", f.month(report.period), PALETTE[0])):
        hidden = [field in x.suppressed for x in report.levels]
        data.append({"type": "bar", "name": name, "x": steps,
                     "y": [None if h else getattr(x, field)
                           for x, h in zip(report.levels, hidden, strict=True)],
                     "marker": {"color": colour}})
        marks.append(withheld_trace(steps, hidden))
    return {"data": with_withheld(data, marks), "layout": {
        "barmode": "group", "height": 340, "margin": {"t": 20, "r": 10, "b": 60, "l": 60},
        "yaxis": {"title": {"text": "Personer"}, "separatethousands": True},
        "legend": {"orientation": "h"}, "separators": ", ",
        "font": {"family": "system-ui, sans-serif"}}}
