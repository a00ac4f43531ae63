"""`who-supports` / `who-opposes`: clean lines for a journalist's pipe, a table for the terminal.

On the small dataset (tests/conftest.py): i1 u1 ++ (2010) and + (2012), u2 --; i2 u1 +, u2 +, m1 ±,
r1 - (reported by b-2011); i3 u1 -, m1 -; i4 e1 ++."""

import json


def rows(stdout: str) -> list[list[str]]:
    return [line.split("\t") for line in stdout.splitlines()]


def test_who_supports_in_a_pipe_gives_ids_strongest_first(cli, small_data):
    result = cli("who-supports", "i1", "--data", str(small_data))
    assert result.exit_code == 0
    assert [(r[0], r[1], r[3]) for r in rows(result.stdout)] == [("u1", "strongly-for", "a-2010"),
                                                                 ("u1", "for", "a-2012")]
    assert "\x1b[" not in result.stdout


def test_lines_sort_cleanly(cli, small_data):
    lines = cli("who-supports", "i2", "--data", str(small_data)).stdout.splitlines()
    assert [line.split("\t")[0] for line in sorted(lines)] == ["u1", "u2"]


def test_strong_keeps_only_the_strong_label(cli, small_data):
    out = cli("who-supports", "i1", "--strong", "--data", str(small_data)).stdout
    assert [r[:2] for r in rows(out)] == [["u1", "strongly-for"]]


def test_who_opposes(cli, small_data):
    out = cli("who-opposes", "i2", "--data", str(small_data)).stdout
    assert {(r[0], r[1], r[5]) for r in rows(out)} == {("r1", "against", "b-2011")}


def test_reported_positions_are_marked(cli, small_data):
    records = json.loads(cli("who-opposes", "i2", "--format", "json", "--data", str(small_data)).stdout)
    assert {r["organisation"]: r["reported_by"] for r in records} == {"r1": "b-2011"}


def test_nobody_supports_exits_1_with_a_message(cli, small_data):
    result = cli("who-supports", "i3", "--data", str(small_data))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no organisation supports 'i3'" in result.stderr


def test_terminal_table_shows_names(cli, terminal, small_data):
    result = cli("who-supports", "i1", "--color", "never", "--data", str(small_data))
    assert result.exit_code == 0
    assert "Who supports" in result.stdout
    assert "++ strongly-for" in result.stdout
    assert "A&B <u>" in result.stdout  # the short name in a table; records carry the id


def test_unknown_issue_exits_2(cli):
    result = cli("who-opposes", "egenrgi")
    assert result.exit_code == 2
    assert "did you mean egenregi" in result.stderr


def test_who_opposes_terminal_table_cites_file_and_line(cli, terminal, small_data):
    out = cli("who-opposes", "i3", "--color", "never", "--data", str(small_data)).stdout
    assert "Who opposes" in out
    assert "- against" in out
    assert "a-2012.txt:5" in out and "m-2011.txt:5" in out
