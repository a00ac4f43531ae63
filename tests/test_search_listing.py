"""The source listing (search/listing.py): the walk in C (search/_scan.c) is the Python walk's,
file for file and warning for warning; a listing started on a thread gives what collect gives."""

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEEDS, needs_a_compiler
from stancecli.search import listing as ls
from stancecli.search.engine import search

needs_c = pytest.mark.skipif(ls._scan is None or not ls._FS_UTF8, reason="the C walk is not built here")
ODD_NAME = os.fsdecode(b"caf\xe9-latin1.txt")  # not UTF-8: a surrogate-escaped str in Python


@needs_a_compiler
def test_the_c_walk_is_built_where_there_is_a_compiler():
    assert ls._scan is not None, "pip install -e . did not build src/stancecli/search/_scan.c (see its warning)"


def _python_walk(monkeypatch):
    monkeypatch.setattr(ls, "_scan", None)


def _both(monkeypatch, paths):
    """(files, warnings, listing key) from the C walk, then from the Python walk."""
    out = []
    for use_c in (True, False):
        if not use_c:
            _python_walk(monkeypatch)
        warnings: list[str] = []
        files = ls.collect(paths, warnings)
        out.append((list(files), warnings, ls.listing_key(files), files.total_size, len(files)))
    return out


@pytest.fixture
def tree(tmp_path) -> Path:
    """Nested folders, links good and bad, hidden and skipped names, a PDF, a name that is not UTF-8."""
    root = tmp_path / "sources"
    shutil.copytree(SEEDS, root)
    seed = next(root.glob("001_*.txt"))
    for sub in ("b", "A", "a", "ä", "z/deeper/deepest", ".hidden"):
        (root / sub).mkdir(parents=True, exist_ok=True)
        (root / sub / "note.txt").write_text(f"Tiltak i {sub}.\n", encoding="utf-8")
    (root / "z" / "deeper" / "UPPER.TXT").write_text("Arbeidsmarkedstiltak.\n", encoding="utf-8")
    (root / "z" / "skip.md").write_text("not a source\n", encoding="utf-8")
    (root / "z" / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (root / ".secret.txt").write_text("hidden\n", encoding="utf-8")
    (root / ODD_NAME).write_text("Tiltak med et rart navn.\n", encoding="utf-8")
    # Sorted as Python sorts str: U+DCFF (the escaped byte 0xff) before U+E000, though 0xff > 0xee.
    for folder in (os.fsdecode(b"dir-\xff"), "dir-\ue000"):
        (root / folder).mkdir()
        (root / folder / "inside.txt").write_text("Tiltak.\n", encoding="utf-8")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "z" / "deeper" / "up").symlink_to(root / "z", target_is_directory=True)
    (root / "x.txt").symlink_to(root / "y.txt")
    (root / "y.txt").symlink_to(root / "x.txt")
    (root / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "link.txt").symlink_to(seed)
    (root / "linked-folder").symlink_to(root / "b", target_is_directory=True)
    return root


@needs_c
def test_the_c_walk_lists_what_the_python_walk_lists(tree, monkeypatch):
    (c_files, c_warn, c_key, c_size, c_n), (py_files, py_warn, py_key, py_size, py_n) = _both(monkeypatch, [tree])
    assert c_files == py_files and c_warn == py_warn and c_key == py_key
    assert (c_size, c_n) == (py_size, py_n) == (sum(f.size for f in py_files), len(py_files))
    names = [f.key[len(str(tree)) + 1:] for f in c_files]
    assert {ODD_NAME, "link.txt", "linked-folder/note.txt", "z/deeper/UPPER.TXT"} <= set(names)
    assert not {".secret.txt", ".hidden/note.txt", "z/skip.md", "x.txt", "gone.txt"} & set(names)
    subfolders = [n.split("/")[0] for n in names if "/" in n]
    assert subfolders == sorted(subfolders)  # folders in the order of their names, as Python sorts them
    assert any("file system loop" in w for w in c_warn) and any("report.pdf: skipped 1 .pdf" in w for w in c_warn)


@needs_c
def test_both_walks_see_a_file_rewritten_in_place_with_the_same_size(tree, monkeypatch):
    target = next(tree.glob("000_*.txt"))
    body = target.read_text(encoding="utf-8")
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns - 10**10))  # written a while ago
    before = ls.listing_key(ls.collect([tree]))
    time.sleep(0.05)  # past a tick of the file system's clock, so the rewrite gets a new ctime
    target.write_text(body.replace("a", "e", 1), encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns - 10**10))  # its mtime put back
    (_c, _cw, c_key, *_), (_p, _pw, py_key, *_) = _both(monkeypatch, [tree])
    assert c_key == py_key != before


@needs_c
def test_both_walks_agree_on_overlapping_and_single_file_paths(tree, monkeypatch):
    paths = [tree / "z", tree, next(tree.glob("002_*.txt")), tree / "a"]
    (c_files, c_warn, c_key, *_), (py_files, py_warn, py_key, *_) = _both(monkeypatch, paths)
    assert c_files == py_files and c_warn == py_warn and c_key == py_key


@needs_c
def test_a_search_finds_and_shows_the_same_with_either_walk(tree, tmp_path, monkeypatch):
    def outcome(index_dir):
        result = search("tiltak", [tree], index_dir=index_dir, limit=0)
        return [(h.path, h.line, h.score) for h in result.hits], result.documents, result.notes

    with_c = outcome(tmp_path / "ix-c")
    _python_walk(monkeypatch)
    in_python = outcome(tmp_path / "ix-py")
    assert with_c == in_python and with_c[0]
    shown = {str(p) for p, _line, _score in with_c[0]}
    assert str(tree / ODD_NAME) in shown and str(tree / "linked-folder" / "note.txt") in shown


@needs_c
def test_an_index_made_after_the_python_walk_is_fresh_for_the_c_walk(tree, tmp_path, monkeypatch):
    for p in tree.rglob("*.txt"):
        if not p.is_symlink():
            st = p.stat()
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns - 10**10))
    search("tiltak", [tree], index_dir=tmp_path / "ix")  # the C walk, built here
    assert search("tiltak", [tree], index_dir=tmp_path / "ix").indexed == 0
    with monkeypatch.context() as m:
        _python_walk(m)
        assert search("tiltak", [tree], index_dir=tmp_path / "ix").indexed == 0
    assert search("tiltak", [tree], index_dir=tmp_path / "ix").indexed == 0


# Name pieces whose byte order and Python's str order disagree, or that a walk treats specially.
PIECES = ["a", "B", "ä", "\ue000", os.fsdecode(b"\xff"), os.fsdecode(b"\xe4"), "\U0001f600", ".", "-", ".txt", ".TXT", ".pdf"]
names = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join).filter(lambda n: n not in (".", ".."))


@needs_c
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=st.lists(st.tuples(st.lists(names, max_size=3), names, st.sampled_from([".txt", ".Txt", ".pdf", ".md"])),
                      min_size=1, max_size=12))
def test_any_tree_is_walked_alike_in_c_and_in_python(tmp_path_factory, monkeypatch, layout):
    root = tmp_path_factory.mktemp("tree")
    for folders, name, suffix in layout:
        where = root.joinpath(*folders)
        try:
            where.mkdir(parents=True, exist_ok=True)
            (where / (name + suffix)).write_text("Tiltak.\n", encoding="utf-8")
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue  # a name already taken by a file or a folder
    with monkeypatch.context() as m:
        (c_files, c_warn, c_key, *_), (py_files, py_warn, py_key, *_) = _both(m, [root])
    assert c_files == py_files and c_warn == py_warn and c_key == py_key


@needs_c
def test_a_folder_that_cannot_be_read_is_skipped_with_a_warning_by_either_walk(tree, monkeypatch):
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    (tree / "b").chmod(0)
    try:
        outcomes = _both(monkeypatch, [tree])
    finally:
        (tree / "b").chmod(0o755)
    assert outcomes[0][:3] == outcomes[1][:3]
    assert any(w.startswith(f"{tree / 'b'}: Permission denied; skipped") for w in outcomes[0][1])


def test_a_listing_started_on_a_thread_gives_what_collect_gives(tree, tmp_path):
    warnings: list[str] = []
    expected = ls.collect([tree], warnings)
    pending = ls.start_collect([tree])
    got: list[str] = []
    files = pending.result(got)
    assert list(files) == list(expected) and ls.listing_key(files) == ls.listing_key(expected)
    assert got == warnings and got  # the tree has loops and a bad link to warn about
    missing = ls.start_collect([tmp_path / "missing"])
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        missing.result([])


@needs_c
def test_a_file_dated_past_what_nanoseconds_hold_is_listed_alike_by_either_walk(tree, monkeypatch):
    far = 13_000_000_000 * 10**9  # the year 2381: past 2**63 ns
    os.utime(tree / "a" / "note.txt", ns=(far, far))
    (c_files, c_warn, c_key, *_), (py_files, py_warn, py_key, *_) = _both(monkeypatch, [tree])
    assert c_files == py_files and c_warn == py_warn and c_key == py_key
    assert [f.mtime_ns for f in c_files if f.key.endswith(f"{os.sep}a{os.sep}note.txt")] == [2**63 - 1]
