"""The pages' templates are compiled once per machine, not in every process."""

from __future__ import annotations

import subprocess
import sys

from innsatstrapp.outputs.html import environment


def test_a_new_process_finds_the_compiled_template(tmp_path) -> None:
    code = ("from innsatstrapp.outputs.html import environment\n"
            "env = environment('innsatstrapp.outputs')\n"
            "env.get_template('report.html.j2')\n"
            "print(env.bytecode_cache.directory)\n")
    env = {"TMPDIR": str(tmp_path), "PATH": ""}
    folder = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=True).stdout.strip()
    kept = {p.name: p.stat().st_mtime_ns for p in tmp_path.rglob("*.cache")}
    assert folder.startswith(str(tmp_path)) and kept  # written by the first process
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    # the second read it (a compile would have written the file again)
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.rglob("*.cache")} == kept


def test_the_dashboard_and_the_report_share_the_way_templates_load() -> None:
    assert environment("innsatstrapp.web").bytecode_cache is \
        environment("innsatstrapp.outputs").bytecode_cache
