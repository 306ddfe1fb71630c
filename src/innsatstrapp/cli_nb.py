"""The command line in Norwegian: Typer's help headings, the usage line and every usage error.

Typer (with the Click it vendors) writes its own texts in English and offers no catalogue for
them, so they are replaced at the two places they are made: the command classes below (usage
line, help option, value placeholders) and `explain`, which turns each of Click's usage errors
into a Norwegian sentence from the error's own fields (the option, the command, the suggestion).
Option and command names stay English, as the analyst types them.
"""

from __future__ import annotations

import copy
import re
import sys
from typing import Any

import typer
from typer._click import exceptions as click_errors
from typer._click import types as click_types
from typer.core import TyperCommand, TyperGroup
from typer.models import TyperPath

from innsatstrapp.console import err, out
from innsatstrapp.errors import InnsatstrappError, printable


def _help_texts() -> None:
    """Typer's help headings and markers in Norwegian: module constants it reads when it
    draws a help page. Set then, not at import: its help module costs 0,15 s to import, and
    most commands never draw one."""
    import typer.rich_utils as rich

    rich.ARGUMENTS_PANEL_TITLE = "Argumenter"
    rich.OPTIONS_PANEL_TITLE = "Valg"
    rich.COMMANDS_PANEL_TITLE = "Kommandoer"
    rich.ERRORS_PANEL_TITLE = "Feil"
    rich.REQUIRED_LONG_STRING = "[påkrevd]"
    rich.DEFAULT_STRING = "[standard: {}]"
    rich.ENVVAR_STRING = "[miljøvariabel: {}]"
    rich.DEPRECATED_STRING = "(utgått) "
    rich.ABORTED_TEXT = ABORTED
    rich.RICH_HELP = "Se [blue]«{command_path} {help_option}»[/] for hjelp."


ABORTED = "Avbrutt."
HELP_TEXT = "Vis denne hjelpen og avslutt."
USAGE = "Bruk: "
OPTIONS = "[VALG]"
SUBCOMMAND = "KOMMANDO [ARGUMENTER]..."

# The placeholder shown for a value when a command names none (Click shows its type's name),
# by the type's class; the first that matches names it.
_PLACEHOLDER = ((TyperPath, "FIL"), (click_types.IntParamType, "N"),
                (click_types.FloatParamType, "TALL"), (click_types.StringParamType, "TEKST"))


def _no_metavar(param: Any, ctx: Any) -> str:
    return ""


def _placeholders(params: list[Any]) -> None:
    for p in params:
        if getattr(p, "param_type_name", "") == "argument":
            # its placeholder already names it: no «<path>» beside it in the help (on a copy:
            # Click shares one STRING or INT among every parameter of that type)
            p.type = copy.copy(p.type)
            p.type.get_metavar = _no_metavar
        if p.metavar is not None:
            continue
        if getattr(p, "is_flag", False):
            p.metavar = ""
        else:
            p.metavar = next((name for kind, name in _PLACEHOLDER
                              if isinstance(p.type, kind)), "VERDI")


class _Norwegian:
    """What both command classes share: Norwegian usage line, help option and placeholders."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.options_metavar = OPTIONS
        _placeholders(self.params)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _help_texts()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        # Typer writes a required argument as {FIL}; Norwegian usage lines write it bare
        pieces = [re.sub(r"^\{(.*)\}$", r"\1", p)
                  for p in self.collect_usage_pieces(ctx)]  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help, option.metavar = HELP_TEXT, ""
        return option

    def invoke(self, ctx: Any) -> Any:
        """Run the command; a problem the user can fix (InnsatstrappError) is printed as
        «Feil: …» and exits 1, in every command alike, with no traceback."""
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except InnsatstrappError as error:
            err.print(f"[bold red]Feil:[/] {txt(str(error))}", highlight=False,
                            soft_wrap=True)
            raise typer.Exit(1) from None

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Run with Click's own error printing off, and print its errors in Norwegian. The
        consoles are made anew for the run (the terminal's width as it is now)."""
        out.reset()
        err.reset()
        try:
            rv = super().main(args, prog_name, complete_var,  # type: ignore[misc]
                              standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError:  # the help page is already shown
            if not standalone_mode:
                raise
            sys.exit(2)
        except click_errors.ClickException as error:
            if not standalone_mode:
                raise
            show(error)
            sys.exit(error.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            sys.stderr.write(ABORTED + "\n")
            sys.exit(1)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv


class Command(_Norwegian, TyperCommand):
    """A command whose help and usage errors are Norwegian."""


class Group(_Norwegian, TyperGroup):
    """A group of commands whose help and usage errors are Norwegian."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subcommand_metavar = SUBCOMMAND


def _names(listed: str) -> str:
    """Click's `'a', 'b'` as `«a» eller «b»`."""
    return " eller ".join(f"«{n.strip()[1:-1]}»" for n in listed.split(", "))


# Click's remaining sentences, as they read after the fields above are taken out.
_SENTENCES: tuple[tuple[re.Pattern[str], Any], ...] = tuple(
    (re.compile(p), r) for p, r in (
        (r"^No such command '(.*)'\. Did you mean (.*)\?$",
         lambda m: f"Ukjent kommando «{m[1]}». Mente du {_names(m[2])}?"),
        (r"^No such command '(.*)'\.$", r"Ukjent kommando «\1»."),
        (r"^Missing command\.$", "Mangler kommando."),
        (r"^Got unexpected extra argument(?:\(s\))? \((.*)\)$", r"Uventet argument: «\1»."),
        (r"^Option '(.*)' requires an argument\.$", r"Valget \1 trenger en verdi."),
        (r"^Option '(.*)' requires (\d+) arguments\.$", r"Valget \1 trenger \2 verdier."),
        (r"^Option '(.*)' does not take a value\.$", r"Valget \1 tar ingen verdi."),
        (r"^Argument '(.*)' takes (\d+) values\.$", r"Argumentet \1 tar \2 verdier."),
    ))

# Click's range check: «1 is not in the range x>=2.» (or x<=9, or 2<=x<=9)
_RANGE = re.compile(r"^'?(.*?)'? is not in the range .*x.*\.$")

# What a value failed to be, from Click's message.
_VALUES: tuple[tuple[str, str], ...] = (
    ("valid int", "må være et heltall"),
    ("valid float", "må være et tall"),
    ("valid boolean", "må være ja/nei (true/false)"),
    ("does not exist", "finnes ikke"),
    ("is a directory", "er en mappe, ikke en fil"),
    ("is a file", "er en fil, ikke en mappe"),
    ("not readable", "kan ikke leses (mangler tilgang?)"),
    ("not writable", "kan ikke skrives (mangler tilgang?)"),
)


# Typer's own check of a path given on the command line: «Path 'x' is not readable.»
_PATH = re.compile(r"^(?i:path|file|directory) '(.*)' (is not readable|is not writable|"
                   r"does not exist|is a directory|is a file)\.$")


def _path_sentence(name: str, what: str) -> str:
    return {
        "is not readable": f"Filen «{name}» kan ikke leses: du mangler tilgang til den. Be om "
                           f"tilgang, eller kopier den til en mappe du har tilgang til.",
        "is not writable": f"«{name}» kan ikke skrives: du mangler tilgang. Velg en annen fil "
                           f"eller mappe.",
        "does not exist": f"Finner ikke «{name}». Sjekk navnet og mappen.",
        "is a directory": f"«{name}» er en mappe. Oppgi en fil.",
        "is a file": f"«{name}» er en fil. Oppgi en mappe.",
    }[what]


def _hint(error: Any) -> str:
    param = getattr(error, "param", None)
    if param is None:
        return ""
    long = [o for o in param.opts if o.startswith("--")]
    if getattr(param, "param_type_name", "") == "argument" or not long:
        return f"argumentet {param.metavar or param.name}"
    return f"valget {long[0]}"


def _out_of_range(error: click_errors.BadParameter) -> str | None:
    """«er for liten (må være minst 2)», from the parameter's own range when Click's message
    says the value is outside it."""
    found = _RANGE.match(error.message)
    if not found:
        return None
    kind = getattr(getattr(error, "param", None), "type", None)
    low, high = getattr(kind, "min", None), getattr(kind, "max", None)
    value = _number(found[1])
    if low is not None and (value is None or value < low):
        return f"er for liten (må være minst {low})"
    if high is not None:
        return f"er for stor (må være høyst {high})"
    return None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def explain(error: click_errors.ClickException) -> str:
    """One Norwegian sentence for a usage error, built from the error's own fields."""
    if isinstance(error, click_errors.NoSuchOption):
        text = f"Ukjent valg: {error.option_name}."
        if error.possibilities:
            text += f" Mente du {' eller '.join(sorted(error.possibilities))}?"
        return text
    if isinstance(error, click_errors.MissingParameter):
        return f"Mangler {_hint(error) or 'en verdi'}."
    if isinstance(error, click_errors.BadParameter):
        english = error.message
        path = _PATH.match(english)
        if path:
            return _path_sentence(path[1], path[2])
        what = _out_of_range(error) or next((nb for en, nb in _VALUES if en in english), None)
        target = _hint(error) or "en verdi"
        if what:
            return f"Ugyldig verdi for {target}: {what}."
        if _looks_english(english):
            return f"Ugyldig verdi for {target}."
        return f"Ugyldig verdi for {target}: {english}"
    message = error.format_message() if not isinstance(error, click_errors.UsageError) \
        else error.message
    for pattern, replacement in _SENTENCES:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    if _looks_english(message):
        return "Kommandolinjen kan ikke tolkes."
    return message


_ENGLISH = re.compile(r"\b(the|is|not|no|such|invalid|missing|option|value|should|must|"
                      r"requires|expected|got)\b", re.IGNORECASE)


def _looks_english(text: str) -> bool:
    return bool(_ENGLISH.search(text))


def txt(text: object) -> str:
    """Text for the consoles: Rich markup escaped, control characters written out (a file's
    name or a cell could carry an escape sequence for the terminal)."""
    from rich.markup import escape

    return escape(printable(str(text)))


def show(error: click_errors.ClickException) -> None:
    """Print a usage error as the tool prints its own: `Feil:` and where to read more."""
    ctx = getattr(error, "ctx", None)
    err.print(f"[bold red]Feil:[/] {txt(explain(error))}", highlight=False, soft_wrap=True)
    if ctx is not None:
        err.print(f"Se «{txt(ctx.command_path)} --help» for hva kommandoen tar imot.",
                  highlight=False, soft_wrap=True)
