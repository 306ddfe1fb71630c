"""Disclosure control (contract §5): the one place that decides what is withheld.

`decide_period` and `decide_pair` return frozen sets of withheld figures, each named
(when, unit, table, key, field) from the report model; `apply(report_dict, withheld)` is what
every report, plan and dashboard view passes through."""

from innsatstrapp.disclosure.decide import decide_pair, decide_period
from innsatstrapp.disclosure.view import Withheld, apply, forward, locate, withheld_in

# The figures a decision covers and the relations between them. A decision kept in the store
# is reused only by a version with the same figures: one that publishes a figure more (such
# as a new data-quality warning) must decide again, or the new figure would be shown without
# the complements it needs. Raise it whenever the report gains, loses or relates a figure.
MODEL = 2

__all__ = ["MODEL", "Withheld", "apply", "decide_pair", "decide_period", "forward", "locate",
           "withheld_in"]
