"""Which columns of an extract mean what (contract §2), and the optional mapping file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from innsatstrapp.errors import (
    IngestError,
    InputFileError,
    MissingFile,
    Problem,
    os_reason,
    visible,
)

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


IGNORE = "ignorer"  # mapping value: do not use this column


def holds_required(cells: list[str], mapping: dict[str, str] | None = None) -> bool:
    """Whether a row could be the header: it names every required column (by an alias or
    the mapping file). Title rows above the header (Gerica's «Vedtaksliste …» in A1) do not."""
    extra = {normalise_header(k): v for k, v in (mapping or {}).items()}
    found = {extra.get(k) or _ALIAS_INDEX.get(k) for k in map(normalise_header, cells)}
    return all(f in found for f in REQUIRED)


def resolve_columns(headers: list[str], file: str, mapping: dict[str, str] | None = None,
                    header_row: int = 1) -> ColumnMap:
    """Match the header row against aliases (and the mapping file, which wins).

    When several columns mean the same field (Kommune and Kommunenummer), the mapping file
    decides, else the name listed first in ALIASES; the others are ignored and reported.
    Only the same name twice, or two mapped columns for one field, is an error.
    """
    extra = {normalise_header(k): v for k, v in (mapping or {}).items()}
    candidates: dict[str, list[tuple[int, int]]] = {}  # field -> [(priority, position)]
    ignored: list[str] = []
    for i, header in enumerate(headers):
        key = normalise_header(header)
        if key in extra:
            field, priority = extra[key], -1
        elif key in _ALIAS_INDEX:
            field = _ALIAS_INDEX[key]
            priority = [normalise_header(a) for a in ALIASES[field]].index(key)
        else:
            field, priority = None, 0
        if field is None or field == IGNORE:
            if key:
                ignored.append(str(header).strip())
            continue
        candidates.setdefault(field, []).append((priority, i))
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    for field, found in candidates.items():
        found.sort()
        if len(found) > 1 and found[0][0] == found[1][0]:
            a, b = (str(headers[found[k][1]]).strip() for k in (0, 1))
            problems.append(Problem(
                header_row, b, None,
                f"både «{a}» og «{b}» betyr {LABELS[field]}; angi i en kolonnekart-fil "
                f"(--mapping) hvilken som gjelder, og sett den andre til \"{IGNORE}\""))
            continue
        positions[field] = found[0][1]
        ignored += [str(headers[i]).strip() for _, i in found[1:]]
    for field in REQUIRED:
        if field not in positions and not any(p.column and field in p.message
                                              for p in problems):
            names = ", ".join(ALIASES[field][:-1])
            problems.append(Problem(
                header_row, None, None,
                f"mangler påkrevd kolonne for {LABELS[field]} (en av: {names}); "
                f"har andre navn? Bruk en kolonnekart-fil (--mapping)"))
    if problems:
        named = [visible(str(h).strip(), 40) for h in headers if str(h).strip()]
        shown = ", ".join(f"«{h}»" for h in named[:20])
        more = f" og {len(named) - 20} til" if len(named) > 20 else ""
        problems.append(Problem(header_row, None, None, (
            f"kolonnene i rad {header_row} er {shown}{more}" if named else
            f"rad {header_row} har ingen kolonneoverskrifter") + "; overskriftene må stå i "
            "én rad (titler over den er i orden, innenfor de første 20 radene)"))
        raise IngestError(file, problems)
    positions = dict(sorted(positions.items(), key=lambda kv: kv[1]))
    return ColumnMap(
        positions=positions,
        headers={f: str(headers[i]).strip() for f, i in positions.items()},
        ignored=tuple(h for h in (str(x).strip() for x in headers) if h in ignored),
    )


def load_mapping(path: Path) -> dict[str, str]:
    """Read a TOML column map: `[kolonner]` with `"Name in the file" = "canonical field"`."""
    import tomllib  # here: an ingest without --mapping need not import it

    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise MissingFile(path, "Kolonnekartet", "Oppgi riktig fil med --mapping.") from None
    except OSError as exc:
        raise InputFileError(name, [Problem(None, None, None, f"kan ikke leses: {os_reason(exc)}")],
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
        if not isinstance(field, str) or (field not in ALIASES and field != IGNORE):
            problems.append(Problem(
                None, source, str(field),
                f"ukjent felt; bruk ett av: {', '.join(FIELDS)}, eller {IGNORE}"))
            continue
        mapping[source] = field
    if problems:
        raise InputFileError(name, problems, what="Kolonnekartet")
    return mapping
