"""`show ORG`: one organisation across issues and documents."""


def test_show_ntl_spans_both_documents(cli):
    rows = [r.split("\t") for r in cli("show", "ntl").stdout.splitlines()]
    assert {r[1] for r in rows} == {"ntl-2012", "ntl-2015"}
    egenregi = {(r[1], r[3]) for r in rows if r[0] == "egenregi"}
    assert egenregi == {("ntl-2012", "for"), ("ntl-2015", "strongly-for")}


def test_show_reported_organisation(cli):
    rows = [r.split("\t") for r in cli("show", "NHO").stdout.splitlines()]
    assert {(r[0], r[3], r[5]) for r in rows} == {("anbud", "mixed", "bergen-2014"),
                                                  ("stortingsmelding-forst", "for", "bergen-2014")}


def test_show_in_terminal_names_the_organisation(cli, terminal):
    out = cli("show", "fo", "--color", "never").stdout
    assert "Fellesorganisasjonen (FO, union)" in out


def test_unknown_organisation(cli):
    result = cli("show", "ntll")
    assert result.exit_code == 2
    assert "unknown organisation 'ntll'; did you mean ntl" in result.stderr
