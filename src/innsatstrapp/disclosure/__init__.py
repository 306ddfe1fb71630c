"""Disclosure control (contract §5): the one place that decides what is withheld.

`decide_period` and `decide_pair` return frozen sets of withheld figures, each named
(when, unit, table, key, field) from the report model; `apply(report_dict, withheld)` is what
every report, plan and dashboard view passes through."""

from innsatstrapp.disclosure.decide import decide_pair, decide_period
from innsatstrapp.disclosure.view import apply, forward, locate, withheld_in

__all__ = ["apply", "decide_pair", "decide_period", "forward", "locate", "withheld_in"]
