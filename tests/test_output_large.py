"""The views a real hearing needs (50 organisations, 60 issues) stay readable in a terminal:
no line past the edge, no key or label cut, nothing truncated; pipes carry every cell."""

from __future__ import annotations

import sys

import pytest
from rich.cells import cell_len

from conftest import REPO
from stancecli import analysis
from stancecli.output.env import Environment
from stancecli.output.present import render
from stancecli.results import MapResult, MatrixResult

sys.path.insert(0, str(REPO / "bench"))
import gen_dataset  # noqa: E402

WIDTHS = (40, 60, 80, 100, 160)
ORGS, ISSUES = 50, 60


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    from stancecli.loading import load_or_fail

    path = gen_dataset.build(tmp_path_factory.mktemp("large"), ORGS, ISSUES, seed=7, undecided=5)
    return load_or_fail(path)


def terminal(width: int) -> Environment:
    return Environment(is_terminal=True, width=width, color=False)


def readable(lines: list[str], width: int) -> str:
    assert lines
    assert all(cell_len(line) <= width for line in lines), f"a line runs past {width} columns"
    out = "\n".join(lines)
    assert "\u2026" not in out
    return out


def whole_words(out: str) -> set[str]:
    return {w.strip("(),=") for w in out.split()}


def test_map_shows_every_issue_and_organisation_at_every_width(large):
    pm = analysis.position_map(large)
    result = MapResult(analysis.map_listing(pm, large), pm, "Position map", analysis.undecided_cells(large, pm))
    for width in WIDTHS:
        out = readable(list(render(result, "table", terminal(width))), width)
        assert {s.key for s in pm.issues} <= whole_words(out)
        assert all(side.label.split()[-1] in whole_words(out) for side in pm.profiles)


def test_map_marks_uncoded_pairs_as_undecided(large):
    pm = analysis.position_map(large)
    unknown = analysis.undecided_cells(large, pm)
    assert len(unknown) == 5
    result = MapResult(analysis.map_listing(pm, large), pm, "Position map", unknown)
    out = "\n".join(render(result, "table", terminal(160)))
    assert "? undecided" in out
    tsv = list(render(MapResult(analysis.map_listing(pm, large, absent=True), pm, "", unknown), "tsv", terminal(80)))
    assert sum(line.split("\t")[2] == "undecided" for line in tsv) == 5


def test_matrix_at_every_width(large):
    m = analysis.matrix(large)
    result = MatrixResult(analysis.matrix_listing(m), m, "Agreement")
    for width in WIDTHS:
        out = readable(list(render(result, "table", terminal(width))), width)
        assert all(side.label in out for side in m.profiles)
    pipe = list(render(result, "tsv", terminal(80)))
    assert len(pipe) == ORGS * (ORGS - 1) // 2  # every pair, in a pipe


def test_conflicts_and_by_kind_at_every_width(large):
    conflicts = analysis.conflicts(large)
    by_kind = analysis.by_kind(large, list(large.issues)[:3], "nb")
    for width in WIDTHS:
        out = readable(list(render(conflicts, "table", terminal(width))), width)
        assert {row["issue"] for row in conflicts.rows} <= whole_words(out)
        out = readable(list(render(by_kind, "table", terminal(width))), width)
        assert {row["kind"] for row in by_kind.rows} <= whole_words(out)
