"""Shared fixtures: the real bundled dataset, a CliRunner, and a terminal switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stancecli.cli.app import app

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "stances.yaml"
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own cache directory: no test sees another's snapshots or indexes."""
    monkeypatch.setenv("STANCECLI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner, monkeypatch):
    """Run the CLI as in a pipe (stdout is not a terminal): cli('compare', 'anbud')."""
    monkeypatch.delenv("STANCECLI_DATA", raising=False)
    monkeypatch.delenv("STANCECLI_LANG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args: str, env: dict | None = None):
        return runner.invoke(app, list(args), env=env)

    return invoke


@pytest.fixture
def terminal(monkeypatch):
    """Make the CLI believe stdout is a terminal, 120 columns wide."""
    monkeypatch.setattr("stancecli.cli.common.stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    return True


@pytest.fixture(scope="session")
def dataset():
    from stancecli.loading import load_or_fail

    return load_or_fail(DATA)
