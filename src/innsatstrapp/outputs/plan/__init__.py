"""Renderers of the plan: each turns a built Plan into one file and never queries the store.

One registry with the report's (the entry-point group `innsatstrapp.renderers`, names
"plan.FORMAT"): PLAN_RENDERERS maps a format to "module:function", imported when used."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from innsatstrapp import outputs
from innsatstrapp.outputs.registry import registered

if TYPE_CHECKING:
    from innsatstrapp.model.plan import Plan

PLAN_RENDERERS: dict[str, str] = registered("plan")


def renderer(fmt: str) -> outputs.Renderer:
    return outputs.renderer(fmt, PLAN_RENDERERS)


def render(plan: Plan, out_dir: Path, formats: list[str], **options: object) -> list[Path]:
    """Write `plan` in each format to `out_dir`; unknown formats fail before any is written."""
    return outputs.render(plan, out_dir, formats, registry=PLAN_RENDERERS,  # type: ignore[arg-type]
                          **options)
