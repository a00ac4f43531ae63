"""The on-disk index: built once, kept fresh per file, rebuilt only for what changed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS
from stancecli.search import index as ix
from stancecli.search.engine import search


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    return folder


def run(query, corpus, index_dir, **kw):
    return search(query, [corpus], index_dir=index_dir, **kw)


def _age(path: Path, seconds: int = 10) -> None:
    """Backdate a file, as if written a while before it is indexed."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns - seconds * 10**9, st.st_mtime_ns - seconds * 10**9))


def test_the_index_is_built_once_then_reused(corpus, tmp_path):
    for p in corpus.iterdir():
        _age(p)
    first = run("anbud", corpus, tmp_path / "ix")
    assert first.mode == "index" and first.indexed == 5
    again = run("anbud", corpus, tmp_path / "ix")
    assert again.indexed == 0 and again.hits == first.hits
    assert {p.suffix for p in (tmp_path / "ix").iterdir()} >= {".bin", ".marshal"}


def test_a_changed_file_is_reindexed_alone(corpus, tmp_path):
    for p in corpus.iterdir():
        _age(p)
    assert not run("kvantesprang", corpus, tmp_path / "ix").hits
    target = next(corpus.glob("002_*.txt"))
    with open(target, "a", encoding="utf-8") as f:
        f.write("\nVi ønsker et kvantesprang i oppfølgingen.\n")
    result = run("kvantesprang", corpus, tmp_path / "ix")
    assert result.indexed == 1
    assert [h.path.name for h in result.hits] == [target.name]
    # The old version's sentences are gone, the rest of the file still found.
    assert len(run("tett oppfølging", corpus, tmp_path / "ix", limit=0).hits) == len(
        search("tett oppfølging", [corpus], use_index=False, limit=0).hits)


def test_removed_and_added_files(corpus, tmp_path):
    run("anbud", corpus, tmp_path / "ix")
    gone = next(corpus.glob("001_*.txt"))
    gone.unlink()
    (corpus / "new.txt").write_text("Nytt innspill om anbudsutsetting.\n", encoding="utf-8")
    result = run("anbudsutsetting", corpus, tmp_path / "ix", limit=0)
    names = {h.path.name for h in result.hits}
    assert gone.name not in names and "new.txt" in names


def test_touching_a_file_without_changing_it_keeps_the_index(corpus, tmp_path):
    for p in corpus.iterdir():
        _age(p)
    run("anbud", corpus, tmp_path / "ix")
    target = next(corpus.glob("003_*.txt"))
    os.utime(target)
    assert run("anbud", corpus, tmp_path / "ix").indexed == 0


def test_a_same_size_rewrite_in_the_same_instant_is_noticed(corpus, tmp_path):
    target = next(corpus.glob("000_*.txt"))
    body = target.read_text(encoding="utf-8")
    target.write_text(body, encoding="utf-8")
    run("anbud", corpus, tmp_path / "ix")  # indexed right after the write: mtime cannot vouch
    st = target.stat()
    target.write_text(body.replace("Anbudsmetoden", "Inbudsmetoden"), encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert target.stat().st_size == st.st_size
    assert run("inbudsmetoden", corpus, tmp_path / "ix").hits


def test_many_updates_keep_few_segments(corpus, tmp_path):
    target = corpus / "log.txt"
    for n in range(ix.MAX_SEGMENTS * 2 + 1):
        target.write_text(f"Runde {n} av endringer i tiltaksnummer{n}.\n", encoding="utf-8")
        _age(target, 100 - n)
        assert run(f"tiltaksnummer{n}", corpus, tmp_path / "ix").hits
    assert len(list((tmp_path / "ix").glob("seg-*.bin"))) <= ix.MAX_SEGMENTS
    assert not run("tiltaksnummer0", corpus, tmp_path / "ix", exact=True).hits
    assert len(run("anbud", corpus, tmp_path / "ix", limit=0).hits) == len(
        search("anbud", [SEEDS], use_index=False, limit=0).hits)


def test_a_damaged_manifest_means_a_rebuild(corpus, tmp_path):
    first = run("anbud", corpus, tmp_path / "ix")
    (tmp_path / "ix" / "manifest.marshal").write_bytes(b"garbage")
    again = run("anbud", corpus, tmp_path / "ix")
    assert again.indexed == 5 and again.hits == first.hits


def test_a_missing_segment_means_a_rebuild(corpus, tmp_path):
    first = run("anbud", corpus, tmp_path / "ix")
    for seg in (tmp_path / "ix").glob("seg-*.bin"):
        seg.unlink()
    again = run("anbud", corpus, tmp_path / "ix")
    assert again.indexed == 5 and again.hits == first.hits


def test_parallel_build_finds_what_a_serial_build_finds(corpus, tmp_path, monkeypatch):
    for n in range(12):
        (corpus / f"extra-{n:02d}.txt").write_text(
            f"Innspill {n}. Vi vil ha tett oppfølging av brukere og færre anbud.\n", encoding="utf-8")
    serial = run("tett oppfølging av brukere", corpus, tmp_path / "serial", limit=0).hits
    monkeypatch.setattr(ix, "PARALLEL_MIN", 4)
    seen = []
    result = run("tett oppfølging av brukere", corpus, tmp_path / "parallel", limit=0,
                 progress=lambda done, total: seen.append((done, total)))
    assert len(list((tmp_path / "parallel").glob("seg-*.bin"))) == 2
    assert result.hits == serial
    assert seen and seen[-1][1] == 17


def test_progress_is_reported_while_indexing(corpus, tmp_path):
    seen = []
    run("anbud", corpus, tmp_path / "ix", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5)


def test_large_source_sets_go_to_the_cache_directory(corpus, monkeypatch, tmp_path):
    monkeypatch.setattr("stancecli.search.engine.BRUTE_FORCE_BYTES", 1000)
    monkeypatch.setenv("STANCECLI_CACHE_DIR", str(tmp_path / "cache"))
    assert search("anbud", [corpus]).mode == "index"
    assert list((tmp_path / "cache" / "search").glob("*/manifest.marshal"))


def test_small_source_sets_need_no_index(corpus, monkeypatch, tmp_path):
    monkeypatch.setenv("STANCECLI_CACHE_DIR", str(tmp_path / "cache"))
    assert search("anbud", [corpus]).mode == "memory"
    assert not (tmp_path / "cache").exists()


def test_the_query_path_imports_nothing_heavy(corpus, tmp_path):
    run("anbud", corpus, tmp_path / "ix")  # built here, queried in a fresh process below
    probe = (
        "import sys; from pathlib import Path; from stancecli.search.engine import search; "
        f"r = search('tiltakenes', [Path({str(corpus)!r})], index_dir=Path({str(tmp_path / 'ix')!r})); "
        "assert r.hits; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'numpy', 'snowballstemmer', 'rapidfuzz', 'typer', 'rich'}))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_file_written_as_it_was_indexed_is_checked_once_more_then_trusted(corpus, tmp_path):
    import time

    target = next(corpus.glob("000_*.txt"))
    target.write_text(target.read_text(encoding="utf-8"), encoding="utf-8")
    run("anbud", corpus, tmp_path / "ix")
    time.sleep(0.1)
    assert run("anbud", corpus, tmp_path / "ix").indexed == 0  # hashed: same content
    manifest = tmp_path / "ix" / "manifest.marshal"
    stamp = manifest.stat().st_mtime_ns
    assert run("anbud", corpus, tmp_path / "ix").indexed == 0
    assert manifest.stat().st_mtime_ns == stamp  # nothing left to check
