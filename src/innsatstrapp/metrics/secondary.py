"""Secondary suppression (contract §5): no withheld figure may be recovered from published ones.

The report publishes sums: services of a group add up to the group, groups to their step,
steps (and unmapped services) to the total, hour buckets to the persons of a scope, stay
buckets to the residents, hours of services to their group and to the home-nursing total,
history counts the same way per period, changes add up like their values, and value =
previous + change, new = net + ended.

Method (greedy complementary suppression, deterministic): for every such relation in which
exactly one cell is withheld, also withhold the smallest positive published cell among its
parts (for value = previous + change, the change), or the total when no part can go; repeat
until no relation has exactly one withheld cell. A test solves the published relations as a
linear system and checks that no withheld cell is determined.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

Path = tuple  # a cell: ("steps", 3, "services") or ("history", "steps", 2, "2024-01")


@dataclass(frozen=True)
class Relation:
    total: Path
    parts: tuple[Path, ...]
    prefer: Path | None = None  # the complement to take first (a change)


def _entries(data: dict, key: str) -> Iterator[tuple[int, dict]]:
    yield from enumerate(data.get(key) or [])


def relations(data: dict) -> list[Relation]:
    out: list[Relation] = []
    steps = {e["step"]: i for i, e in _entries(data, "steps")}
    groups = {e["group"]: i for i, e in _entries(data, "groups")}
    # the additive hierarchy, for the value and for the previous value
    for field_s, field_g in (("count", "services"), ("previous", "previous")):
        for g, gi in groups.items():
            parts = tuple(("services", i, field_s) for i, e in _entries(data, "services")
                          if e["group"] == g)
            out.append(Relation(("groups", gi, field_g), parts))
        for s, si in steps.items():
            parts = tuple(("groups", gi, field_g) for g, gi in groups.items()
                          if data["groups"][gi]["step"] == s)
            out.append(Relation(("steps", si, field_g), parts))
    # changes add up like the values they are differences of
    for g, gi in groups.items():
        out.append(Relation(("groups", gi, "change"), tuple(
            ("services", i, "change") for i, e in _entries(data, "services") if e["group"] == g)))
    for s, si in steps.items():
        out.append(Relation(("steps", si, "change"), tuple(
            ("groups", gi, "change") for g, gi in groups.items()
            if data["groups"][gi]["step"] == s)))
    out.append(Relation(("headline", "services_total", "value"),
                        tuple(("steps", i, "services") for i in steps.values())
                        + tuple(("data_quality", "unmapped_services", i, "active")
                                for i, _ in enumerate(data["data_quality"]["unmapped_services"]))))
    # value = previous + change, everywhere a change is published
    for key, value in (("steps", "services"), ("groups", "services"), ("services", "count")):
        for i, _ in _entries(data, key):
            out.append(Relation((key, i, value), ((key, i, "previous"), (key, i, "change")),
                                prefer=(key, i, "change")))
    for name in data["headline"]:
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
    # history, per period
    history = data.get("history")
    if history:
        hsteps = {h["name"]: k for k, h in enumerate(history["steps"])}
        for p in history["periods"]:
            for k, h in enumerate(history["groups"]):
                parts = tuple(("history", "services", j, p) for j, s in
                              enumerate(history["services"]) if data["services"][j]["group"]
                              == h["name"])
                out.append(Relation(("history", "groups", k, p), parts))
            for s, k in hsteps.items():
                parts = tuple(("history", "groups", j, p) for j, g in
                              enumerate(history["groups"]) if g["step"] == s)
                out.append(Relation(("history", "steps", k, p), parts))
    return out


def _entry(data: dict, path: Path) -> tuple[dict, str]:
    node = data
    for key in path[:-1]:
        node = node[key]
    return node, path[-1]


def value(data: dict, path: Path) -> float | None:
    node, field = _entry(data, path)
    return node["counts"][field] if path[0] == "history" else node.get(field)


def hidden(data: dict, path: Path) -> bool:
    node, field = _entry(data, path)
    if path[0] == "history":
        return node["counts"][field] is None
    return field in node.get("suppressed", ())


def hide(data: dict, path: Path) -> None:
    node, field = _entry(data, path)
    if path[0] == "history":
        node["counts"][field] = None
        return
    node[field] = None
    if field not in node["suppressed"]:
        node["suppressed"].append(field)
    if field == "change" and "change_pct" in node:
        node["change_pct"] = None
        if "change_pct" not in node["suppressed"]:
            node["suppressed"].append("change_pct")


def _published(data: dict, path: Path) -> bool:
    return not hidden(data, path) and value(data, path) is not None


def _complement(data: dict, rel: Relation) -> Path | None:
    """The cell to withhold with the one withheld cell of `rel`: the preferred change, else the
    smallest non-zero published part, else the total; a zero only where it is a difference
    (a change or a net), since a count of 0 is never withheld."""
    if rel.prefer is not None and _published(data, rel.prefer):
        return rel.prefer
    usable = [c for c in rel.parts if _published(data, c) and _can_hide(data, c)]
    options = sorted((c for c in usable if value(data, c)), key=lambda c: abs(value(data, c)))
    if options:
        return options[0]
    if _published(data, rel.total) and value(data, rel.total) and _can_hide(data, rel.total):
        return rel.total
    differences = [c for c in (*usable, rel.total) if _published(data, c)
                   and c[-1] in ("change", "net") and _can_hide(data, c)]
    return differences[0] if differences else None


_OPERANDS = {"change": ("value", "previous", "services", "count"), "net": ("new", "ended")}


def _can_hide(data: dict, cell: Path) -> bool:
    """A difference (change, net) hides nothing while both its operands are published and
    cannot go (zeros): it would still be operand minus operand."""
    if cell[-1] not in _OPERANDS or cell[0] == "history":
        return True
    node, _ = _entry(data, cell)
    operands = [f for f in _OPERANDS[cell[-1]] if f in node]
    return any(f in node.get("suppressed", ()) or node.get(f) for f in operands)


def apply(data: dict) -> dict:
    """Withhold complementary cells in a report dict (model_dump) until nothing is exposed."""
    rels = relations(data)
    changed = True
    while changed:
        changed = False
        for rel in rels:
            cells = (rel.total, *rel.parts)
            if sum(hidden(data, c) for c in cells) != 1:
                continue
            choice = _complement(data, rel)
            if choice is None:
                continue  # only blanks left: nothing is revealed
            hide(data, choice)
            changed = True
    return data
