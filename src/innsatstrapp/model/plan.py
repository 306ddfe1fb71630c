"""The plan model (contract §7): built once, handed to every renderer and the dashboard.

Frozen pydantic models, so plan.schema.json comes from the same source as plan.json. Field
names and meanings are the contract's; extra fields (inputs, shifts, pyramid) only add.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from innsatstrapp.model.report import KostraIndicator

Number = int | float


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Row(_Model):
    suppressed: list[str] = Field(
        default_factory=list,
        description="Fields withheld (null) because they count or derive from fewer persons "
                    "than the suppression threshold, or would give such a figure back.")


class Inputs(_Model):
    population: str = Field(description="File name of the population projection.")
    accounts: str | None = None
    scenarios: str | None = None
    comparison: str | None = Field(None, description="File name of the comparison file "
                                                     "(which own figure beside which "
                                                     "KOSTRA indicator).")
    catalog: str


class PopulationYear(_Model):
    year: int
    total: Number
    age_67_plus: Number
    age_80_plus: Number


class PyramidRow(_Model):
    year: int
    age_group: str = Field(description="Five-year age group on 1 January: 0-4 … 90+.")
    gender: str = Field(description="K or M.")
    persons: Number


class MatrixRow(_Row):
    step: str
    order: int
    category: str | None
    services: int | None
    users: int | None
    approved_hours: float | None = Field(
        description="Sum of hours_per_week over active decisions; null when none has a value.")
    cost: float | None = Field(description="NOK per year, from the accounts.")
    fte: float | None
    cost_per_user: float | None
    fte_per_user: float | None
    cost_per_service: float | None


class RateRow(_Row):
    step: str
    age_band: str
    gender: str
    users: int | None
    population: Number = Field(description="Persons of the band and gender on 1 January of "
                                           "the base year.")
    per_1000: float | None


_SHOWN = ("Empty in plan.json (projections are model results, contract §7). In the published "
          "HTML, Excel and PowerPoint the base year's users of a step whose users are "
          "withheld in the matrix (there they equal today's count) are withheld too.")


class StepYear(_Model):
    step: str
    users: float | None = Field(description="Null only where `suppressed` says so.")
    cost: float | None
    fte: float | None
    suppressed: list[str] = Field(default_factory=list, description=_SHOWN)


class ScenarioYear(_Model):
    year: int
    steps: list[StepYear]
    users: float | None = Field(description="Null only where `suppressed` says so.")
    cost: float | None
    fte: float | None
    suppressed: list[str] = Field(default_factory=list, description=_SHOWN)


class ShiftRow(_Model):
    from_step: str
    to_step: str
    share: float = Field(description="Percent of the from step's users, once fully phased in.")
    start_year: int
    full_year: int


class ScenarioRows(_Model):
    scenario: str
    shifts: list[ShiftRow] = Field(default_factory=list)
    years: list[ScenarioYear]


class OwnFigure(_Row):
    indicator: str = Field(description="The KOSTRA or KPR indicator it stands beside, as "
                                       "named in the comparison file.")
    computation: str = Field(description="«andel» (percent of the inhabitants of the age "
                                         "group), «per 1000» or «kostnad per bruker».")
    steps: list[str] = Field(description="The catalog's steps it counts (a person on "
                                         "several is one user).")
    ages: str | None = Field(description="The age group on 1 January of the base year "
                                         "(80+, 67-79, alle); null for cost per user.")
    users: int | None = Field(description="Distinct persons with an active decision on the "
                                          "steps at D (of known age in the group for "
                                          "«andel» and «per 1000»).")
    denominator: float | None = Field(
        description="Inhabitants of the age group on 1 January of the base year, or the "
                    "steps' cost in NOK per year; null when an accounted step has no cost.")
    value: float | None = Field(description="The figure, in the indicator's unit.")
    definition: str = Field(description="How it is computed, in Norwegian.")
    differs: str = Field(description="How it differs from KOSTRA's definition, in Norwegian.")
    kostra: KostraIndicator | None = Field(
        description="The indicator's published figures (null when it is not imported or "
                    "has no figure for the municipality).")


class PlanKostra(_Model):
    municipality: str
    figures: list[OwnFigure] = Field(description="One per indicator of the comparison file, "
                                                 "in its order.")


class Plan(_Model):
    schema_version: int = 1
    period: str
    as_of: dt.date
    base_year: int
    to_year: int
    alternative: str | None = Field(
        description="The projection alternative used (null when the file has none).")
    suppress: int = Field(description="The suppression threshold N (0 = off).")
    inputs: Inputs
    population: list[PopulationYear]
    pyramid: list[PyramidRow] = Field(
        description="Population by five-year age group and gender in the base year and the "
                    "last year.")
    matrix: list[MatrixRow]
    rates: list[RateRow]
    scenarios: list[ScenarioRows]
    kostra: PlanKostra | None = Field(
        None, description="The plan's own figures beside KOSTRA's (contract §8); null "
                          "without a comparison file or when the municipality is not known.")


def plan_schema() -> dict:
    """The JSON Schema of plan.json."""
    schema = Plan.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "innsatstrapp plan.json"
    return schema
