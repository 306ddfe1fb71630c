"""The catalog model and its loader. Strict: a catalog that does not hold is rejected whole."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from innsatstrapp.catalog.names import loose, near
from innsatstrapp.errors import InputFileError, MissingFile, Problem, os_reason
from innsatstrapp.text import plain

ROLES = ("hjemmesykepleie", "langtidsopphold")
_YES = {"ja", "j", "yes", "y", "sann", "true", "1", "x"}
_NO = {"nei", "n", "no", "usann", "false", "0"}


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    category: str | None = None
    on_staircase: bool = True  # column Trapp: "nei" = beside the staircase (gives no level)


@dataclass(frozen=True)
class CatalogService:
    name: str
    group: str
    step: str | None  # None: listed, but not yet placed on a step (counted as unmapped)
    role: str | None = None


@dataclass(frozen=True)
class Catalog:
    steps: tuple[Step, ...]
    services: tuple[CatalogService, ...]
    file_name: str = ""
    sha256: str = ""
    _by_name: dict[str, CatalogService] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({s.name: s for s in self.services})

    def service(self, name: str) -> CatalogService | None:
        return self._by_name.get(name)

    @functools.cached_property
    def mapped(self) -> tuple[CatalogService, ...]:
        """The services placed on a step (made once: a report reads it a few times per
        unit)."""
        return tuple(s for s in self.services if s.step is not None)

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)


def default_steps() -> tuple[Step, ...]:
    """A staircase like Larvik's (seed 000), offered in a fresh catalog template."""
    return (
        Step("Grunnmur", 0),
        *(Step(f"Trinn {i}", i) for i in range(1, 7)),
        Step("På tvers", 7, on_staircase=False),
        Step("Boliger", 8, on_staircase=False),
    )


# --- loading -------------------------------------------------------------------------------

def _text(value: object) -> str:
    """A cell as text; control characters become spaces, as on ingest (so names still
    match the extract's, and every renderer can write them)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return plain(str(value))


class _Sheet:
    """One worksheet as header-indexed rows, numbered as the spreadsheet shows them."""

    def __init__(self, name: str, rows: list[list[object]]) -> None:
        self.name = name
        self.header = [_text(c).casefold() for c in (rows[0] if rows else [])]
        self.rows = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(_text(c) for c in r)]

    def col(self, name: str) -> int | None:
        name = name.casefold()
        return self.header.index(name) if name in self.header else None

    @staticmethod
    def cell(row: list[object], index: int | None) -> str:
        if index is None or index >= len(row):
            return ""
        return _text(row[index])


def load_catalog(path: Path | str) -> Catalog:
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MissingFile(path, "Katalogen", "Sjekk navnet og mappen, eller lag en katalog "
                          "med «innsatstrapp catalog template».") from None
    except OSError as exc:
        raise InputFileError(name, [Problem(None, None, None, f"kan ikke leses: {os_reason(exc)}")],
                             what="Katalogen") from None
    sheets = _read_workbook(name, data)
    problems: list[Problem] = []
    broken: set[str] = set()
    steps = _steps(sheets.get("trinn"), problems, broken)
    services = _services(sheets.get("tjenester"), steps, problems, broken)
    if problems:
        raise InputFileError(name, problems[:20], total=len(problems), what="Katalogen")
    return Catalog(tuple(sorted(steps.values(), key=lambda s: s.order)), tuple(services),
                   file_name=name, sha256=hashlib.sha256(data).hexdigest())


def _read_workbook(name: str, data: bytes) -> dict[str, _Sheet]:
    import io

    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        for sheet_name in book.sheet_names:
            rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            sheets[sheet_name.strip().casefold()] = _Sheet(sheet_name, rows)
    except Exception:  # calamine's errors for damaged or non-Excel files
        raise InputFileError(name, [Problem(None, None, None,
                                            "er ikke en lesbar Excel-fil (XLSX)")],
                             what="Katalogen") from None
    missing = [s for s in ("Trinn", "Tjenester") if s.casefold() not in sheets]
    if missing:
        raise InputFileError(name, [Problem(None, None, None,
                                            f"mangler arket «{s}»") for s in missing],
                             what="Katalogen")
    return sheets


def _require(sheet: _Sheet, columns: tuple[str, ...], problems: list[Problem]) -> bool:
    ok = True
    for c in columns:
        if sheet.col(c) is None:
            problems.append(Problem(1, c, None, "mangler kolonnen", sheet=sheet.name))
            ok = False
    return ok


def _steps(sheet: _Sheet, problems: list[Problem], broken: set[str]) -> dict[str, Step]:
    """The steps; `broken` gets the names of steps whose row is wrong (said once, here)."""
    steps: dict[str, Step] = {}
    if not _require(sheet, ("Trinn", "Nr"), problems):
        return steps
    c_name, c_nr = sheet.col("Trinn"), sheet.col("Nr")
    c_cat, c_trapp = sheet.col("Kategori"), sheet.col("Trapp")
    orders: dict[int, int] = {}
    first_row: dict[str, int] = {}
    for row_no, row in sheet.rows:
        name, nr = sheet.cell(row, c_name), sheet.cell(row, c_nr)
        where = {"sheet": sheet.name}
        if not name:
            problems.append(Problem(row_no, "Trinn", None, "mangler navn på trinnet", **where))
            continue
        try:
            order = int(nr)
        except ValueError:
            problems.append(Problem(row_no, "Nr", nr or None,
                                    "må være et heltall (trinnets rekkefølge)", **where))
            broken.add(name.casefold())
            continue
        key = name.casefold()
        if key in first_row:
            problems.append(Problem(row_no, "Trinn", name,
                                    f"trinnet står to ganger (også i rad {first_row[key]})",
                                    **where))
            continue
        if order in orders:
            problems.append(Problem(row_no, "Nr", nr,
                                    f"samme nummer som trinnet i rad {orders[order]}", **where))
            continue
        trapp = sheet.cell(row, c_trapp).casefold()
        if trapp and trapp not in _YES | _NO:
            problems.append(Problem(row_no, "Trapp", sheet.cell(row, c_trapp),
                                    "skal være «ja» eller «nei»", **where))
            broken.add(key)
            continue
        first_row[key], orders[order] = row_no, row_no
        steps[key] = Step(name, order, sheet.cell(row, c_cat) or None, trapp not in _NO)
    return steps


def _services(sheet: _Sheet, steps: dict[str, Step], problems: list[Problem],
              broken: set[str] | frozenset[str] = frozenset()) -> list[CatalogService]:
    services: list[CatalogService] = []
    if not _require(sheet, ("Tjeneste", "Trinn"), problems):
        return services
    c_name, c_step = sheet.col("Tjeneste"), sheet.col("Trinn")
    c_group, c_role = sheet.col("Gruppe"), sheet.col("Rolle")
    seen: dict[str, int] = {}
    group_step: dict[str, tuple[str | None, int]] = {}
    for row_no, row in sheet.rows:
        where = {"sheet": sheet.name}
        name = sheet.cell(row, c_name)
        if not name:
            problems.append(Problem(row_no, "Tjeneste", None, "mangler navn på tjenesten",
                                    **where))
            continue
        if name in seen:
            problems.append(Problem(row_no, "Tjeneste", name,
                                    f"tjenesten står to ganger (også i rad {seen[name]})",
                                    **where))
            continue
        seen[name] = row_no
        step_text = sheet.cell(row, c_step)
        step = steps.get(step_text.casefold()) if step_text else None
        if step_text and step is None:
            if step_text.casefold() not in broken:  # a wrong step row is said once, there
                meant = near(step_text, {loose(x.name): x.name for x in steps.values()})
                hint = f"; mente du «{meant}»?" if meant else ""
                problems.append(Problem(row_no, "Trinn", step_text,
                                        f"ukjent trinn (finnes ikke i arket Trinn){hint}",
                                        **where))
            continue
        role = sheet.cell(row, c_role).casefold() or None
        if role is not None and role not in ROLES:
            problems.append(Problem(row_no, "Rolle", sheet.cell(row, c_role),
                                    f"ukjent rolle; bruk {' eller '.join(ROLES)}, eller la "
                                    f"feltet stå tomt", **where))
            continue
        group = sheet.cell(row, c_group) or name
        step_name = step.name if step else None
        if step_name is not None:
            first = group_step.setdefault(group, (step_name, row_no))
            if first[0] != step_name:
                problems.append(Problem(row_no, "Gruppe", group,
                                        f"gruppen står på {first[0]} i rad {first[1]}; en "
                                        f"gruppe hører til ett trinn", **where))
                continue
        services.append(CatalogService(name, group, step_name, role))
    return services
