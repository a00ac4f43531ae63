"""`stancecli compare`: the anbud comparison a policy analyst reads, in a terminal and in a pipe."""

import json
import shutil

from conftest import DATA

ANSI = "\x1b["


def test_pipe_gives_one_tab_separated_record_per_document(cli):
    result = cli("compare", "anbud")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert ANSI not in result.stdout
    # Three own positions, NHO's view as Bergen reports it, and NTL 2015 and FO 2016 not addressing it.
    assert len(lines) == 6
    assert all(line.count("\t") == 9 for line in lines)
    by_doc = {(f[1], f[2]): f for f in (line.split("\t") for line in lines)}
    assert by_doc[("NTL", "ntl-2012")][4] == "strongly-against"
    assert by_doc[("NTL", "ntl-2012")][8] == "Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak."
    assert by_doc[("NTL", "ntl-2012")][9] == "seeds/001_37ab94ba59815dd1.txt:12-14"
    assert by_doc[("Parat NAV", "parat-2014")][4] == "against"
    assert by_doc[("NHO", "bergen-2014")][6] == "bergen-2014"  # reported_by
    assert by_doc[("NTL", "ntl-2015")][4] == "not-addressed"
    assert by_doc[("FO", "fo-2016")][4] == "not-addressed"


def test_terminal_shows_a_table_with_stance_symbols_and_citations(cli, terminal):
    result = cli("compare", "anbud", "--color", "never")
    assert result.exit_code == 0
    out = result.stdout
    assert "Organisation" in out and "Stance" in out
    assert "-- strongly-against" in out
    assert "· not addressed" in out
    assert "001_37ab94ba59815dd1.txt:12-14" in out
    assert "004_d9c6762876b2bcea.txt:431-435" in out  # a citation is never broken across lines
    assert "reported by" in out  # NHO's view, as Bergen's response reports it
    assert ANSI not in out


def test_terminal_colours_stances_unless_told_not_to(cli, terminal):
    coloured = cli("compare", "anbud", "--color", "always")
    assert "\x1b[1;31m" in coloured.stdout  # bold red: strongly-against
    plain = cli("compare", "anbud", "--color", "auto", env={"NO_COLOR": "1"})
    assert ANSI not in plain.stdout


def test_json_records_have_the_documented_fields(cli):
    result = cli("compare", "anbud", "--format", "json")
    records = json.loads(result.stdout)
    fields = {"issue", "organisation", "document", "reported_by", "stance", "score", "summary", "quotes"}
    assert all(fields <= set(r) for r in records)
    ntl = next(r for r in records if r["document"] == "ntl-2012")
    assert (ntl["stance"], ntl["score"], ntl["reported_by"]) == ("strongly-against", -2, None)
    quote = ntl["quotes"][0]
    assert set(quote) >= {"text", "source", "line_start", "line_end"}
    assert (quote["line_start"], quote["line_end"]) == (12, 14)
    nho = next(r for r in records if r["organisation"] == "nho")
    assert nho["reported_by"] == "bergen-2014" and nho["score"] == 0
    absent = [r["document"] for r in records if r["stance"] == "not-addressed"]
    assert sorted(absent) == ["fo-2016", "ntl-2015"]
    assert all(r["score"] is None for r in records if r["stance"] == "not-addressed")


def test_json_keeps_norwegian_letters_unescaped(cli):
    out = cli("compare", "anbud", "--format", "json").stdout
    assert "anbudsutsetting av oppfølgings-" in out
    assert "\\u00f8" not in out


def test_jsonl_is_one_record_per_line(cli):
    lines = cli("compare", "anbud", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 6
    assert {json.loads(line)["issue"] for line in lines} == {"anbud"}


def test_csv_has_a_header_and_quotes_fields_with_commas(cli):
    out = cli("compare", "anbud", "--format", "csv").stdout.splitlines()
    assert out[0].startswith("issue,organisation,document,year,stance,score")
    assert any('"Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak."' in line
               for line in out)


def test_markdown_is_a_table(cli):
    out = cli("compare", "anbud", "--format", "markdown").stdout.splitlines()
    assert out[0].startswith("### ")
    assert out[2].startswith("| Issue | Organisation |")
    assert len([line for line in out if line.startswith("| anbud |")]) == 6


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
    assert "Parat-kopi" in cli("compare", "anbud", "--data", str(copy)).stdout
    assert "Parat-kopi" in cli("compare", "anbud", env={"STANCECLI_DATA": str(copy)}).stdout
    assert "Parat-kopi" not in cli("compare", "anbud").stdout


def test_missing_dataset_is_a_clear_error(cli, tmp_path):
    result = cli("compare", "anbud", "--data", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2
    assert "dataset not found" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
