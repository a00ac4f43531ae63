"""No word lost at any width: every read command, drawn for a terminal 40 to 160 columns wide,
shows every word of every quote and summary it shows in a pipe, and every key, id and citation
as one unbroken word (a table that cannot fit switches to blocks; grids to numbered parts)."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from rich.cells import cell_len

WIDTHS = (40, 60, 80, 100, 160)
# CSV columns whose every word the terminal must show, and those that must appear as whole words.
WORD_COLUMNS = ("summary", "quote", "quote_a", "quote_b", "quote_before", "quote_after")
# Lists of "organisation-id detail": the terminal shows each id as the organisation's name.
ORG_LIST_COLUMNS = ("stances", "members", "silent", "undecided")
TOKEN_COLUMNS = ("issue", "key", "id", "document", "reported_by", "from", "to", "kind")
CITATION_COLUMNS = ("location", "location_a", "location_b", "location_before", "location_after")

COMMANDS = [
    ("compare", "anbud"),
    ("compare", "anbud", "egenregi", "--quotes"),
    ("compare", "anbud", "--by", "kind"),
    ("who-supports", "egenregi"),
    ("who-opposes", "anbud", "--by", "kind"),
    ("evidence", "anbud"),
    ("issues",),
    ("orgs",),
    ("docs", "--coverage"),
    ("show", "ntl"),
    ("agree", "parat", "bergen"),
    ("timeline", "ntl"),
    ("diff", "ntl-2012", "ntl-2015"),
    ("conflicts",),
    ("map",),
    ("matrix",),
    ("matrix", "--by", "document"),
]


def words(text: str) -> list[str]:
    # A list separator stays with the word before it ("org-02," / "Org 2,"): compare without it.
    return [w.strip("\u00ab\u00bb").rstrip(",;") for w in text.split() if w != "|"]


def token_set(text: str) -> set[str]:
    return {w.strip("\u00ab\u00bb()[],;:.\"'") for w in text.split()} | set(text.split())


def expected(csv_text: str, names: dict[str, str]) -> tuple[Counter, set[str]]:
    want_words: Counter = Counter()
    want_tokens: set[str] = set()
    for row in csv.DictReader(io.StringIO(csv_text)):
        for col in WORD_COLUMNS:
            want_words.update(words(row.get(col) or ""))
        for col in ORG_LIST_COLUMNS:
            for word in words(row.get(col) or ""):
                want_words.update(words(names.get(word, word)))
        for col in TOKEN_COLUMNS:
            if row.get(col):
                want_tokens.add(row[col])
        for col in CITATION_COLUMNS:
            want_tokens.update(part.rsplit("/", 1)[-1] for part in (row.get(col) or "").split(" | ") if part)
    return want_words, want_tokens


def check(out: str, want_words: Counter, want_tokens: set[str], width: int) -> None:
    shown = Counter(words(out))
    missing = {w: n - shown[w] for w, n in want_words.items() if shown[w] < n}
    assert not missing, f"at {width} columns, words lost or cut: {sorted(missing)[:10]}"
    tokens = token_set(out)
    cut = sorted(t for t in want_tokens if t not in tokens)
    assert not cut, f"at {width} columns, keys or citations cut: {cut[:10]}"
    assert "\u2026" not in out, f"at {width} columns, an ellipsis: something was truncated"
    too_wide = [line for line in out.splitlines() if cell_len(line) > width]
    assert not too_wide, f"at {width} columns, lines run past the edge: {too_wide[:2]}"


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("widths-cache"))


@pytest.fixture(autouse=True)
def private_cache(module_cache, monkeypatch):
    """One cache for the module (not one per test): the dataset is read and its quotes located once,
    as on a user's machine from the second run on; every run still goes through the whole CLI."""
    monkeypatch.setenv("STANCECLI_CACHE_DIR", module_cache)


@pytest.fixture(scope="module")
def command_of():
    """name -> the Typer app of that one command (as `stancecli NAME` builds it), built once."""
    from stancecli.cli.app import COMMANDS, build_app

    apps: dict = {}
    return lambda name: apps.setdefault(name, build_app([COMMANDS[name]]))


@pytest.fixture
def run(runner, command_of, monkeypatch):
    monkeypatch.delenv("STANCECLI_DATA", raising=False)
    monkeypatch.delenv("STANCECLI_LANG", raising=False)

    def invoke(*args: str, env: dict | None = None) -> str:
        result = runner.invoke(command_of(args[0]), list(args), env=env)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    return invoke


def render_at_widths(run, args: tuple[str, ...]):
    for width in WIDTHS:
        yield width, run(*args, "--color", "never", env={"COLUMNS": str(width)})


@pytest.fixture(scope="module")
def orgs_csv() -> str:
    from typer.testing import CliRunner

    from stancecli.cli.app import build_app

    return CliRunner().invoke(build_app(["listings"]), ["orgs", "--format", "csv"]).stdout


@pytest.fixture(scope="module")
def names(orgs_csv) -> dict[str, str]:
    """Organisation id -> the short name tables show."""
    return {row["id"]: row["short"] for row in csv.DictReader(io.StringIO(orgs_csv))}


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_word_lost_on_the_bundled_dataset(run, terminal, names, args):
    want_words, want_tokens = expected(run(*args, "--format", "csv"), names)
    for width, out in render_at_widths(run, args):
        check(out, want_words, want_tokens, width)


def test_labels_of_the_matrix_stay_whole(run, terminal, orgs_csv):
    shorts = [row["short"] for row in csv.DictReader(io.StringIO(orgs_csv)) if int(row["positions"])]
    assert shorts
    for width, out in render_at_widths(run, ("matrix",)):
        for label in shorts:
            assert any(label in line for line in out.splitlines()), (width, label)


# The same promise at the size of a real hearing: 50 organisations, 60 issues (generated).
LARGE_COMMANDS = [
    ("compare", "sak-01"),
    ("compare", "sak-02", "--quotes"),
    ("compare", "sak-01", "--by", "kind"),
    ("who-supports", "sak-03"),
    ("evidence", "sak-04"),
    ("issues",),
    ("orgs",),
    ("docs",),
    ("show", "org-02"),
    ("agree", "org-01", "org-02"),
    ("conflicts",),
]


@pytest.fixture(scope="module")
def large_data(tmp_path_factory) -> str:
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    import gen_dataset

    return str(gen_dataset.build(tmp_path_factory.mktemp("hearing"), 50, 60, seed=11, undecided=5))


@pytest.mark.parametrize("args", LARGE_COMMANDS, ids=" ".join)
def test_no_word_lost_on_a_50_organisation_hearing(run, terminal, large_data, args):
    from typer.testing import CliRunner

    from stancecli.cli.app import build_app

    orgs = CliRunner().invoke(build_app(["listings"]), ["orgs", "--format", "csv", "--data", large_data]).stdout
    large_names = {row["id"]: row["short"] for row in csv.DictReader(io.StringIO(orgs))}
    args = (*args, "--data", large_data)
    want_words, want_tokens = expected(run(*args, "--format", "csv"), large_names)
    assert want_words or want_tokens
    for width, out in render_at_widths(run, args):
        check(out, want_words, want_tokens, width)
