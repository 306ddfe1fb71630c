"""Shared fixtures: a store path, no key in the environment, and the tiny demo."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lager.duckdb"


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INNSATSTRAPP_KEY", raising=False)


@pytest.fixture(scope="session")
def tiny_demo(tmp_path_factory: pytest.TempPathFactory):
    """The demo municipality with three months, built once per test session."""
    from innsatstrapp.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo"), months=3)
