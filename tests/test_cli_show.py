"""`show ORG`: one organisation across issues and documents (on the small dataset)."""


def test_show_spans_both_documents(cli, small_data):
    rows = [r.split("\t") for r in cli("show", "u1", "--data", str(small_data)).stdout.splitlines()]
    assert {r[1] for r in rows} == {"a-2010", "a-2012"}
    assert {(r[1], r[3]) for r in rows if r[0] == "i1"} == {("a-2010", "strongly-for"), ("a-2012", "for")}


def test_show_reported_organisation(cli, small_data):
    rows = [r.split("\t") for r in cli("show", "Gamma", "--data", str(small_data)).stdout.splitlines()]
    assert {(r[0], r[3], r[5]) for r in rows} == {("i2", "against", "b-2011")}


def test_show_in_terminal_names_the_organisation(cli, terminal, small_data):
    out = cli("show", "m1", "--color", "never", "--data", str(small_data)).stdout
    assert "Kommune (Kommune, municipality)" in out


def test_unknown_organisation(cli):
    result = cli("show", "ntll")
    assert result.exit_code == 2
    assert "unknown organisation 'ntll'; did you mean ntl" in result.stderr


def test_a_guessed_name_is_said_on_stderr_in_a_pipe_too(cli, small_data):
    result = cli("show", "Gam", "--data", str(small_data))
    assert result.exit_code == 0
    assert "'Gam' taken as organisation 'r1'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    exact = cli("show", "Gamma", "--data", str(small_data))
    assert "taken as" not in exact.stderr
