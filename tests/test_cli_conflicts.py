"""`stancecli conflicts`: the issues ranked by how divided they are and how many took a position."""

import csv
import io
import json


def test_pipe_most_divided_first(cli, small_data):
    result = cli("conflicts", "--data", str(small_data))
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [r[0] for r in rows] == ["i1", "i2", "i3"]  # i4: one voice, left out by default
    assert (rows[0][2], rows[0][7], rows[0][9]) == ("2", "0.75", "split")
    assert rows[2][9] == "consensus"
    assert rows[1][10] == "u1 +, u2 +, m1 ±, r1 -"  # ids in records; a table shows the names


def test_real_data_most_divided_first(cli):
    rows = [line.split("\t") for line in cli("conflicts").stdout.splitlines()]
    divisions = [float(r[7]) for r in rows]
    assert divisions == sorted(divisions, reverse=True)


def test_sort_by_positions_and_minimum(cli, small_data):
    data = ("--data", str(small_data))
    rows = [line.split("\t") for line in cli("conflicts", *data, "--sort", "positions").stdout.splitlines()]
    assert rows[0][0] == "i2" and rows[0][2] == "4"
    assert [r.split("\t")[0] for r in cli("conflicts", *data, "--min", "1").stdout.splitlines()][-1] == "i4"
    none = cli("conflicts", *data, "--min", "5")
    assert none.exit_code == 1
    assert "no issue on which 5 or more organisations" in none.stderr


def test_formats(cli, small_data):
    data = ("--data", str(small_data))
    rows = list(csv.DictReader(io.StringIO(cli("conflicts", *data, "-f", "csv").stdout)))
    assert rows[0]["issue"] == "i1" and rows[0]["verdict"] == "split"
    records = json.loads(cli("conflicts", *data, "-f", "json").stdout)
    assert records[0]["stances"] == {"u1": "for", "u2": "strongly-against"}
    assert records[0]["agreement"] == 0.25
    assert len(cli("conflicts", *data, "-f", "jsonl").stdout.splitlines()) == 3
    md = cli("conflicts", *data, "-f", "markdown").stdout
    assert "| i1 | Sak i1 | 2 | 1 | 0 | 1 |" in md


def test_terminal(cli, terminal, small_data):
    out = cli("conflicts", "--data", str(small_data), "--color", "never").stdout
    assert "Lines of conflict" in out
    assert out.index("split") < out.index("consensus")
    coloured = cli("conflicts", "--data", str(small_data), "--color", "always").stdout
    assert "\x1b[" in coloured


def test_no_reported(cli, small_data):
    out = cli("conflicts", "--data", str(small_data), "--no-reported").stdout
    rows = [line.split("\t") for line in out.splitlines()]
    i2 = next(r for r in rows if r[0] == "i2")
    assert i2[2] == "3"  # Gamma's view, reported by Beta, no longer counts


def test_bad_input_exits_2(cli):
    assert cli("conflicts", "--min", "0").exit_code == 2
    assert cli("conflicts", "--sort", "loudness").exit_code == 2
