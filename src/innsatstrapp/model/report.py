"""The report model (contract §4): built once by metrics, handed to every renderer.

Frozen pydantic models, so the JSON Schema (report.schema.json) comes from the same source
as the JSON itself. Field names and meanings are the contract's; extra fields only add.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

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


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    suppressed: list[str] = Field(
        default_factory=list,
        description="Fields withheld (null) because they count or derive from fewer persons "
                    "than the suppression threshold.")


class Figure(_Row):
    value: int | float | None
    previous: int | float | None = None
    change: int | float | None = None
    change_pct: float | None = None


class StepRow(_Row):
    step: str
    order: int
    category: str | None = None
    services: int | None
    users: int | None
    previous: int | None = None
    change: int | None = None
    change_pct: float | None = None


class GroupRow(_Row):
    group: str
    step: str
    services: int | None
    users: int | None
    previous: int | None = None
    change: int | None = None
    change_pct: float | None = None


class ServiceRow(_Row):
    service: str
    group: str
    step: str
    role: str | None = Field(None, description="Rolle from the catalog.")
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


class ConcentrationRow(_Row):
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
    top10_users: int | None = Field(None, description="ceil(users / 10): the persons in the top")
    lorenz: list[float] | None = Field(
        None, description="Share of hours (%) held by the 0 %, 10 %, …, 100 % of persons with "
                          "the fewest hours (floor(k·users/10) persons); for the Lorenz curve.")


class LongTermRow(_Row):
    service: str
    residents: int | None
    under_150_days: int | None
    days_150_to_365: int | None
    days_365_to_730: int | None
    over_730_days: int | None
    median_days: float | None
    mean_days: float | None


class UnmappedService(_Row):
    service: str
    rows: int | None
    active: int | None = None


class QualityWarning(_Row):
    code: str
    message: str
    count: int | None
    service: str | None = None


class DataQuality(BaseModel):
    model_config = ConfigDict(frozen=True)
    suppressed: list[str] = Field(
        default_factory=list, description="Fields withheld (rows, active): small counts, or "
                                          "the same figure as a withheld one elsewhere.")
    unmapped_services: list[UnmappedService]
    rows: int | None = Field(description="Rows of the extract (of the unit's decisions, in "
                                         "a unit's report).")
    active: int | None = Field(description="Active decisions at D (any service).")
    warnings: list[QualityWarning] = Field(default_factory=list)
    absent_columns: list[str] = Field(
        default_factory=list, description="Optional columns (hours_per_week, "
        "resource_hours_per_week, end_date) the period's extract did not have: the figures "
        "resting on them are null, not 0.")
    absent_columns_compared: list[str] = Field(
        default_factory=list, description="The same for the compared period's extract: the "
        "changes resting on them are null.")


class LevelRow(_Row):
    step: str
    order: int
    persons: int | None = Field(description="Persons whose level (highest staircase step of "
                                            "their active decisions) is this step.")
    previous: int | None = None
    change: int | None = None
    change_pct: float | None = None


class TransitionCell(_Row):
    model_config = ConfigDict(frozen=True, extra="forbid", serialize_by_alias=True,
                              validate_by_name=True, validate_by_alias=True)
    from_: str = Field(alias="from", description="Level at the compared period's D (a step, "
                                                 "or «ingen»).")
    to: str = Field(description="Level at D (a step, or «ingen»).")
    persons: int | None


def forward(period: str, compare: str) -> tuple[str, str]:
    """A pair of periods as movement is computed and decided: (later, earlier)."""
    return (period, compare) if compare < period else (compare, period)


# the movements of a pair seen the other way (a report compared with a later month)
BACKWARDS = {"moved_down": "moved_up", "moved_up": "moved_down", "entered": "left",
             "left": "entered"}


class Transitions(_Row):
    matrix: list[TransitionCell]
    moved_down: int | None
    moved_up: int | None
    stayed: int | None
    entered: int | None
    left: int | None


class AgeRow(_Row):
    age_band: str
    gender: str
    users: int | None
    persons_by_level: dict[str, int | None] = Field(
        description="Persons per level (steps with 0 left out; null = withheld).")


class FlowRow(_Row):
    period: str = Field(description="The later period of a pair of consecutive periods.")
    before: str
    age_band: str | None = Field(None, description="Null for every age.")
    moved_down: int | None
    moved_up: int | None
    stayed: int | None
    entered: int | None
    left: int | None


class HistorySeries(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    step: str | None = None
    counts: dict[str, int | float | None] = Field(
        description="The figure per period (YYYY-MM): active decisions for steps, groups and "
                    "services; null when withheld.")


class History(BaseModel):
    model_config = ConfigDict(frozen=True)
    periods: list[str]
    headline: list[HistorySeries] = Field(
        default_factory=list, description="Each headline figure per period (name = its key).")
    steps: list[HistorySeries]
    steps_new: list[HistorySeries] = Field(
        default_factory=list, description="New decisions per step and period.")
    steps_ended: list[HistorySeries] = Field(
        default_factory=list, description="Ended decisions per step and period.")
    groups: list[HistorySeries]
    services: list[HistorySeries]
    levels: list[HistorySeries] = Field(
        default_factory=list, description="Persons per level (staircase step) and period.")
    flows: list[FlowRow] = Field(
        default_factory=list, description="Movement between each pair of consecutive "
                                          "periods, for every age and per age band.")
    absent: dict[str, list[str]] = Field(
        default_factory=dict, description="Periods whose extract lacked optional columns "
        "(period -> columns): their figures resting on them are null, not withheld.")


class ExtractProvenance(BaseModel):
    model_config = ConfigDict(frozen=True)
    period: str
    as_of: dt.date
    file_name: str
    file_sha256: str
    rows: int
    ingested_at: dt.datetime
    tool_version: str


class Provenance(BaseModel):
    model_config = ConfigDict(frozen=True)
    extracts: list[ExtractProvenance]
    catalog_file: str
    catalog_sha256: str
    tool_version: str
    generated_at: dt.datetime


class KostraRegion(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str = Field(description="SSB's region code: 0712, EKG13, EAK.")
    name: str = Field(description="The region's name without its code.")
    values: dict[str, float | None] = Field(
        description="Year → the published figure; null where SSB has none.")


class KostraIndicator(BaseModel):
    model_config = ConfigDict(frozen=True)
    indicator: str = Field(description="SSB's statistikkvariabel, as labelled.")
    years: list[str]
    regions: list[KostraRegion] = Field(
        description="In the order of the file, the municipality first.")


class Kostra(BaseModel):
    """Published KOSTRA and KPR figures beside the municipality's peers (not suppressed:
    they are published statistics)."""

    model_config = ConfigDict(frozen=True)
    municipality: str
    indicators: list[KostraIndicator] = Field(
        description="Every stored indicator with a figure for the municipality, in the "
                    "order of import.")


HEADLINE = ("unique_users", "services_total", "services_per_user", "new_decisions",
            "ended_decisions", "home_nursing_approved_hours", "home_nursing_resource_hours",
            "long_term_avg_days")


class Report(BaseModel):
    model_config = ConfigDict(frozen=True)
    schema_version: int = 1
    period: str
    as_of: dt.date
    previous_period: str | None
    suppression_threshold: int
    unit: str | None = Field(
        None, description="Null for the whole municipality; else the figures of one unit "
                          "(Avdeling), \"\" for decisions without a unit.")
    headline: dict[str, Figure]
    steps: list[StepRow]
    groups: list[GroupRow]
    services: list[ServiceRow]
    concentration: list[ConcentrationRow]
    long_term_stays: list[LongTermRow]
    data_quality: DataQuality
    levels: list[LevelRow] = Field(default_factory=list)
    transitions: Transitions | None = None
    by_age: list[AgeRow] = Field(default_factory=list)
    history: History | None = None
    provenance: Provenance | None = None
    kostra: Kostra | None = Field(
        None, description="The comparison with KOSTRA and KPR; null when the municipality "
                          "is not known (neither --municipality nor a single municipality "
                          "in the extract).")


def report_schema() -> dict:
    """The JSON Schema of report.json."""
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "innsatstrapp report.json"
    return schema
