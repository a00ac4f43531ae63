"""`who-supports` / `who-opposes`: clean lines for a journalist's pipe, a table for the terminal."""

import json


def test_who_supports_egenregi_in_a_pipe(cli):
    result = cli("who-supports", "egenregi")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("NTL", "strongly-for", "ntl-2015"),
        ("Bergen", "for", "bergen-2014"),
        ("FO", "for", "fo-2016"),
        ("NTL", "for", "ntl-2012"),
    ]
    assert "\x1b[" not in result.stdout


def test_lines_sort_cleanly(cli):
    lines = cli("who-supports", "egenregi").stdout.splitlines()
    assert sorted(lines)[0].startswith("Bergen\tfor")


def test_strong_keeps_only_the_strong_label(cli):
    rows = cli("who-supports", "egenregi", "--strong").stdout.splitlines()
    assert [r.split("\t")[:2] for r in rows] == [["NTL", "strongly-for"]]


def test_who_opposes_anbud(cli):
    rows = [r.split("\t") for r in cli("who-opposes", "anbud").stdout.splitlines()]
    assert {(r[0], r[1]) for r in rows} == {("NTL", "strongly-against"), ("Bergen", "against"),
                                             ("Parat NAV", "against")}


def test_reported_positions_are_marked(cli):
    records = json.loads(cli("who-supports", "stortingsmelding-forst", "--format", "json").stdout)
    reported = {r["organisation"]: r["reported_by"] for r in records if r["reported_by"]}
    assert reported == {"lo": "bergen-2014", "nho": "bergen-2014"}


def test_nobody_supports_exits_1_with_a_message(cli):
    result = cli("who-supports", "okonomiske-sanksjoner")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no organisation supports 'okonomiske-sanksjoner'" in result.stderr


def test_terminal_table(cli, terminal):
    result = cli("who-supports", "egenregi", "--color", "never")
    assert result.exit_code == 0
    assert "Who supports" in result.stdout
    assert "++ strongly-for" in result.stdout


def test_unknown_issue_exits_2(cli):
    result = cli("who-opposes", "egenrgi")
    assert result.exit_code == 2
    assert "did you mean egenregi" in result.stderr


def test_who_opposes_terminal_table(cli, terminal):
    out = cli("who-opposes", "anbud", "--color", "never").stdout
    assert "Who opposes" in out
    assert "-- strongly-against" in out
    assert "001_37ab94ba59815dd1.txt:12-14" in out
