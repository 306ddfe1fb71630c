"""The report model (contract §4): built once by metrics, handed to every renderer.

Frozen models (`model.base`), so the JSON Schema (report.schema.json) comes from the same
source as the JSON itself. Field names and meanings are the contract's; extra fields only add.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from msgspec import Meta, field

from innsatstrapp.model.base import Model, Open, json_schema

# a time of day as report.json writes it (ISO 8601, local time, to the second)
DateTime = Annotated[dt.datetime, Meta(extra_json_schema={"format": "date-time"})]

# the unit key of decisions without a unit (ingest never stores an empty unit)
NO_UNIT = ""
# age bands of the movement tables and the plan, and the band of an unknown birth year
AGE_BANDS = ("0-17", "18-49", "50-66", "67-74", "75-79", "80-84", "85-89", "90+")
UNKNOWN = "ukjent"
# the level of a person with no active decision on the staircase
NONE = "ingen"
# catalog roles the figures single out
HOME_NURSING = "hjemmesykepleie"
LONG_TERM = "langtidsopphold"


class _Row(Model, kw_only=True):
    suppressed: Annotated[list[str], Meta(description=(
        "Fields withheld (null) because they count or derive from fewer persons than the "
        "suppression threshold."))] = []


class Figure(_Row, kw_only=True):
    value: int | float | None
    previous: int | float | None = None
    change: int | float | None = None
    change_pct: float | None = None


class StepRow(_Row, kw_only=True):
    step: str
    order: int
    category: str | None = None
    services: int | None
    users: int | None
    previous: int | None = None
    change: int | None = None
    change_pct: float | None = None


class GroupRow(_Row, kw_only=True):
    group: str
    step: str
    services: int | None
    users: int | None
    previous: int | None = None
    change: int | None = None
    change_pct: float | None = None


class ServiceRow(_Row, kw_only=True):
    service: str
    group: str
    step: str
    role: Annotated[str | None, Meta(description="Rolle from the catalog.")] = None
    count: int | None
    users: int | None
    previous: int | None = None
    change: int | None = None
    change_pct: float | None = None
    new: int | None
    ended: int | None
    net: int | None
    approved_hours: float | None = None
    resource_hours: float | None = None


class ConcentrationRow(_Row, kw_only=True):
    scope_type: str  # "service" | "group"
    scope: str
    users: int | None
    hours: float | None
    top10_hours_pct: float | None
    below_2h_users_pct: float | None
    below_2h_hours_pct: float | None
    gini: float | None
    under_1h: int | None
    h1_to_6: int | None
    h6_to_12: int | None
    h12_plus: int | None
    top10_users: Annotated[int | None, Meta(description=(
        "ceil(users / 10): the persons in the top"))] = None
    lorenz: Annotated[list[float] | None, Meta(description=(
        "Share of hours (%) held by the 0 %, 10 %, …, 100 % of persons with the fewest hours "
        "(floor(k·users/10) persons); for the Lorenz curve."))] = None


class LongTermRow(_Row, kw_only=True):
    service: str
    residents: int | None
    under_150_days: int | None
    days_150_to_365: int | None
    days_365_to_730: int | None
    over_730_days: int | None
    median_days: float | None
    mean_days: float | None


class UnmappedService(_Row, kw_only=True):
    service: str
    rows: int | None
    active: int | None = None


class QualityWarning(_Row, kw_only=True):
    code: str
    message: str
    count: int | None
    service: str | None = None


class DataQuality(Open, kw_only=True):
    suppressed: Annotated[list[str], Meta(description=(
        "Fields withheld (rows, active): small counts, or the same figure as a withheld one "
        "elsewhere."))] = []
    unmapped_services: list[UnmappedService]
    rows: Annotated[int | None, Meta(description=(
        "Rows of the extract (of the unit's decisions, in a unit's report)."))]
    active: Annotated[int | None, Meta(description=(
        "Active decisions at D (any service)."))]
    warnings: list[QualityWarning] = []
    absent_columns: Annotated[list[str], Meta(description=(
        "Optional columns (hours_per_week, resource_hours_per_week, end_date) the period's "
        "extract did not have: the figures resting on them are null, not 0."))] = []
    absent_columns_compared: Annotated[list[str], Meta(description=(
        "The same for the compared period's extract: the changes resting on them are "
        "null."))] = []


class LevelRow(_Row, kw_only=True):
    step: str
    order: int
    persons: Annotated[int | None, Meta(description=(
        "Persons whose level (highest staircase step of their active decisions) is this "
        "step."))]
    previous: int | None = None
    change: int | None = None
    change_pct: float | None = None


class TransitionCell(_Row, kw_only=True):
    from_: Annotated[str, Meta(description=(
        "Level at the compared period's D (a step, or «ingen»)."))] = field(name="from")
    to: Annotated[str, Meta(description="Level at D (a step, or «ingen»).")]
    persons: int | None


def forward(period: str, compare: str) -> tuple[str, str]:
    """A pair of periods as movement is computed and decided: (later, earlier)."""
    return (period, compare) if compare < period else (compare, period)


# the movements of a pair seen the other way (a report compared with a later month)
BACKWARDS = {"moved_down": "moved_up", "moved_up": "moved_down", "entered": "left",
             "left": "entered"}


class Transitions(_Row, kw_only=True):
    matrix: list[TransitionCell]
    moved_down: int | None
    moved_up: int | None
    stayed: int | None
    entered: int | None
    left: int | None


class AgeRow(_Row, kw_only=True):
    age_band: str
    gender: str
    users: int | None
    persons_by_level: Annotated[dict[str, int | None], Meta(description=(
        "Persons per level (steps with 0 left out; null = withheld)."))]


class FlowRow(_Row, kw_only=True):
    period: Annotated[str, Meta(description=(
        "The later period of a pair of consecutive periods."))]
    before: str
    age_band: Annotated[str | None, Meta(description="Null for every age.")] = None
    moved_down: int | None
    moved_up: int | None
    stayed: int | None
    entered: int | None
    left: int | None


class HistorySeries(Open, kw_only=True):
    name: str
    step: str | None = None
    counts: Annotated[dict[str, int | float | None], Meta(description=(
        "The figure per period (YYYY-MM): active decisions for steps, groups and services; "
        "null when withheld."))]


class History(Open, kw_only=True):
    periods: list[str]
    headline: Annotated[list[HistorySeries], Meta(description=(
        "Each headline figure per period (name = its key)."))] = []
    steps: list[HistorySeries]
    steps_new: Annotated[list[HistorySeries], Meta(description=(
        "New decisions per step and period."))] = []
    steps_ended: Annotated[list[HistorySeries], Meta(description=(
        "Ended decisions per step and period."))] = []
    groups: list[HistorySeries]
    services: list[HistorySeries]
    levels: Annotated[list[HistorySeries], Meta(description=(
        "Persons per level (staircase step) and period."))] = []
    flows: Annotated[list[FlowRow], Meta(description=(
        "Movement between each pair of consecutive periods, for every age and per age "
        "band."))] = []
    absent: Annotated[dict[str, list[str]], Meta(description=(
        "Periods whose extract lacked optional columns (period -> columns): their figures "
        "resting on them are null, not withheld."))] = {}


class ExtractProvenance(Open, kw_only=True):
    period: str
    as_of: dt.date
    file_name: str
    file_sha256: str
    rows: int
    ingested_at: DateTime
    tool_version: str


class Provenance(Open, kw_only=True):
    extracts: list[ExtractProvenance]
    catalog_file: str
    catalog_sha256: str
    tool_version: str
    generated_at: DateTime


class KostraRegion(Open, kw_only=True):
    code: Annotated[str, Meta(description="SSB's region code: 0712, EKG13, EAK.")]
    name: Annotated[str, Meta(description="The region's name without its code.")]
    values: Annotated[dict[str, float | None], Meta(description=(
        "Year → the published figure; null where SSB has none."))]


class KostraIndicator(Open, kw_only=True):
    indicator: Annotated[str, Meta(description=(
        "SSB's statistikkvariabel, as labelled."))]
    years: list[str]
    regions: Annotated[list[KostraRegion], Meta(description=(
        "In the order of the file, the municipality first."))]


class Kostra(Open, kw_only=True):
    """Published KOSTRA and KPR figures beside the municipality's peers (not suppressed:
    they are published statistics)."""

    municipality: str
    indicators: Annotated[list[KostraIndicator], Meta(description=(
        "Every stored indicator with a figure for the municipality, in the order of "
        "import."))]


HEADLINE = ("unique_users", "services_total", "services_per_user", "new_decisions",
            "ended_decisions", "home_nursing_approved_hours", "home_nursing_resource_hours",
            "long_term_avg_days")


class Report(Open, kw_only=True):
    schema_version: int = 1
    period: str
    as_of: dt.date
    previous_period: str | None
    suppression_threshold: int
    unit: Annotated[str | None, Meta(description=(
        'Null for the whole municipality; else the figures of one unit (Avdeling), "" for '
        "decisions without a unit."))] = None
    headline: dict[str, Figure]
    steps: list[StepRow]
    groups: list[GroupRow]
    services: list[ServiceRow]
    concentration: list[ConcentrationRow]
    long_term_stays: list[LongTermRow]
    data_quality: DataQuality
    levels: list[LevelRow] = []
    transitions: Transitions | None = None
    by_age: list[AgeRow] = []
    history: History | None = None
    provenance: Provenance | None = None
    kostra: Annotated[Kostra | None, Meta(description=(
        "The comparison with KOSTRA and KPR; null when the municipality is not known (neither"
        " --municipality nor a single municipality in the extract)."))] = None


def report_schema() -> dict:
    """The JSON Schema of report.json."""
    return json_schema(Report, "innsatstrapp report.json")
