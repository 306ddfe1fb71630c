"""Names of cells, taken from the report model so that renaming a field cannot silently
break what disclosure control decides (a wrong name fails at import).

A cell is (unit, table, key, field): unit None for the whole municipality; table a list of
the report (or one of the few derived tables below); key the row's identity (a step's name,
(age band, gender), …); field the model's field name. A decision is about one period (or
one pair of periods), so the period is not part of the cell.
"""

from __future__ import annotations

from innsatstrapp.model.base import fields
from innsatstrapp.model.report import (
    AgeRow,
    ConcentrationRow,
    DataQuality,
    Figure,
    FlowRow,
    GroupRow,
    History,
    LevelRow,
    LongTermRow,
    QualityWarning,
    Report,
    ServiceRow,
    StepRow,
    TransitionCell,
    Transitions,
    UnmappedService,
)

Cell = tuple  # (unit, table, key, field)


class Fields:
    """`Fields(StepRow).services == "services"`; an unknown name raises at once."""

    def __init__(self, model: type) -> None:
        self._model = model.__name__
        for name in fields(model):
            setattr(self, name, name)

    def __getattr__(self, name: str) -> str:  # only for names that are not fields
        raise AttributeError(f"{self._model} has no field {name!r}")


R = Fields(Report)
FIG = Fields(Figure)
STEP = Fields(StepRow)
GROUP = Fields(GroupRow)
SERVICE = Fields(ServiceRow)
CONC = Fields(ConcentrationRow)
LT = Fields(LongTermRow)
DQ = Fields(DataQuality)
UNMAPPED = Fields(UnmappedService)
WARN = Fields(QualityWarning)
LEVEL = Fields(LevelRow)
AGE = Fields(AgeRow)
HIST = Fields(History)
FLOW = Fields(FlowRow)
TRANS = Fields(Transitions)
CELL = Fields(TransitionCell)

# the tables a cell can be in besides the report's own lists
WARNINGS = "warnings"              # key (code, service), field "count"
PERSONS_BY_LEVEL = "persons_by_level"  # key (age band, gender, step), field "persons"
STEPS_NEW = HIST.steps_new         # key step, field "count"
STEPS_ENDED = HIST.steps_ended
MATRIX = "matrix"                  # key (from, to), field "persons" (a pair's cell)
BANDS = "bands"                    # key age band, field a movement (a pair's cell)
COUNT = "count"

MOVES = (TRANS.moved_down, TRANS.moved_up, TRANS.stayed, TRANS.entered, TRANS.left)
# the value a row's `previous` and `change` are about
VALUE = {R.headline: FIG.value, R.steps: STEP.services, R.groups: GROUP.services,
         R.services: SERVICE.count, R.levels: LEVEL.persons}
