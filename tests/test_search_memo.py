"""The folder memo (search/memo.py): a folder whose stamp is unchanged is walked from its record
instead of being read again, and whatever changes, the listing is the one a walk without the
memo makes; a memo that is damaged, not private or made for a folder that was still changing
is not trusted."""

import os
import shutil
import stat
import struct
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest

from conftest import SEEDS
from stancecli.cachedir import index_path
from stancecli.cli.direct.search import PARAMS
from stancecli.search import listing as ls
from stancecli.search import memo, prewalk
from stancecli.search.engine import search
from stancecli.search.index import IndexStore

needs_c = pytest.mark.skipif(ls._scan is None or not ls._FS_UTF8, reason="the C walk is not built here")
pytestmark = needs_c
SETTLE = memo.RACY_NS / 1e9 + 0.03  # seconds after which a folder's times can vouch for it


def _settle() -> None:
    time.sleep(SETTLE)


@pytest.fixture
def tree(tmp_path) -> Path:
    """Folders within folders, a PDF, hidden and skipped names, links to a file and to a folder, a loop."""
    root = tmp_path / "sources"
    shutil.copytree(SEEDS, root)
    for sub in ("a", "b/inner", ".hidden"):
        (root / sub).mkdir(parents=True)
        (root / sub / f"note-{sub[0]}.txt").write_text(f"Tiltak i {sub}.\n", encoding="utf-8")
    (root / "a" / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "a" / "skip.md").write_text("not a source\n", encoding="utf-8")
    (root / ".secret.txt").write_text("hidden\n", encoding="utf-8")
    (root / "link.txt").symlink_to(next(root.glob("001_*.txt")))
    (root / "linked").symlink_to(root / "b", target_is_directory=True)
    (root / "b" / "up").symlink_to(root, target_is_directory=True)
    _settle()
    _needs_records(root)
    return root


def _needs_records(root: Path) -> None:
    if not ls.collect([root]).records:
        pytest.skip("this file system is not one the walk trusts to keep folder times (search/_scan.c)")


def _listed(paths, kept=None, walked=None):
    warnings: list[str] = []
    files = ls.collect(paths, warnings, walked, kept)
    return (list(files), warnings, ls.listing_key(files)), files.memo


def _python_listing(monkeypatch, paths):
    with monkeypatch.context() as m:
        m.setattr(ls, "_scan", None)
        warnings: list[str] = []
        files = ls.collect(paths, warnings)
        return list(files), warnings, ls.listing_key(files)


START = len(ls._scan.MEMO_HEAD) + memo.CRC.size  # where the records start


def _sealed(body: bytes) -> bytes:
    """A memo of these records with its CRC-32 right, as if the walk had made them."""
    return ls._scan.MEMO_HEAD + memo.CRC.pack(zlib.crc32(body)) + body


def _doctored(kept: bytes, name: str, instead: str) -> bytes:
    """The memo with one entry's name put in place of another of the same length (sealed again)."""
    old, new = name.encode(), instead.encode()
    assert len(old) == len(new) and kept.count(old) == 1
    return _sealed(kept[START:].replace(old, new))


def test_a_listing_with_the_memo_is_the_listing_without_it(tree, monkeypatch):
    plain, kept = _listed([tree])
    assert kept is not None and kept.startswith(ls._scan.MEMO_HEAD)
    again, kept_again = _listed([tree], kept)
    assert again == plain == _python_listing(monkeypatch, [tree])
    assert kept_again == kept  # nothing changed: the same records


def test_an_unchanged_folder_is_walked_from_its_record_not_read_again(tree):
    _plain, kept = _listed([tree])
    (files, warnings, _key), _ = _listed([tree], _doctored(kept, "note-a.txt", "gone-a.txt"))
    # A name the record holds is stat-ed as if listed: the record, not the folder, was read.
    assert any(w.startswith(str(tree / "a" / "gone-a.txt")) and "vanished" in w for w in warnings)
    assert str(tree / "a" / "note-a.txt") not in [f.shown for f in files]


def _add_file(root: Path) -> None:
    (root / "a" / "new.txt").write_text("Ny.\n", encoding="utf-8")


def _remove_file(root: Path) -> None:
    (root / "a" / "note-a.txt").unlink()


def _rename_file(root: Path) -> None:
    (root / "a" / "note-a.txt").rename(root / "a" / "renamed.txt")


def _file_becomes_folder(root: Path) -> None:
    (root / "a" / "note-a.txt").unlink()
    (root / "a" / "note-a.txt").mkdir()
    (root / "a" / "note-a.txt" / "inside.txt").write_text("Inni.\n", encoding="utf-8")


def _add_deep_folder(root: Path) -> None:
    (root / "b" / "inner" / "deeper").mkdir()
    (root / "b" / "inner" / "deeper" / "deep.txt").write_text("Dypt.\n", encoding="utf-8")


def _remove_folder(root: Path) -> None:
    shutil.rmtree(root / "b" / "inner")


def _folder_replaced(root: Path) -> None:
    shutil.rmtree(root / "a")
    (root / "a").mkdir()
    (root / "a" / "other.txt").write_text("Annet.\n", encoding="utf-8")


def _link_retargeted(root: Path) -> None:
    (root / "linked").unlink()
    (root / "linked").symlink_to(root / "a", target_is_directory=True)


def _pdf_added(root: Path) -> None:
    (root / "b" / "more.pdf").write_bytes(b"%PDF-1.4\n")


def _file_rewritten(root: Path) -> None:
    (root / "a" / "note-a.txt").write_text("Endret innhold, lengre enn før.\n", encoding="utf-8")


def _hidden_file_shown(root: Path) -> None:
    (root / ".secret.txt").rename(root / "secret.txt")


CHANGES = [_add_file, _remove_file, _rename_file, _file_becomes_folder, _add_deep_folder, _remove_folder,
           _folder_replaced, _link_retargeted, _pdf_added, _file_rewritten, _hidden_file_shown]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__.strip("_") for c in CHANGES])
@pytest.mark.parametrize("wait", [False, True], ids=["at-once", "settled"])
def test_whatever_changes_the_listing_with_an_old_memo_is_the_listing_now(tree, monkeypatch, change, wait):
    _plain, kept = _listed([tree])
    change(tree)
    if wait:
        _settle()
    now, renewed = _listed([tree], kept)
    assert now == _listed([tree])[0] == _python_listing(monkeypatch, [tree])
    assert _listed([tree], renewed)[0] == now


def test_a_folder_still_changing_when_read_leaves_no_record(tmp_path):
    root = tmp_path / "fresh"
    root.mkdir()
    (root / "just-written.txt").write_text("Nå.\n", encoding="utf-8")
    _listing, kept = _listed([root])
    assert b"just-written.txt" not in kept  # its times are too recent to vouch for its names
    _settle()
    _needs_records(root)
    _listing, kept = _listed([root])
    assert b"just-written.txt" in kept


def _as_text(kept: bytes, name: bytes) -> bytes:
    """The memo with the entry `name` marked a .txt file (an entry is kind, type, name length, name)."""
    at = kept.index(name) - 4
    return _sealed(kept[START:at] + b"\0" + kept[at + 1:])


@pytest.mark.parametrize("damage", ["truncated", "head", "length", "slash", "dotdot", "kind", "garbage", "empty"])
def test_a_damaged_memo_is_not_used(tree, monkeypatch, damage):
    plain, kept = _listed([tree])
    bad = {
        "kind": _as_text(kept, b"report.pdf"),  # a PDF would be read as text
        "truncated": kept[:-3],
        "head": b"XXXXXXXX" + kept[8:],
        "length": _sealed(b"\xff\xff\xff\x7f" + kept[START + 4:]),
        "slash": _doctored(kept, "report.pdf", "b/port.pdf"),  # a name may not lead out of its folder
        "dotdot": _doctored(kept, "report.pdf", "..repo.pdf"),  # nor be one the walk skips
        "garbage": _sealed(os.urandom(len(kept) - START)),
        "empty": b"",
    }[damage]
    again, renewed = _listed([tree], bad)
    assert again == plain == _python_listing(monkeypatch, [tree])
    assert renewed == kept  # the walk read every folder and left a sound memo


def test_the_index_keeps_the_memo_of_its_listing_private_and_only_when_it_changes(tree, tmp_path):
    index = tmp_path / "index"
    files = ls.collect([tree], memo=memo.of_index([str(tree)], index))
    IndexStore(index).sync(files)
    path = index / memo.MEMO_NAME
    assert memo.of_index([str(tree)], index) == files.memo
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.stat()
    IndexStore(index).sync(ls.collect([tree], memo=memo.of_index([str(tree)], index)))
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not rewritten
    _add_file(tree)
    _settle()
    files = ls.collect([tree], memo=memo.of_index([str(tree)], index))
    IndexStore(index).sync(files)
    assert memo.of_index([str(tree)], index) == files.memo
    assert b"new.txt" in path.read_bytes()


def test_a_memo_others_may_write_is_not_read(tree, tmp_path):
    index = tmp_path / "index"
    IndexStore(index).sync(ls.collect([tree]))
    assert memo.read(str(index)) is not None
    (index / memo.MEMO_NAME).chmod(0o620)
    assert memo.read(str(index)) is None
    (index / memo.MEMO_NAME).chmod(0o600)
    index.chmod(0o722)
    try:
        assert memo.read(str(index)) is None
    finally:
        index.chmod(0o700)


def test_a_memo_that_is_a_link_is_not_read(tree, tmp_path):
    index = tmp_path / "index"
    IndexStore(index).sync(ls.collect([tree]))
    (index / memo.MEMO_NAME).rename(tmp_path / "elsewhere.memo")
    (index / memo.MEMO_NAME).symlink_to(tmp_path / "elsewhere.memo")
    assert memo.read(str(index)) is None


@pytest.mark.parametrize("wait", [False, True], ids=["at-once", "settled"])
def test_a_search_finds_a_file_added_after_the_memo_was_kept(tree, tmp_path, wait):
    index = tmp_path / "index"
    assert not search("sjøløve", [tree], index_dir=index).hits
    assert (index / memo.MEMO_NAME).exists()
    if wait:
        search("sjøløve", [tree], index_dir=index)
        _settle()
    (tree / "a" / "added.txt").write_text("En sjøløve i tiltaket.\n", encoding="utf-8")
    hits = search("sjøløve", [tree], index_dir=index).hits
    assert [h.path.name for h in hits] == ["added.txt"]


def test_the_early_walk_takes_the_memo_of_the_index_in_the_cache(tree):
    search("tiltak", [tree], use_index=True)  # keeps its index (and the memo) in the cache
    memo_path = Path(index_path([str(tree)])) / memo.MEMO_NAME
    memo_path.write_bytes(_doctored(memo_path.read_bytes(), "note-a.txt", "gone-a.txt"))
    prewalk.claim()
    prewalk.start(["tiltak", str(tree)])
    walked = prewalk.claim()
    (files, warnings, _key), _ = _listed([tree], walked=walked)
    assert any(w.startswith(str(tree / "a" / "gone-a.txt")) for w in warnings)


@pytest.mark.parametrize("attached", [False, True], ids=["separate", "attached"])
def test_the_early_walk_takes_the_memo_of_the_index_the_line_names(tree, tmp_path, attached):
    index = tmp_path / "index"
    search("tiltak", [tree], index_dir=index)
    path = index / memo.MEMO_NAME
    path.write_bytes(_doctored(path.read_bytes(), "note-a.txt", "gone-a.txt"))
    (flag,) = [f for p in PARAMS if p.dest == "index_dir" for f in p.flags if f.startswith("--")]
    prewalk.claim()
    prewalk.start(["-n", "5", "tiltak", str(tree), *([f"{flag}={index}"] if attached else [flag, str(index)])])
    walked = prewalk.claim()
    assert list(walked) == [str(tree)]
    (_files, warnings, _key), _ = _listed([tree], walked=walked)
    assert any(w.startswith(str(tree / "a" / "gone-a.txt")) for w in warnings)


RECORD = struct.Struct("<IIQQqqI")  # length after this field, path length, device, inode, mtime, ctime, entries
ENTRY = struct.Struct("<BBH")  # kind, type, name length


def _records(kept: bytes) -> list[tuple[tuple, bytes, list[tuple[int, int, bytes]]]]:
    """The records of a memo, as docs/search.md describes them: (fields, path, entries)."""
    out, at = [], START
    while at < len(kept):
        fields = RECORD.unpack_from(kept, at)
        length, plen, n = fields[0], fields[1], fields[6]
        path = kept[at + RECORD.size:at + RECORD.size + plen]
        pos, entries = at + RECORD.size + plen, []
        for _ in range(n):
            kind, kind_of, nlen = ENTRY.unpack_from(kept, pos)
            entries.append((kind, kind_of, kept[pos + ENTRY.size:pos + ENTRY.size + nlen]))
            pos += ENTRY.size + nlen
        out.append((fields, path, entries))
        at += 4 + length
    return out


def _memo_of(records) -> bytes:
    parts = []
    for fields, path, entries in records:
        body = b"".join(ENTRY.pack(k, t, len(name)) + name for k, t, name in entries)
        parts.append(RECORD.pack(RECORD.size - 4 + len(path) + len(body), len(path), *fields[2:6], len(entries)))
        parts += [path, body]
    return _sealed(b"".join(parts))


def test_the_memo_is_what_docs_search_md_describes(tree):
    _plain, kept = _listed([tree])
    records = _records(kept)
    assert _memo_of(records) == kept
    folders = {path.decode() for _f, path, _e in records}
    assert folders == {f"{tree}/", f"{tree}/a/", f"{tree}/b/", f"{tree}/b/inner/", f"{tree}/linked/",
                       f"{tree}/linked/inner/"}
    names = {name for _f, path, entries in records if path == f"{tree}/a/".encode() for _k, _t, name in entries}
    assert names == {b"note-a.txt", b"report.pdf"}  # skip.md is left out; the PDF is kept for its warning


def test_a_record_that_names_a_folder_many_times_walks_it_once(tree, monkeypatch):
    plain, kept = _listed([tree])
    records = []
    for fields, path, entries in _records(kept):
        # Each folder's sub-folders named ten times over: walked blindly, 10^depth times.
        records.append((fields, path, [e for e in entries for _ in range(10 if e[1] == stat.S_IFDIR >> 12 else 1)]))
    again, _ = _listed([tree], _memo_of(records))
    assert again == plain


def _kept_on_disk(tree: Path, index: Path) -> Path:
    IndexStore(index).sync(ls.collect([tree], memo=memo.of_index([str(tree)], index)))
    return index / memo.MEMO_NAME


def test_a_memo_changed_on_disk_is_not_used(tree, tmp_path, monkeypatch):
    path = _kept_on_disk(tree, tmp_path / "index")
    kept = path.read_bytes()
    assert kept.count(b"note-a.txt") == 1
    path.write_bytes(kept.replace(b"note-a.txt", b"gone-a.txt"))  # well formed, but not what was kept
    assert memo.read(str(tmp_path / "index")) is None
    listed, _ = _listed([tree], memo.of_index([str(tree)], tmp_path / "index"))
    assert listed == _python_listing(monkeypatch, [tree])


def test_a_memo_is_not_read_from_a_cache_others_may_write(tree):
    search("tiltak", [tree], use_index=True)  # keeps its index, and the memo, in the cache
    assert memo.of_index([str(tree)]) is not None
    searches = Path(index_path([str(tree)])).parent
    searches.chmod(0o777)
    try:
        assert memo.of_index([str(tree)]) is None
    finally:
        searches.chmod(0o700)


def test_a_memo_that_is_a_fifo_is_not_waited_for(tree, tmp_path):
    path = _kept_on_disk(tree, tmp_path / "index")
    path.unlink()
    os.mkfifo(path, 0o600)
    got: list[bytes | None] = []
    reader = threading.Thread(target=lambda: got.append(memo.read(str(tmp_path / "index"))), daemon=True)
    reader.start()
    reader.join(timeout=10)  # no writer is waited for
    assert got == [None]


def test_a_stamp_in_whole_seconds_must_be_older_to_vouch():
    now = time.time_ns()
    fine, whole = now - 100_000_000 - 123, (now // memo.SECOND_NS - 1) * memo.SECOND_NS
    assert not memo.racy(now, fine, fine)
    assert memo.racy(now, whole, fine) and memo.racy(now, fine, whole)  # a clock that may tick in seconds
    assert not memo.racy(whole + memo.COARSE_NS + 1, whole, whole)


def test_a_folder_whose_time_is_in_whole_seconds_is_remembered_only_later(tmp_path):
    root = tmp_path / "whole"
    root.mkdir()
    (root / "doc.txt").write_text("Tekst.\n", encoding="utf-8")
    whole = (time.time_ns() // memo.SECOND_NS - 1) * memo.SECOND_NS
    os.utime(root, ns=(whole, whole))
    _settle()
    _needs_records(tmp_path)  # (the folder above is remembered: its times are fine)
    _listing, kept = _listed([root])
    assert b"doc.txt" not in kept  # 2.05 s have not passed since the folder's change
    fine = whole + 123
    os.utime(root, ns=(fine, fine))
    _settle()
    _listing, kept = _listed([root])
    assert b"doc.txt" in kept


def test_a_source_whose_time_is_in_whole_seconds_is_checked_by_content_until_it_can_vouch(tmp_path):
    root = tmp_path / "docs"
    root.mkdir()
    for name in ("whole.txt", "fine.txt"):
        (root / name).write_text(f"Tiltak i {name}.\n", encoding="utf-8")
    whole = (time.time_ns() // memo.SECOND_NS - 10) * memo.SECOND_NS
    os.utime(root / "whole.txt", ns=(whole, whole))  # as unzip or cp -p from a coarse file system leave it
    _settle()
    index = tmp_path / "index"
    search("sjøløve", [root], index_dir=index)  # no hits: no source is opened to show one
    opened: list[str] = []
    watching = str(root)

    def audit(event, args):
        if event == "open" and isinstance(args[0], str) and args[0].startswith(watching):
            opened.append(os.path.basename(args[0]))

    sys.addaudithook(audit)
    try:
        search("sjøløve", [root], index_dir=index)
    finally:
        watching = "\0"  # an audit hook cannot be removed: it stops counting
    assert "whole.txt" in opened and "fine.txt" not in opened
