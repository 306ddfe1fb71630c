"""The docs stay true: every alias, command and the Quickstart are where users look."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
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


# --- the user guide (docs/brukerveiledning.md) -------------------------------------------

GUIDE = ROOT / "docs" / "brukerveiledning.md"
# The command as the guide writes it: bare (the environment activated), by its path in
# .venv on Windows or Linux/macOS, or through `dev.py run`.
_PROGRAM = re.compile(r"^«?(?:.*[\\/])?innsatstrapp(?:\.exe)?$")
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_INLINE = re.compile(r"`([^`\n]+)`")


def code_lines(text: str) -> list[str]:
    """Every line of the fenced code blocks and every inline code span of `text`."""
    lines = [line for block in _FENCE.findall(text) for line in block.splitlines()]
    prose = _FENCE.sub("", text)
    return lines + _INLINE.findall(prose)


def invocations(text: str) -> list[list[str]]:
    """The words after each `innsatstrapp` (or `dev.py run`) in the code of `text`, up to the
    end of the line, a comment or the closing » of a quoted command in a message."""
    found = []
    for line in code_lines(text):
        words = line.split()
        for i, word in enumerate(words):
            before = words[i - 1].strip("\"'") if i else ""
            program = _PROGRAM.match(word) and before not in ("from", "import")
            if not (program or (word == "run" and before.endswith("dev.py"))):
                continue
            rest = []
            for w in words[i + 1:]:
                if w.startswith("#") or w == "…":  # a comment; `innsatstrapp …` in prose
                    break
                rest.append(w.split("»")[0].rstrip(".,;"))
                if "»" in w:
                    break
            found.append(rest)
    return found


def is_group(cmd) -> bool:
    return hasattr(cmd, "commands")  # a Click group (Typer's own copy of Click, or Click's)


def resolve(words: list[str]):
    """The Click command that `innsatstrapp WORDS` runs and the options given to it; fails
    the test on a command or subcommand that does not exist."""
    cmd = typer.main.get_command(app)
    given = [w.split("=", 1)[0] for w in words if w.startswith("--")]
    path, rest = "innsatstrapp", list(words)
    while is_group(cmd) and rest:
        if rest[0].startswith("-"):
            if cmd.invoke_without_command or path == "innsatstrapp":
                break  # the group's own options (`plan --period …`, `innsatstrapp --help`)
            raise AssertionError(f"{path} needs a subcommand: {' '.join(words)}")
        name = rest.pop(0)
        if name not in cmd.commands:
            raise AssertionError(f"{path} has no command {name!r}: {' '.join(words)}")
        cmd, path = cmd.commands[name], f"{path} {name}"
    if is_group(cmd) and not cmd.invoke_without_command and path != "innsatstrapp":
        raise AssertionError(f"{path} needs a subcommand: {' '.join(words)}")
    return cmd, given


def options(cmd) -> set[str]:
    return {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)} | {"--help"}


def all_commands() -> dict:
    out = {}

    def walk(cmd, path: str) -> None:
        out[path] = cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    return out


def test_guide_runs_only_commands_and_options_that_exist() -> None:
    found = invocations(GUIDE.read_text(encoding="utf-8"))
    assert len(found) >= 40, len(found)  # the parser found the guide's commands
    for words in found:
        cmd, given = resolve(words)
        for opt in given:
            assert opt in options(cmd), (cmd.name, opt, " ".join(words))


def test_guide_shows_every_command() -> None:
    shown = set()
    for words in invocations(GUIDE.read_text(encoding="utf-8")):
        args = [w for w in words if not w.startswith("-")]
        shown.add(" ".join(args[:2]))
        shown.add(args[0] if args else "")
    wanted = {p for p, c in all_commands().items()
              if p and (not is_group(c) or c.invoke_without_command)}
    assert wanted - {"demo"} <= shown, wanted - shown  # demo: through `dev.py demo`


def test_every_option_the_guide_names_exists() -> None:
    known = {o for c in all_commands().values() for o in options(c)}
    text = GUIDE.read_text(encoding="utf-8")
    # (a message that names a mistyped option is quoted as it is: «Ukjent valg: --perod»)
    named = set(re.findall(r"(?<![\w-])(?<!Ukjent valg: )--[a-z][a-z-]*", text))
    assert {"--period", "--catalog", "--db", "--out"} <= named
    assert named <= known, named - known


def test_the_parser_catches_what_does_not_exist() -> None:
    """The guide's test itself: a wrong command, subcommand or option is found."""
    bad = ("```\ninnsatstrapp rapport --period 2026-10\n```",
           "`innsatstrapp catalog lag --period 2026-10`",
           "```\n.venv\\Scripts\\innsatstrapp.exe report --perod 2026-10\n```",
           "```\npy dev.py run serve --katalog k.xlsx\n```",
           "`innsatstrapp catalog`", "`innsatstrapp plan tempalte --out plan-input`",
           "`innsatstrapp catalog --period 2026-10`")
    for text in bad:
        with pytest.raises(AssertionError):
            for words in invocations(text):
                cmd, given = resolve(words)
                for opt in given:
                    assert opt in options(cmd), opt
    good = invocations("```\npython -c \"from innsatstrapp import Store\"\n"
                       "innsatstrapp plan --period 2026-10\n"
                       "Feil: Se «innsatstrapp plan template --help» for hjelp.\n```")
    assert good == [["plan", "--period", "2026-10"], ["plan", "template", "--help"]]


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_guide_links_lead_somewhere() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    anchors = {_anchor(h) for h in re.findall(r"^#+ (.+)$", _FENCE.sub("", text), re.MULTILINE)}
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        page, _, anchor = target.partition("#")
        if page.startswith("http"):
            continue
        if page:
            assert (GUIDE.parent / page).is_file(), target
            if anchor and page.endswith(".md"):
                other = (GUIDE.parent / page).read_text(encoding="utf-8")
                assert anchor in {_anchor(h) for h in re.findall(r"^#+ (.+)$", other,
                                                                   re.MULTILINE)}, target
        else:
            assert anchor in anchors, target


def test_guide_is_in_norwegian_with_norwegian_numbers() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for word in ("Månedsrutinen", "Katalogen", "Rapporten", "Dashbordet", "Personvern",
                 "Når noe går galt"):
        assert f" {word}" in text, word
    assert re.search(r"\d \d{3}\b", text) and re.search(r"\d,\d+ %", text)
    assert not re.search(r"\b\d{1,3},\d{3}\b(?! %)", text.replace("0,15", ""))  # 6,306 is US


# --- sources and README -------------------------------------------------------------------

def published_docs() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_no_doc_points_at_internal_files() -> None:
    """The docs describe their sources in their own words, not as files of the project's own
    working material that a reader of the repository does not have."""
    internal = re.compile(r"seed \d|seeds/|\.\./shared|the seeds|contract §", re.IGNORECASE)
    for doc in published_docs():
        for no, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), start=1):
            assert not internal.search(line), f"{doc.name}:{no}: {line}"


def test_no_doc_says_an_existing_command_is_coming() -> None:
    names = {p.split()[-1] for p in all_commands() if p}
    stale = re.compile(r"`(?:innsatstrapp )?([a-z]+)`\s*\((?:coming|kommer|planned)\)")
    for doc in published_docs():
        for name in stale.findall(doc.read_text(encoding="utf-8")):
            assert name not in names, (doc.name, name)


def test_readme_links_the_user_guide_and_says_how_to_run_it() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/brukerveiledning.md)" in text
    assert text.index("docs/brukerveiledning.md") < text.index("## Quickstart") + 2000
    assert ".venv\\Scripts\\innsatstrapp.exe" in text and ".venv/bin/innsatstrapp" in text
    assert "dev.py run" in text


def test_every_dashboard_page_is_documented() -> None:
    from innsatstrapp.web.routes import router

    routes = {m[1] for r in router.routes if (m := re.match(r"/([a-z]+)", r.path))}
    pages = (ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
    assert {"trinn", "tjeneste", "framtid", "bevegelse"} <= routes  # the routes were found
    guide = GUIDE.read_text(encoding="utf-8")
    for route in routes - {"favicon", "static", "rapport"}:
        assert f"`/{route}" in pages, route
        title = "Langtidsopphold" if route == "langtidsopphold" else route.capitalize()
        assert f"| {title} |" in guide, route


# --- dev.py run ---------------------------------------------------------------------------

def _dev():
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_run_passes_every_argument_to_the_command(monkeypatch) -> None:
    dev = _dev()
    ran: list[list[str]] = []
    monkeypatch.setattr(dev, "ensure_venv", lambda: None)
    monkeypatch.setattr(dev, "passthrough", lambda cmd: ran.append(cmd) or 3)
    args = ["report", "--period", "2026-10", "--catalog", "katalog med mellomrom.xlsx"]
    monkeypatch.setattr(sys, "argv", ["dev.py", "run", *args])
    with pytest.raises(SystemExit) as done:
        dev.main()
    assert done.value.code == 3  # the command's exit code is dev.py's
    assert len(ran) == 1 and ran[0][1:] == args
    program = Path(ran[0][0])
    assert program.parent == dev.BIN and program.name in ("innsatstrapp", "innsatstrapp.exe")


def test_dev_without_a_known_subcommand_says_how(monkeypatch) -> None:
    dev = _dev()
    monkeypatch.setattr(dev, "ensure_venv", lambda: pytest.fail("no set-up for a typo"))
    monkeypatch.setattr(sys, "argv", ["dev.py", "kjør"])
    with pytest.raises(SystemExit) as done:
        dev.main()
    assert "dev.py run" in str(done.value.code)


def test_dev_run_runs_the_real_command() -> None:
    dev = _dev()
    stamp = dev.VENV / ".installed"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == want and dev.PY.exists()):
        pytest.skip("no installed .venv (dev.py run would install it)")
    done = subprocess.run([sys.executable, str(ROOT / "dev.py"), "run", "--version"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("innsatstrapp ")
    missing = subprocess.run([sys.executable, str(ROOT / "dev.py"), "run", "periods", "--db",
                              str(ROOT / "tests" / "finnes-ikke.duckdb")],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "Finner ikke lageret" in missing.stderr


# What the guide quotes from the program's own messages and pages, word for word: when one is
# reworded in the code, the guide is to be reworded with it.
QUOTED = ("ble avvist, og ingenting er endret", "er i bruk av et annet program",
          "det ser ut til å være skadet eller ufullstendig", "kunne ikke brukes (DuckDB:",
          "ikke i uttrekket", "uttrekket har ingen kolonne for",
          "filen er åpen i et annet program", "Er perioden riktig?",
          "Samme fil (samme innhold) er alt lagret som", "mangler påkrevd kolonne for",
          "overskriftene må stå i én rad", "Ugyldig periode", "Kolonner som ikke brukes",
          "Ny nøkkel for pseudonymisering", "Skjuling avgjort", "mente du «",
          "er ikke plassert på et trinn", "har ingen rader i", "Tallene beregnes",
          "Tilbake til filens tall", "Excel (alle tabellene)", "Hele rapporten for måneden",
          "Sammenlign med", "Ukjent valg", "Ukjent kommando",
          "Uventet feil", "skal holde nøyaktig 64 heksadesimale tegn",
          "Nøkkelen passer ikke til lageret", "aktive vedtak uten timer eller med 0 timer",
          "flere vedtakstimer i uka enn uka har (over 168)",
          "starter etter telledatoen (ikke aktive ennå)", "med ulikt fødselsår eller kjønn",
          "Hvor konsentrert er timene?", "Bevegelse i trappen", "Uendret praksis")


def test_what_the_guide_quotes_is_what_the_program_says() -> None:
    guide = " ".join(GUIDE.read_text(encoding="utf-8").split())
    source = " ".join(" ".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "src").rglob("*"))
        if p.suffix in (".py", ".j2")).split())
    source = re.sub(r'"\s*(?:f|rf|fr)?"', "", source)  # "…" "…" split over lines is one text
    for phrase in QUOTED:
        assert phrase in guide, phrase
        assert phrase in source, phrase
