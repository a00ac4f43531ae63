"""`--by kind` on compare, who-supports and who-opposes: unions, municipalities, employer organisations."""

import json


def test_compare_by_kind_in_a_pipe(cli):
    result = cli("compare", "anbud", "--by", "kind")
    assert result.exit_code == 0, result.stderr
    rows = {(r[0], r[1]): r for r in (line.split("\t") for line in result.stdout.splitlines())}
    assert rows[("anbud", "union")][2:6] == ["2", "4", "against", "-1.5"]
    assert rows[("anbud", "municipality")][2:5] == ["1", "1", "against"]
    assert rows[("anbud", "employer-organisation")][4] == "mixed"
    assert "FO" in rows[("anbud", "union")][7]  # FO did not address anbud


def test_compare_by_kind_json_and_markdown(cli):
    records = json.loads(cli("compare", "anbud", "egenregi", "--by", "kind", "-f", "json").stdout)
    union = next(r for r in records if r["issue"] == "egenregi" and r["kind"] == "union")
    assert {p["organisation"] for p in union["positions"]} == {"ntl", "fo"}
    assert union["not_addressed"] == ["parat", "lo"]
    md = cli("compare", "anbud", "--by", "kind", "-f", "markdown").stdout
    assert "| anbud | union | 2 | 4 | against | -1.5 |" in md


def test_compare_by_kind_terminal(cli, terminal):
    out = cli("compare", "anbud", "--by", "kind", "--color", "never").stdout
    assert "By kind of organisation" in out and "- against" in out


def test_who_supports_by_kind(cli):
    result = cli("who-supports", "stortingsmelding-forst", "--by", "kind")
    assert result.exit_code == 0
    rows = {r[0]: r for r in (line.split("\t") for line in result.stdout.splitlines())}
    assert rows["union"][1:3] == ["2", "4"]
    assert "LO + (2014, reported)" in rows["union"][3]
    assert rows["municipality"][1:3] == ["1", "1"]


def test_who_opposes_by_kind_strong_and_csv(cli):
    out = cli("who-opposes", "anbud", "--by", "kind", "--strong", "-f", "csv").stdout.splitlines()
    assert out[0] == "kind,count,of,members"
    assert out[1] == "union,1,4,NTL -- (2012)"


def test_who_supports_by_kind_terminal_and_jsonl(cli, terminal):
    out = cli("who-supports", "egenregi", "--by", "kind", "--color", "never").stdout
    assert "Who supports, by kind" in out
    lines = cli("who-supports", "egenregi", "--by", "kind", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["kind"] for line in lines] == ["union", "municipality", "employer-organisation"]


def test_nobody_by_kind_exits_1(cli):
    assert cli("who-supports", "okonomiske-sanksjoner", "--by", "kind").exit_code == 1
