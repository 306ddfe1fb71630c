"""Which columns of an extract mean what (contract §2), and the optional mapping file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from innsatstrapp.errors import IngestError, InputFileError, Problem

# canonical field -> names recognised out of the box (compared case-insensitively).
ALIASES: dict[str, tuple[str, ...]] = {
    "person_id": ("Løpenummer", "Løpenr", "Brukernummer", "Brukernr", "Fødselsnummer",
                  "Personnummer", "person_id"),
    "service": ("Tjeneste", "Tjenestenavn", "Tjenestetype", "service"),
    "start_date": ("Fra dato", "Fradato", "Vedtak fra", "Startdato", "Start", "start_date"),
    "end_date": ("Til dato", "Tildato", "Vedtak til", "Sluttdato", "Slutt", "end_date"),
    "decision_id": ("Vedtaksnummer", "Vedtaksnr", "Vedtak-ID", "decision_id"),
    "hours_per_week": ("Vedtatte timer per uke", "Vedtatte timer", "Timer per uke",
                       "hours_per_week"),
    "resource_hours_per_week": ("Ressurstimer per uke", "Ressurstimer", "Ressurstid per uke",
                                "resource_hours_per_week"),
    "unit": ("Avdeling", "Enhet", "Sone", "Virksomhet", "unit"),
    "birth_year": ("Fødselsår", "birth_year"),
    "gender": ("Kjønn", "gender"),
    "municipality": ("Kommunenummer", "Kommunenr", "Kommune", "municipality"),
}

REQUIRED = ("person_id", "service", "start_date")
FIELDS = tuple(ALIASES)

# Norwegian names of the fields, for messages.
LABELS: dict[str, str] = {
    "person_id": "person",
    "service": "tjeneste",
    "start_date": "startdato",
    "end_date": "sluttdato",
    "decision_id": "vedtaksnummer",
    "hours_per_week": "vedtatte timer per uke",
    "resource_hours_per_week": "ressurstimer per uke",
    "unit": "avdeling",
    "birth_year": "fødselsår",
    "gender": "kjønn",
    "municipality": "kommunenummer",
}


def normalise_header(name: str) -> str:
    """Header names match case-insensitively, ignoring surrounding and repeated spaces."""
    return re.sub(r"\s+", " ", str(name).replace("\ufeff", "")).strip().casefold()


_ALIAS_INDEX = {normalise_header(a): field for field, names in ALIASES.items() for a in names}


@dataclass(frozen=True)
class ColumnMap:
    """The extract's columns resolved: canonical field -> position and header as written."""

    positions: dict[str, int]
    headers: dict[str, str]
    ignored: tuple[str, ...]


def resolve_columns(headers: list[str], file: str, mapping: dict[str, str] | None = None
                    ) -> ColumnMap:
    """Match the header row against aliases (and the mapping file, which wins)."""
    extra = {normalise_header(k): v for k, v in (mapping or {}).items()}
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    ignored: list[str] = []
    for i, header in enumerate(headers):
        key = normalise_header(header)
        field = extra.get(key) or _ALIAS_INDEX.get(key)
        if field is None:
            if key:
                ignored.append(str(header).strip())
            continue
        if field in positions:
            first = headers[positions[field]]
            problems.append(Problem(
                1, str(header).strip(), None,
                f"både «{str(first).strip()}» og «{str(header).strip()}» betyr "
                f"{LABELS[field]}; fjern den ene eller angi hvilken som gjelder i en "
                f"kolonnekart-fil (--mapping)"))
            continue
        positions[field] = i
    for field in REQUIRED:
        if field not in positions:
            names = ", ".join(ALIASES[field][:-1])
            problems.append(Problem(
                1, None, None,
                f"mangler påkrevd kolonne for {LABELS[field]} (en av: {names}); "
                f"har andre navn? Bruk en kolonnekart-fil (--mapping)"))
    if problems:
        raise IngestError(file, problems)
    return ColumnMap(
        positions=positions,
        headers={f: str(headers[i]).strip() for f, i in positions.items()},
        ignored=tuple(ignored),
    )


def load_mapping(path: Path) -> dict[str, str]:
    """Read a TOML column map: `[kolonner]` with `"Name in the file" = "canonical field"`."""
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputFileError(name, [Problem(None, None, None, "finner ikke filen")],
                             what="Kolonnekartet") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(name, [Problem(None, None, None, f"kan ikke leses som TOML: {exc}")],
                             what="Kolonnekartet") from None
    table = data.get("kolonner", data.get("columns"))
    if not isinstance(table, dict):
        raise InputFileError(name, [Problem(
            None, None, None,
            'mangler tabellen [kolonner], f.eks. [kolonner] "Klient-ID" = "person_id"')],
            what="Kolonnekartet")
    problems = []
    mapping: dict[str, str] = {}
    for source, field in table.items():
        if not isinstance(field, str) or field not in ALIASES:
            problems.append(Problem(
                None, source, str(field),
                f"ukjent felt; bruk ett av: {', '.join(FIELDS)}"))
            continue
        mapping[source] = field
    if problems:
        raise InputFileError(name, problems, what="Kolonnekartet")
    return mapping
