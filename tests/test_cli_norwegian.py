"""The command line speaks Norwegian: every help page and the usage mistakes an analyst makes."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from innsatstrapp.cli import app, only

runner = CliRunner()

# Words of Click's and Typer's English texts that have no business in a Norwegian line.
ENGLISH = re.compile(
    r"\b(usage|options?|arguments|commands?|show|this|message|exit|required|default|"
    r"missing|such|invalid|value|try|error|aborted|did|mean|possible|got|unexpected|extra|"
    r"requires|input|should|valid|integer|path|str|bool|int|dynamic|choose|from|not|is|"
    r"the|errno|exists|file|directory|denied|permission|traceback)\b", re.IGNORECASE)


def _commands(command, path=()):
    """Every command path in the tree, the group itself included."""
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


ROOT = typer.main.get_command(app)
PATHS = list(_commands(ROOT))
NAMES = {name for p in PATHS for name in p}


def invoke(args: list[str]):
    """`args` run as the console command runs them: on the app of the command they name
    (`only`), whose output must be the whole app's, word for word."""
    result = runner.invoke(only(args), args, env={"COLUMNS": "100"})
    whole = runner.invoke(app, args, env={"COLUMNS": "100"})
    assert (result.exit_code, result.output) == (whole.exit_code, whole.output)
    return result


def test_the_console_command_makes_the_named_command_alone() -> None:
    """Only the command named first is made into Click's (the others' options are not
    made for nothing); an option, a typo or nothing first gives the whole app."""
    assert list(typer.main.get_command(only(["report", "--period", "2026-01"])).commands) == [
        "report"]
    catalog = typer.main.get_command(only(["catalog", "check"]))
    assert list(catalog.commands) == ["catalog"]
    assert set(catalog.commands["catalog"].commands) == {"template", "check"}
    for args in ([], ["--help"], ["--version"], ["rapport"], ["katalog", "check"]):
        assert only(args) is app
    assert len(app.registered_commands) > 1  # the app itself is left whole


def english(text: str) -> list[str]:
    """The English words left once option names, command names and file names are taken out."""
    text = re.sub(r"--[a-z-]+", " ", text)  # option names stay English by design
    text = re.sub(r"\b\w+-\w+\b", " ", text)  # folder names such as plan-input
    text = re.sub(r"\S+\.(duckdb|xlsx|csv|json|html|pptx|pdf|toml)\b", " ", text)
    text = re.sub(r"\b(json|html|xlsx|pptx|pdf|MMMM)\b", " ", text)
    words = [w for w in ENGLISH.findall(text) if w.lower() not in NAMES]
    return words


def test_the_tree_is_what_the_docs_list() -> None:
    assert {" ".join(p) for p in PATHS} >= {
        "", "ingest", "periods", "remove", "report", "serve", "demo", "catalog",
        "catalog template", "catalog check", "plan", "plan template"}


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "innsatstrapp")
def test_every_help_page_is_norwegian(path: tuple[str, ...]) -> None:
    result = invoke([*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Bruk: innsatstrapp" in result.output
    assert "Vis denne hjelpen og avslutt." in result.output
    assert english(result.output) == [], result.output
    assert "<" not in result.output or "<=" in result.output  # no «<path>», «<bool>»
    if path in (("catalog",), ("plan",), ()):
        assert "Kommandoer" in result.output


MISTAKES = [
    # (arguments, what the message must say)
    (["ingest", "uttrekk.csv"], "Mangler valget --period."),
    (["ingest", "uttrekk.csv", "--periode", "2026-01"],
     "Ukjent valg: --periode. Mente du --period?"),
    (["rapport"], "Ukjent kommando «rapport». Mente du «report»?"),
    (["catalog", "sjekk"], "Ukjent kommando «sjekk»."),
    (["report", "--period", "2026-01", "--catalog", "k.xlsx", "--suppress", "fem"],
     "Ugyldig verdi for valget --suppress: må være et heltall."),
    (["serve", "--port", "åtti"], "Ugyldig verdi for valget --port: må være et heltall."),
    (["report", "--db"], "Valget --db trenger en verdi."),
    (["periods", "ekstra"], "Uventet argument: «ekstra»."),
    (["demo", "--months", "1"], "Ugyldig verdi for valget --months: er for liten (må være "
                                "minst 2)."),
    (["demo", "--months", "500"], "Ugyldig verdi for valget --months: er for stor (må være "
                                  "høyst 120)."),
    (["ingest"], "Mangler argumentet FIL."),
    (["--versjon"], "Ukjent valg: --versjon. Mente du --version?"),
    (["plan", "template"], "Mangler valget --out."),
]


@pytest.mark.parametrize(("args", "said"), MISTAKES, ids=lambda a: " ".join(a)
                         if isinstance(a, list) else "")
def test_usage_mistakes_get_a_norwegian_sentence(args: list[str], said: str) -> None:
    result = invoke(args)
    assert result.exit_code == 2, result.output
    assert f"Feil: {said}" in result.output
    assert english(result.output) == [], result.output
    assert "Traceback" not in result.output


def test_a_mistake_names_the_help_of_its_own_command() -> None:
    result = runner.invoke(app, ["catalog", "template", "--periode", "2026-01"])
    assert "Se «innsatstrapp catalog template --help»" in result.output


def test_the_version_and_a_bare_group() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("innsatstrapp ")
    bare = runner.invoke(app, ["catalog"], env={"COLUMNS": "100"})
    assert "Bruk: innsatstrapp catalog [VALG] KOMMANDO [ARGUMENTER]..." in bare.output
    assert english(bare.output) == []


def test_the_detector_finds_click_texts() -> None:
    """The check above can fail: Click's own lines are caught."""
    assert english("Usage: innsatstrapp ingest [OPTIONS] {file}") == ["Usage", "OPTIONS", "file"]
    assert english("[Errno 17] File exists: 'plan'") == ["Errno", "File", "exists"]
    assert english("Missing option '--period'.") == ["Missing", "option"]
    assert english("Show this message and exit.") == ["Show", "this", "message", "exit"]
    assert english("Vis denne hjelpen og avslutt. --period ÅÅÅÅ-MM innsatstrapp.duckdb") == []


def test_the_demo_names_a_command_that_runs_from_here(monkeypatch, tmp_path) -> None:
    """«Prøv: …» names the script in the virtual env unless the command is on PATH."""
    import os
    import shutil
    import sys

    from innsatstrapp import cli

    bin_dir = tmp_path / ".venv" / ("Scripts" if os.name == "nt" else "bin")
    bin_dir.mkdir(parents=True)
    script = bin_dir / ("innsatstrapp.exe" if os.name == "nt" else "innsatstrapp")
    script.write_text("")
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert cli._program() == str(script.relative_to(tmp_path))
    monkeypatch.setattr(shutil, "which", lambda name: str(script))
    assert cli._program() == "innsatstrapp"


def test_short_help_too() -> None:
    result = runner.invoke(app, ["report", "-h"], env={"COLUMNS": "100"})
    assert result.exit_code == 0 and "Bruk: innsatstrapp report [VALG]" in result.output


@pytest.mark.parametrize(("args", "said"), [
    (["plan", "template", "--out", "{file}"], "{file} er en fil, ikke en mappe."),
    (["demo", "--out", "{file}/demo"], "{file} er en fil, ikke en mappe."),
    (["periods", "--db", "{dir}"], "{dir} er en mappe, ikke et lager."),
    (["catalog", "template", "--period", "2024-01", "--out", "{dir}", "--db", "{dir}/s.duckdb"],
     "Finner ikke lageret"),
    (["report", "--period", "2024-01", "--catalog", "{file}", "--db", "{dir}/s.duckdb"],
     "Katalogen «a-file» ble avvist, og ingenting er endret. Fant 1 feil: • er ikke en "
     "lesbar Excel-fil (XLSX)"),
])
def test_files_in_the_way_are_said_in_norwegian(tmp_path, args: list[str], said: str) -> None:
    """A file where a folder should be, a folder where the store should be: Norwegian
    sentences that name them, exit 1, never the system's English or a traceback."""
    file = tmp_path / "a-file"
    file.write_text("x")
    fill = {"{file}": str(file), "{dir}": str(tmp_path)}

    def filled(text: str) -> str:
        for k, v in fill.items():
            text = text.replace(k, v)
        return text

    result = runner.invoke(app, [filled(a) for a in args], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert filled(said) in " ".join(result.output.split())
    assert english(result.output.replace(str(tmp_path), "")) == [], result.output
