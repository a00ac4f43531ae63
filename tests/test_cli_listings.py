"""`issues`, `orgs` and `docs`: what is in the dataset, with counts."""

import json


def test_issues_lists_every_issue_with_counts(cli, dataset):
    rows = {r.split("\t")[0]: r.split("\t") for r in cli("issues").stdout.splitlines()}
    assert set(rows) == set(dataset.issues)
    anbud = rows["anbud"]
    # key, title, codebook, positions, for, mixed, against, not addressed
    assert anbud[2:8] == ["yes", "4", "0", "1", "3", "2"]


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


def test_issues_table_in_terminal(cli, terminal):
    out = cli("issues", "--color", "never").stdout
    row = next(line for line in out.splitlines() if line.strip().startswith("anbud "))
    assert row.split()[-6:] == ["yes", "4", "0", "1", "3", "2"]
    assert "Not" in out and "addressed" in out


def test_orgs_table_in_terminal(cli, terminal):
    out = cli("orgs", "--color", "never").stdout
    assert "Næringslivets Hovedorganisasjon" in out
    assert "employer-organisation" in out


def test_issues_in_english(cli):
    rows = {r.split("\t")[0]: r.split("\t") for r in cli("issues", "--lang", "en").stdout.splitlines()}
    assert rows["anbud"][1] == "Public tendering of labour-market measures"
