"""`stancecli map`: the position grid, blocs together, most divided issues first."""

import csv
import io
import json


def cells(stdout: str) -> dict[tuple[str, str], str]:
    rows = [line.split("\t") for line in stdout.splitlines()]
    assert all(len(r) == 4 for r in rows)
    return {(r[0], r[1]): r[2] for r in rows}


def test_pipe_gives_one_line_per_position(cli, small_data):
    result = cli("map", "--data", str(small_data))
    assert result.exit_code == 0, result.stderr
    found = cells(result.stdout)
    assert len(found) == 9  # the positions only: an empty cell is not a position
    assert found[("i1", "u1")] == "for"  # its latest document (2012), not 2010's strongly-for
    assert found[("i1", "u2")] == "strongly-against"
    assert ("i4", "u1") not in found
    issues_in_order = list(dict.fromkeys(line.split("\t")[0] for line in result.stdout.splitlines()))
    assert issues_in_order == ["i1", "i2", "i3", "i4"]  # most divided first, one voice last


def test_real_data_most_divided_issue_first(cli):
    lines = cli("map").stdout.splitlines()
    first_issue = lines[0].split("\t")[0]
    stances = {line.split("\t")[2] for line in lines if line.startswith(first_issue + "\t")}
    assert stances & {"for", "strongly-for"} and stances & {"against", "strongly-against"}


def test_csv(cli, small_data):
    rows = list(csv.DictReader(io.StringIO(cli("map", "--data", str(small_data), "-f", "csv").stdout)))
    assert list(rows[0]) == ["issue", "organisation", "stance", "score"]
    assert {"issue": "i2", "organisation": "m1", "stance": "mixed", "score": "0"} in rows


def test_json_one_record_per_issue(cli, small_data):
    records = json.loads(cli("map", "--data", str(small_data), "-f", "json").stdout)
    assert [r["issue"] for r in records] == ["i1", "i2", "i3", "i4"]
    i1 = records[0]
    assert (i1["division"], i1["verdict"], i1["positions"]) == (0.75, "split", 2)
    u1 = next(c for c in i1["cells"] if c["organisation"] == "u1")
    assert (u1["stance"], u1["document"], u1["year"]) == ("for", "a-2012", 2012)
    assert all(c["status"] == "position" and "score" in c for r in records for c in r["cells"])
    assert "u1" not in {c["organisation"] for c in records[3]["cells"]}


def test_absent_adds_every_empty_cell_with_a_status_and_no_score(cli, small_data):
    found = cells(cli("map", "--data", str(small_data), "--absent").stdout)
    assert len(found) == 4 * 5  # four issues, five organisations
    assert found[("i4", "u1")] == "not-addressed"
    records = json.loads(cli("map", "--data", str(small_data), "-f", "json", "--absent").stdout)
    empty = next(c for c in records[3]["cells"] if c["organisation"] == "u1")
    assert empty == {"organisation": "u1", "status": "not-addressed"}


def test_jsonl(cli, small_data):
    lines = cli("map", "--data", str(small_data), "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["issue"] for line in lines] == ["i1", "i2", "i3", "i4"]


def test_markdown_grid_of_symbols(cli, small_data):
    out = cli("map", "--data", str(small_data), "-f", "markdown").stdout
    header = next(line for line in out.splitlines() if line.startswith("| Issue"))
    assert "A&amp;B &lt;u&gt;" in header
    i1 = next(line for line in out.splitlines() if line.startswith("| i1 "))
    cols = [c.strip() for c in i1.strip("|").split("|")]
    labels = [c.strip() for c in header.strip("|").split("|")]
    row = dict(zip(labels, cols))
    assert row["A&amp;B &lt;u&gt;"] == "+" and row["Beta"] == "--" and row["Gamma"] == "\u00b7"
    assert row["Verdict"] == "split"
    assert "not addressed" in out  # the legend


def test_terminal_grid_coloured(cli, terminal, small_data):
    result = cli("map", "--data", str(small_data), "--color", "always")
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "Position map by organisation" in result.stdout
    assert "strongly against" in result.stdout  # the legend


def test_terminal_grid_orders_blocs(cli, terminal, small_data):
    out = cli("map", "--color", "never", "--data", str(small_data)).stdout
    header = next(line for line in out.splitlines() if "Issue" in line and "Beta" in line)
    order = header.split()
    assert order.index("Kommune") < order.index("Beta")  # Kommune stands next to A&B, who it agrees with


def test_by_document_and_issues(cli, small_data):
    found = cells(cli("map", "--by", "document", "--issues", "i1", "--data", str(small_data)).stdout)
    assert found[("i1", "a-2010")] == "strongly-for"
    assert found[("i1", "a-2012")] == "for"


def test_by_kind_averages_members(cli, small_data):
    found = cells(cli("map", "--data", str(small_data), "--by", "kind").stdout)
    assert found[("i1", "union")] == "mixed"  # A&B + and Beta -- average to -0.5
    assert found[("i2", "ngo")] == "against"


def test_issue_nobody_addressed(cli, terminal, small_data):
    out = cli("map", "--data", str(small_data), "--color", "never").stdout
    assert "No one addressed: i5" in out
    result = cli("map", "--data", str(small_data), "--issues", "i5")
    assert result.exit_code == 1
    assert "no positions" in result.stderr


def test_unknown_issue_exits_2(cli):
    result = cli("map", "--issues", "anbud,,nope")
    assert result.exit_code == 2
    assert "unknown issue 'nope'" in result.stderr
