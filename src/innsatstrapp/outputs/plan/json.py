"""plan.json: the Plan as contract §7 defines it, numbers unrounded."""

from __future__ import annotations

import json
from pathlib import Path

from innsatstrapp.model.base import dump
from innsatstrapp.model.plan import Plan


def render(plan: Plan, out_dir: Path, **_: object) -> Path:
    path = out_dir / "plan.json"
    data = dump(plan)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
