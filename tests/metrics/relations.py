"""The relations an attacker can solve: every sum and difference the report publishes, as
the previous implementation stated them by hand (contract §4–6). Kept as an independent
model for the audits: the decisions come from `innsatstrapp.disclosure`, which derives its
model matrix from the report model; these tests check it against relations written apart.

The report publishes sums: services of a group add up to the group, groups to their step,
steps (and unmapped services) to the total, hour buckets to the persons of a scope, stay
buckets to the residents, hours of services to their group and to the home-nursing total,
history counts the same way per period, changes add up like their values, and value =
previous + change, new = net + ended; the whole is the sum of its units in every count of
decisions and hours.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

Path = tuple  # a cell: ("steps", 3, "services") or ("history", "steps", 2, "2024-01")


@dataclass(frozen=True)
class Relation:
    """total + Σ minus = Σ parts (minus is for sums on both sides, e.g. history levels)."""

    total: Path
    parts: tuple[Path, ...]
    prefer: Path | None = None  # the complement to take first (a change)
    minus: tuple[Path, ...] = ()


def _entries(data: dict, key: str) -> Iterator[tuple[int, dict]]:
    yield from enumerate(data.get(key) or [])


def relations(data: dict) -> list[Relation]:
    out: list[Relation] = []
    steps = {e["step"]: i for i, e in _entries(data, "steps")}
    groups = {e["group"]: i for i, e in _entries(data, "groups")}
    compared = data.get("previous_period") is not None  # else no previous, no change
    # the additive hierarchy, for the value and for the previous value
    for field_s, field_g in (("count", "services"), ("previous", "previous"))[:1 + compared]:
        for g, gi in groups.items():
            parts = tuple(("services", i, field_s) for i, e in _entries(data, "services")
                          if e["group"] == g)
            out.append(Relation(("groups", gi, field_g), parts))
        for s, si in steps.items():
            parts = tuple(("groups", gi, field_g) for g, gi in groups.items()
                          if data["groups"][gi]["step"] == s)
            out.append(Relation(("steps", si, field_g), parts))
    # changes add up like the values they are differences of
    for g, gi in groups.items() if compared else ():
        out.append(Relation(("groups", gi, "change"), tuple(
            ("services", i, "change") for i, e in _entries(data, "services") if e["group"] == g)))
    for s, si in steps.items() if compared else ():
        out.append(Relation(("steps", si, "change"), tuple(
            ("groups", gi, "change") for g, gi in groups.items()
            if data["groups"][gi]["step"] == s)))
    out.append(Relation(("headline", "services_total", "value"),
                        tuple(("steps", i, "services") for i in steps.values())
                        + tuple(("data_quality", "unmapped_services", i, "active")
                                for i, _ in enumerate(data["data_quality"]["unmapped_services"]))))
    if not data["data_quality"]["unmapped_services"]:
        # every service is on a step: the headline's new and ended are the services' sums
        for total, field in (("new_decisions", "new"), ("ended_decisions", "ended")):
            out.append(Relation(("headline", total, "value"), tuple(
                ("services", i, field) for i, _ in _entries(data, "services"))))
    # value = previous + change, everywhere a change is published
    for key, value in (("steps", "services"), ("groups", "services"), ("services", "count"),
                       ("levels", "persons")) if compared else ():
        for i, _ in _entries(data, key):
            out.append(Relation((key, i, value), ((key, i, "previous"), (key, i, "change")),
                                prefer=(key, i, "change")))
    for name in data["headline"] if compared else ():
        out.append(Relation(("headline", name, "value"),
                            (("headline", name, "previous"), ("headline", name, "change")),
                            prefer=("headline", name, "change")))
    for i, _ in _entries(data, "services"):
        out.append(Relation(("services", i, "new"), (("services", i, "net"),
                                                     ("services", i, "ended")),
                            prefer=("services", i, "net")))
    # buckets
    for i, _ in _entries(data, "concentration"):
        out.append(Relation(("concentration", i, "users"), tuple(
            ("concentration", i, b) for b in ("under_1h", "h1_to_6", "h6_to_12", "h12_plus"))))
    for i, _ in _entries(data, "long_term_stays"):
        out.append(Relation(("long_term_stays", i, "residents"), tuple(
            ("long_term_stays", i, b) for b in ("under_150_days", "days_150_to_365",
                                                "days_365_to_730", "over_730_days"))))
    # hours: services add up to their group's hours and to the home-nursing totals
    services = list(_entries(data, "services"))
    for i, c in _entries(data, "concentration"):
        if c["scope_type"] == "group":
            parts = tuple(("services", j, "approved_hours") for j, s in services
                          if s["group"] == c["scope"] and (
                              s["approved_hours"] is not None
                              or "approved_hours" in s["suppressed"]))
            out.append(Relation(("concentration", i, "hours"), parts))
    for total, field in (("home_nursing_approved_hours", "approved_hours"),
                         ("home_nursing_resource_hours", "resource_hours")):
        parts = tuple(("services", j, field) for j, s in services
                      if s.get("role") == "hjemmesykepleie")
        out.append(Relation(("headline", total, "value"), parts))
    out.extend(_movement_relations(data))
    # history, per period; the period and its comparison are the current cells again
    history = data.get("history")
    if history:
        out.extend(_flow_relations(data, history))
        out.extend(_history_movement_relations(history))
        hsteps = {h["name"]: k for k, h in enumerate(history["steps"])}
        for p in _own_periods(data):
            for k, h in enumerate(history["groups"]):
                parts = tuple(("history", "services", j, p) for j, s in
                              enumerate(history["services"]) if data["services"][j]["group"]
                              == h["name"])
                out.append(Relation(("history", "groups", k, p), parts))
            for s, k in hsteps.items():
                parts = tuple(("history", "groups", j, p) for j, g in
                              enumerate(history["groups"]) if g["step"] == s)
                out.append(Relation(("history", "steps", k, p), parts))
    # a history cell that repeats a current one is that cell
    canon = dict(aliases(data))

    def c(x: Path) -> Path:
        return canon.get(x, x)

    return [Relation(c(r.total), tuple(map(c, r.parts)), c(r.prefer) if r.prefer else None,
                     tuple(map(c, r.minus))) for r in out]


def _history_movement_relations(history: dict) -> Iterator[Relation]:
    """Per pair of periods, the age bands add up to every age, and the persons on the staircase
    are those who stayed or moved plus those who entered (now) or left (then)."""
    fields = ("moved_down", "moved_up", "stayed", "entered", "left")
    rows = list(enumerate(history.get("flows") or []))
    levels = history.get("levels") or []
    for k, w in rows:
        if w["age_band"] is not None:
            continue
        bands = [j for j, b in rows if b["age_band"] is not None
                 and (b["period"], b["before"]) == (w["period"], w["before"])]
        for field in fields:
            yield Relation(("history", "flows", k, field),
                           tuple(("history", "flows", j, field) for j in bands))
        for p, last in ((w["period"], "entered"), (w["before"], "left")):
            if levels and p in history["periods"]:
                yield Relation(("history", "levels", 0, p), tuple(
                    ("history", "flows", k, f) for f in (*fields[:3], last)),
                    minus=tuple(("history", "levels", j, p) for j in range(1, len(levels))))


def _movement_relations(data: dict) -> Iterator[Relation]:
    """Contract §6: the transition matrix adds up to the levels now (columns) and then (rows),
    to entered/left (from/to «ingen») and to moved down/up/stayed; the by-age counts of each
    level add up to its persons, and the by-age users to the unique users."""
    levels = {e["step"]: (i, e["order"]) for i, e in _entries(data, "levels")}
    for s, (i, _) in levels.items():
        out = tuple(("by_age", k, "persons_by_level", s) for k, a in _entries(data, "by_age")
                    if s in a["persons_by_level"])
        yield Relation(("levels", i, "persons"), out)
    yield Relation(("headline", "unique_users", "value"),
                   tuple(("by_age", k, "users") for k, _ in _entries(data, "by_age")))
    yield from transition_relations(data)


def transition_relations(data: dict) -> Iterator[Relation]:
    """The matrix's columns add up to the levels now, its rows to the levels then, and its
    cells to the totals (contract §6)."""
    levels = {e["step"]: (i, e["order"]) for i, e in _entries(data, "levels")}
    t = data.get("transitions")
    if not t or "matrix" in t["suppressed"]:
        return  # no matrix, or one withheld whole: its shape is not known either
    cells = list(enumerate(t["matrix"]))

    def where(test) -> tuple:
        return tuple(("transitions", "matrix", j, "persons") for j, c in cells if test(c))

    for s, (i, _) in levels.items():
        yield Relation(("levels", i, "persons"), where(lambda c, s=s: c["to"] == s))
        yield Relation(("levels", i, "previous"), where(lambda c, s=s: c["from"] == s))
    order = {s: o for s, (_, o) in levels.items()}
    both = lambda c: c["from"] in order and c["to"] in order  # noqa: E731
    for field, test in (
            ("entered", lambda c: c["from"] not in order),
            ("left", lambda c: c["to"] not in order),
            ("moved_down", lambda c: both(c) and order[c["to"]] < order[c["from"]]),
            ("moved_up", lambda c: both(c) and order[c["to"]] > order[c["from"]]),
            ("stayed", lambda c: both(c) and order[c["to"]] == order[c["from"]])):
        yield Relation(("transitions", field), where(test))


def _own_periods(data: dict) -> list[str]:
    """History periods whose cells are not the report's own value or previous value."""
    return [p for p in data["history"]["periods"]
            if p not in (data["period"], data.get("previous_period"))]


def aliases(data: dict) -> Iterator[tuple[Path, Path]]:
    """(alias, cell) pairs holding the same figure: a figure the report prints twice, and the
    history repeating the period's values and its comparison's previous values."""
    # the same figure published twice in the report itself
    yield ("data_quality", "active"), ("headline", "services_total", "value")
    services = {e["service"]: j for j, e in _entries(data, "services")}
    for i, c in _entries(data, "concentration"):
        if c["scope_type"] == "service" and c["scope"] in services:
            yield ("concentration", i, "hours"), ("services", services[c["scope"]],
                                                  "approved_hours")
    for i, lt in _entries(data, "long_term_stays"):
        if lt["service"] in services:
            yield ("long_term_stays", i, "residents"), ("services", services[lt["service"]],
                                                        "count")
    history = data.get("history")
    if not history:
        return
    period, compare = data["period"], data.get("previous_period")
    for key, field in (("steps", "services"), ("groups", "services"), ("services", "count")):
        for k, _ in enumerate(history[key]):
            yield ("history", key, k, period), (key, k, field)
            if compare in history["periods"]:
                yield ("history", key, k, compare), (key, k, "previous")
    for k, _ in enumerate(history.get("levels") or []):
        yield ("history", "levels", k, period), ("levels", k, "persons")
        if compare in history["periods"]:
            yield ("history", "levels", k, compare), ("levels", k, "previous")
    if data.get("transitions"):
        for k, row in enumerate(history.get("flows") or []):
            if (row["period"], row["before"], row["age_band"]) == (period, compare, None):
                for field in ("moved_down", "moved_up", "stayed", "entered", "left"):
                    yield ("history", "flows", k, field), ("transitions", field)
    for k, h in enumerate(history.get("headline") or []):
        yield ("history", "headline", k, period), ("headline", h["name"], "value")
        if compare in history["periods"]:
            yield ("history", "headline", k, compare), ("headline", h["name"], "previous")


def _flow_relations(data: dict, history: dict) -> Iterator[Relation]:
    """The period's new/ended per step are the sums of its services'; when every service is
    on a step, the headline's new/ended are the sums of the steps' (said outright, so the
    greedy rule sees it rather than the audit finding it through a chain)."""
    everything_placed = not data["data_quality"]["unmapped_services"]
    for key, field, total in (("steps_new", "new", "new_decisions"),
                              ("steps_ended", "ended", "ended_decisions")):
        rows = list(enumerate(history.get(key) or []))
        for k, h in rows:
            yield Relation(("history", key, k, data["period"]), tuple(
                ("services", i, field) for i, e in _entries(data, "services")
                if e["step"] == h["name"]))
        if everything_placed and rows:
            yield Relation(("headline", total, "value"), tuple(
                ("history", key, k, data["period"]) for k, _ in rows))


def _plain(path: Path) -> bool:
    """Cells kept in a plain mapping (null = withheld): history series and by-age levels."""
    return (path[0] == "history" and path[1] != "flows") or (
        path[0] == "by_age" and path[2] == "persons_by_level")


def _entry(data: dict, path: Path) -> tuple[dict, str]:
    node = data
    for key in path[:-1]:
        node = node[key]
    if path[0] == "history" and path[1] != "flows":
        node = node["counts"]
    return node, path[-1]


def value(data: dict, path: Path) -> float | None:
    node, field = _entry(data, path)
    return node.get(field)


def hidden(data: dict, path: Path) -> bool:
    node, field = _entry(data, path)
    if _plain(path):
        return field in node and node[field] is None
    return field in node.get("suppressed", ())


def hide(data: dict, path: Path) -> None:
    node, field = _entry(data, path)
    node[field] = None
    if _plain(path):
        return
    if field not in node["suppressed"]:
        node["suppressed"].append(field)
    if field == "change" and "change_pct" in node:
        node["change_pct"] = None
        if "change_pct" not in node["suppressed"]:
            node["suppressed"].append("change_pct")


Cell = tuple  # (index of the report in a bundle, *path)


def _at(reports: list[dict], cell: Cell) -> tuple[dict, Path]:
    return reports[cell[0]], cell[1:]


# cells that add up over units: decisions and hours, not persons
_ADDITIVE = {
    "steps": ("services", "previous", "change"),
    "groups": ("services", "previous", "change"),
    "services": ("count", "previous", "change", "new", "ended", "net", "approved_hours",
                 "resource_hours"),
    "long_term_stays": ("residents", "under_150_days", "days_150_to_365", "days_365_to_730",
                        "over_730_days"),
    "concentration": ("hours",),
}
_KEYS = {"steps": ("step",), "groups": ("group",), "services": ("service",),
         "long_term_stays": ("service",), "concentration": ("scope_type", "scope")}
_HEADLINE_SUMS = ("services_total", "new_decisions", "ended_decisions",
                  "home_nursing_approved_hours", "home_nursing_resource_hours")


def _unit_cells(data: dict) -> Iterator[tuple[tuple, Path]]:
    """Every additive cell of a report, under a key that is the same in every unit's report."""
    compared = data.get("previous_period") is not None  # else no previous, no change
    skip = () if compared else ("previous", "change")
    for name in _HEADLINE_SUMS:
        for field in ("value", "previous", "change")[:1 + 2 * compared]:
            yield ("headline", name, field), ("headline", name, field)
    for table, fields in _ADDITIVE.items():
        for i, e in _entries(data, table):
            ident = tuple(e[k] for k in _KEYS[table])
            for field in fields:
                if field not in skip:
                    yield (table, ident, field), (table, i, field)
    dq = data["data_quality"]
    yield ("data_quality", "rows"), ("data_quality", "rows")
    for i, u in enumerate(dq["unmapped_services"]):
        for field in ("rows", "active"):
            yield ("unmapped", u["service"], field), ("data_quality", "unmapped_services", i,
                                                      field)
    for i, w in enumerate(dq["warnings"]):
        if w["code"] != "conflicting_person_data":  # persons, not decisions
            yield ("warning", w["code"], w["service"]), ("data_quality", "warnings", i, "count")
    history = data.get("history")
    if history:
        own = _own_periods(data)
        for key in ("steps", "steps_new", "steps_ended", "groups", "services", "headline"):
            for k, h in enumerate(history.get(key) or []):
                if key == "headline" and h["name"] not in _HEADLINE_SUMS:
                    continue
                for p in (history["periods"] if key in ("steps_new", "steps_ended") else own):
                    yield ("history", key, h["name"], p), ("history", key, k, p)


def unit_relations(reports: list[dict]) -> list[Relation]:
    """The whole (reports[0]) is the sum of its units (reports[1:]) in every additive cell.
    A cell missing from a unit's report (a row it does not have) is 0 there."""
    if len(reports) < 2:
        return []
    parts: dict[tuple, list[Cell]] = {}
    for k, data in enumerate(reports[1:], start=1):
        for ident, path in _unit_cells(data):
            parts.setdefault(ident, []).append((k, *path))
    return [Relation((0, *path), tuple(parts.get(ident, ())))
            for ident, path in _unit_cells(reports[0])]


def all_relations(reports: list[dict]) -> list[Relation]:
    """Each report's own relations, and the whole = sum of the units, as bundle cells."""
    out = []
    for k, data in enumerate(reports):
        for rel in relations(data):
            out.append(Relation((k, *rel.total), tuple((k, *c) for c in rel.parts),
                                (k, *rel.prefer) if rel.prefer else None,
                                tuple((k, *c) for c in rel.minus)))
    return out + unit_relations(reports)


def hidden_at(reports: list[dict], cell: Cell) -> bool:
    return hidden(*_at(reports, cell))


def value_at(reports: list[dict], cell: Cell) -> float | None:
    return value(*_at(reports, cell))


