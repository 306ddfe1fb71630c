"""Renderers of the plan: each turns a built Plan into one file and never queries the store.

Kept apart from the report's renderers (one model each), through the same registry
mechanism: PLAN_RENDERERS maps a format to "module:function", imported when used."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from innsatstrapp import outputs

if TYPE_CHECKING:
    from innsatstrapp.model.plan import Plan

PLAN_RENDERERS: dict[str, str] = {
    "json": "innsatstrapp.outputs.plan.json:render",
    "html": "innsatstrapp.outputs.plan.html:render",
    "xlsx": "innsatstrapp.outputs.plan.xlsx:render",
    "pptx": "innsatstrapp.outputs.plan.pptx:render",
}


def renderer(fmt: str) -> outputs.Renderer:
    return outputs.renderer(fmt, PLAN_RENDERERS)


def render(plan: Plan, out_dir: Path, formats: list[str], **options: object) -> list[Path]:
    """Write `plan` in each format to `out_dir`; unknown formats fail before any is written."""
    return outputs.render(plan, out_dir, formats, registry=PLAN_RENDERERS,  # type: ignore[arg-type]
                          **options)
