"""`issues`, `orgs` and `docs`: what is in the dataset, with counts."""

import json


def test_issues_lists_every_issue_with_counts(cli, small_data):
    rows = {r.split("\t")[0]: r.split("\t") for r in cli("issues", "--data", str(small_data)).stdout.splitlines()}
    assert set(rows) == {"i1", "i2", "i3", "i4", "i5"}
    # key, title, codebook, positions, for, mixed, against, not addressed
    assert rows["i2"][2:8] == ["", "4", "2", "1", "1", "0"]


def test_orgs_with_kinds_and_counts(cli):
    records = json.loads(cli("orgs", "--format", "json").stdout)
    by_id = {r["id"]: r for r in records}
    assert by_id["ntl"]["documents"] == 2
    assert by_id["bergen"]["kind"] == "municipality"
    assert by_id["nho"]["kind"] == "employer-organisation"
    assert by_id["nho"]["reported"] == by_id["nho"]["positions"] == 2


def test_docs_with_coverage(cli):
    records = json.loads(cli("docs", "--coverage", "--format", "json").stdout)
    assert [r["id"] for r in records] == ["ntl-2012", "bergen-2014", "parat-2014", "ntl-2015", "fo-2016"]
    assert all(r["coverage"] >= 0.75 for r in records)
    assert all(r["cited"] <= r["paragraphs"] for r in records)


def test_docs_table_in_terminal(cli, terminal):
    out = cli("docs", "--coverage", "--color", "never").stdout
    assert "Coverage" in out and "%" in out


def test_issues_table_in_terminal(cli, terminal, small_data):
    out = cli("issues", "--color", "never", "--data", str(small_data)).stdout
    row = next(line for line in out.splitlines() if line.strip().startswith("i2 "))
    assert row.split()[-6:] == ["4", "2", "1", "1", "0", "0"]  # ... against, not addressed, undecided
    assert "Not" in out and "addressed" in out


def test_orgs_table_in_terminal(cli, terminal):
    out = cli("orgs", "--color", "never").stdout
    assert "Næringslivets Hovedorganisasjon" in out
    assert "employer-organisation" in out


def test_issues_in_english(cli):
    rows = {r.split("\t")[0]: r.split("\t") for r in cli("issues", "--lang", "en").stdout.splitlines()}
    assert rows["anbud"][1] == "Public tendering of labour-market measures"


def test_undecided_pairs_are_counted_apart_from_not_addressed(cli, small_data):
    text = small_data.read_text(encoding="utf-8").replace("- {key: i1, ", "- {key: i1, codebook: true, ")
    small_data.write_text(text + "not_addressed:\n  m-2011: [i1]\n", encoding="utf-8")
    issues = {r["key"]: r for r in json.loads(cli("issues", "--data", str(small_data), "-f", "json").stdout)}
    assert (issues["i1"]["not_addressed"], issues["i1"]["undecided"]) == (1, 1)  # m-2011 said; e-2011 open
    docs = {r["id"]: r for r in json.loads(cli("docs", "--data", str(small_data), "-f", "json").stdout)}
    assert (docs["e-2011"]["undecided"], docs["m-2011"]["undecided"]) == (1, 0)
