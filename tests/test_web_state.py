"""The dashboard's memory of recent views: one computation at a time, made views served
while another is computed, the oldest forgotten first."""

from __future__ import annotations

import threading

import pytest

from innsatstrapp.web.state import Preparing, Recent


def test_made_values_are_kept_and_the_oldest_is_forgotten_first() -> None:
    made = []
    recent: Recent[str] = Recent(2, threading.Lock())

    def make(key: str):
        return lambda: made.append(key) or key.upper()

    assert [recent.get(k, make(k)) for k in ("a", "b", "a", "c")] == ["A", "B", "A", "C"]
    assert made == ["a", "b", "c"]  # "a" once; then "b", the least recently used, goes
    assert list(recent.values) == ["a", "c"]
    recent.get("b", make("b"))
    assert made == ["a", "b", "c", "b"]


def test_a_made_view_is_served_while_another_is_computed() -> None:
    busy = threading.Lock()
    views: Recent[str] = Recent(4, busy)
    plans: Recent[str] = Recent(4, busy)  # the same engine: one computation for both
    views.get("shown", lambda: "ready")
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(10)
        return "late"

    worker = threading.Thread(target=views.get, args=("new", slow))
    worker.start()
    assert started.wait(10)
    assert views.get("shown", lambda: pytest.fail("made again")) == "ready"  # not waiting
    with pytest.raises(Preparing):
        views.get("other", lambda: "x", wait=False)  # a page is told, not kept waiting
    with pytest.raises(Preparing):
        plans.get("plan", lambda: "x", wait=False)
    release.set()
    worker.join(10)
    assert views.get("new", lambda: pytest.fail("made twice")) == "late"
    assert plans.get("plan", lambda: "p", wait=False) == "p"


def test_a_failed_computation_frees_the_engine() -> None:
    recent: Recent[str] = Recent(2, threading.Lock())

    def fail() -> str:
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        recent.get("a", fail)
    assert recent.get("a", lambda: "A", wait=False) == "A"
