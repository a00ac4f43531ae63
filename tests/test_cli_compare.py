"""`stancecli compare`: the anbud comparison a policy analyst reads, in a terminal and in a pipe."""

import json
import shutil

import pytest

from conftest import DATA

ANSI = "\x1b["


@pytest.fixture
def coded(small_data):
    """The small dataset with i1 a codebook issue: m-2011 says it does not address i1, and
    e-2011 has not been coded for it yet (undecided)."""
    text = small_data.read_text(encoding="utf-8").replace("- {key: i1, ", "- {key: i1, codebook: true, ")
    small_data.write_text(text + "not_addressed:\n  m-2011: [i1]\n", encoding="utf-8")
    return str(small_data)


def test_pipe_gives_one_tab_separated_record_per_position(cli, coded):
    result = cli("compare", "i1", "--data", coded)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert ANSI not in result.stdout
    assert all(line.count("\t") == 9 for line in lines)
    by_doc = {f[2]: f for f in (line.split("\t") for line in lines)}
    assert sorted(by_doc) == ["a-2010", "a-2012", "b-2011"]  # positions only
    assert by_doc["b-2011"][4] == "strongly-against"
    assert by_doc["b-2011"][8] == "Vi er sterkt imot i1."
    assert by_doc["b-2011"][9].endswith("seeds/b-2011.txt:3")


def test_absent_adds_the_other_documents_with_their_status(cli, coded):
    lines = cli("compare", "i1", "--data", coded, "--absent").stdout.splitlines()
    by_doc = {f[2]: f for f in (line.split("\t") for line in lines)}
    assert (by_doc["m-2011"][4], by_doc["m-2011"][5]) == ("not-addressed", "")
    assert (by_doc["e-2011"][4], by_doc["e-2011"][5]) == ("undecided", "")


def test_undecided_is_said_on_stderr_in_a_pipe_too(cli, coded):
    result = cli("compare", "i1", "--data", coded, "--format", "json")
    assert "e-2011" in result.stderr and "undecided" in result.stderr
    assert "m-2011" not in result.stderr


def test_terminal_tells_undecided_from_not_addressed(cli, terminal, coded):
    out = cli("compare", "i1", "--data", coded, "--color", "never").stdout
    m_line = next(line for line in out.splitlines() if "m-2011" in line)
    e_line = next(line for line in out.splitlines() if "e-2011" in line)
    assert "· not addressed" in m_line
    assert "? undecided" in e_line


def test_the_readme_jq_filter_gives_a_true_answer(cli, coded):
    """`jq -r '.[] | select(.score < 0) | .organisation'` (null < 0 is true in jq: no score may be null)."""
    records = json.loads(cli("compare", "i1", "--data", coded, "--format", "json").stdout)
    assert all(isinstance(r.get("score"), int) for r in records)
    assert [r["organisation"] for r in records if r["score"] < 0] == ["u2"]
    asked = json.loads(cli("compare", "i1", "--data", coded, "--format", "json", "--absent").stdout)
    empty = [r for r in asked if r["status"] != "position"]
    assert {(r["document"], r["status"]) for r in empty} == {("m-2011", "not-addressed"), ("e-2011", "undecided")}
    assert all("score" not in r and "stance" not in r for r in empty)


def test_terminal_shows_a_table_with_stance_symbols_and_citations(cli, terminal, small_data):
    result = cli("compare", "i2", "--color", "never", "--data", str(small_data))
    assert result.exit_code == 0
    out = result.stdout
    assert "Organisation" in out and "Stance" in out
    assert "± mixed" in out and "- against" in out
    assert "· not addressed" in out  # e-2011 said nothing on i2
    assert "b-2011.txt:5" in out and "a-2010.txt:5" in out  # file name and line, never a folder
    assert "reported by" in out  # Gamma's view, as Beta's response reports it
    assert ANSI not in out


def test_terminal_colours_stances_unless_told_not_to(cli, terminal, small_data):
    coloured = cli("compare", "i1", "--color", "always", "--data", str(small_data))
    assert "\x1b[1;31m" in coloured.stdout  # bold red: strongly-against
    plain = cli("compare", "i1", "--color", "auto", "--data", str(small_data), env={"NO_COLOR": "1"})
    assert ANSI not in plain.stdout


def test_json_records_have_the_documented_fields(cli, small_data):
    result = cli("compare", "i2", "--format", "json", "--data", str(small_data))
    records = json.loads(result.stdout)
    fields = {"issue", "organisation", "document", "reported_by", "status", "stance", "score", "summary", "quotes"}
    assert all(fields <= set(r) for r in records)
    beta = next(r for r in records if r["document"] == "b-2011" and r["organisation"] == "u2")
    assert (beta["stance"], beta["score"], beta["reported_by"]) == ("for", 1, None)
    quote = beta["quotes"][0]
    assert set(quote) >= {"text", "source", "line_start", "line_end"}
    assert (quote["line_start"], quote["line_end"]) == (5, 5)
    gamma = next(r for r in records if r["organisation"] == "r1")
    assert gamma["reported_by"] == "b-2011" and gamma["score"] == -1


def test_json_keeps_norwegian_letters_unescaped(cli):
    out = cli("compare", "anbud", "--format", "json").stdout
    assert "anbudsutsetting av oppfølgings-" in out
    assert "\\u00f8" not in out


def test_jsonl_is_one_record_per_line(cli, coded):
    lines = cli("compare", "i1", "--data", coded, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["document"] for line in lines] == ["a-2010", "a-2012", "b-2011"]


def test_csv_has_a_header_and_quotes_fields_with_commas(cli):
    out = cli("compare", "anbud", "--format", "csv").stdout.splitlines()
    assert out[0].startswith("issue,organisation,document,year,stance,score")
    assert any('"Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak."' in line
               for line in out)


def test_markdown_is_a_table_with_every_document(cli, coded):
    out = cli("compare", "i1", "--data", coded, "--format", "markdown").stdout.splitlines()
    assert out[0].startswith("### ")
    assert out[2].startswith("| Issue | Organisation |")
    assert len([line for line in out if line.startswith("| i1 |")]) == 5


def test_quotes_option_shows_every_quote(cli):
    first = cli("compare", "anbud").stdout
    every = cli("compare", "anbud", "--quotes").stdout
    assert "Anbudsmetoden vil bli mer arbeidskrevende for NAV." not in first
    assert "Anbudsmetoden vil bli mer arbeidskrevende for NAV." in every


def test_lang_en_gives_english_summaries(cli):
    nb = cli("compare", "anbud", "--format", "json").stdout
    en = cli("compare", "anbud", "--format", "json", "--lang", "en").stdout
    assert json.loads(nb) != json.loads(en)
    summary = next(r for r in json.loads(en) if r["document"] == "ntl-2012")["summary"]
    assert "tender" in summary.lower()


def test_lang_from_environment(cli):
    out = cli("compare", "anbud", "--format", "json", env={"STANCECLI_LANG": "en"}).stdout
    summary = next(r for r in json.loads(out) if r["document"] == "ntl-2012")["summary"]
    assert "tender" in summary.lower()


def test_several_issues_at_once(cli):
    lines = cli("compare", "anbud", "egenregi").stdout.splitlines()
    assert {line.split("\t")[0] for line in lines} == {"anbud", "egenregi"}


def test_names_resolve_forgivingly(cli):
    by_key = cli("compare", "ordinaert-arbeidsliv").stdout
    assert cli("compare", "Ordinært arbeidsliv").stdout == by_key
    assert cli("compare", "ordinaert arbeidsliv").stdout == by_key


def test_unknown_issue_suggests_and_exits_2(cli):
    result = cli("compare", "anbd")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "unknown issue 'anbd'; did you mean anbud" in result.stderr


def test_data_option_and_environment_select_a_dataset(cli, tmp_path):
    shutil.copytree(DATA.parents[1] / "seeds", tmp_path / "seeds")
    copy = tmp_path / "data" / "stances.yaml"
    copy.parent.mkdir()
    copy.write_text(DATA.read_text(encoding="utf-8").replace("short: Parat NAV", "short: Parat-kopi"),
                    encoding="utf-8")
    # markdown is read by people: it shows names (pipes and JSON carry the ids)
    assert "Parat-kopi" in cli("compare", "anbud", "-f", "markdown", "--data", str(copy)).stdout
    assert "Parat-kopi" in cli("compare", "anbud", "-f", "markdown", env={"STANCECLI_DATA": str(copy)}).stdout
    assert "Parat-kopi" not in cli("compare", "anbud", "-f", "markdown").stdout


def test_missing_dataset_is_a_clear_error(cli, tmp_path):
    result = cli("compare", "anbud", "--data", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2
    assert "dataset not found" in result.stderr and "--data PATH" in result.stderr
    assert "run 'stancecli validate'" not in result.stderr  # nothing to validate: it is not there
    assert "Traceback" not in result.stderr + result.stdout
