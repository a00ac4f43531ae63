"""The dataset snapshot: used while fresh, rebuilt when the data or a source changes."""

import shutil

from conftest import DATA, SEEDS
from stancecli import cache
from stancecli.cli.common import load


def copy_dataset(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "stances.yaml"
    shutil.copy2(DATA, path)
    return path


def test_second_load_comes_from_the_snapshot_with_quotes_located(tmp_path):
    path = copy_dataset(tmp_path)
    assert cache.load(path) is None
    first = load(path)
    snap = cache.load(path)
    assert snap is not None
    assert len(snap.positions) == len(first.positions)
    assert all(q.span is not None for p in snap.positions for q in p.quotes)


def test_editing_the_dataset_makes_the_snapshot_stale(tmp_path):
    path = copy_dataset(tmp_path)
    load(path)
    path.write_text(path.read_text(encoding="utf-8").replace("short: Parat NAV", "short: Parat X"),
                    encoding="utf-8")
    assert cache.load(path) is None
    assert load(path).organisations["parat"].short == "Parat X"


def test_changing_a_source_makes_the_snapshot_stale(tmp_path):
    path = copy_dataset(tmp_path)
    load(path)
    source = tmp_path / "seeds" / "000_1f65e360c591fba1.txt"
    source.write_text("\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    assert cache.load(path) is None
    parat = next(p for p in load(path).positions if p.document == "parat-2014" and p.issue == "anbud")
    assert parat.quotes[0].span.line_start == 71  # two lines further down than in the original


def test_a_corrupt_snapshot_is_ignored(tmp_path):
    path = copy_dataset(tmp_path)
    load(path)
    cache._snapshot_path(path).write_bytes(b"not a pickle")
    assert cache.load(path) is None
    assert load(path).documents


def test_an_unwritable_cache_is_not_an_error(tmp_path, monkeypatch):
    path = copy_dataset(tmp_path)
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("STANCECLI_CACHE_DIR", str(blocker / "cache"))
    assert load(path).documents
