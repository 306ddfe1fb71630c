"""Renderers of the plan: each turns a built Plan into one file and never queries the store.

One registry with the report's (`outputs.registry`; a plugin's are named "plan.FORMAT" in
the entry-point group): PLAN_RENDERERS maps a format to "module:function", imported when
used."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from innsatstrapp import outputs
from innsatstrapp.outputs.registry import Renderers

if TYPE_CHECKING:
    from innsatstrapp.model.plan import Plan

PLAN_RENDERERS: Mapping[str, str] = Renderers("plan")


def renderer(fmt: str) -> outputs.Renderer:
    return outputs.renderer(fmt, PLAN_RENDERERS)


def render(plan: Plan, out_dir: Path, formats: list[str], **options: object) -> list[Path]:
    """Write `plan` in each format to `out_dir`; unknown formats fail before any is written."""
    return outputs.render(plan, out_dir, formats, registry=PLAN_RENDERERS,  # type: ignore[arg-type]
                          **options)
