"""Renderers of the plan: each turns a built Plan into one file and never queries the store.

Kept apart from the report's renderers (one model each), in the same shape: PLAN_RENDERERS
maps a format to "module:function", imported when used."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from innsatstrapp.errors import UsageError

if TYPE_CHECKING:
    from innsatstrapp.plan.model import Plan

PlanRenderer = Callable[..., Path]  # (plan, out_dir, **options) -> the file written

PLAN_RENDERERS: dict[str, str] = {
    "json": "innsatstrapp.outputs.plan.json:render",
    "html": "innsatstrapp.outputs.plan.html:render",
    "xlsx": "innsatstrapp.outputs.plan.xlsx:render",
    "pptx": "innsatstrapp.outputs.plan.pptx:render",
}


def renderer(fmt: str) -> PlanRenderer:
    if fmt not in PLAN_RENDERERS:
        raise UsageError(f"Ukjent format «{fmt}». Velg blant: {', '.join(PLAN_RENDERERS)}.")
    module, func = PLAN_RENDERERS[fmt].split(":")
    return getattr(importlib.import_module(module), func)


def render(plan: Plan, out_dir: Path, formats: list[str], **options: object) -> list[Path]:
    """Write `plan` in each format to `out_dir`; unknown formats fail before any is written."""
    functions = [renderer(f) for f in formats]
    out_dir.mkdir(parents=True, exist_ok=True)
    return [fn(plan, out_dir, **options) for fn in functions]
