"""report.json: the Report as the contract defines it, numbers unrounded."""

from __future__ import annotations

import json
from pathlib import Path

from innsatstrapp.model.base import dump
from innsatstrapp.model.report import Report


def render(report: Report, out_dir: Path, **_: object) -> Path:
    path = out_dir / "report.json"
    data = dump(report)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
