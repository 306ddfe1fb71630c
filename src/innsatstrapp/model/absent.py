"""Which figures rest on an optional column of the extract: the model's part of «absent,
never 0» (`metrics.absent` sets them to null), read by every renderer to say «ikke i
uttrekket» where such a figure would stand."""

from __future__ import annotations

from innsatstrapp.model.report import History, Report

# optional column -> (headline figures, service fields) that rest on it
FEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "hours_per_week": (("home_nursing_approved_hours",), ("approved_hours",)),
    "resource_hours_per_week": (("home_nursing_resource_hours",), ("resource_hours",)),
    "end_date": (("ended_decisions",), ("ended", "net")),
}

LABELS = {"hours_per_week": "vedtatte timer per uke",
          "resource_hours_per_week": "ressurstimer per uke",
          "end_date": "sluttdato (til dato)"}

NOT_IN_EXTRACT = "ikke i uttrekket"


def headline(report: Report) -> dict[str, str]:
    """The headline figures resting on an absent column: "now" when the report's own extract
    lacked it (the figure is absent), "before" when only the compared one did (the change is
    absent), for the renderers' «ikke i uttrekket»."""
    dq = report.data_quality
    out = {}
    for column, (heads, _) in FEEDS.items():
        for name in heads:
            if column in dq.absent_columns:
                out[name] = "now"
            elif column in dq.absent_columns_compared:
                out[name] = "before"
    return out


def service_fields(report: Report) -> frozenset[str]:
    """The service fields resting on a column the report's extract lacked."""
    return frozenset(f for c in report.data_quality.absent_columns for f in FEEDS[c][1])


def periods_without(history: History | None, name: str) -> set[str]:
    """The periods of `history` whose headline figure `name` (or "steps_ended") rests on a
    column their extract lacked: null there means absent, not withheld."""
    if history is None:
        return set()
    column = "end_date" if name == "steps_ended" else next(
        (c for c, (heads, _) in FEEDS.items() if name in heads), None)
    return {p for p, cs in history.absent.items() if column in cs}
