"""Figures that rest on an optional column the extract did not have: absent, never 0.

A sum over a column that is not there comes out of the engine as 0 (or as the sum of the
other months), and 0,00 resource hours reads as a fact. So after the figures are made and
disclosed, every figure that rests on a column the period's extract (or the compared one)
lacked is set to null, and Datakvalitet says which column and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from innsatstrapp.model.absent import FEEDS, LABELS, NOT_IN_EXTRACT
from innsatstrapp.model.base import replace
from innsatstrapp.model.report import (
    ConcentrationRow,
    DataQuality,
    Figure,
    History,
    HistorySeries,
    QualityWarning,
    Report,
    ServiceRow,
)

if TYPE_CHECKING:
    from innsatstrapp.store import ExtractInfo


def missing(extract: ExtractInfo | None) -> set[str]:
    """The optional columns with figures resting on them that `extract` did not have."""
    if extract is None:
        return set()
    return {c for c in FEEDS if c not in extract.columns}


def blank(report: Report, extracts: dict[str, ExtractInfo]) -> Report:
    """`report` with every figure resting on an absent column set to null (not withheld:
    there is nothing to withhold), and a Datakvalitet line per column."""
    now = missing(extracts.get(report.period))
    before = missing(extracts.get(report.previous_period)) if report.previous_period else set()
    history = report.history
    lacking = {p: missing(extracts.get(p)) for p in (history.periods if history else [])}
    if not (now or before or any(lacking.values())):
        return report
    heads_now = {f for c in now for f in FEEDS[c][0]}
    heads_before = {f for c in before for f in FEEDS[c][0]}
    fields_now = {f for c in now for f in FEEDS[c][1]}
    update: dict = {
        "headline": {name: _figure(fig, name in heads_now, name in heads_before)
                     for name, fig in report.headline.items()},
        "services": [_service(s, fields_now) for s in report.services],
        "data_quality": _quality(report, now, before, lacking),
    }
    if "hours_per_week" in now:
        update["concentration"] = list[ConcentrationRow]()
    if history is not None:
        update["history"] = _history(history, lacking)
    return replace(report, **update)


def _figure(fig: Figure, now: bool, before: bool) -> Figure:
    if not (now or before):
        return fig
    gone = {"change", "change_pct", *(["value"] if now else []), *(["previous"] if before else [])}
    return replace(fig, **{**dict.fromkeys(gone), "suppressed": [
        f for f in fig.suppressed if f not in gone]})


def _service(row: ServiceRow, gone: set[str]) -> ServiceRow:
    if not gone:
        return row
    return replace(row, **{**dict.fromkeys(gone), "suppressed": [
        f for f in row.suppressed if f not in gone]})


def _quality(report: Report, now: set[str], before: set[str],
             lacking: dict[str, set[str]]) -> DataQuality:
    dq = report.data_quality
    warnings = [w for w in dq.warnings
                if not (w.code == "missing_hours" and "hours_per_week" in now)]
    for c in sorted(now):
        warnings.append(QualityWarning(code="column_absent", count=None, message=_NOW[c]))
    for c in sorted(before - now):
        warnings.append(QualityWarning(
            code="column_absent_before", count=None,
            message=f"uttrekket for {report.previous_period} har ingen kolonne for "
                    f"{LABELS[c]}: endringen fra den perioden står som «–» ({NOT_IN_EXTRACT})"))
    others = {p: cs for p, cs in lacking.items()
              if cs and p not in (report.period, report.previous_period)}
    for c in sorted({c for cs in others.values() for c in cs}):
        months = [p for p, cs in sorted(others.items()) if c in cs]
        warnings.append(QualityWarning(
            code="column_absent_history", count=None,
            message=f"uttrekket for {', '.join(months)} har ingen kolonne for {LABELS[c]}: "
                    f"tallene for {'den måneden' if len(months) == 1 else 'de månedene'} "
                    f"som bygger på den, står som «–» ({NOT_IN_EXTRACT}) i historikken"))
    return replace(dq, warnings=warnings, absent_columns=sorted(now),
                   absent_columns_compared=sorted(before))


_NOW = {
    "hours_per_week": "uttrekket har ingen kolonne for vedtatte timer per uke: timene, "
                      f"timekonsentrasjonen og endringen står som «–» ({NOT_IN_EXTRACT}), "
                      "ikke som 0",
    "resource_hours_per_week": "uttrekket har ingen kolonne for ressurstimer per uke: "
                               f"ressurstimene står som «–» ({NOT_IN_EXTRACT}), ikke som 0",
    # without an end date no decision can be seen to end: every decision in the file is
    # taken as active at D (an extract of active decisions), and ended ones are absent
    "end_date": "uttrekket har ingen kolonne for sluttdato (til dato): alle vedtak i filen "
                "regnes som aktive på telledatoen, og avsluttede vedtak står som «–» "
                f"({NOT_IN_EXTRACT}); ta med sluttdato i uttrekket hvis det også har "
                "avsluttede vedtak",
}


def _history(history: History, lacking: dict[str, set[str]]) -> History:
    def blanked(series: HistorySeries, column: str) -> HistorySeries:
        return replace(series, counts={
            p: (None if column in lacking.get(p, set()) else v)
            for p, v in series.counts.items()})

    by_name = {f: c for c, (heads, _) in FEEDS.items() for f in heads}
    return replace(
        history,
        headline=[blanked(s, by_name[s.name]) if s.name in by_name else s
                  for s in history.headline],
        steps_ended=[blanked(s, "end_date") for s in history.steps_ended],
        absent={p: sorted(cs) for p, cs in sorted(lacking.items()) if cs})


