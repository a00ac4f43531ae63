"""`stancecli matrix`: pairs for a pipe, a heatmap for the terminal, the grid in markdown."""

import csv
import io
import json


def pairs(stdout: str) -> dict[frozenset, tuple[str, str]]:
    rows = [line.split("\t") for line in stdout.splitlines()]
    assert all(len(r) == 4 for r in rows)
    return {frozenset(r[:2]): (r[2], r[3]) for r in rows}


def test_pipe_gives_one_line_per_pair_closest_first(cli, small_data):
    result = cli("matrix", "--data", str(small_data))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 10  # five organisations, every pair once
    assert set(lines[0].split("\t")[:2]) == {"u1", "m1"}
    found = pairs(result.stdout)
    assert found[frozenset({"u1", "m1"})] == ("0.875", "2")
    assert found[frozenset({"u1", "u2"})] == ("0.625", "2")
    assert found[frozenset({"u1", "e1"})] == ("n/a", "0")  # nothing in common: n/a, never 0 or 1
    assert "\x1b[" not in result.stdout


def test_pairs_without_overlap_are_na(cli, small_data):
    result = cli("matrix", "--data", str(small_data))
    assert result.exit_code == 0
    found = pairs(result.stdout)
    assert found[frozenset({"u1", "e1"})] == ("n/a", "0")
    value, shared = found[frozenset({"u1", "u2"})]
    assert 0 < float(value) < 1 and int(shared) == 2


def test_csv_has_a_header_and_numbers(cli, small_data):
    rows = list(csv.DictReader(io.StringIO(cli("matrix", "--data", str(small_data), "-f", "csv").stdout)))
    assert list(rows[0]) == ["a", "b", "proximity", "shared"]
    assert {(frozenset((r["a"], r["b"])), r["proximity"]) for r in rows} >= {(frozenset({"u2", "m1"}), "0.75")}


def test_json_records_have_null_for_na_and_the_shared_issues(cli, small_data):
    records = json.loads(cli("matrix", "--data", str(small_data), "--format", "json").stdout)
    by_pair = {frozenset((r["a"], r["b"])): r for r in records}
    assert by_pair[frozenset({"u1", "u2"})]["issues"] == ["i1", "i2"]
    assert by_pair[frozenset({"u1", "u2"})]["proximity"] == 0.625
    assert by_pair[frozenset({"u1", "e1"})]["proximity"] is None
    assert by_pair[frozenset({"u1", "e1"})]["shared"] == 0


def test_jsonl_one_pair_per_line(cli, small_data):
    lines = cli("matrix", "--data", str(small_data), "-f", "jsonl").stdout.splitlines()
    assert len(lines) == 10
    assert all({"a", "b", "proximity", "shared"} <= json.loads(line).keys() for line in lines)


def test_markdown_is_the_grid(cli, small_data):
    out = cli("matrix", "--data", str(small_data), "-f", "markdown").stdout
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("| |"))
    assert "A&amp;B &lt;u&gt;" in header  # the label's HTML cannot reach a markdown viewer raw
    assert "<u>" not in out
    u1_row = next(line for line in lines if line.startswith("| **A&amp;B"))
    assert "0.88 (2)" in u1_row and "0.62 (2)" in u1_row and "n/a" in u1_row and "\u2014" in u1_row


def test_terminal_heatmap_is_coloured(cli, terminal, small_data):
    result = cli("matrix", "--data", str(small_data), "--color", "always")
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "0.88 (2)" in result.stdout and "n/a" in result.stdout
    assert "no issue in common" in " ".join(result.stdout.split())  # the legend (wrapped to the width)


def test_terminal_without_colour(cli, terminal, small_data):
    result = cli("matrix", "--data", str(small_data), "--color", "never")
    assert "\x1b[" not in result.stdout
    assert "Agreement by organisation" in result.stdout


def test_no_reported_leaves_out_reported_views(cli, small_data):
    with_reported = pairs(cli("matrix", "--data", str(small_data)).stdout)
    without = pairs(cli("matrix", "--data", str(small_data), "--no-reported").stdout)
    assert frozenset({"u1", "r1"}) in with_reported
    assert not any("r1" in pair for pair in without)


def test_by_document(cli, small_data):
    found = pairs(cli("matrix", "--by", "document", "--data", str(small_data)).stdout)
    value, shared = found[frozenset({"a-2010", "b-2011"})]
    assert float(value) < 1 and int(shared) == 2
    assert frozenset({"r1@b-2011", "m-2011"}) in found


def test_by_kind(cli, small_data):
    found = pairs(cli("matrix", "--by", "kind", "--data", str(small_data)).stdout)
    assert set().union(*found) == {"union", "municipality", "employer-organisation", "ngo"}


def test_issues_restrict_and_accept_commas(cli, small_data):
    found = pairs(cli("matrix", "--data", str(small_data), "--issues", "i1,i2").stdout)
    assert found[frozenset({"u1", "u2"})] == ("0.625", "2")
    only_i1 = pairs(cli("matrix", "--data", str(small_data), "-i", "i1").stdout)
    assert only_i1 == {frozenset({"u1", "u2"}): ("0.25", "1")}


def test_fewer_than_two_sides_exits_1(cli, small_data):
    result = cli("matrix", "--data", str(small_data), "--issues", "i4")
    assert result.exit_code == 1
    assert "fewer than two" in result.stderr


def test_bad_input_exits_2_without_traceback(cli):
    bad_by = cli("matrix", "--by", "colour")
    assert bad_by.exit_code == 2
    unknown = cli("matrix", "--issues", "anbudd")
    assert unknown.exit_code == 2
    assert "unknown issue 'anbudd'" in unknown.stderr
    assert "Traceback" not in unknown.stderr + unknown.stdout


def test_help_has_examples(cli):
    out = cli("matrix", "--help").stdout
    assert "stancecli matrix --by document" in out
