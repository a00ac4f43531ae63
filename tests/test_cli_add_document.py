"""`add-document`: a .txt or .pdf becomes a source and a document entry; on any error nothing changes."""

from __future__ import annotations

import difflib
import errno
import hashlib
import os
import re
import sys
from pathlib import Path

import pytest

import minidata
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from textpdf import text_pdf  # noqa: E402

TEXT = ("Høringssvar fra Spekter\n\n"
        "Spekter er imot anbudsutsetting av arbeidsmarkeds-\n"
        "tiltak og mener NAV bør gjøre mer i egenregi.\n\n"
        "Vi støtter økt bruk av ordinært arbeidsliv som arena for tiltak.\n")


def make_pdf(pages: list[list[str]]) -> bytes:
    """A small real PDF: one Helvetica text line per string, WinAnsi-encoded (æøå work)."""
    return text_pdf(pages)


PDF_PAGES = [["Høringssvar fra Spekter", "Spekter er imot anbudsutsetting av arbeidsmarkeds-",
              "tiltak og mener NAV bør gjøre mer i egenregi."],
             ["Vi støtter økt bruk av ordinært arbeidsliv som arena for tiltak."]]


def needs_pdf():
    from stancecli import pdftext

    # pypdf is in the test extra: a test run without it is a broken set-up, not a reason to skip.
    assert pdftext.available(), "PDF extraction needs pypdf: pip install -e '.[test]'"


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """A small writable dataset in tmp_path/dataset (data/stances.yaml, seeds/tf.txt; the organisations
    tf, ntl, fo, parat and nho); the working folder is tmp_path."""
    root = tmp_path / "dataset"
    minidata.make(root, yaml_text=minidata.YAML_MORE_ORGS)
    monkeypatch.chdir(tmp_path)
    return root


def state(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def added_lines(old: str, new: str) -> list[str]:
    """The lines new adds to old; fails if new changes or drops any line of old."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(),
                                                       autojunk=False).get_opcodes():
        assert tag in ("equal", "insert"), f"an existing line was changed: {old.splitlines()[i1:i2]}"
        out += new.splitlines()[j1:j2] if tag == "insert" else []
    return out


def add(cli, root: Path, *args: str):
    return cli("add-document", *args, "--data", str(root / "data"))


# ---------------------------------------------------------------- adding


def test_txt_document_is_stored_beside_the_sources_and_registered(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    old = (copy / "data" / "stances.yaml").read_text(encoding="utf-8")
    result = add(cli, copy, "svar.txt", "--org", "ntl", "--title", "Høringssvar: test", "--date", "2016-03-01",
                 "--hearing", "NOU 2016:1")
    assert result.exit_code == 0, result.stderr
    assert (copy / "seeds" / "ntl-2016.txt").read_text(encoding="utf-8") == TEXT
    new = (copy / "data" / "stances.yaml").read_text(encoding="utf-8")
    assert added_lines(old, new) == ["- id: ntl-2016", "  organisation: ntl", '  title: "Høringssvar: test"',
                                     "  hearing: NOU 2016:1", "  year: 2016", "  date: 2016-03-01",
                                     "  source: ../seeds/ntl-2016.txt"]
    line = new.splitlines().index("- id: ntl-2016") + 1
    assert result.stdout == (f"added ntl-2016 (organisation ntl, {len(TEXT.split())} words) from svar.txt: text in "
                             f"dataset/seeds/ntl-2016.txt; entry at dataset/data/stances.yaml:{line}; "
                             "title «Høringssvar: test»\n")
    data = str(copy / "data")
    assert f"next: stancecli code ntl-2016 --data {data}; then stancecli validate --data {data}" in result.stderr
    assert "suggest" not in result.stderr


def test_new_document_is_known_to_the_read_commands(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    assert add(cli, copy, "svar.txt", "--org", "ntl", "--title", "Svar", "--year", "2016").exit_code == 0
    docs = cli("docs", "--data", str(copy / "data"), "--format", "tsv")
    assert docs.exit_code == 0 and "ntl-2016" in docs.stdout
    checked = cli("validate", "--data", str(copy / "data"))
    assert re.search(r"quotes located (\d+)/\1;", checked.stdout)  # every old quote still found
    assert "documents[ntl-2016]: codebook issues not decided" in checked.stderr  # the curator's next job


def test_pdf_text_is_extracted_and_the_original_kept(cli, copy, tmp_path):
    needs_pdf()
    pdf = make_pdf(PDF_PAGES)
    (tmp_path / "svar.pdf").write_bytes(pdf)
    result = add(cli, copy, "svar.pdf", "--org", "spekter", "--org-name", "Spekter", "--org-kind",
                 "employer-organisation", "--title", "Høringssvar fra Spekter", "--date", "2016-03-01")
    assert result.exit_code == 0, result.stderr
    text = (copy / "seeds" / "spekter-2016.txt").read_text(encoding="utf-8")
    assert "Spekter er imot anbudsutsetting av arbeidsmarkeds-\ntiltak og mener NAV bør gjøre mer i egenregi." in text
    assert "Vi støtter økt bruk av ordinært arbeidsliv" in text
    assert (copy / "seeds" / "spekter-2016.pdf").read_bytes() == pdf
    assert "original in dataset/seeds/spekter-2016.pdf" in result.stdout
    assert "(new organisation spekter, " in result.stdout
    yaml_text = (copy / "data" / "stances.yaml").read_text(encoding="utf-8")
    assert "- id: spekter\n  name: Spekter\n  short: Spekter\n  kind: employer-organisation\n" in yaml_text


def test_from_pdf_to_a_validated_position(cli, copy, tmp_path):
    """The issue's 'done when': add a PDF, write a position quoting it, validate, see the evidence."""
    needs_pdf()
    import yaml

    (tmp_path / "svar.pdf").write_bytes(make_pdf(PDF_PAGES))
    data = str(copy / "data")
    assert add(cli, copy, "svar.pdf", "--org", "nho", "--title", "Høringssvar", "--date", "2016-03-01").exit_code == 0
    stub = ("- issue: anbud\n  document: nho-2016\n  stance: strongly-against\n"
            "  summary:\n    nb: NHO er imot anbud.\n    en: NHO opposes tendering.\n"
            "  quotes:\n  - \"Spekter er imot anbudsutsetting av arbeidsmarkedstiltak\"\n")
    path = copy / "data" / "stances.yaml"
    text = path.read_text(encoding="utf-8")
    codebook = [i["key"] for i in yaml.safe_load(text)["issues"] if i.get("codebook") and i["key"] != "anbud"]
    text = text.replace("\nnot_addressed:\n", "\n" + stub + "\nnot_addressed:\n  nho-2016:\n"
                        + "".join(f"  - {k}\n" for k in codebook))
    path.write_text(text, encoding="utf-8")
    checked = cli("validate", "--data", data)
    assert checked.exit_code == 0, checked.stderr
    assert "0 errors" in checked.stdout
    shown = cli("evidence", "anbud", "nho", "--data", data, "--format", "tsv")
    assert "Spekter er imot anbudsutsetting av arbeidsmarkedstiltak" in shown.stdout


def test_organisation_may_be_given_by_name(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    result = add(cli, copy, "svar.txt", "--org", "Norsk Tjenestemannslag", "--title", "Svar", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert "  organisation: ntl\n" in (copy / "data" / "stances.yaml").read_text(encoding="utf-8")


def test_second_document_of_the_same_year_gets_its_own_id(cli, copy, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT.replace("Spekter", "NTL"), encoding="utf-8")
    assert add(cli, copy, "a.txt", "--org", "ntl", "--title", "A", "--year", "2016").exit_code == 0
    result = add(cli, copy, "b.txt", "--org", "ntl", "--title", "B", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("added ntl-2016-2 ")


def test_txt_already_beside_the_dataset_is_used_where_it_is(cli, copy):
    (copy / "seeds" / "mine.txt").write_text(TEXT, encoding="utf-8")
    result = add(cli, copy, str(copy / "seeds" / "mine.txt"), "--org", "ntl", "--title", "Svar", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert "  source: ../seeds/mine.txt\n" in (copy / "data" / "stances.yaml").read_text(encoding="utf-8")
    assert not (copy / "seeds" / "ntl-2016.txt").exists()


def test_dry_run_changes_nothing(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    before = state(copy)
    result = add(cli, copy, "svar.txt", "--org", "ntl", "--title", "Svar", "--year", "2016", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("would add ntl-2016 ")
    assert "- id: ntl-2016" in result.stdout
    assert state(copy) == before


# ---------------------------------------------------------------- refusing, and changing nothing


def refused(cli, copy, tmp_path, *args: str) -> str:
    before = state(copy)
    result = add(cli, copy, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert state(copy) == before
    assert "Traceback" not in result.stderr
    return result.stderr


def test_an_organisation_name_too_long_for_a_file_name_is_not_proposed(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text("Høringssvar fra " + "Stor" * 1000 + "forbundet\n\n" + TEXT, encoding="utf-8")
    err = refused(cli, copy, tmp_path, "svar.txt", "--year", "2016", "--yes")
    assert err == ("stancecli: no organisation could be read from the text of svar.txt; "
                   "name the organisation that wrote it\n")


@pytest.mark.parametrize("option", ["--org", "--id"])
def test_an_id_too_long_for_a_file_name_is_refused(cli, copy, tmp_path, option):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    names = ["--org", "a" * 300, "--org-name", "A"] if option == "--org" else ["--org", "ntl", "--id", "a" * 300]
    err = refused(cli, copy, tmp_path, "svar.txt", "--year", "2016", "--title", "T", *names)
    assert err.endswith("is not a valid id (lower-case letters, digits and '-', at most 64 characters)\n")


def test_a_lock_that_cannot_be_made_is_named_as_the_user_gave_the_dataset(cli, copy, tmp_path):
    (copy / "data" / ".stances.yaml.lock").mkdir()  # as an unwritable folder would refuse it
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    err = refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--title", "T", "--year", "2016")
    assert err.startswith("stancecli: dataset/data/.stances.yaml.lock: cannot create the lock file (")
    assert str(tmp_path) not in err


@pytest.mark.parametrize("title", ["Svar\x1b[31m", "Svar \u202ekcab"])
def test_a_title_with_terminal_or_bidi_controls_is_refused(cli, copy, tmp_path, title):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    err = refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--year", "2016", "--title", title)
    assert err == "stancecli: the title contains control characters\n"


def test_unknown_organisation(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    err = refused(cli, copy, tmp_path, "svar.txt", "--org", "ntll", "--title", "T", "--year", "2016")
    assert err.startswith("stancecli: unknown organisation 'ntll'; did you mean ntl")
    assert err.endswith("? (a new organisation needs a name and a kind)\n")


def test_bad_date(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    assert refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--title", "T", "--date", "2016-02-30") == (
        "stancecli: the date '2016-02-30' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)\n")


def test_no_date_or_year(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    assert refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--title", "T") == (
        "stancecli: give --date YYYY-MM-DD or --year YYYY: the document needs a date or a year\n")


def test_existing_id(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    err = refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--title", "T", "--year", "2020", "--id", "tf-2020")
    assert err.startswith("stancecli: a document with id 'tf-2020' already exists (line ")


def test_missing_file(cli, copy, tmp_path):
    assert refused(cli, copy, tmp_path, "nowhere.pdf", "--org", "ntl", "--title", "T", "--year", "2016") == (
        "stancecli: nowhere.pdf: file not found\n")


def test_a_kind_of_file_it_cannot_read(cli, copy, tmp_path):
    (tmp_path / "svar.odt").write_bytes(b"PK\x03\x04")
    assert refused(cli, copy, tmp_path, "svar.odt", "--org", "ntl", "--title", "T", "--year", "2016") == (
        "stancecli: svar.odt: expected one of .txt, .pdf, .docx, .html, .htm\n")


def test_damaged_docx(cli, copy, tmp_path):
    (tmp_path / "svar.docx").write_bytes(b"PK\x03\x04")
    err = refused(cli, copy, tmp_path, "svar.docx", "--org", "ntl", "--title", "T", "--year", "2016")
    assert err.startswith("stancecli: svar.docx: not a readable .docx file (")


def test_txt_in_an_encoding_it_cannot_tell(cli, copy, tmp_path):
    raw = TEXT.encode("cp850")  # an old DOS code page: ø is 0x9b, which Windows-1252 reads as ›
    (tmp_path / "svar.txt").write_bytes(raw)
    offset = raw.index("ø".encode("cp850"))
    err = refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--title", "T", "--year", "2016")
    assert err.startswith(f"stancecli: svar.txt: not UTF-8 text (byte 0x9b at offset {offset}) and not "
                          "Windows-1252 or UTF-16 either; convert it to UTF-8")


def test_pdf_without_the_extra_names_the_extra(cli, copy, tmp_path, monkeypatch):
    monkeypatch.setattr("stancecli.pdftext.available", lambda: False)
    (tmp_path / "svar.pdf").write_bytes(make_pdf(PDF_PAGES))
    assert refused(cli, copy, tmp_path, "svar.pdf", "--org", "ntl", "--title", "T", "--year", "2016") == (
        "stancecli: reading PDFs needs the optional extra: pip install 'stancecli[pdf]' (it installs pypdf)\n")


def test_damaged_pdf(cli, copy, tmp_path):
    needs_pdf()
    (tmp_path / "svar.pdf").write_bytes(b"%PDF-1.4\nthis is not really a PDF\n")
    err = refused(cli, copy, tmp_path, "svar.pdf", "--org", "ntl", "--title", "T", "--year", "2016")
    assert err.startswith("stancecli: svar.pdf: not a readable PDF (")


def test_pdf_without_text(cli, copy, tmp_path):
    needs_pdf()
    (tmp_path / "scan.pdf").write_bytes(make_pdf([[]]))
    assert refused(cli, copy, tmp_path, "scan.pdf", "--org", "ntl", "--title", "T", "--year", "2016") == (
        "stancecli: scan.pdf: no text found in the PDF; is it scanned? Run OCR on it first (e.g. ocrmypdf) and add "
        "the result\n")


def test_target_file_already_there(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    (copy / "seeds" / "ntl-2016.txt").write_text("someone else's\n", encoding="utf-8")
    err = refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--title", "T", "--year", "2016")
    assert err.endswith("seeds/ntl-2016.txt: already exists; choose another document id or move that file away\n")


def test_broken_dataset_is_not_edited(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    path = copy / "data" / "stances.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("organisations:\n", "organisations: [\n", 1),
                    encoding="utf-8")
    err = refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--title", "T", "--year", "2016")
    assert err.startswith("dataset/data/stances.yaml:") and "malformed YAML" in err


def test_bundled_dataset_of_an_installed_package_is_not_edited(cli, copy, tmp_path, monkeypatch):
    monkeypatch.setattr("stancecli.adding.BUNDLED", copy)
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    err = refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--title", "T", "--year", "2016")
    assert err.startswith("stancecli: the bundled dataset is part of the installed package and is not edited")
    assert "--data PATH" in err  # how to name a copy instead


def test_full_disk_while_writing_the_dataset_leaves_everything_as_it_was(cli, copy, tmp_path, monkeypatch):
    needs_pdf()
    (tmp_path / "svar.pdf").write_bytes(make_pdf(PDF_PAGES))

    def disk_full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("stancecli.editing.write_atomic", disk_full)
    err = refused(cli, copy, tmp_path, "svar.pdf", "--org", "ntl", "--title", "T", "--year", "2016")
    assert err == ("stancecli: dataset/data/stances.yaml: no space left on the device while writing it; nothing was "
                   "changed (the dataset and its sources are as they were)\n")
    assert os.listdir(copy / "seeds") == ["tf.txt"]


def test_full_disk_while_writing_a_source_names_it_and_leaves_nothing_behind(cli, copy, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT.replace("Spekter", "NTL"), encoding="utf-8")
    from stancecli import adding

    real = adding._write_synced

    def fills_up(path, content):
        if path.name.startswith(".ntl-2016-2.txt"):
            path.write_bytes(b"half a te")  # a truncated file, as a full disk leaves it
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, content)

    monkeypatch.setattr(adding, "_write_synced", fills_up)
    err = refused(cli, copy, tmp_path, "a.txt", "b.txt", "--org", "ntl", "--year", "2016")
    assert err == ("stancecli: dataset/seeds/ntl-2016-2.txt: no space left on the device while writing it; nothing "
                   "was changed (the dataset and its sources are as they were)\n")


def test_org_kind_without_org_name(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    assert refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--org-kind", "ngo", "--title", "T",
                   "--year", "2016") == (
        "stancecli: --org-kind and --org-short describe a new organisation: give --org-name too\n")


# ---------------------------------------------------------------- kinds of file and encodings


def stored(copy: Path, doc_id: str) -> str:
    return (copy / "seeds" / f"{doc_id}.txt").read_text(encoding="utf-8")


def test_latin1_text_is_converted_and_the_user_told(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_bytes(TEXT.replace("Vi støtter", "Vi støtter «ærlig»").encode("cp1252"))
    result = add(cli, copy, "svar.txt", "--org", "ntl", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert "svar.txt: not UTF-8; read as Windows-1252 (Latin-1) and converted to UTF-8" in result.stderr
    assert stored(copy, "ntl-2016") == TEXT.replace("Vi støtter", "Vi støtter «ærlig»")


def test_utf16_with_a_byte_order_mark_is_converted(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_bytes(TEXT.encode("utf-16"))
    result = add(cli, copy, "svar.txt", "--org", "ntl", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert "svar.txt: converted from UTF-16 to UTF-8" in result.stderr
    assert stored(copy, "ntl-2016") == TEXT


def test_docx_paragraphs_tables_and_letterhead_become_the_text(cli, copy, tmp_path):
    import docx

    document = docx.Document()
    document.sections[0].header.is_linked_to_previous = False
    document.sections[0].header.paragraphs[0].text = "Norsk Tjenestemannslag"
    document.add_paragraph("Høringssvar om tiltak")
    document.add_paragraph("NTL er imot anbudsutsetting av arbeidsmarkedstiltak.")
    document.add_paragraph("")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Tiltak", "Syn"
    document.add_paragraph("NAV bør gjøre mer i egenregi.")
    document.save(tmp_path / "svar.docx")
    result = add(cli, copy, "svar.docx", "--org", "ntl", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert stored(copy, "ntl-2016") == ("Norsk Tjenestemannslag\n\nHøringssvar om tiltak\n\n"
                                        "NTL er imot anbudsutsetting av arbeidsmarkedstiltak.\n\nTiltak | Syn\n\n"
                                        "NAV bør gjøre mer i egenregi.\n")
    assert (copy / "seeds" / "ntl-2016.docx").read_bytes() == (tmp_path / "svar.docx").read_bytes()
    assert "title «Høringssvar om tiltak»" in result.stdout  # the heading, not the letterhead


def test_html_keeps_paragraphs_and_leaves_out_scripts(cli, copy, tmp_path):
    page = ("<!doctype html><html><head><title>Svar</title><style>p {color: red}</style></head><body>"
            "<h1>Høringssvar fra NTL</h1><p>NTL er imot\n   anbudsutsetting &amp; mener<br>NAV bør gjøre mer.</p>"
            "<script>alert('x')</script><ul><li>Første punkt</li><li>Andre punkt</li></ul></body></html>")
    (tmp_path / "svar.html").write_text(page, encoding="utf-8")
    result = add(cli, copy, "svar.html", "--org", "ntl", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert stored(copy, "ntl-2016") == ("Høringssvar fra NTL\n\nNTL er imot anbudsutsetting & mener\n"
                                        "NAV bør gjøre mer.\n\nFørste punkt\n\nAndre punkt\n")


def test_pdf_paragraphs_stay_apart(cli, copy, tmp_path):
    needs_pdf()
    pages = [["Høringssvar fra Spekter", "", "Spekter er imot anbudsutsetting av arbeids-",
              "tiltak og mener NAV bør gjøre mer i egenregi.", "", "Vi støtter økt bruk av ordinært arbeidsliv."],
             ["Med vennlig hilsen"]]
    (tmp_path / "svar.pdf").write_bytes(make_pdf(pages))
    result = add(cli, copy, "svar.pdf", "--org", "nho", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert stored(copy, "nho-2016") == (
        "Høringssvar fra Spekter\n\nSpekter er imot anbudsutsetting av arbeids-\ntiltak og mener NAV bør gjøre mer "
        "i egenregi.\n\nVi støtter økt bruk av ordinært arbeidsliv.\n\nMed vennlig hilsen\n")


def test_txt_mentioning_pdf_near_its_start_is_text(cli, copy, tmp_path):
    text = "Om filformater: en fil som starter med %PDF-1.4 er en PDF.\n\n" + TEXT
    (tmp_path / "svar.txt").write_text(text, encoding="utf-8")
    result = add(cli, copy, "svar.txt", "--org", "ntl", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert stored(copy, "ntl-2016") == text


def test_txt_that_is_really_a_pdf_is_read_as_one(cli, copy, tmp_path):
    needs_pdf()
    (tmp_path / "svar.txt").write_bytes(make_pdf(PDF_PAGES))
    result = add(cli, copy, "svar.txt", "--org", "ntl", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert "svar.txt: starts as a PDF file does; read as a PDF" in result.stderr
    assert "Vi støtter økt bruk av ordinært arbeidsliv" in stored(copy, "ntl-2016")


# ---------------------------------------------------------------- duplicates


def test_the_same_file_twice_is_refused_naming_the_document(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    assert add(cli, copy, "svar.txt", "--org", "ntl", "--year", "2016").exit_code == 0
    err = refused(cli, copy, tmp_path, "svar.txt", "--org", "ntl", "--year", "2016")
    assert err == ("stancecli: svar.txt: the same text as document 'ntl-2016' (line endings and spacing aside); "
                   "not added again\n")


def test_a_source_with_other_line_endings_and_spacing_is_a_duplicate(cli, copy, tmp_path):
    source = (copy / "seeds" / "tf.txt").read_text(encoding="utf-8")
    (tmp_path / "kopi.txt").write_bytes(source.replace("\n", "  \r\n").encode("utf-8"))
    err = refused(cli, copy, tmp_path, "kopi.txt", "--org", "ntl", "--year", "2016")
    assert err.startswith("stancecli: kopi.txt: the same text as document 'tf-2020'")


def test_two_copies_in_one_batch_are_refused(cli, copy, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    err = refused(cli, copy, tmp_path, "a.txt", "b.txt", "--org", "ntl", "--year", "2016")
    assert err.startswith("stancecli: b.txt: the same text as document 'a.txt (earlier in this batch)'")


# ---------------------------------------------------------------- organisation proposed from the text


def test_without_org_in_a_pipe_the_proposal_is_shown_and_nothing_written(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text("Høringssvar fra NTL\n\n" + TEXT, encoding="utf-8")
    err = refused(cli, copy, tmp_path, "svar.txt", "--year", "2016")
    assert err == ("stancecli: svar.txt: proposed organisation 'ntl' (Norsk Tjenestemannslag), from line 1: "
                   "«Høringssvar fra NTL»\n"
                   "stancecli: no --org given: accept the proposed organisations with --yes, or name the "
                   "organisation with --org; nothing was changed\n")


def test_yes_accepts_a_known_organisation_found_in_the_signature(cli, copy, tmp_path):
    text = TEXT.replace("Høringssvar fra Spekter", "Innspill om tiltak").replace("Spekter", "Vi")
    (tmp_path / "svar.txt").write_text(text + "\nMed vennlig hilsen\nParat NAV\nKari Nordmann\n", encoding="utf-8")
    result = add(cli, copy, "svar.txt", "--year", "2016", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "(organisation parat, " in result.stdout
    assert "svar.txt: organisation 'parat' (Parat NAV), from line 9: «Parat NAV» accepted (--yes)" in result.stderr


def test_yes_creates_a_new_organisation_named_in_the_text(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT.replace("Spekter", "Norsk Sykepleierforbund", 1), encoding="utf-8")
    result = add(cli, copy, "svar.txt", "--year", "2016", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "(new organisation norsk-sykepleierforbund, " in result.stdout
    assert ("- id: norsk-sykepleierforbund\n  name: Norsk Sykepleierforbund\n  short: Norsk Sykepleierforbund\n"
            "  kind: union\n") in (copy / "data" / "stances.yaml").read_text(encoding="utf-8")


def test_a_text_naming_no_organisation_needs_one(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text("Vi er imot anbud.\n\nVi vil ha mer egenregi i NAV-kontorene.\n",
                                       encoding="utf-8")
    err = refused(cli, copy, tmp_path, "svar.txt", "--year", "2016", "--yes")
    assert err == ("stancecli: no organisation could be read from the text of svar.txt; name the organisation "
                   "that wrote it\n")


def test_in_a_terminal_each_proposal_is_asked(cli, copy, tmp_path, monkeypatch, runner):
    from stancecli.cli.app import app

    monkeypatch.setattr("stancecli.cli.add_document.interactive", lambda: True)
    (tmp_path / "svar.txt").write_text("Høringssvar fra NTL\n\n" + TEXT, encoding="utf-8")
    args = ["add-document", "svar.txt", "--year", "2016", "--data", str(copy / "data")]
    before = state(copy)
    declined = runner.invoke(app, args, input="n\n")
    assert declined.exit_code == 2 and "svar.txt: organisation not confirmed" in declined.stderr
    assert state(copy) == before
    accepted = runner.invoke(app, args, input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert "svar.txt: written by 'ntl' (Norsk Tjenestemannslag), from line 1" in accepted.stderr
    assert "added ntl-2016 (organisation ntl, " in accepted.stdout


# ---------------------------------------------------------------- folders and batches


def test_a_folder_is_added_one_line_per_file(cli, copy, tmp_path):
    folder = tmp_path / "hoering"
    folder.mkdir()
    (folder / "1-ntl.txt").write_text("Høringssvar fra NTL\n\n" + TEXT, encoding="utf-8")
    (folder / "2-fo.html").write_text("<p>Høringssvar fra Fellesorganisasjonen</p><p>" + TEXT + "</p>",
                                      encoding="utf-8")
    (folder / "3-parat.txt").write_bytes(("Høringssvar fra Parat NAV\n\n" + TEXT).encode("cp1252"))
    (folder / "notater.md").write_text("mine notater\n", encoding="utf-8")
    (folder / ".skjult.txt").write_text("Høringssvar fra LO\n\n" + TEXT, encoding="utf-8")
    result = add(cli, copy, "hoering", "--year", "2016", "--hearing", "Testhøring", "--yes")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(" (")[0] for line in lines] == ["added ntl-2016", "added fo-2016", "added parat-2016"]
    assert "skipped hoering/notater.md: not a .txt, .pdf, .docx or .html file" in result.stderr
    assert not (copy / "seeds" / "lo-2016.txt").exists()
    checked = cli("validate", "--data", str(copy / "data"))
    assert re.search(r"quotes located (\d+)/\1;", checked.stdout)


def test_a_batch_with_one_bad_file_changes_nothing_and_names_it(cli, copy, tmp_path):
    needs_pdf()
    folder = tmp_path / "hoering"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.pdf").write_bytes(b"%PDF-1.4\nthis is not really a PDF\n")
    err = refused(cli, copy, tmp_path, "hoering", "--org", "ntl", "--year", "2016")
    assert err.startswith("stancecli: hoering/b.pdf: not a readable PDF (")


def test_title_for_many_files_is_refused(cli, copy, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT.replace("Spekter", "NTL"), encoding="utf-8")
    err = refused(cli, copy, tmp_path, "a.txt", "b.txt", "--org", "ntl", "--title", "T", "--year", "2016")
    assert err == "stancecli: --title names one document; leave it out to take each document's first line\n"


# ---------------------------------------------------------------- safe writes


def test_a_symlinked_dataset_is_written_through(cli, copy, tmp_path):
    real = copy / "data" / "stances.yaml"
    link = copy / "data" / "link.yaml"
    link.symlink_to(real.name)
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    result = cli("add-document", "svar.txt", "--org", "ntl", "--year", "2016", "--data", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert "- id: ntl-2016\n" in real.read_text(encoding="utf-8")


def test_leftovers_of_a_run_killed_before_its_commit_are_removed_on_retry(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    (copy / "seeds" / ".ntl-2016.txt.stancecli-new").write_text("half a te", encoding="utf-8")
    (copy / "data" / ".stances.yaml.k2j3h4.tmp").write_text("version: 1\norgan", encoding="utf-8")
    (copy / "data" / ".stances.yaml.lock").write_text("", encoding="utf-8")
    result = add(cli, copy, "svar.txt", "--org", "ntl", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert "removed dataset/seeds/.ntl-2016.txt.stancecli-new, left by an interrupted add-document" in result.stderr
    assert stored(copy, "ntl-2016") == TEXT
    assert sorted(os.listdir(copy / "data")) == ["stances.yaml"]
    assert sorted(os.listdir(copy / "seeds")) == ["ntl-2016.txt", "tf.txt"]


def test_sources_of_a_run_killed_after_its_commit_are_moved_into_place(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    assert add(cli, copy, "svar.txt", "--org", "ntl", "--year", "2016").exit_code == 0
    final = copy / "seeds" / "ntl-2016.txt"
    final.rename(copy / "seeds" / ".ntl-2016.txt.stancecli-new")  # as if killed before the rename
    (tmp_path / "other.txt").write_text(TEXT.replace("Spekter", "NTL"), encoding="utf-8")
    result = add(cli, copy, "other.txt", "--org", "ntl", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert "moved dataset/seeds/ntl-2016.txt into place" in result.stderr
    assert final.read_text(encoding="utf-8") == TEXT
    assert not (copy / "seeds" / ".ntl-2016.txt.stancecli-new").exists()


def test_an_identical_orphan_of_an_older_crash_is_reused(cli, copy, tmp_path):
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    (copy / "seeds" / "ntl-2016.txt").write_text(TEXT, encoding="utf-8")  # written, then killed: no entry
    result = add(cli, copy, "svar.txt", "--org", "ntl", "--year", "2016")
    assert result.exit_code == 0, result.stderr
    assert "  source: ../seeds/ntl-2016.txt\n" in (copy / "data" / "stances.yaml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- concurrent writers

ROUNDS = 2


def _add_in_child(args: list[str], start, results) -> None:
    from typer.testing import CliRunner

    from stancecli.cli.app import app

    start.wait(10)
    result = CliRunner().invoke(app, args)
    results.put((args[1], result.exit_code, result.stderr))


def test_two_writers_at_once_both_entries_survive(tmp_path):
    import multiprocessing

    import minidata

    ctx = multiprocessing.get_context("fork")
    data = minidata.make(tmp_path / "mini")
    results = ctx.Queue()
    for n in range(ROUNDS):
        start = ctx.Event()
        children = []
        for who in ("a", "b"):
            doc = tmp_path / f"{who}{n}.txt"
            doc.write_text(f"Svar {who} {n}.\n\n{TEXT}", encoding="utf-8")
            args = ["add-document", str(doc), "--org", "tf", "--year", "2020", "--data", str(data)]
            children.append(ctx.Process(target=_add_in_child, args=(args, start, results)))
        for child in children:
            child.start()
        start.set()  # both at once
        for child in children:
            child.join(30)
        for _ in children:
            name, status, stderr = results.get(timeout=10)
            assert status == 0, f"{name}: {stderr}"
    text = data.read_text(encoding="utf-8")
    ids = re.findall(r"^- id: (tf-2020\S*)$", text, re.M)
    assert len(ids) == 1 + 2 * ROUNDS  # the mini dataset's own document and every added one
    sources = {p.name for p in (tmp_path / "mini" / "seeds").iterdir()}
    assert sources == {"tf.txt"} | {f"{i}.txt" for i in ids if i != "tf-2020"}  # no orphan, no temporary file
    assert sorted(os.listdir(tmp_path / "mini" / "data")) == ["stances.yaml"]


def _hold(path: str, ready, release) -> None:
    from stancecli.editing import dataset_lock

    with dataset_lock(Path(path)):
        ready.set()
        release.wait(10)


def test_a_waiting_writer_says_so_and_then_writes(cli, copy, tmp_path, monkeypatch):
    import multiprocessing

    from stancecli.cli import add_document

    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(str(copy / "data" / "stances.yaml"), ready, release))
    holder.start()
    assert ready.wait(10)
    said = add_document._say

    def say(message: str) -> None:
        said(message)
        if message.startswith("waiting for another writer"):
            release.set()  # the other writer finishes while this one waits

    monkeypatch.setattr(add_document, "_say", say)
    (tmp_path / "svar.txt").write_text(TEXT, encoding="utf-8")
    try:
        result = add(cli, copy, "svar.txt", "--org", "ntl", "--year", "2016")
    finally:
        release.set()
        holder.join(10)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("stancecli: waiting for another writer of ")
    assert result.stdout.startswith("added ntl-2016 ")


def test_docx_without_the_extra_names_the_extra(cli, copy, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "docx", None)  # as if python-docx were not installed
    (tmp_path / "svar.docx").write_bytes(b"PK\x03\x04")
    assert refused(cli, copy, tmp_path, "svar.docx", "--org", "ntl", "--title", "T", "--year", "2016") == (
        "stancecli: reading .docx files needs the optional extra: pip install 'stancecli[docx]' (it installs "
        "python-docx)\n")
