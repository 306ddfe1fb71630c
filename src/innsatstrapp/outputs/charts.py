"""What every chart does with a withheld figure: it is drawn as withheld (a marked point on
the axis with «*», said in the legend and in words), never as a gap that reads as zero."""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from innsatstrapp.outputs import format as f

# Okabe–Ito, readable with every kind of colour vision: the one palette of every chart,
# page, workbook and deck (with "#"; the decks take it without)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")
GREY = "#5B6776"  # the baseline: «Uendret praksis» in the plan, the grey of text and rules

WITHHELD_NAME = "Skjult (*): færre enn terskelen"
WITHHELD_LABEL = "* skjult"  # the data label of a withheld bar in Excel and PowerPoint
MARK = {"symbol": "asterisk-open", "size": 13, "color": "#444", "line": {"width": 2}}


def withheld_trace(x: Sequence, withheld: Sequence[bool], *, horizontal: bool = False
                   ) -> dict | None:
    """A Plotly trace marking the withheld points of a series at 0 with «*», or None when
    nothing is withheld. One legend entry for all series of a chart."""
    at = [v for v, w in zip(x, withheld, strict=True) if w]
    if not at:
        return None
    zeros = [0] * len(at)
    trace = {"type": "scatter", "mode": "markers+text", "text": ["*"] * len(at),
             "textposition": "top center", "marker": MARK, "name": WITHHELD_NAME,
             "legendgroup": "skjult", "cliponaxis": False,
             "hovertemplate": "%{" + ("y" if horizontal else "x") + "}: skjult<extra></extra>"}
    return trace | ({"x": zeros, "y": at} if horizontal else {"x": at, "y": zeros})


def with_withheld(data: list[dict], marks: list[dict | None]) -> list[dict]:
    """The chart's traces and the marks of its withheld points, one legend entry in all."""
    out, shown = list(data), False
    for m in marks:
        if m is not None:
            out.append(m | {"showlegend": not shown})
            shown = True
    return out


def withheld_words(n: int) -> str:
    """The sentence a chart's text alternative gets when some of its points are withheld."""
    if not n:
        return ""
    which = "ett punkt" if n == 1 else f"{n} punkter"
    return (f" Linjen eller stolpen brytes der tallet er skjult fordi det gjelder for få "
            f"personer ({which}, merket *).")


# the fields of a trace that carry names and values from the extract or the catalog
_DATA_TEXT = {"x", "y", "text", "name", "labels", "ticktext", "hovertext", "customdata",
              "legendgrouptitle"}


def plotly_text(text: str) -> str:
    """A name as Plotly shows it as text: Plotly reads <a>, <b>, <br> and entities in every
    label, so a step called «<a href=…>» would be a live link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def as_text(figure: dict) -> dict:
    """The figure with every name and label in its traces (and the axes' tick texts) passed
    as text (`plotly_text`); titles and templates, which are the program's own, stay."""

    def walk(value: Any, key: str | None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k if k in _DATA_TEXT else key) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key in _DATA_TEXT:
            return plotly_text(value)
        return value

    layout = {k: ({**v, "ticktext": walk(v["ticktext"], "ticktext")}
                  if isinstance(v, dict) and "ticktext" in v else v)
              for k, v in (figure.get("layout") or {}).items()}
    return {**figure, "data": walk(figure.get("data") or [], None), "layout": layout}


MOST_MONTHS = 12  # month labels on an axis: more would crowd or be cut


def months(periods: Sequence[str]) -> list[str]:
    """The months as a chart's categories: «okt. 2026» (hover and axis say the same)."""
    return [f.month_short(p) for p in periods]


def month_axis(periods: Sequence[str], most: int = MOST_MONTHS) -> dict:
    """An x axis over the months of `months(periods)`: every n-th month labelled, counted
    back from the newest so that it always is, at most `most` labels."""
    labels = months(periods)
    step = max(1, -(-len(labels) // most))
    shown = labels[::-1][::step][::-1]
    return {"type": "category", "tickmode": "array", "tickvals": shown, "ticktext": shown,
            "automargin": True}


_AXIS = re.compile(r"[xy]axis\d*")


def readable(figure: dict) -> dict:
    """The figure with room for every axis's labels and title (Plotly's automargin), so
    that no tick label is cut at the edge and no axis title lies over the ticks."""
    layout = dict(figure.get("layout") or {})
    if any(t.get("type", "scatter") in ("scatter", "bar") for t in figure.get("data") or []):
        layout = {"xaxis": {}, "yaxis": {}} | layout
    for k, v in layout.items():
        if _AXIS.fullmatch(k) and isinstance(v, dict):
            layout[k] = {"automargin": True, **v}
    return {**figure, "layout": layout}


def script_json(figure: dict) -> Markup:
    """A figure as JSON that is safe inside <script>: no "</" can close the element, and
    names from the extract or catalog are shown as text (`as_text`); every axis makes room
    for its labels (`readable`)."""
    text = json.dumps(as_text(readable(figure)), ensure_ascii=False).replace("</", "<\\/")
    return Markup(text)  # noqa: S704 -- JSON with "</" escaped, for a script element


@functools.cache
def plotly_js() -> str:
    """Plotly's bundle from the installed package (never a CDN), read once per process."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _installed_bundle() -> bytes | None:
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        with contextlib.suppress(OSError):
            return (Path(folder) / "package_data" / "plotly.min.js").read_bytes()
    return None


@functools.cache
def plotly_bundle() -> bytes:
    """Plotly's bundle as UTF-8, safe inside a <script> element (no "</script" in any case
    closes it), read once per process where `plotly_js` reads it and never decoded: a page
    writes these bytes as they are (decoding its 4,8 MB, escaping, joining it into the page
    and encoding it again took 0,01 s of every HTML report). The file is found where the
    package is installed, without importing it (its import took 0,02 s)."""
    data = _installed_bundle()
    if data is None:  # not a folder of files (a zip): plotly's own reading
        data = plotly_js().encode("utf-8")
    return re.sub(rb"</(script)", rb"<\\/\1", data, flags=re.IGNORECASE)
