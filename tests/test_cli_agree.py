"""`stancecli agree A B`: the shared issues, widest gap first, a quote from each side."""

import csv
import io
import json


def test_pipe_rows_widest_gap_first(cli, small_data):
    result = cli("agree", "u1", "Beta", "--data", str(small_data))
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [("i1", "3", "for", "strongly-against"),
                                                        ("i2", "0", "for", "for")]
    assert rows[0][5] == "Vi er for i1, men med | en pipe."  # u1's words, from its latest document
    assert rows[0][6].endswith("a-2012.txt:3")
    assert rows[0][7] == "Vi er sterkt imot i1."


def test_real_data_ntl_and_fo(cli):
    rows = [line.split("\t") for line in cli("agree", "ntl", "fo").stdout.splitlines()]
    gaps = [int(r[1]) for r in rows]
    assert gaps == sorted(gaps, reverse=True)
    assert all(r[5] and r[7] for r in rows)  # a quote from each side on every row


def test_csv_and_json(cli, small_data):
    rows = list(csv.DictReader(io.StringIO(cli("agree", "u1", "u2", "--data", str(small_data), "-f", "csv").stdout)))
    assert rows[0]["issue"] == "i1" and rows[0]["agreement"] == "0.25"
    records = json.loads(cli("agree", "u1", "u2", "--data", str(small_data), "-f", "json").stdout)
    assert records[0]["gap"] == 3
    assert records[0]["a"]["document"] == "a-2012" and records[0]["b"]["organisation"] == "u2"
    assert records[0]["b"]["quotes"][0]["line_start"] == 3


def test_jsonl(cli, small_data):
    lines = cli("agree", "u1", "u2", "--data", str(small_data), "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["issue"] for line in lines] == ["i1", "i2"]


def test_markdown_escapes_pipes_in_quotes(cli, small_data):
    out = cli("agree", "u1", "u2", "--data", str(small_data), "-f", "markdown").stdout
    assert out.startswith("### ") and "and Beta: proximity 0.62 over 2 shared issues" in out.splitlines()[0]
    row = next(line for line in out.splitlines() if line.startswith("| i1 "))
    assert "men med \\| en pipe" in row


def test_terminal_blocks(cli, terminal, small_data):
    result = cli("agree", "u1", "u2", "--data", str(small_data), "--color", "never")
    assert result.exit_code == 0
    out = result.stdout
    assert "proximity 0.62 over 2 shared issues" in out
    assert out.index("i1") < out.index("i2")
    assert "\u00abVi er sterkt imot i1.\u00bb" in out and "b-2011.txt:3" in out
    assert "Only A&B <u>: i3" in out


def test_terminal_colour(cli, terminal, small_data):
    out = cli("agree", "u1", "u2", "--data", str(small_data), "--color", "always").stdout
    assert "\x1b[" in out


def test_nothing_in_common_exits_1(cli, small_data):
    result = cli("agree", "u1", "e1", "--data", str(small_data))
    assert result.exit_code == 1
    assert "addressed no issue in common" in result.stderr


def test_bad_input_exits_2(cli):
    same = cli("agree", "ntl", "NTL")
    assert same.exit_code == 2 and "two different organisations" in same.stderr
    unknown = cli("agree", "ntl", "nhoo")
    assert unknown.exit_code == 2 and "unknown organisation 'nhoo'" in unknown.stderr


def test_no_reported(cli, small_data):
    assert cli("agree", "u1", "r1", "--data", str(small_data)).exit_code == 0
    result = cli("agree", "u1", "r1", "--no-reported", "--data", str(small_data))
    assert result.exit_code == 1
