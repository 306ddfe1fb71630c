#!/usr/bin/env python3
"""Set-up in one command, on Linux, macOS and Windows, with only Python 3.11+ installed.

    python3 dev.py demo      # make .venv, install, build the demo municipality
    python3 dev.py test      # make .venv, install with test tools, run ruff and the whole suite
    python3 dev.py run ARGS  # make .venv, install, run `innsatstrapp ARGS` in the current folder

Any further arguments go to the command (`python3 dev.py test -k ingest`,
`python3 dev.py run periods --db innsatstrapp-demo/innsatstrapp.duckdb`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_venv() -> None:
    """Create the virtual env and (re)install when pyproject.toml has changed."""
    stamp = VENV / ".installed"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want and PY.exists():
        return
    if not PY.exists():
        print("Lager virtuelt miljø i .venv …", flush=True)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except Exception as exc:  # Debian without python3-venv
            sys.exit(f"Kunne ikke lage .venv ({exc}). På Debian/Ubuntu: "
                     "apt-get install python3-venv")
    print("Installerer innsatstrapp med avhengigheter …", flush=True)
    run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
    stamp.write_text(want)


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium (never a downloaded browser build)."""
    if shutil.which("chromium"):
        return
    if os.name == "posix" and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which(
            "apt-get"):
        print("Installerer Debians chromium for nettlesertestene …", flush=True)
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", "chromium"])
        return
    sys.exit("Nettlesertestene trenger Chromium: sudo apt-get install chromium "
             "(eller kjør uten dem: python3 dev.py test --deselect tests/test_browser.py)")


def run(cmd: list[str]) -> None:
    code = subprocess.call(cmd, cwd=ROOT)
    if code:
        sys.exit(code)


def cli(args: list[str]) -> list[str]:
    """The command line of the innsatstrapp command in .venv, with `args` after it."""
    return [str(BIN / ("innsatstrapp.exe" if os.name == "nt" else "innsatstrapp")), *args]


def passthrough(cmd: list[str]) -> int:
    """Run `cmd` in the caller's folder (paths in its arguments are the caller's) and return
    its exit code. Ctrl+C reaches the command too (the dashboard stops itself), so this waits
    for it to end instead of cutting it short."""
    proc = subprocess.Popen(cmd)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            continue


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 -- dev.py must run on old Pythons to say so
        sys.exit("innsatstrapp trenger Python 3.11 eller nyere.")
    what, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if what not in ("demo", "test", "run"):
        sys.exit(__doc__)
    ensure_venv()
    if what == "run":
        sys.exit(passthrough(cli(rest)))
    if what == "demo":
        run([str(BIN / "innsatstrapp"), "demo", *rest])
    else:
        ensure_chromium()
        run([str(BIN / "ruff"), "check", "src", "tests", "bench", "scripts", "dev.py"])
        workers = ["-n", "auto"] if os.cpu_count() and os.cpu_count() > 1 else []
        run([str(PY), "-m", "pytest", *workers, *rest])


if __name__ == "__main__":
    main()
