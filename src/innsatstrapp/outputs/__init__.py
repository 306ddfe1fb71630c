"""Renderers: each turns a built Report into one file. They never query the store.

RENDERERS maps a format name (the file extension) to "module:function"; the CLI's --format
and, later, the web's /rapport.{ext} both go through it. Modules are imported when used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from innsatstrapp.errors import UsageError

if TYPE_CHECKING:
    from innsatstrapp.metrics.model import Report

Renderer = Callable[..., Path]  # (report, out_dir, **options) -> the file written

RENDERERS: dict[str, str] = {
    "json": "innsatstrapp.outputs.json:render",
    "html": "innsatstrapp.outputs.html:render",
    "xlsx": "innsatstrapp.outputs.xlsx:render",
    "pptx": "innsatstrapp.outputs.pptx:render",
    "pdf": "innsatstrapp.outputs.pdf:render",
}


def renderer(fmt: str, registry: dict[str, str] = RENDERERS) -> Renderer:
    if fmt not in registry:
        raise UsageError(f"Ukjent format «{fmt}». Velg blant: {', '.join(registry)}.")
    module, func = registry[fmt].split(":")
    return getattr(importlib.import_module(module), func)


def render(report: Report, out_dir: Path, formats: list[str], *,
           registry: dict[str, str] = RENDERERS, **options: object) -> list[Path]:
    """Write `report` (or, with another registry, the plan) in each format to `out_dir`;
    returns the files written. Options (such as pptx_template) go to every renderer, which
    takes what it knows."""
    functions = [renderer(f, registry) for f in formats]  # unknown: fail before writing
    out_dir.mkdir(parents=True, exist_ok=True)
    return [fn(report, out_dir, **options) for fn in functions]
