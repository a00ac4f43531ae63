"""Shared fixtures: the real bundled dataset, a CliRunner, and a terminal switch."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stancecli.cli.app import app

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "stances.yaml"
SEEDS = REPO / "seeds"
# The C extensions are optional (setup.py): a test that they were built needs a compiler.
needs_a_compiler = pytest.mark.skipif(
    os.name != "posix" or not (shutil.which("cc") or shutil.which("gcc")), reason="no C compiler")


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
    monkeypatch.setattr("stancecli.cli.plain.stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    return True


@pytest.fixture(scope="session")
def dataset():
    from stancecli.loading import load_or_fail

    return load_or_fail(DATA)


# ---------------------------------------------------------------- a small dataset for the analysis tests

SMALL_SOURCES = {
    "a-2010.txt": "Innspill fra Alpha 2010.\n\nVi støtter <script>alert('x')</script> fullt ut.\n\n"
                  "Vi er for i2 med «forbehold» & vilkår.\n",
    "a-2012.txt": "Innspill fra Alpha 2012.\n\nVi er for i1, men med | en pipe.\n\nVi er mot i3.\n",
    "b-2011.txt": "Innspill fra Beta.\n\nVi er sterkt imot i1.\n\nVi er for i2.\n\n"
                  "Gamma mener i2 er feil <img src=x onerror=alert(1)>.\n",
    "m-2011.txt": "Kommunen.\n\nVi er delt om i2.\n\nVi er mot i3.\n",
    "e-2011.txt": "Arbeidsgiverne.\n\nVi krever i4.\n",
}


def _small_yaml() -> str:
    import json

    def position(issue, doc, stance, quote, org=None, reported_by=None):
        who = f"  organisation: {org}\n  reported_by: {reported_by}\n" if reported_by else f"  document: {doc}\n"
        return (f"- issue: {issue}\n{who}  stance: {stance}\n"
                f"  summary: {{nb: \"Oppsummert: {issue} \\\"sitert\\\"\", en: \"Summary of {issue}\"}}\n"
                f"  quotes:\n  - {json.dumps(quote, ensure_ascii=False)}\n")

    orgs = [("u1", "Alpha <b>&</b> forbund", "A&B <u>", "union"), ("u2", "Beta", "Beta", "union"),
            ("m1", "Kommune", "Kommune", "municipality"), ("e1", "Arbeidsgivere", "Arbeidsgivere",
                                                           "employer-organisation"),
            ("r1", "Gamma", "Gamma", "ngo")]
    docs = [("a-2010", "u1", 2010), ("a-2012", "u1", 2012), ("b-2011", "u2", 2011),
            ("m-2011", "m1", 2011), ("e-2011", "e1", 2011)]
    text = "version: 1\norganisations:\n"
    text += "".join(f"- {{id: {i}, name: {json.dumps(n)}, short: {json.dumps(s)}, kind: {k}}}\n"
                    for i, n, s, k in orgs)
    text += "documents:\n" + "".join(
        f"- {{id: {d}, organisation: {o}, title: \"Tittel {d} <em>\", hearing: H, year: {y}, "
        f"source: seeds/{d}.txt}}\n" for d, o, y in docs)
    text += "issues:\n" + "".join(
        f"- {{key: {k}, title: {{nb: \"Sak {k}\", en: \"Issue {k}\"}}, "
        f"proposal: {{nb: \"Forslag {k}\", en: \"Proposal {k}\"}}}}\n" for k in ("i1", "i2", "i3", "i4", "i5"))
    text += "positions:\n" + "".join([
        position("i1", "a-2010", "strongly-for", "Vi støtter <script>alert('x')</script> fullt ut."),
        position("i2", "a-2010", "for", "Vi er for i2 med «forbehold» & vilkår."),
        position("i1", "a-2012", "for", "Vi er for i1, men med | en pipe."),
        position("i3", "a-2012", "against", "Vi er mot i3."),
        position("i1", "b-2011", "strongly-against", "Vi er sterkt imot i1."),
        position("i2", "b-2011", "for", "Vi er for i2."),
        position("i2", "m-2011", "mixed", "Vi er delt om i2."),
        position("i3", "m-2011", "against", "Vi er mot i3."),
        position("i4", "e-2011", "strongly-for", "Vi krever i4."),
        position("i2", None, "against", "Gamma mener i2 er feil <img src=x onerror=alert(1)>.",
                 org="r1", reported_by="b-2011"),
    ])
    return text


@pytest.fixture
def small_data(tmp_path) -> Path:
    """A five-organisation dataset with known proximities, a change over time, a reported view,
    an organisation sharing no issue with anyone (e1), an issue no one addressed (i5), and HTML
    in names, titles and quotes.

    Latest stances:  u1 (A&B <u>): i1 +1, i2 +1, i3 -1   u2 (Beta): i1 -2, i2 +1
                     m1: i2 0, i3 -1   e1: i4 +2   r1 (reported by b-2011): i2 -1
    """
    (tmp_path / "seeds").mkdir()
    for name, text in SMALL_SOURCES.items():
        (tmp_path / "seeds" / name).write_text(text, encoding="utf-8")
    path = tmp_path / "stances.yaml"
    path.write_text(_small_yaml(), encoding="utf-8")
    return path


@pytest.fixture
def small(small_data):
    from stancecli.loading import load_or_fail

    return load_or_fail(small_data)
