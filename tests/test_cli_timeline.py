"""`stancecli timeline ORG` and `stancecli diff DOC_A DOC_B`: kept, changed, new, dropped, with quotes."""

import csv
import io
import json


def changes(stdout: str) -> dict[str, list[str]]:
    return {r[1]: r for r in (line.split("\t") for line in stdout.splitlines())}


def test_diff_ntl_2012_2015_in_a_pipe(cli):
    result = cli("diff", "ntl-2012", "ntl-2015")
    assert result.exit_code == 0, result.stderr
    found = changes(result.stdout)
    assert found["egenregi"][:5] == ["changed", "egenregi", "for", "strongly-for", "toward-for"]
    assert found["ordinaert-arbeidsliv"][:5] == ["changed", "ordinaert-arbeidsliv", "strongly-for", "for",
                                                 "toward-against"]
    assert found["kompetansekrav"][0] == "kept"
    assert found["malstyring"][:4] == ["new", "malstyring", "not-addressed", "strongly-against"]
    assert found["anbud"][:4] == ["dropped", "anbud", "strongly-against", "not-addressed"]
    kinds = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert kinds == sorted(kinds, key=["changed", "new", "dropped", "kept"].index)


def test_diff_quotes_come_with_their_lines(cli):
    row = changes(cli("diff", "ntl-2012", "ntl-2015").stdout)["egenregi"]
    assert "seeds/001_37ab94ba59815dd1.txt:" in row[7]
    assert "seeds/003_7e837691441a8617.txt:" in row[9]
    assert "egenregi" in row[8]


def test_only(cli):
    result = cli("diff", "ntl-2012", "ntl-2015", "--only", "changed", "--only", "kept")
    assert {line.split("\t")[0] for line in result.stdout.splitlines()} == {"changed", "kept"}


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


def test_diff_terminal_blocks(cli, terminal):
    out = cli("diff", "ntl-2012", "ntl-2015", "--only", "changed", "--color", "never").stdout
    assert "NTL 2012 (ntl-2012) → NTL 2015 (ntl-2015)" in out
    assert "egenregi  + for → ++ strongly-for  \u2191 toward for" in out
    assert "001_37ab94ba59815dd1.txt:" in out and "003_7e837691441a8617.txt:" in out
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


def test_timeline_ntl(cli):
    result = cli("timeline", "ntl")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert {(r[0], r[1]) for r in rows} == {("ntl-2012", "ntl-2015")}
    assert ["ntl-2012", "ntl-2015", "changed", "egenregi", "for", "strongly-for", "toward-for"] in [r[:7] for r in rows]


def test_timeline_formats(cli, small_data):
    data = ("--data", str(small_data))
    header = cli("timeline", "u1", *data, "-f", "csv").stdout.splitlines()[0]
    assert header.startswith("from,to,change,issue,before,after,direction")
    records = json.loads(cli("timeline", "u1", *data, "-f", "json").stdout)
    assert [(r["from"], r["to"], r["change"]) for r in records] == [
        ("a-2010", "a-2012", "changed"), ("a-2010", "a-2012", "new"), ("a-2010", "a-2012", "dropped")]
    assert len(cli("timeline", "u1", *data, "-f", "jsonl").stdout.splitlines()) == 3
    assert "| a-2010 | a-2012 | changed | i1 |" in cli("timeline", "u1", *data, "-f", "markdown").stdout


def test_timeline_terminal(cli, terminal):
    out = cli("timeline", "ntl", "--color", "never").stdout
    assert "NTL over time" in out
    assert "ntl-2012 → ntl-2015" in out
    assert "dropped" in out and "new" in out and "kept" in out


def test_timeline_one_document_exits_1(cli):
    result = cli("timeline", "parat")
    assert result.exit_code == 1
    assert "one document (parat-2014)" in result.stderr


def test_timeline_unknown_org_exits_2(cli):
    result = cli("timeline", "ntll")
    assert result.exit_code == 2
    assert "did you mean ntl" in result.stderr
