"""`search`: ranked hits in a pipe, as JSON, in a terminal, and from a real process."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SEEDS

NTL = "seeds/001_37ab94ba59815dd1.txt"
BIN = Path(sys.executable).parent


def test_pipe_prints_path_line_col_and_sentence(cli):
    result = cli("search", "anbudsutseting")
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    path, line, col, sentence = first.split(":", 3)
    assert path.endswith(NTL) and (line, col) == ("12", "9")
    assert sentence == "Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak."


def test_context_lines_like_grep(cli):
    out = cli("search", "anbudsutseting", "-C", "1", "--limit", "2").stdout.splitlines()
    assert out[0].endswith(f"{NTL}-11-arbeidsgivere.")
    assert out[1].split(":", 3)[1:3] == ["12", "9"]
    assert out[2].endswith(f"{NTL}-15-- Der det er behov for tiltaksarrangører utføres disse av attføringsbedrifter")
    assert out[3] == "--"


def test_json_fields(cli):
    records = json.loads(cli("search", "tett oppfølging av brukere", "--format", "json", "--limit", "3").stdout)
    assert len(records) == 3
    top = records[0]
    assert set(top) == {"score", "path", "doc", "line", "col", "end_line", "end_col", "sentence", "matches",
                        "context_before", "context_after"}
    assert (top["doc"], top["path"], top["line"], top["col"]) == ("fo-2016", "seeds/002_d156005e0f5764e6.txt", 52, 1)
    assert [m["text"] for m in top["matches"]] == ["oppfølgingen av bruker"]
    assert top["sentence"][top["matches"][0]["start"]:top["matches"][0]["end"]] == "oppfølgingen av bruker"
    assert records[0]["score"] >= records[1]["score"] >= records[2]["score"]


def test_jsonl_is_one_hit_per_line(cli):
    lines = cli("search", "tiltak", "--format", "jsonl", "--limit", "5").stdout.splitlines()
    assert len(lines) == 5
    assert all(json.loads(line)["score"] == 100 for line in lines)


def test_terminal_shows_score_place_document_and_highlight(cli, terminal):
    out = cli("search", "anbudsutseting", "--limit", "1", "--color", "never").stdout
    assert " 83.6  " in out and f"{NTL}:12:9  ntl-2012" in out
    assert "Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak." in out
    coloured = cli("search", "anbudsutseting", "--limit", "1", "--color", "always").stdout
    assert "\x1b[1;7;33manbudsutsetting\x1b[0m" in coloured


def test_org_and_doc_filters(cli):
    org = {line.split(":")[0] for line in cli("search", "tiltak", "--org", "fo", "--limit", "0").stdout.splitlines()}
    assert {Path(p).name for p in org} == {"002_d156005e0f5764e6.txt"}
    doc = cli("search", "anbud", "--doc", "bergen-2014", "--limit", "0").stdout.splitlines()
    assert doc and all("004_d9c6762876b2bcea.txt" in line for line in doc)


def test_exact_and_min_score(cli):
    assert cli("search", "oppfolging", "--exact").exit_code == 1
    assert cli("search", "NAV-kontorene", "--exact").exit_code == 0
    scores = [json.loads(x)["score"] for x in cli("search", "anbud", "--min-score", "95", "--limit", "0",
                                                    "-f", "jsonl").stdout.splitlines()]
    assert scores and min(scores) >= 95


def test_no_match_exits_1_and_bad_input_exits_2(cli, tmp_path):
    result = cli("search", "qqqzzzxxy")
    assert result.exit_code == 1 and "no matches for 'qqqzzzxxy'" in result.stderr
    assert cli("search", "--", "--").exit_code == 2
    missing = cli("search", "anbud", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr


def test_paths_and_index_dir(cli, tmp_path):
    (tmp_path / "a.txt").write_text("Vi er imot anbuds-\nutsetting av tiltak.\n", encoding="utf-8")
    out = cli("search", "anbudsutsetting", str(tmp_path), "--index-dir", str(tmp_path / ".ix")).stdout
    assert out == f"{tmp_path / 'a.txt'}:1:12:Vi er imot anbudsutsetting av tiltak.\n"
    assert (tmp_path / ".ix" / "manifest.marshal").exists()


def _run(cmd: str, cwd=REPO, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STANCECLI_")}
    environ.update(env)
    environ["PATH"] = f"{BIN}{os.pathsep}{environ.get('PATH', '')}"
    return subprocess.run(["bash", "-c", cmd], cwd=cwd, env=environ, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_real_process_builds_an_index_then_stays_fresh(tmp_path):
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    cache = str(tmp_path / "cache")
    cmd = f"stancecli search --index-dir {tmp_path / 'ix'} kvantesprang {folder}"
    assert _run(cmd, STANCECLI_CACHE_DIR=cache).returncode == 1
    with open(folder / "000_1f65e360c591fba1.txt", "a", encoding="utf-8") as f:
        f.write("\nEt kvantesprang for brukerne.\n")
    result = _run(cmd + " | head -1", STANCECLI_CACHE_DIR=cache)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.endswith(":Et kvantesprang for brukerne.\n")


def test_real_process_json_through_a_pipe(tmp_path):
    result = _run(f"stancecli search 'tett oppfolging' --format json | "
                  f"{sys.executable} -c 'import json,sys; print(json.load(sys.stdin)[0][\"doc\"])'",
                  STANCECLI_CACHE_DIR=str(tmp_path))
    assert result.stdout.strip() == "fo-2016", result.stderr


def test_escape_sequences_in_sources_never_reach_the_terminal(cli, terminal, tmp_path):
    (tmp_path / "a.txt").write_text("Vi vil ha \x1b[31megenregi\x1b[0m og tiltak.\n", encoding="utf-8")
    for fmt in ("table", "grep"):
        out = cli("search", "tiltak", str(tmp_path), "--format", fmt, "--color", "never").stdout
        assert "tiltak" in out and "\x1b" not in out, fmt


def test_a_bidi_override_in_a_source_cannot_reorder_what_the_terminal_shows(cli, terminal, tmp_path):
    (tmp_path / "a.txt").write_text("Vi vil ha \u202eigerne og tiltak.\n", encoding="utf-8")
    for fmt in ("table", "grep"):
        out = cli("search", "tiltak", str(tmp_path), "--format", fmt, "--color", "never").stdout
        assert "og tiltak" in out and "\u202e" not in out, fmt


# ---------------------------------------------------------------- pipe conventions

def test_a_dash_searches_standard_input(cli):
    from typer.testing import CliRunner

    from stancecli.cli.app import app

    result = CliRunner().invoke(app, ["search", "anbudsutsetting", "-"],
                                input="Innledning.\nVi er imot anbuds-\nutsetting av tiltak.\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "(standard input):2:12:Vi er imot anbudsutsetting av tiltak.\n"
    mixed = CliRunner().invoke(app, ["search", "anbud", "-", "seeds"], input="anbud\n")
    assert mixed.exit_code == 2 and "cannot be searched together with files" in mixed.stderr
    filtered = CliRunner().invoke(app, ["search", "anbud", "-", "--org", "ntl"], input="anbud\n")
    assert filtered.exit_code == 2 and "standard input is not one of them" in filtered.stderr


def test_a_pipe_is_searched_when_no_path_is_given(tmp_path):
    result = _run("printf 'Vi vil ha mer egenregi i NAV.\\n' | stancecli search egenregi",
                  STANCECLI_CACHE_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "(standard input):1:15:Vi vil ha mer egenregi i NAV.\n"


def test_a_pdf_named_is_searched(cli, tmp_path):
    from test_cli_add_document import PDF_PAGES, make_pdf, needs_pdf

    needs_pdf()
    (tmp_path / "svar.pdf").write_bytes(make_pdf(PDF_PAGES))
    result = cli("search", "anbudsutsetting", str(tmp_path / "svar.pdf"))
    assert result.exit_code == 0, result.stderr
    path, line, _col, sentence = result.stdout.splitlines()[0].split(":", 3)
    assert path == str(tmp_path / "svar.pdf") and line == "2"
    assert "anbudsutsetting av arbeidsmarkedstiltak" in sentence


def test_a_pdf_that_cannot_be_read_is_refused_with_a_message(cli, tmp_path, monkeypatch):
    from test_cli_add_document import PDF_PAGES, make_pdf

    (tmp_path / "svar.pdf").write_bytes(make_pdf(PDF_PAGES))
    monkeypatch.setattr("stancecli.pdftext.available", lambda: False)
    result = cli("search", "anbudsutsetting", str(tmp_path / "svar.pdf"))
    assert result.exit_code == 1
    assert "skipped reading PDFs needs the optional extra" in result.stderr


def test_pdfs_in_a_folder_are_not_skipped_silently(cli, tmp_path):
    from test_cli_add_document import PDF_PAGES, make_pdf

    (tmp_path / "a.txt").write_text("Vi er imot anbud.\n", encoding="utf-8")
    (tmp_path / "svar.pdf").write_bytes(make_pdf(PDF_PAGES))
    result = cli("search", "anbud", str(tmp_path))
    assert result.exit_code == 0
    assert "skipped 1 .pdf file(s) found in folders" in result.stderr


def test_a_limit_that_cuts_results_says_so(cli):
    cut = cli("search", "tiltak", "--limit", "3")
    assert len(cut.stdout.splitlines()) == 3
    assert "stancecli: showing the best 3 hits; more match (--limit 0 shows all)" in cut.stderr
    everything = cli("search", "tiltak", "--limit", "0")
    assert len(everything.stdout.splitlines()) > 3 and "showing the best" not in everything.stderr
    exact = cli("search", "anbudsutseting", "--limit", "100")
    assert "showing the best" not in exact.stderr


def test_every_search_format_the_option_offers_is_one_the_renderer_draws():
    from stancecli.cli.direct.search import SearchFormat
    from stancecli.output.search import FORMATS

    assert [f.value for f in SearchFormat] == list(FORMATS)
