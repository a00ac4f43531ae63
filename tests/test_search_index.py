"""The on-disk index: built once, kept fresh per file, rebuilt only for what changed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, needs_a_compiler
from stancecli.search import index as ix
from stancecli.search import listing
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
    assert not list((tmp_path / "parallel").glob("part-*"))  # the workers' own files are gone
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
        "{'numpy', 'snowballstemmer', 'rapidfuzz', 'typer', 'rich'} or m == 'stancecli.search.sentences'))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_search_command_imports_no_dataclasses_nor_typing_nor_rapidfuzz(corpus, tmp_path):
    """The console script, from indexing to grep and JSON lines: dataclasses would import inspect,
    ast, dis and tokenize, some 10 ms of every search, and typing some 4 ms. (The table format
    draws with Rich, which imports them itself.) Where the C extensions are built, a typo or a
    phrase of up to 64 letters imports no rapidfuzz either."""
    from stancecli.search import engine

    unwanted = {"dataclasses", "inspect", "typer", "rich", "typing"} | (
        {"rapidfuzz"} if engine._grams is not None and engine._score is not None else set())
    searches = [["anbud"], ["anbudsutseting", "--format", "json"], ["brukeroppfølging", "--format", "jsonl"],
                ["tett oppfølging av brukere", "-C", "1"]]
    probe = (
        "import sys\nfrom stancecli.entry import main\n"
        f"for argv in {searches!r}:\n"
        f"    sys.argv = ['stancecli', 'search', *argv, {str(corpus)!r}, '--index-dir', {str(tmp_path / 'ix')!r}]\n"
        "    try:\n        main()\n    except SystemExit as exit:\n        assert not exit.code, (argv, exit.code)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(unwanted)!r}), file=sys.stderr)\n"
    )
    process = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                             env={**os.environ, "STANCECLI_CACHE_DIR": str(tmp_path / "cache")})
    assert process.stdout.count("anbud") > 1 and '"text": "anbudsutsetting"' in process.stdout
    assert process.stderr.strip().splitlines()[-1] == "[]"


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


# ---------------------------------------------------------------- damage repairs itself

INDEX_FILES = ["manifest.marshal", "seg-0.bin", "vocab-0.txt", "vocab-0.off", "stems-0.txt", "stems-0.off",
               "typo-0.txt", "typo-0.off", "gram-0.bin"]


def _damage(path: Path, how: str) -> None:
    import random

    st = path.stat()
    body = path.read_bytes()
    if how == "emptied":
        path.write_bytes(b"")
    elif how == "truncated":
        path.write_bytes(body[: len(body) // 2])
    elif how == "overwritten":  # same size, a stretch in the middle replaced, mtime restored
        middle = len(body) // 2
        path.write_bytes(body[:middle] + bytes(b ^ 0x5A for b in body[middle:middle + 8]) + body[middle + 8:])
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    else:  # random bytes of the same size
        path.write_bytes(random.Random(7).randbytes(len(body)))


@pytest.mark.parametrize("name", INDEX_FILES)
@pytest.mark.parametrize("how", ["emptied", "truncated", "overwritten", "random"])
def test_a_damaged_index_file_means_one_message_and_a_rebuild(corpus, tmp_path, name, how):
    _damage_is_repaired(corpus, tmp_path / "ix", name, how)


@pytest.mark.parametrize("how", ["emptied", "truncated", "overwritten", "random"])
def test_a_large_manifest_vouched_for_by_its_stamp_still_shows_damage(corpus, tmp_path, monkeypatch, how):
    monkeypatch.setattr(ix, "STAMP_MIN", 0)  # every manifest counts as large: no CRC while its stamp holds
    _damage_is_repaired(corpus, tmp_path / "ix", "manifest.marshal", how, stamped=True)


def _damage_is_repaired(corpus: Path, folder: Path, name: str, how: str, stamped: bool = False) -> None:
    """After `name` is damaged `how`, the next search gives the same hits with one note, and the
    one after that finds a sound index."""
    reference = search("tett oppfølging", [corpus], use_index=False, limit=0).hits
    assert run("tett oppfølging", corpus, folder, limit=0).hits == reference
    if stamped:
        assert (folder / "manifest.stamp").exists()
        assert run("tett oppfølging", corpus, folder, limit=0).notes == []
    _damage(folder / name, how)
    again = run("tett oppfølging", corpus, folder, limit=0)
    assert again.hits == reference
    assert len(again.notes) == 1 and "damaged" in again.notes[0]
    third = run("tett oppfølging", corpus, folder, limit=0)
    assert third.hits == reference and third.notes == [] and third.indexed == 0


@pytest.mark.parametrize("how", ["emptied", "truncated", "overwritten", "random"])
def test_a_damaged_manifest_stamp_costs_nothing_but_a_check(corpus, tmp_path, monkeypatch, how):
    monkeypatch.setattr(ix, "STAMP_MIN", 0)
    reference = search("anbud", [corpus], use_index=False, limit=0).hits
    run("anbud", corpus, tmp_path / "ix")
    _damage(tmp_path / "ix" / "manifest.stamp", how)
    again = run("anbud", corpus, tmp_path / "ix", limit=0)
    assert again.hits == reference and again.notes == [] and again.indexed == 0


@pytest.mark.parametrize("query", ["anbud", "tett oppfølging av brukere"])  # a word, a phrase (ranked in C)
def test_damage_found_only_while_querying_is_repaired_too(corpus, tmp_path, query):
    reference = search(query, [corpus], use_index=False, limit=0).hits
    run("anbud", corpus, tmp_path / "ix")
    seg = tmp_path / "ix" / "seg-0.bin"
    st = seg.stat()
    body = bytearray(seg.read_bytes())
    body[-40:] = b"\xff" * 40  # posting ids far out of range
    seg.write_bytes(bytes(body))
    os.utime(seg, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = run(query, corpus, tmp_path / "ix", limit=0)
    assert again.hits == reference and len(again.notes) == 1


def test_index_files_are_private(corpus, tmp_path):
    import stat

    run("anbud", corpus, tmp_path / "ix")
    assert stat.S_IMODE((tmp_path / "ix").stat().st_mode) == 0o700
    for p in (tmp_path / "ix").iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name


def test_an_index_folder_others_can_write_is_not_used(corpus, tmp_path):
    folder = tmp_path / "ix"
    folder.mkdir()
    folder.chmod(0o777)
    result = run("anbud", corpus, folder)
    assert result.mode == "memory" and result.hits
    assert "other users" in result.notes[0]
    assert list(folder.iterdir()) == []


def test_a_source_rewritten_with_its_mtime_restored_is_indexed_again(corpus, tmp_path):
    for p in corpus.iterdir():
        _age(p)
    target = next(corpus.glob("000_*.txt"))
    run("anbud", corpus, tmp_path / "ix")
    st = target.stat()
    body = target.read_text(encoding="utf-8")
    target.write_text(body.replace("Anbudsmetoden", "Inbudsmetoden"), encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    result = run("inbudsmetoden", corpus, tmp_path / "ix")
    assert result.indexed == 1 and result.hits


# ---------------------------------------------------------------- links and churn

def test_symlink_loops_and_dangling_links_are_skipped_with_a_warning(corpus, tmp_path):
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    (corpus / "sub").mkdir()
    (corpus / "sub" / "up").symlink_to(corpus / "sub", target_is_directory=True)
    (corpus / "a.txt").symlink_to(corpus / "b.txt")
    (corpus / "b.txt").symlink_to(corpus / "a.txt")
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (corpus / "link.txt").symlink_to(next(corpus.glob("001_*.txt")))
    result = run("anbudsutsetting", corpus, tmp_path / "ix", limit=0)
    assert result.hits and result.documents == 6  # five seeds and the good link
    notes = "\n".join(result.notes)
    assert "loop: file system loop" in notes and "up: file system loop" in notes
    assert "a.txt: symbolic link loop" in notes and "b.txt: symbolic link loop" in notes
    assert "gone.txt: link to a missing file" in notes
    assert {h.path.name for h in result.hits} >= {"link.txt"}


def test_a_file_that_vanishes_between_listing_and_stat_is_skipped(corpus, monkeypatch):
    real = os.scandir
    victim = next(corpus.glob("003_*.txt"))

    class Vanishing:
        def __init__(self, target):
            self.it = real(target)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.it.close()

        def __iter__(self):
            for entry in self.it:
                if entry.name == victim.name:
                    victim.unlink()  # listed, then gone before its stat
                yield entry

    monkeypatch.setattr(listing.os, "scandir", Vanishing)
    monkeypatch.setattr(listing, "_scan", None)  # the Python walk, whose listing this fakes (the C walk: test_search_listing)
    warnings = []
    files = listing.collect([corpus], warnings)
    assert len(files) == 4 and victim.name not in {Path(f.key).name for f in files}
    assert warnings == [f"{corpus}{os.sep}{victim.name}: vanished while the folder was read; skipped"]


def test_search_under_churn_never_fails_nor_says_no_matches(corpus, tmp_path):
    import threading

    for n in range(40):
        (corpus / f"churn-{n:02d}.txt").write_text(f"Innspill {n} om anbudsutsetting av tiltak.\n" * 3,
                                                   encoding="utf-8")
    stop = threading.Event()

    def churn():
        n = 0
        while not stop.is_set() and n < 4000:  # bounded, whatever happens to the searches
            target = corpus / f"churn-{n % 40:02d}.txt"
            if n % 2:
                target.write_text(f"Nytt innspill {n} om anbudsutsetting.\n", encoding="utf-8")
            else:
                target.unlink(missing_ok=True)
            n += 1

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        for _ in range(15):
            result = run("anbudsutsetting", corpus, tmp_path / "ix", limit=5)
            assert len(result.hits) == 5  # the seeds alone hold more than five
    finally:
        stop.set()
        worker.join()


def test_ties_are_ordered_the_same_in_a_fresh_and_an_updated_index(corpus, tmp_path):
    for p in corpus.iterdir():
        _age(p)
    run("tiltak", corpus, tmp_path / "updated")
    target = next(corpus.glob("000_*.txt"))
    with open(target, "a", encoding="utf-8") as f:
        f.write("\nEt nytt tiltak.\n")
    for query in ("tiltak", "tett oppfølging"):
        updated = run(query, corpus, tmp_path / "updated", limit=7).hits
        fresh = run(query, corpus, tmp_path / f"fresh-{query}", limit=7).hits
        assert [(h.path, h.line, h.col) for h in updated] == [(h.path, h.line, h.col) for h in fresh]


@pytest.mark.parametrize("query", ["anbudsutseting", "overslagsbevilling", "arbeidsmarkedsbedrifer", "oppfolgning"])
def test_typos_find_in_the_index_what_they_find_in_memory(corpus, tmp_path, query):
    indexed = run(query, corpus, tmp_path / "ix", limit=0)
    assert indexed.mode == "index" and indexed.hits
    assert indexed.hits == search(query, [corpus], use_index=False, limit=0).hits


@pytest.mark.parametrize("rewrite", [False, True])
def test_typos_find_words_added_after_the_first_build(corpus, tmp_path, monkeypatch, rewrite):
    if rewrite:  # the typo table is written again at once, instead of scanning the new words
        monkeypatch.setattr(ix, "TYPO_TAIL_MIN", 0)
        monkeypatch.setattr(ix, "TYPO_TAIL_SHARE", 0.0)
    for p in corpus.iterdir():
        _age(p)
    run("anbud", corpus, tmp_path / "ix")
    with open(next(corpus.glob("002_*.txt")), "a", encoding="utf-8") as f:
        f.write("\nEt kvantesprang for brukerne, og flere kvantesprangene.\n")
    result = run("kvantsprang", corpus, tmp_path / "ix", limit=0)
    assert result.indexed == 1 and result.hits
    assert result.hits == search("kvantsprang", [corpus], use_index=False, limit=0).hits


def test_the_cache_folders_above_an_index_are_private_too(corpus, monkeypatch, tmp_path):
    import stat

    monkeypatch.setattr("stancecli.search.engine.BRUTE_FORCE_BYTES", 1000)
    monkeypatch.setenv("STANCECLI_CACHE_DIR", str(tmp_path / "deep" / "cache"))
    assert search("anbud", [corpus]).mode == "index"
    for folder in (tmp_path / "deep", tmp_path / "deep" / "cache", tmp_path / "deep" / "cache" / "search"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for p in corpus.iterdir():
        _age(p)
    assert search("anbud", [corpus]).indexed == 0  # fresh: nothing to write, yet checked below
    (tmp_path / "deep" / "cache" / "search").chmod(0o777)
    refused = search("anbud", [corpus])
    assert refused.mode == "memory" and "other users" in refused.notes[0]


def test_the_typo_table_answers_lookups_as_a_scan_would(corpus, tmp_path):
    for p in corpus.iterdir():
        _age(p)
    run("anbud", corpus, tmp_path / "ix")
    with open(next(corpus.glob("001_*.txt")), "a", encoding="utf-8") as f:
        f.write("\nNye ord: kvantesprang, kvantespranget og tiltaksnyhet.\n")  # not in the table yet
    run("anbud", corpus, tmp_path / "ix")
    store = ix.IndexStore(tmp_path / "ix")
    vocab = store.snapshot(store._manifest()).vocab
    terms, stems = vocab.all_terms(), vocab.all_stems()
    assert vocab._by_length is not None and vocab._by_length.covered < len(terms)
    for tid, term in enumerate(terms):
        assert vocab.lookup(term) == tid
    for stem in set(stems[::7]) | {stems[-1], "kvantesprang"}:
        assert sorted(vocab.with_stem(stem)) == [t for t, s in enumerate(stems) if s == stem]
        assert vocab.has_stem(stem)
    assert vocab.lookup("finnesikke") is None and not vocab.has_stem("finnesikke")


def test_an_index_of_an_earlier_format_is_rebuilt_with_one_note(corpus, tmp_path, monkeypatch):
    reference = run("tett oppfølging", corpus, tmp_path / "new", limit=0).hits
    with monkeypatch.context() as m:
        m.setattr(ix, "FORMAT", ix.FORMAT - 1)
        run("tett oppfølging", corpus, tmp_path / "old")
    again = run("tett oppfølging", corpus, tmp_path / "old", limit=0)
    assert again.hits == reference and again.indexed == 5
    assert len(again.notes) == 1 and "another version" in again.notes[0]


# ---------------------------------------------------------------- the trigram table

def _vocab_with_a_tail(corpus: Path, tmp_path: Path) -> ix.Vocab:
    """An index's vocabulary with words added after its typo and trigram tables were written."""
    corpus = shutil.copytree(corpus, tmp_path / "copy")
    for p in corpus.iterdir():
        _age(p)
    run("anbud", corpus, tmp_path / "ix")
    with open(next(corpus.glob("001_*.txt")), "a", encoding="utf-8") as f:
        f.write("\nNye ord: kvantesprang, kvantespranget, tiltaksnyhet og anbudsøkningene.\n")
    run("anbud", corpus, tmp_path / "ix")
    store = ix.IndexStore(tmp_path / "ix")
    return store.snapshot(store._manifest()).vocab


def test_the_trigram_table_finds_the_terms_a_scan_finds(corpus, tmp_path):
    vocab = _vocab_with_a_tail(corpus, tmp_path)
    terms = vocab.all_terms()
    assert vocab.walks_by_length and vocab._grams is not None and vocab._grams.table.covered < len(terms)
    parts = {"ing", "økn", "anbud", "tiltak", "kvantesprang", "finnesikke"}
    parts |= {t[i:i + n] for t in terms[::29] for n in (3, 5, 8) for i in (0, len(t) // 2) if len(t) >= i + n}
    for part in sorted(parts):
        expect = [(tid, t) for tid, t in enumerate(terms) if part in t]
        assert vocab.containing(part) == expect, part
        for at_most in {0, 1, len(expect) - 1, len(expect)} - {-1}:
            assert vocab.containing(part, at_most) == (expect if len(expect) <= at_most else None), (part, at_most)
        by_length: dict[int, list] = {}
        for tid, t in expect:
            by_length.setdefault(len(t), []).append((tid, t))
        walked = [(n, sorted(group)) for n, group in vocab.containing_by_length(part)]
        assert walked == sorted(by_length.items()), part


needs_c_grams = pytest.mark.skipif(ix._grams is None, reason="the C trigram table is not built here")


@needs_a_compiler
def test_the_trigram_table_is_built_in_c_where_there_is_a_compiler():
    assert ix._grams is not None, "pip install -e . did not build src/stancecli/search/_grams.c (see its warning)"


@needs_c_grams
def test_the_trigram_table_is_built_and_intersected_alike_in_c_and_python(corpus, tmp_path):
    import random
    from array import array

    vocab = _vocab_with_a_tail(corpus, tmp_path)
    grams = vocab._grams
    assert grams is not None
    for needle in ("ing", "økn", "anbud", "tiltaks", "e", "finnesikke"):
        ranks = array("I", range(len(grams.line_at) - 1))
        for lo, hi in ((0, len(ranks)), (10, 900), (5, 5)):
            got = grams.terms_holding(ranks, lo, hi, needle.encode())
            assert got == grams._terms_holding_py(ranks, lo, hi, needle.encode()), needle
    words = vocab.all_terms() + ["x" * 600, "æøå" * 200, "a", "ab", "aaaa", ""]
    blob = "".join(w + "\n" for w in words).encode()
    for bits in (ix.GRAM_MIN_BITS, 14):
        assert ix.gram_build(blob, len(words), bits) == ix._gram_build_py(blob, len(words), bits)
    with pytest.raises(ValueError):
        ix.gram_build(blob, len(words) + 1, ix.GRAM_MIN_BITS)
    rng = random.Random(3)
    for _ in range(100):
        lists = [array("I", sorted(rng.sample(range(3000), rng.randint(0, 900)))) for _ in range(rng.randint(1, 5))]
        views = [memoryview(a) for a in lists]
        lo = rng.randrange(3000)
        hi, t = rng.randrange(lo, 3001), rng.randint(1, len(lists))
        for a, b in ((0, 3000), (lo, hi)):
            assert ix.gram_intersect(lists, a, b) == ix._gram_intersect_py(lists, a, b) == ix.gram_intersect(views, a, b)
        assert ix.gram_at_least(views, lo, hi, t) == ix._gram_at_least_py(lists, lo, hi, t)


@needs_c_grams
def test_the_typo_table_is_built_alike_in_c_and_python(corpus, tmp_path):
    terms = _vocab_with_a_tail(corpus, tmp_path).all_terms()
    terms += [w for w in ("x" * 600, "æøå" * 200, "a", "", "é", "𝔘nicode𝔘") if w not in terms]  # terms are unique
    # Stems that are other terms, the term itself, empty, or shared by several terms.
    stems = [t[:-2] if len(t) > 5 else t for t in terms[:-3]] + ["", "a", "a"]
    (blob, off), (stem_blob, stem_off) = ix._blob(terms), ix._blob(stems)
    with open(tmp_path / "w", "wb") as words, open(tmp_path / "t", "wb") as table:
        ix.write_typo_table(blob, off, stem_blob, stem_off, len(terms), words, table)
    written = ((tmp_path / "w").read_bytes(), (tmp_path / "t").read_bytes())
    assert written == ix._typo_table_py(terms, stems)


@needs_c_grams
def test_an_index_built_without_the_c_trigram_table_plans_the_same(corpus, tmp_path, monkeypatch):
    from stancecli.search import engine, text

    def expansions(vocab: ix.Vocab) -> list:
        return [[(vocab.term(tid), quality) for tid, quality in t.expansions] for q in ("anbud", "tiltak", "anbudsutseting", "tett oppfølging")
                for t in engine.plan(text.query_terms(q), vocab)]

    with_c = _vocab_with_a_tail(corpus, tmp_path / "c")
    planned_in_c = expansions(with_c)
    monkeypatch.setattr(ix, "_grams", None)  # built, and searched, in Python
    in_python = _vocab_with_a_tail(corpus, tmp_path / "py")
    assert with_c._grams is not None and in_python._grams is not None
    assert planned_in_c == expansions(in_python) == expansions(with_c)


def test_words_near_a_typo_are_the_same_with_or_without_the_trigram_table(corpus, tmp_path):
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    vocab = _vocab_with_a_tail(corpus, tmp_path)
    plain = ix.Vocab(vocab._blob, vocab._off, vocab._stem_blob, vocab._stem_off, vocab._by_length)
    assert plain._grams is None

    def within(v: ix.Vocab, word: str, reach: int) -> set:
        near = v.near(word, reach)
        assert near is not None
        words, ids = near
        return {(words[k], frozenset(ids(k)))
                for _, _, k in process.extract(word, words, scorer=Levenshtein.distance, score_cutoff=reach, limit=None)}

    typed = {"anbudsutseting", "overslagsbevilling", "arbeidsmarkedsbedrifer", "kvantsprang", "oppfølgnig",
             "bevilgning", "brukrne", "særlig", "særlg", "tiltaksnyhett"}
    typed |= {t[:k] + t[k + 1:] for t in vocab.all_terms()[::41] for k in (1, len(t) // 2) if len(t) > 5}
    used = 0
    for word in sorted(typed):
        for reach in (1, 2):
            used += vocab._sharing(word, reach) is not None
            assert within(vocab, word, reach) == within(plain, word, reach), (word, reach)
    assert used > 10


def test_a_posting_list_said_to_run_past_its_segment_is_damage_even_when_empty(corpus):
    seg = ix.memory_snapshot(listing.collect([corpus])).segments[0]
    assert seg.posting_count(0) == len(seg.postings(0)) > 0
    seg.dir[1], seg.dir[0] = 0, len(seg.post) + 1  # term 0: no postings, at an offset past the end
    for count_or_list in (seg.postings, seg.posting_count):
        with pytest.raises(ix.IndexFormatError):
            count_or_list(0)
