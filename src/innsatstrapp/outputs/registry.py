"""Which renderers there are: one registry for the report's and the plan's, read from the
entry-point group `innsatstrapp.renderers`, where the built-in ones are registered as any
plugin's would be (pyproject.toml: "report.html" = "innsatstrapp.outputs.html:render")."""

from __future__ import annotations

import functools
from importlib.metadata import entry_points

GROUP = "innsatstrapp.renderers"
# the built-in formats in the order they are offered («Velg blant: json, html, …»)
ORDER = ("json", "html", "xlsx", "pptx", "pdf")


@functools.cache
def _all() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for point in entry_points(group=GROUP):
        model, _, fmt = point.name.partition(".")
        found.setdefault(model, {})[fmt] = point.value
    return found


def registered(model: str) -> dict[str, str]:
    """format -> "module:function" of every renderer of `model` ("report" or "plan"); a new
    dict each call, in the built-in order and then by name."""
    formats = _all().get(model, {})
    rank = {f: i for i, f in enumerate(ORDER)}
    return {f: formats[f] for f in sorted(formats, key=lambda f: (rank.get(f, len(ORDER)), f))}
