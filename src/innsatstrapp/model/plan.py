"""The plan model (contract §7): built once, handed to every renderer and the dashboard.

Frozen models (`model.base`), so plan.schema.json comes from the same source as plan.json. Field
names and meanings are the contract's; extra fields (inputs, shifts, pyramid) only add.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from msgspec import Meta

from innsatstrapp.model.base import Model, json_schema
from innsatstrapp.model.report import KostraIndicator

Number = int | float


class _Row(Model, kw_only=True):
    suppressed: Annotated[list[str], Meta(description=(
        "Fields withheld (null) because they count or derive from fewer persons than the "
        "suppression threshold, or would give such a figure back."))] = []


class Inputs(Model, kw_only=True):
    population: Annotated[str, Meta(description=(
        "File name of the population projection."))]
    accounts: str | None = None
    scenarios: str | None = None
    comparison: Annotated[str | None, Meta(description=(
        "File name of the comparison file (which own figure beside which KOSTRA "
        "indicator)."))] = None
    catalog: str


class PopulationYear(Model, kw_only=True):
    year: int
    total: Number
    age_67_plus: Number
    age_80_plus: Number


class PyramidRow(Model, kw_only=True):
    year: int
    age_group: Annotated[str, Meta(description=(
        "Five-year age group on 1 January: 0-4 … 90+."))]
    gender: Annotated[str, Meta(description="K or M.")]
    persons: Number


class MatrixRow(_Row, kw_only=True):
    step: str
    order: int
    category: str | None
    services: int | None
    users: int | None
    approved_hours: Annotated[float | None, Meta(description=(
        "Sum of hours_per_week over active decisions; null when none has a value."))]
    cost: Annotated[float | None, Meta(description=(
        "NOK per year, from the accounts."))]
    fte: float | None
    cost_per_user: float | None
    fte_per_user: float | None
    cost_per_service: float | None


class RateRow(_Row, kw_only=True):
    step: str
    age_band: str
    gender: str
    users: int | None
    population: Annotated[Number, Meta(description=(
        "Persons of the band and gender on 1 January of the base year."))]
    per_1000: float | None


_SHOWN = ("Empty in plan.json (projections are model results, contract §7). In the published "
          "HTML, Excel and PowerPoint the base year's users of a step whose users are "
          "withheld in the matrix (there they equal today's count) are withheld too.")


class StepYear(Model, kw_only=True):
    step: str
    users: Annotated[float | None, Meta(description=(
        "Null only where `suppressed` says so."))]
    cost: float | None
    fte: float | None
    suppressed: Annotated[list[str], Meta(description=_SHOWN)] = []


class ScenarioYear(Model, kw_only=True):
    year: int
    steps: list[StepYear]
    users: Annotated[float | None, Meta(description=(
        "Null only where `suppressed` says so."))]
    cost: float | None
    fte: float | None
    suppressed: Annotated[list[str], Meta(description=_SHOWN)] = []


class ShiftRow(Model, kw_only=True):
    from_step: str
    to_step: str
    share: Annotated[float, Meta(description=(
        "Percent of the from step's users, once fully phased in."))]
    start_year: int
    full_year: int


class ScenarioRows(Model, kw_only=True):
    scenario: str
    shifts: list[ShiftRow] = []
    years: list[ScenarioYear]


class OwnFigure(_Row, kw_only=True):
    indicator: Annotated[str, Meta(description=(
        "The KOSTRA or KPR indicator it stands beside, as named in the comparison file."))]
    computation: Annotated[str, Meta(description=(
        "«andel» (percent of the inhabitants of the age group), «per 1000» or «kostnad per "
        "bruker»."))]
    steps: Annotated[list[str], Meta(description=(
        "The catalog's steps it counts (a person on several is one user)."))]
    ages: Annotated[str | None, Meta(description=(
        "The age group on 1 January of the base year (80+, 67-79, alle); null for cost per "
        "user."))]
    users: Annotated[int | None, Meta(description=(
        "Distinct persons with an active decision on the steps at D (of known age in the "
        "group for «andel» and «per 1000»)."))]
    denominator: Annotated[float | None, Meta(description=(
        "Inhabitants of the age group on 1 January of the base year, or the steps' cost in "
        "NOK per year; null when an accounted step has no cost."))]
    value: Annotated[float | None, Meta(description=(
        "The figure, in the indicator's unit."))]
    definition: Annotated[str, Meta(description=(
        "How it is computed, in Norwegian."))]
    differs: Annotated[str, Meta(description=(
        "How it differs from KOSTRA's definition, in Norwegian."))]
    kostra: Annotated[KostraIndicator | None, Meta(description=(
        "The indicator's published figures (null when it is not imported or has no figure for"
        " the municipality)."))]


class PlanKostra(Model, kw_only=True):
    municipality: str
    figures: Annotated[list[OwnFigure], Meta(description=(
        "One per indicator of the comparison file, in its order."))]


class Plan(Model, kw_only=True):
    schema_version: int = 1
    period: str
    as_of: dt.date
    base_year: int
    to_year: int
    alternative: Annotated[str | None, Meta(description=(
        "The projection alternative used (null when the file has none)."))]
    suppress: Annotated[int, Meta(description=(
        "The suppression threshold N (0 = off)."))]
    inputs: Inputs
    population: list[PopulationYear]
    pyramid: Annotated[list[PyramidRow], Meta(description=(
        "Population by five-year age group and gender in the base year and the last year."))]
    matrix: list[MatrixRow]
    rates: list[RateRow]
    scenarios: list[ScenarioRows]
    kostra: Annotated[PlanKostra | None, Meta(description=(
        "The plan's own figures beside KOSTRA's (contract §8); null without a comparison file"
        " or when the municipality is not known."))] = None


def plan_schema() -> dict:
    """The JSON Schema of plan.json."""
    return json_schema(Plan, "innsatstrapp plan.json")
