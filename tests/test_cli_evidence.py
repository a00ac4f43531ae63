"""`evidence`: quotes with citations, and grep-style context."""

import json


def test_pipe_lists_quotes_with_file_and_line(cli):
    rows = [r.split("\t") for r in cli("evidence", "anbud", "ntl").stdout.splitlines()]
    assert rows[0][0] == "ntl"  # records carry the id; tables show the name
    assert rows[0][3] == "Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak."
    assert rows[0][4] == "seeds/001_37ab94ba59815dd1.txt:12-14"
    assert rows[0][5] == "Høringssvar NOU 2012:6 Arbeidsrettede tiltak"
    assert {r[0] for r in rows} == {"ntl"}


def test_context_is_printed_like_grep(cli):
    out = cli("evidence", "anbud", "ntl", "-C", "1").stdout.splitlines()
    first_group = out[: out.index("--")]
    assert first_group[0] == "seeds/001_37ab94ba59815dd1.txt-11-arbeidsgivere. "
    assert first_group[1] == "seeds/001_37ab94ba59815dd1.txt:12:- Ingen anbudsutsetting av oppfølgings-, avklarings- og "
    assert first_group[-1] == "seeds/001_37ab94ba59815dd1.txt-15-- Der det er behov for tiltaksarrangører utføres disse av attføringsbedrifter "


def test_json_carries_the_context_lines(cli):
    records = json.loads(cli("evidence", "anbud", "ntl", "-C", "1", "--format", "json").stdout)
    first = records[0]
    assert (first["line_start"], first["line_end"]) == (12, 14)
    assert [(c["line"], c["match"]) for c in first["context"]] == [
        (11, False), (12, True), (13, True), (14, True), (15, False)]


def test_terminal_shows_blocks_with_citation(cli, terminal):
    out = cli("evidence", "anbud", "ntl", "--color", "never").stdout
    assert "NTL  ntl-2012 (2012)" in out
    assert "«Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak.»" in out
    # The terminal cites the file name and lines, never a folder (pipes and JSON carry the path).
    assert "— Høringssvar NOU 2012:6 Arbeidsrettede tiltak, 2012, 001_37ab94ba59815dd1.txt:12-14" in out


def test_no_quotes_from_that_organisation_exits_1(cli):
    result = cli("evidence", "anbud", "fo")
    assert result.exit_code == 1
    assert "no quotes on 'anbud' from fo" in result.stderr


def test_a_quote_missing_from_its_source_is_flagged(cli, tmp_path):
    import shutil

    from conftest import DATA, SEEDS

    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "stances.yaml"
    shutil.copy2(DATA, path)
    source = tmp_path / "seeds" / "001_37ab94ba59815dd1.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("- Ingen anbudsutsetting", "- Mye anbudsutsetting"),
                      encoding="utf-8")
    result = cli("evidence", "anbud", "ntl", "--data", str(path))
    first = result.stdout.splitlines()[0].split("\t")
    assert first[3] == "Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak."
    assert first[4].endswith("001_37ab94ba59815dd1.txt:?")
    assert "warning: 1 quote(s) of ntl-2012 not found" in result.stderr


def test_a_document_url_travels_with_its_quotes(cli, terminal, small_data):
    text = small_data.read_text(encoding="utf-8").replace(
        "hearing: H, year: 2011, source: seeds/b-2011.txt",
        "hearing: H, year: 2011, url: \"https://example.org/b.pdf\", published: 2011-03-01, kind: letter, "
        "source: seeds/b-2011.txt")
    small_data.write_text(text, encoding="utf-8")
    records = json.loads(cli("evidence", "i1", "u2", "--data", str(small_data), "-f", "json").stdout)
    assert records[0]["url"] == "https://example.org/b.pdf"
    assert "https://example.org/b.pdf" in cli("evidence", "i1", "u2", "--data", str(small_data),
                                              "--color", "never").stdout


def test_a_url_that_is_not_http_is_a_data_error(cli, small_data):
    text = small_data.read_text(encoding="utf-8").replace(
        "hearing: H, year: 2011, source: seeds/b-2011.txt", "hearing: H, year: 2011, url: \"file:///etc\", "
        "source: seeds/b-2011.txt")
    small_data.write_text(text, encoding="utf-8")
    result = cli("validate", "--data", str(small_data))
    assert result.exit_code == 2
    assert "is not an http(s) address" in result.stderr
