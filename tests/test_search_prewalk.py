"""Folders walked from a search's first moments (search/prewalk.py): the listing that takes a walk
lists what it would have listed itself, and a walk never outlives the command line it was
started for."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS
from stancecli.cli import early
from stancecli.search import listing as ls
from stancecli.search import prewalk

needs_c = pytest.mark.skipif(ls._scan is None or not ls._FS_UTF8, reason="the C walk is not built here")


@pytest.fixture
def tree(tmp_path) -> Path:
    """The seeds with a subfolder, a hidden file, a PDF and a link back up."""
    root = tmp_path / "sources"
    shutil.copytree(SEEDS, root)
    (root / "sub").mkdir()
    (root / "sub" / "note.txt").write_text("Tiltak i sub.\n", encoding="utf-8")
    (root / ".hidden.txt").write_text("skjult\n", encoding="utf-8")
    (root / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)
    return root


@pytest.fixture(autouse=True)
def no_walks_left():
    prewalk.claim()
    yield
    prewalk.claim()


def _listed(paths, walked=None):
    warnings: list[str] = []
    files = ls.collect(paths, warnings, walked)
    return [(f.shown, f.key, f.size, f.mtime_ns) for f in files], warnings


@needs_c
def test_a_listing_that_takes_an_early_walk_lists_files_and_warnings_as_its_own_walk_would(tree, tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    prewalk.start(["-f", "json", "tett oppfølging", str(tree), "--index-dir", str(index)])
    walked = prewalk.claim()
    assert set(walked) == {str(tree)}  # the folders on the line, but not the index's
    files, warnings = _listed([tree], walked)
    assert (files, warnings) == _listed([tree])
    assert len(files) == 6 and any("report.pdf" in w for w in warnings) and any("loop" in w for w in warnings)


@needs_c
def test_a_folder_replaced_after_its_walk_began_is_listed_as_it_is_now(tree):
    prewalk.start(["anbud", str(tree)])
    walked = prewalk.claim()
    tree.rename(tree.with_name("old"))
    tree.mkdir()
    (tree / "new.txt").write_text("Ny kilde.\n", encoding="utf-8")
    files, _ = _listed([tree], walked)
    assert [Path(f[0]).name for f in files] == ["new.txt"]


@needs_c
def test_each_folder_of_many_is_listed_whether_or_not_it_was_walked_early(tmp_path):
    folders = []
    for k in range(prewalk.MAX_WALKS + 2):
        folder = tmp_path / f"f{k}"
        folder.mkdir()
        (folder / f"doc{k}.txt").write_text(f"Tekst {k}.\n", encoding="utf-8")
        folders.append(folder)
    prewalk.start(["anbud", *map(str, folders)])
    walked = prewalk.claim()
    assert len(walked) == prewalk.MAX_WALKS
    assert _listed(folders, walked) == _listed(folders)


def test_options_files_and_missing_paths_start_no_walk(tree, tmp_path):
    prewalk.start(["--index-dir=" + str(tree), "-", "anbud", str(next(tree.glob("001_*.txt"))),
                   str(tmp_path / "missing"), "", "\0"])
    assert prewalk.claim() == {}


@needs_c
def test_a_walk_started_for_one_command_line_never_serves_a_later_one(tree):
    prewalk.start(["anbud", str(tree)])
    early.start(["search", "anbud", str(tree), "--limit", "-1"])  # Typer's line: the walk is dropped
    assert early.take([tree]) is None and prewalk.claim() == {}
    (tree / "later.txt").write_text("Skrevet etterpå.\n", encoding="utf-8")
    prewalk.start(["anbud", str(tree)])  # the next line in the same process
    early.start(["search", "anbud", str(tree)])
    pending = early.take([tree])
    assert pending is not None
    assert "later.txt" in {Path(f.shown).name for f in pending.result([])}


def test_a_search_line_run_by_the_console_script_lists_its_folder_once_and_in_full(tree, tmp_path, capsys,
                                                                                  monkeypatch):
    from stancecli import entry

    monkeypatch.setattr("sys.argv", ["stancecli", "search", "Tiltak i sub", str(tree), "--index-dir",
                                     str(tmp_path / "ix"), "-f", "grep"])
    with pytest.raises(SystemExit) as stop:
        entry.main()
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert os.path.join("sub", "note.txt") in out
    assert prewalk.claim() == {}


def test_the_query_is_not_walked_even_when_it_names_a_folder(tree, tmp_path):
    prewalk.start([str(tree), str(tmp_path)])
    assert set(prewalk.claim()) == {str(tmp_path)}


def test_no_thread_to_be_had_means_no_walk_and_a_listing_all_the_same(tree, monkeypatch):
    import _thread

    def refuse(*args):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(_thread, "start_new_thread", refuse)
    prewalk.start(["anbud", str(tree)])
    walked = prewalk.claim()
    assert walked == {}
    assert _listed([tree], walked) == _listed([tree])


def test_a_search_from_a_removed_working_folder_still_answers(tree, tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    probe = ("import os, sys\nos.chdir(sys.argv[1]); os.rmdir(sys.argv[1])\n"
             "sys.argv = ['stancecli', 'search', 'Tiltak i sub', sys.argv[2], '--index-dir', sys.argv[3], '-f', 'grep']\n"
             "from stancecli.entry import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", probe, str(gone), str(tree), str(tmp_path / "ix")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert os.path.join("sub", "note.txt") in done.stdout and "Traceback" not in done.stderr
