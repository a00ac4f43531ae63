"""`stancecli timeline ORG` and `stancecli diff DOC_A DOC_B`: kept, changed, new, dropped, with quotes."""

import csv
import io
import json


def changes(stdout: str) -> dict[str, list[str]]:
    return {r[1]: r for r in (line.split("\t") for line in stdout.splitlines())}


def test_diff_in_a_pipe(cli, small_data):
    result = cli("diff", "a-2010", "a-2012", "--data", str(small_data))
    assert result.exit_code == 0, result.stderr
    found = changes(result.stdout)
    assert found["i1"][:5] == ["changed", "i1", "strongly-for", "for", "toward-against"]
    assert found["i3"][:4] == ["new", "i3", "not-addressed", "against"]
    assert found["i2"][:4] == ["dropped", "i2", "for", "not-addressed"]
    kinds = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert kinds == ["changed", "new", "dropped"]


def other_hearing(small_data) -> str:
    """a-2012 answers another hearing than a-2010."""
    text = small_data.read_text(encoding="utf-8")
    small_data.write_text(text.replace("{id: a-2012, organisation: u1, title: \"Tittel a-2012 <em>\", hearing: H,",
                                       "{id: a-2012, organisation: u1, title: \"Tittel a-2012 <em>\", hearing: H2,"),
                          encoding="utf-8")
    return str(small_data)


def test_another_hearing_is_not_raised_not_dropped(cli, small_data):
    data = other_hearing(small_data)
    found = changes(cli("diff", "a-2010", "a-2012", "--data", data).stdout)
    assert found["i2"][:4] == ["not-raised", "i2", "for", "not-raised"]
    assert found["i3"][:4] == ["new", "i3", "not-raised", "against"]
    records = json.loads(cli("diff", "a-2010", "a-2012", "--data", data, "-f", "json").stdout)
    assert {r["issue"]: r["after_status"] for r in records}["i2"] == "not-raised"


def test_another_hearing_in_a_terminal_names_both(cli, terminal, small_data):
    out = cli("diff", "a-2010", "a-2012", "--data", other_hearing(small_data), "--color", "never",
              env={"COLUMNS": "200"}).stdout
    assert "not raised in a-2012" in out
    assert "a-2010 answered «H», a-2012 «H2»" in out
    assert "dropped" not in out.split("\n", 1)[1]


def test_undecided_later_document_is_not_a_drop(cli, small_data):
    text = small_data.read_text(encoding="utf-8").replace("- {key: i2, ", "- {key: i2, codebook: true, ")
    small_data.write_text(text, encoding="utf-8")
    found = changes(cli("diff", "a-2010", "a-2012", "--data", str(small_data)).stdout)
    assert found["i2"][:4] == ["undecided", "i2", "for", "undecided"]


def test_diff_quotes_come_with_their_lines(cli, small_data):
    row = changes(cli("diff", "a-2010", "a-2012", "--data", str(small_data)).stdout)["i1"]
    assert row[7].endswith("seeds/a-2010.txt:3")
    assert row[9].endswith("seeds/a-2012.txt:3")
    assert "i1" in row[8]


def test_only(cli, small_data):
    result = cli("diff", "a-2010", "a-2012", "--data", str(small_data), "--only", "changed", "--only", "new")
    assert {line.split("\t")[0] for line in result.stdout.splitlines()} == {"changed", "new"}


def test_diff_csv_json_jsonl_markdown(cli, small_data):
    data = ("--data", str(small_data))
    rows = list(csv.DictReader(io.StringIO(cli("diff", "a-2010", "a-2012", *data, "-f", "csv").stdout)))
    assert [(r["change"], r["issue"], r["direction"]) for r in rows] == [
        ("changed", "i1", "toward-against"), ("new", "i3", ""), ("dropped", "i2", "")]
    records = json.loads(cli("diff", "a-2010", "a-2012", *data, "-f", "json").stdout)
    assert records[0]["before"]["stance"] == "strongly-for" and records[0]["after"]["stance"] == "for"
    assert records[0]["delta"] == -1 and records[1]["before"] is None and records[2]["after"] is None
    lines = cli("diff", "a-2010", "a-2012", *data, "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["change"] for line in lines] == ["changed", "new", "dropped"]
    md = cli("diff", "a-2010", "a-2012", *data, "-f", "markdown").stdout
    assert md.startswith("### ") and "2012 (a-2012): 1 changed, 1 new, 1 dropped, 0 kept" in md.splitlines()[0]
    assert "| changed | i1 | strongly-for | for | toward-against |" in md


def test_diff_terminal_blocks(cli, terminal, small_data):
    out = cli("diff", "a-2010", "a-2012", "--only", "changed", "--color", "never", "--data", str(small_data)).stdout
    assert "A&B <u> 2010 (a-2010) → A&B <u> 2012 (a-2012)" in out
    assert "i1  ++ strongly-for → + for  \u2193 toward against" in out
    assert "a-2010.txt:3" in out and "a-2012.txt:3" in out
    assert "seeds/" not in out  # a terminal gets file names, not paths


def test_diff_terminal_colour(cli, terminal):
    assert "\x1b[" in cli("diff", "ntl-2012", "ntl-2015", "--color", "always").stdout


def test_diff_between_organisations_notes_it(cli, terminal):
    out = cli("diff", "ntl-2015", "fo-2016", "--color", "never").stdout
    assert "not a change of mind" in out


def test_diff_bad_input_exits_2(cli):
    same = cli("diff", "ntl-2012", "ntl-2012")
    assert same.exit_code == 2 and "two different documents" in same.stderr
    unknown = cli("diff", "ntl-2012", "ntl-2016")
    assert unknown.exit_code == 2 and "unknown document 'ntl-2016'" in unknown.stderr
    bad_only = cli("diff", "ntl-2012", "ntl-2015", "--only", "moved")
    assert bad_only.exit_code == 2


def test_diff_with_no_such_change_exits_1(cli, small_data):
    result = cli("diff", "a-2010", "a-2012", "--data", str(small_data), "--only", "kept")
    assert result.exit_code == 1
    assert "no such changes from a-2010 to a-2012" in result.stderr


def test_timeline_in_a_pipe(cli, small_data):
    result = cli("timeline", "u1", "--data", str(small_data))
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert {(r[0], r[1]) for r in rows} == {("a-2010", "a-2012")}
    assert ["a-2010", "a-2012", "changed", "i1", "strongly-for", "for", "toward-against"] in [r[:7] for r in rows]


def test_timeline_formats(cli, small_data):
    data = ("--data", str(small_data))
    header = cli("timeline", "u1", *data, "-f", "csv").stdout.splitlines()[0]
    assert header.startswith("from,to,change,issue,before,after,direction")
    records = json.loads(cli("timeline", "u1", *data, "-f", "json").stdout)
    assert [(r["from"], r["to"], r["change"]) for r in records] == [
        ("a-2010", "a-2012", "changed"), ("a-2010", "a-2012", "new"), ("a-2010", "a-2012", "dropped")]
    assert len(cli("timeline", "u1", *data, "-f", "jsonl").stdout.splitlines()) == 3
    assert "| a-2010 | a-2012 | changed | i1 |" in cli("timeline", "u1", *data, "-f", "markdown").stdout


def test_timeline_terminal(cli, terminal, small_data):
    out = cli("timeline", "u1", "--color", "never", "--data", str(small_data)).stdout
    assert "A&B <u> over time" in out
    assert "a-2010 → a-2012" in out
    assert "dropped" in out and "new" in out and "changed" in out


def test_timeline_one_document_exits_1(cli):
    result = cli("timeline", "parat")
    assert result.exit_code == 1
    assert "one document (parat-2014)" in result.stderr


def test_timeline_unknown_org_exits_2(cli):
    result = cli("timeline", "ntll")
    assert result.exit_code == 2
    assert "did you mean ntl" in result.stderr
