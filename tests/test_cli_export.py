"""`stancecli export sqlite|xlsx FILE`: files a newsroom publishes with Datasette and an analyst opens
in a spreadsheet, read back with sqlite-utils and openpyxl; Datasette serves the file."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import minidata
from conftest import SMALL_SOURCES
from conftest import _small_yaml as small_yaml

sqlite_utils = pytest.importorskip("sqlite_utils", reason="sqlite-utils is in the 'export' and 'test' extras")

DATASETTE_WAIT_S = 30.0


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    """One export of the small dataset, shared by the tests that only read it."""
    from typer.testing import CliRunner

    from stancecli.cli.app import app

    root = tmp_path_factory.mktemp("small")
    (root / "seeds").mkdir()
    for name, text in SMALL_SOURCES.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    (root / "stances.yaml").write_text(small_yaml(), encoding="utf-8")
    out = root / "out" / "stances.db"
    out.parent.mkdir()
    env = {"STANCECLI_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    result = CliRunner().invoke(app, ["export", "sqlite", str(out), "--data", str(root / "stances.yaml")], env=env)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out}" in result.stderr
    return out


def rows(db, sql: str, params=()) -> list[dict]:
    return [dict(r) for r in db.query(sql, params)]


# ---------------------------------------------------------------- sqlite: tables, keys, views, search

def test_sqlite_has_the_dataset_as_tables(small_db):
    db = sqlite_utils.Database(small_db)
    counts = {t.name: t.count for t in db.tables}
    assert counts["organisations"] == 5 and counts["documents"] == 5 and counts["issues"] == 5
    assert counts["positions"] == 10 and counts["quotes"] == 10
    assert counts["source_lines"] == sum(len(text.splitlines()) for text in SMALL_SOURCES.values())
    reported = rows(db, "select organisation, document, reported_by, stance from positions where reported_by "
                        "is not null")
    assert reported == [{"organisation": "r1", "document": "b-2011", "reported_by": "b-2011", "stance": "against"}]


def test_quotes_carry_document_line_span_and_citation(small_db):
    db = sqlite_utils.Database(small_db)
    [q] = rows(db, "select * from quotes where text like '%pipe%'")
    assert (q["document"], q["line_start"], q["line_end"]) == ("a-2012", 3, 3)
    assert q["citation"] == "a-2012, «Tittel a-2012 <em>», line 3"
    assert q["speaker"] is None
    [line] = rows(db, "select text from source_lines where document = ? and line = ?", ("a-2012", 3))
    assert line["text"] == "Vi er for i1, men med | en pipe."


def test_foreign_keys_are_declared_and_hold(small_db):
    db = sqlite_utils.Database(small_db)
    fks = {(fk.column, fk.other_table) for fk in db["quotes"].foreign_keys}
    assert {("position", "positions"), ("document", "documents")} <= fks
    fks = {(fk.column, fk.other_table) for fk in db["positions"].foreign_keys}
    assert {("issue", "issues"), ("organisation", "organisations"), ("document", "documents")} <= fks
    assert list(db.query("PRAGMA foreign_key_check")) == []


def test_full_text_search_on_quotes_and_sources(small_db):
    db = sqlite_utils.Database(small_db)
    assert db["quotes"].detect_fts() and db["source_lines"].detect_fts()
    assert [r["text"] for r in db["quotes"].search("sterkt")] == ["Vi er sterkt imot i1."]
    hits = [(r["document"], r["line"]) for r in db["source_lines"].search("Arbeidsgiverne")]
    assert hits == [("e-2011", 1)]


def test_views_answer_compare_and_agreement(small_db):
    db = sqlite_utils.Database(small_db)
    assert {"compare", "agreement_pairs", "conflicts", "quotes_cited"} <= set(db.view_names())
    i1 = rows(db, "select organisation, stance, quote from compare where issue = 'i1'")
    assert [(r["organisation"], r["stance"]) for r in i1] == [
        ("u1", "strongly-for"), ("u1", "for"), ("u2", "strongly-against")]
    pairs = {(r["a"], r["b"]): (r["proximity"], r["shared"]) for r in rows(db, "select * from agreement_pairs")}
    assert pairs[("m1", "u1")] == (0.875, 2)  # the same figure as `stancecli matrix`
    assert pairs[("e1", "u1")] == (None, 0)  # nothing shared: no number, never 0 or 1
    first = rows(db, "select issue, verdict from conflicts order by rank limit 1")
    assert first == [{"issue": "i1", "verdict": "split"}]


def test_no_local_path_in_the_file(small_db):
    data = small_db.read_bytes()
    assert str(small_db.parent.parent).encode() not in data
    db = sqlite_utils.Database(small_db)
    assert rows(db, "select source from documents where id = 'a-2010'") == [{"source": "seeds/a-2010.txt"}]


# ---------------------------------------------------------------- sqlite: replacing the file

def test_rerun_replaces_the_file_and_leaves_no_temporary_file(cli, small_data, tmp_path):
    out = tmp_path / "out" / "stances.db"
    out.parent.mkdir()
    out.write_bytes(b"an old file that is not a database")
    result = cli("export", "sqlite", str(out), "--data", str(small_data))
    assert result.exit_code == 0, result.stderr
    assert sqlite_utils.Database(out)["positions"].count == 10
    assert [p.name for p in out.parent.iterdir()] == ["stances.db"]


def test_export_through_a_symlink_writes_its_target(cli, small_data, tmp_path):
    target = tmp_path / "real.db"
    target.write_bytes(b"")
    link = tmp_path / "link.db"
    link.symlink_to(target)
    assert cli("export", "sqlite", str(link), "--data", str(small_data)).exit_code == 0
    assert link.is_symlink()
    assert sqlite_utils.Database(target)["issues"].count == 5


@pytest.mark.parametrize("where, message", [("missing/x.db", "does not exist"), (".", "is a folder")])
def test_unwritable_target_is_a_clear_message(cli, small_data, tmp_path, where, message):
    result = cli("export", "sqlite", str(tmp_path / where), "--data", str(small_data))
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["sqlite", "xlsx"])
@pytest.mark.parametrize("victim", ["stances.yaml", "source", "link to source"])
def test_the_datasets_own_files_are_never_overwritten(cli, tmp_path, kind, victim):
    pytest.importorskip("openpyxl" if kind == "xlsx" else "sqlite_utils")
    data = minidata.make(tmp_path)
    source = tmp_path / "seeds" / "tf.txt"
    (tmp_path / "link.txt").symlink_to(source)
    target = {"stances.yaml": data, "source": tmp_path / "data" / ".." / "seeds" / "tf.txt",
              "link to source": tmp_path / "link.txt"}[victim]
    before = data.read_bytes(), source.read_bytes()
    result = cli("export", kind, str(target), "--data", str(data))
    assert result.exit_code == 2
    assert result.stderr == f"stancecli: {target} is a file of the dataset itself; give another file name\n"
    assert (data.read_bytes(), source.read_bytes()) == before


@pytest.mark.parametrize("kind", ["sqlite", "xlsx"])
def test_dash_is_not_taken_for_a_file_name(cli, small_data, tmp_path, monkeypatch, kind):
    monkeypatch.chdir(tmp_path)
    result = cli("export", kind, "-", "--data", str(small_data))
    assert result.exit_code == 2
    assert "cannot be written to standard output; give a file name" in result.stderr
    assert not (tmp_path / "-").exists()


def test_missing_library_says_how_to_install(cli, small_data, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlite_utils", None)  # as if not installed
    result = cli("export", "sqlite", str(tmp_path / "x.db"), "--data", str(small_data))
    assert result.exit_code == 2
    assert "pip install 'stancecli[export]'" in result.stderr
    assert not (tmp_path / "x.db").exists() and list(tmp_path.glob(".x.db.*")) == []


# ---------------------------------------------------------------- Datasette publishes it

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return resp.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_datasette_serves_the_export(small_db):
    pytest.importorskip("datasette", reason="datasette is in the 'test' extra; without it the serving "
                                            "check is skipped")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(small_db), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + DATASETTE_WAIT_S
        base = f"http://127.0.0.1:{port}/stances"
        found = json.loads(_fetch(f"{base}/quotes.json?_search=sterkt&_shape=array", deadline))
        assert [q["text"] for q in found] == ["Vi er sterkt imot i1."]
        page = _fetch(f"{base}/compare", deadline).decode("utf-8")
        assert "Vi er for i1, men med | en pipe." in page
    finally:
        server.terminate()
        server.wait(timeout=10)


# ---------------------------------------------------------------- xlsx

@pytest.fixture
def openpyxl():
    return pytest.importorskip("openpyxl", reason="openpyxl is in the 'export' and 'test' extras")


@pytest.fixture
def small_xlsx(cli, small_data, tmp_path, openpyxl) -> Path:
    out = tmp_path / "stances.xlsx"
    result = cli("export", "xlsx", str(out), "--data", str(small_data))
    assert result.exit_code == 0, result.stderr
    return out


def _rgb(cell) -> str:
    return cell.fill.fgColor.rgb[-6:].lower()


def test_xlsx_has_one_sheet_per_view(small_xlsx, openpyxl):
    wb = openpyxl.load_workbook(small_xlsx)
    assert wb.sheetnames == ["Positions", "Matrix", "Map", "About"]
    header = [c.value for c in wb["Positions"][1]]
    pipe = next(r for r in wb["Positions"].iter_rows(min_row=2, values_only=True) if "pipe" in r[10])
    rec = dict(zip(header, pipe))
    assert rec["Stance"] == "for" and rec["Citations"] == "a-2012, «Tittel a-2012 <em>», line 3"
    assert rec["Summary"] == 'Oppsummert: i1 "sitert"'


def test_xlsx_map_and_matrix_in_the_report_colours(small_xlsx, openpyxl):
    from stancecli.output.palette import STANCE_COLOURS, agreement_colours

    wb = openpyxl.load_workbook(small_xlsx)
    grid = wb["Map"]
    header = [c.value for c in grid[1]]
    i1 = next(row for row in grid.iter_rows(min_row=2) if row[0].value == "i1")
    beta = i1[header.index("Beta")]
    assert beta.value == "--" and _rgb(beta) == STANCE_COLOURS["strongly-against"][0].lstrip("#")
    agreement = i1[header.index("Agreement")]
    assert _rgb(agreement) == agreement_colours(agreement.value)[0].lstrip("#")
    m = wb["Matrix"]
    labels = [c.value for c in m[2]]
    row = next(r for r in m.iter_rows(min_row=3) if r[0].value == "A&B <u>")
    assert row[labels.index("Kommune")].value == 0.875
    assert row[labels.index("Arbeidsgivere")].value is None  # nothing shared


def exported_positions(cli, data, out, openpyxl):
    """`export xlsx` of `data` to `out`: its Positions sheet and that sheet's header row."""
    result = cli("export", "xlsx", str(out), "--data", str(data))
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out)["Positions"]
    return sheet, [c.value for c in sheet[1]]


def test_xlsx_text_that_looks_like_a_formula_stays_text(cli, tmp_path, openpyxl):
    yaml = minidata.YAML.replace("nb: Testforbundet er imot anbud.", "nb: =1+1 er ikke en formel.")
    data = minidata.make(tmp_path, yaml)
    out = tmp_path / "f.xlsx"
    sheet, header = exported_positions(cli, data, out, openpyxl)
    cell = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "anbud")[header.index("Summary")]
    assert cell.data_type == "s" and cell.value == "=1+1 er ikke en formel."


def test_a_norwegian_only_summary_has_no_english_in_the_export_null_not_empty(cli, tmp_path):
    data = minidata.make(tmp_path, minidata.YAML.replace("    en: Testforbundet opposes tendering.\n", ""))
    out = tmp_path / "out.db"
    assert cli("export", "sqlite", str(out), "--data", str(data)).exit_code == 0
    db = sqlite_utils.Database(out)
    assert rows(db, "select issue, summary_nb, summary_en from positions order by issue") == [
        {"issue": "anbud", "summary_nb": "Testforbundet er imot anbud.", "summary_en": None},
        {"issue": "egenregi", "summary_nb": "Testforbundet vil ha mer egenregi.",
         "summary_en": "Testforbundet wants more in-house work."}]


def test_xlsx_map_shows_undecided_pairs_apart_from_not_addressed(cli, small_data, tmp_path, openpyxl):
    text = small_data.read_text(encoding="utf-8").replace("{key: i3, ", "{key: i3, codebook: true, ")
    small_data.write_text(text + "not_addressed:\n  m-2011: []\n  e-2011: [i3]\n", encoding="utf-8")
    out = tmp_path / "undecided.xlsx"
    assert cli("export", "xlsx", str(out), "--data", str(small_data)).exit_code == 0
    grid = openpyxl.load_workbook(out)["Map"]
    header = [c.value for c in grid[1]]
    i3 = next(row for row in grid.iter_rows(min_row=2) if row[0].value == "i3")
    assert i3[header.index("Beta")].value == "?"  # b-2011 has not been coded for i3
    assert i3[header.index("Arbeidsgivere")].value == "·"  # e-2011 says it does not address i3
    legend = [c.value for c in openpyxl.load_workbook(out)["About"]["A"]]
    assert "undecided" in legend and "not addressed" in legend


def test_xlsx_of_text_with_control_characters_is_written_without_them(cli, tmp_path, openpyxl):
    yaml = minidata.YAML.replace("name: Testforbundet", 'name: "Test\\e[31mforbundet\\x07"').replace(
        "nb: Testforbundet er imot anbud.", 'nb: "Imot\\e]0;tittel\\a anbud."')
    data = minidata.make(tmp_path, yaml)
    out = tmp_path / "c.xlsx"
    sheet, header = exported_positions(cli, data, out, openpyxl)
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "anbud")
    assert row[header.index("Organisation name")] == "Testforbundet"
    assert row[header.index("Summary")] == "Imot anbud."


def _limited_file_size() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))  # as a disk that fills up


FILE_SIZE_LIMIT = 4 * 1024


@pytest.mark.parametrize("kind", ["sqlite", "xlsx"])
def test_a_write_that_fails_half_way_is_a_clear_message_and_leaves_nothing(small_data, tmp_path, kind):
    pytest.importorskip("openpyxl" if kind == "xlsx" else "sqlite_utils")
    out = tmp_path / "out" / f"stances.{kind}"
    out.parent.mkdir()
    out.write_bytes(b"old")
    env = {**os.environ, "STANCECLI_NO_CACHE": "1"}
    result = subprocess.run([sys.executable, "-m", "stancecli", "export", kind, str(out), "--data", str(small_data)],
                            capture_output=True, text=True, env=env, preexec_fn=_limited_file_size, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith(f"stancecli: cannot write {out}: ")  # then the system's (or SQLite's) reason
    assert result.stderr.endswith("; nothing was changed\n")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert [p.name for p in out.parent.iterdir()] == [out.name] and out.read_bytes() == b"old"
