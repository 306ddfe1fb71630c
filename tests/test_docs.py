"""The docs stay true: every alias, command and the Quickstart are where users look."""

from __future__ import annotations

from pathlib import Path

import typer

from innsatstrapp.cli import app
from innsatstrapp.ingest.columns import ALIASES

ROOT = Path(__file__).resolve().parent.parent


def test_every_alias_is_documented() -> None:
    text = (ROOT / "docs" / "extract-format.md").read_text(encoding="utf-8")
    for field, names in ALIASES.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| {field} |"))
        for name in names:
            assert name in row, (field, name)


def commands(group, prefix: str = "") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            out += commands(cmd, f"{prefix}{name} ")
        else:
            out.append(prefix + name)
    return out


def test_every_command_and_option_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    names = commands(group)
    assert {"ingest", "periods", "catalog template", "catalog check", "demo"} <= set(names)
    for name in names:
        assert f"## `innsatstrapp {name}" in text, name
        cmd = group
        for part in name.split():
            cmd = cmd.commands[part]
        heading = next(line for line in text.splitlines()
                       if line.startswith(f"## `innsatstrapp {name}"))
        for param in cmd.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in heading, (name, opt)


def test_readme_quickstart_has_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quickstart", 1)[1].split("##", 1)[0]
    assert "python3 dev.py demo" in quick and "python3 dev.py test" in quick
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("python3 dev.py test")
