"""The library side of add-document: which files a batch takes, and finishing an interrupted run."""

from __future__ import annotations

from pathlib import Path

import pytest

import minidata
from stancecli.adding import CurationError, collect_files, pending_name, recover


def test_a_folder_gives_its_documents_sorted_and_skips_the_rest(tmp_path):
    for name in ("b.pdf", "a.txt", "c.docx", "d.htm", "notes.md", ".hidden.txt"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.html").write_bytes(b"x")
    files, skipped = collect_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["a.txt", "b.pdf", "c.docx", "d.htm", "sub/e.html"]
    assert [p.name for p in skipped] == ["notes.md"]


def test_a_file_named_twice_is_refused(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"x")
    with pytest.raises(CurationError, match="named twice"):
        collect_files([tmp_path / "a.txt", tmp_path / ".." / tmp_path.name / "a.txt"])


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(CurationError, match="no .txt, .pdf, .docx, .html, .htm files in this folder"):
        collect_files([tmp_path])


def test_recover_moves_what_the_dataset_names_and_removes_the_rest(tmp_path):
    data = minidata.make(tmp_path)
    seeds = tmp_path / "seeds"
    (seeds / "tf.txt").rename(pending_name(seeds / "tf.txt"))  # committed, not yet moved
    pending_name(seeds / "tf.pdf").write_bytes(b"%PDF-")  # its original
    pending_name(seeds / "other.txt").write_text("never committed")
    (tmp_path / "data" / ".stances.yaml.abc123.tmp").write_text("half")
    done = recover(data)
    assert sorted(p.name for p in seeds.iterdir()) == ["tf.pdf", "tf.txt"]
    assert (seeds / "tf.txt").read_text(encoding="utf-8") == minidata.SOURCE
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["stances.yaml"]
    assert len(done) == 4


def test_recover_leaves_a_clean_dataset_alone(tmp_path):
    data = minidata.make(tmp_path)
    assert recover(data) == []
    assert sorted(Path(p).name for p in (tmp_path / "seeds").iterdir()) == ["tf.txt"]


def _plan(tmp_path, **asked):
    from stancecli.adding import DocumentRequest, choose_organisations, plan_batch, read_documents

    data = minidata.make(tmp_path)
    answer = tmp_path / "svar.txt"
    answer.write_text("Høringssvar fra Testforbundet\n\nVi er imot anbud.\n", encoding="utf-8")
    request = DocumentRequest(files=[answer], **asked)
    docs = read_documents([answer])
    return plan_batch(data, request, docs, choose_organisations(data, request, docs))


@pytest.mark.parametrize("asked, message", [
    ({"org": "tf"}, "the document needs a date (YYYY-MM-DD) or a year"),
    ({"org": "tf", "date": "2016-02-30"}, "the date '2016-02-30' is not a date"),
    ({"org": "tf", "date": "2016-03-01", "year": 2015}, "the date 2016-03-01 is not in the year 2015"),
    ({"org": "nyorg", "org_name": "Ny", "org_kind": "club", "year": 2016},
     "the organisation's kind 'club' is not one of union, "),
])
def test_the_library_speaks_of_the_data_not_of_command_line_options(tmp_path, asked, message):
    with pytest.raises(CurationError) as refused:
        _plan(tmp_path, **asked)
    assert message in str(refused.value)
    assert "--" not in str(refused.value)
