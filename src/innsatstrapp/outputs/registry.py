"""Which renderers there are: one registry for the report's and the plan's.

The built-in renderers are listed here; a plugin adds its own in the entry-point group
`innsatstrapp.renderers` ("report.docx" = "package.module:render"). The group is read only
when a format is not a built-in one or the whole list is wanted (an unknown format's
message, the web's downloads): reading every installed package's metadata costs some
milliseconds (more the more packages there are), which a report in built-in formats need not
pay. A plugin cannot replace a built-in format.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

GROUP = "innsatstrapp.renderers"
# the built-in formats of each model, in the order they are offered («Velg blant: json, …»)
BUILT_IN: dict[str, dict[str, str]] = {
    "report": {
        "json": "innsatstrapp.outputs.json:render",
        "html": "innsatstrapp.outputs.html:render",
        "xlsx": "innsatstrapp.outputs.xlsx:render",
        "pptx": "innsatstrapp.outputs.pptx:render",
        "pdf": "innsatstrapp.outputs.pdf:render",
    },
    "plan": {
        "json": "innsatstrapp.outputs.plan.json:render",
        "html": "innsatstrapp.outputs.plan.html:render",
        "xlsx": "innsatstrapp.outputs.plan.xlsx:render",
        "pptx": "innsatstrapp.outputs.plan.pptx:render",
    },
}


@functools.cache
def _plugins() -> dict[str, dict[str, str]]:
    """model -> format -> "module:function" of every renderer in the entry-point group."""
    from importlib.metadata import entry_points

    found: dict[str, dict[str, str]] = {}
    for point in entry_points(group=GROUP):
        model, _, fmt = point.name.partition(".")
        found.setdefault(model, {})[fmt] = point.value
    return found


class Renderers(Mapping[str, str]):
    """format -> "module:function" of every renderer of one model ("report" or "plan"):
    the built-in ones first, in their order, then the plugins' by name."""

    def __init__(self, model: str) -> None:
        self.model = model
        self._built_in = BUILT_IN.get(model, {})

    def __getitem__(self, fmt: str) -> str:
        if fmt in self._built_in:
            return self._built_in[fmt]
        return self._every()[fmt]

    def __contains__(self, fmt: object) -> bool:
        return fmt in self._built_in or fmt in self._every()

    def __iter__(self) -> Iterator[str]:
        return iter(self._every())

    def __len__(self) -> int:
        return len(self._every())

    def __repr__(self) -> str:
        return f"Renderers({self.model!r})"

    def _every(self) -> dict[str, str]:
        added = _plugins().get(self.model, {})
        return {**self._built_in,
                **{f: added[f] for f in sorted(added) if f not in self._built_in}}


def registered(model: str) -> dict[str, str]:
    """format -> "module:function" of every renderer of `model`, built-in and plugins'; a
    new dict each call, in the built-in order and then by name."""
    return dict(Renderers(model).items())
