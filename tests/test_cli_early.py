"""A search's folders listed while the engine loads (cli/early.py): used only for the paths parsed."""

import shutil
import time
import zlib
from pathlib import Path

import pytest

from conftest import SEEDS
from stancecli.cachedir import index_path
from stancecli.cli import early
from stancecli.search import listing, memo
from stancecli.search.engine import search


@pytest.mark.parametrize("args, paths", [
    (["anbud"], []),
    (["anbud", "a", "b"], ["a", "b"]),
    (["--index-dir", "ix", "anbud", "a"], ["a"]),
    (["anbud", "a", "-C", "2", "--exact", "-n5", "--limit=3", "b"], ["a", "b"]),
    (["-f", "json", "--min-score", "50", "tett oppfølging", "a"], ["a"]),
    (["--", "-anbud", "-a"], ["-a"]),
    (["anbud", "a", "--org", "ntl"], []),  # the dataset's documents among them: the command decides
    (["anbud", "-"], []),
    (["anbud", "a", "--limit", "-1"], []),  # a line Typer refuses lists nothing
])
def test_the_paths_of_a_search_line_are_read_as_typer_parses_them(args, paths):
    assert early.search_paths(args) == [Path(p) for p in paths]


def test_a_listing_started_early_serves_only_the_paths_parsed_and_only_once():
    early.start(["search", "anbud", str(SEEDS)])
    assert early.take([Path("elsewhere")]) is None  # a wrong guess: the command lists its own
    assert early.take([SEEDS]) is None  # the guess was dropped with it
    early.start(["search", "anbud", f"{SEEDS}/"])  # a shell's completion ends a folder with a slash
    listing = early.take([SEEDS])
    assert listing is not None and len(listing.result([])) == 5
    assert early.take([SEEDS]) is None


@pytest.mark.parametrize("argv", [["compare", "anbud"], ["search", "anbud"], ["search", "anbud", "-"],
                                  ["search", "anbud", str(SEEDS), "--org", "ntl"],
                                  ["search", "anbud", str(SEEDS), "--doc=fo-2016"]])
def test_nothing_is_listed_early_for_other_command_lines(argv):
    early.start(argv)
    assert early.take([SEEDS]) is None and early.take([Path("-")]) is None


@pytest.mark.parametrize("named", [False, True], ids=["cache", "index-dir"])
def test_a_listing_started_early_takes_the_folder_memo_of_the_lines_index(tmp_path, named):
    if listing._scan is None or not listing._FS_UTF8:
        pytest.skip("the C walk is not built here")
    tree = tmp_path / "sources"
    shutil.copytree(SEEDS, tree)
    time.sleep(memo.RACY_NS / 1e9 + 0.03)  # the folder's times can vouch for it
    if not listing.collect([tree]).records:
        pytest.skip("this file system is not one the walk trusts to keep folder times (search/_scan.c)")
    index = tmp_path / "index" if named else None
    search("tiltak", [tree], index_dir=index, use_index=True)  # keeps the index and its memo
    path = Path(index_path([str(tree)], index)) / memo.MEMO_NAME
    first = next(tree.glob("001_*.txt")).name
    kept = path.read_bytes()
    start = len(listing._scan.MEMO_HEAD) + memo.CRC.size
    body = kept[start:].replace(first.encode(), b"999" + first[3:].encode())
    path.write_bytes(kept[:start - memo.CRC.size] + memo.CRC.pack(zlib.crc32(body)) + body)  # sealed again
    early.start(["search", "anbud", str(tree), *(["--index-dir", str(index)] if named else [])])
    pending = early.take([tree])
    warnings: list[str] = []
    assert pending is not None and len(pending.result(warnings)) == 4
    assert warnings == [f"{tree / ('999' + first[3:])}: vanished while the folder was read; skipped"]
