"""A search's folders listed while the engine loads (cli/early.py): used only for the paths parsed."""

from pathlib import Path

import pytest

from conftest import SEEDS
from stancecli.cli import early


@pytest.mark.parametrize("args, paths", [
    (["anbud"], []),
    (["anbud", "a", "b"], ["a", "b"]),
    (["--index-dir", "ix", "anbud", "a"], ["a"]),
    (["anbud", "a", "-C", "2", "--exact", "-n5", "--limit=3", "b"], ["a", "b"]),
    (["-f", "json", "--min-score", "50", "tett oppfølging", "a"], ["a"]),
    (["--", "-anbud", "-a"], ["-a"]),
    (["anbud", "a", "--org", "ntl"], []),  # the dataset's documents among them: the command decides
    (["anbud", "-"], []),
    (["anbud", "a", "--limit", "-1"], []),  # a line Typer refuses lists nothing
])
def test_the_paths_of_a_search_line_are_read_as_typer_parses_them(args, paths):
    assert early.search_paths(args) == [Path(p) for p in paths]


def test_a_listing_started_early_serves_only_the_paths_parsed_and_only_once():
    early.start(["search", "anbud", str(SEEDS)])
    assert early.take([Path("elsewhere")]) is None  # a wrong guess: the command lists its own
    assert early.take([SEEDS]) is None  # the guess was dropped with it
    early.start(["search", "anbud", f"{SEEDS}/"])  # a shell's completion ends a folder with a slash
    listing = early.take([SEEDS])
    assert listing is not None and len(listing.result([])) == 5
    assert early.take([SEEDS]) is None


@pytest.mark.parametrize("argv", [["compare", "anbud"], ["search", "anbud"], ["search", "anbud", "-"],
                                  ["search", "anbud", str(SEEDS), "--org", "ntl"],
                                  ["search", "anbud", str(SEEDS), "--doc=fo-2016"]])
def test_nothing_is_listed_early_for_other_command_lines(argv):
    early.start(argv)
    assert early.take([SEEDS]) is None and early.take([Path("-")]) is None
