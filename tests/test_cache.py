"""The dataset snapshot: used while fresh, rebuilt when the data or a source changes."""

import os
import shutil
import stat
from pathlib import Path

import pytest

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


# ---------------------------------------------------------------- the trust boundary

def _fields(ds):
    import dataclasses

    return {f.name: getattr(ds, f.name) for f in dataclasses.fields(ds)}


def test_the_snapshot_holds_the_same_dataset(tmp_path):
    path = copy_dataset(tmp_path)
    first = load(path)
    assert _fields(cache.load(path)) == _fields(first)


def test_one_issue_from_the_snapshot_is_the_same_as_from_the_whole(tmp_path):
    path = copy_dataset(tmp_path)
    first = load(path)
    snap = cache.load(path)
    assert snap.positions_on("anbud") == first.positions_on("anbud")
    assert snap.positions_on("no-such-issue") == []
    on_anbud = snap.positions_on("anbud")
    # the same objects afterwards as part of the whole list, in the dataset's order
    assert [p for p in snap.positions if p.issue == "anbud"] == on_anbud
    assert all(any(p is q for q in snap.positions) for p in on_anbud)
    assert snap.positions == first.positions


def test_the_snapshot_is_data_not_a_pickle(tmp_path):

    path = copy_dataset(tmp_path)
    load(path)
    raw = cache._snapshot_path(path).read_bytes()
    assert raw.startswith(cache.MAGIC)
    stored, sections = _parts(raw)  # plain data after the header and checksum

    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return all(plain(v) for v in value)
        return value is None or type(value) in (str, int, float, bool)

    assert plain(stored) and sections and all(plain(section) for section in sections)


def _parts(raw):
    """The snapshot's record and its sections, read as its header says."""
    import marshal

    crc, length = (int(x, 16) for x in raw[len(cache.MAGIC):cache.HEAD - 1].split(b" "))
    stored = marshal.loads(raw[cache.HEAD:cache.HEAD + length])
    base = cache.HEAD + length
    sections = [marshal.loads(raw[base + start:base + end]) for start, end, _ in stored["dataset"][2].values()]
    return stored, sections


def test_a_damaged_section_is_refused_and_the_snapshot_removed(tmp_path, cli):
    path = copy_dataset(tmp_path)
    load(path)
    snap = cache._snapshot_path(path)
    raw = snap.read_bytes()
    snap.write_bytes(raw.replace(b"Ingen anbudsutsetting", b"Ingen anbudsutsettinG"))
    assert cache.load(path) is not None  # the record itself is intact ...
    result = cli("compare", "anbud", "--data", str(path))
    assert result.exit_code == 2  # ... but the positions on the issue fail their checksum
    assert "snapshot" in result.stderr and "Traceback" not in result.stderr
    assert not snap.exists()
    again = cli("compare", "anbud", "--data", str(path))
    assert again.exit_code == 0 and "anbudsutsetting" in again.stdout.lower()


def test_quotes_not_found_are_still_reported_from_the_snapshot(tmp_path, cli):
    path = copy_dataset(tmp_path)
    source = tmp_path / "seeds" / "000_1f65e360c591fba1.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Parat", "Parit"), encoding="utf-8")
    first = cli("compare", "anbud", "--data", str(path))
    again = cli("compare", "anbud", "--data", str(path))
    assert cache.load(path) is not None
    assert "not found" in first.stderr and again.stderr == first.stderr


def test_a_planted_pickle_runs_nothing(tmp_path):
    import pickle

    path = copy_dataset(tmp_path)
    load(path)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    planted = pickle.dumps(Exploit())
    cache._snapshot_path(path).write_bytes(planted)
    cache._snapshot_path(path).with_suffix(".pickle").write_bytes(planted)
    assert cache.load(path) is None
    assert load(path).documents
    assert not marker.exists()


def test_a_tampered_snapshot_fails_its_checksum(tmp_path):
    path = copy_dataset(tmp_path)
    load(path)
    snap = cache._snapshot_path(path)
    snap.write_bytes(snap.read_bytes().replace(b"Parat NAV", b"Parat XXX"))
    assert cache.load(path) is None


def test_a_snapshot_that_does_not_match_the_model_is_refused(tmp_path):
    import marshal
    import zlib

    path = copy_dataset(tmp_path)
    load(path)
    snap = cache._snapshot_path(path)
    stored, _ = _parts(snap.read_bytes())
    core, count, sections, missing, stances = stored["dataset"]
    stored["dataset"] = (core[:-1], count, sections, missing, stances)  # one field short
    payload = marshal.dumps(stored)
    snap.write_bytes(cache.MAGIC + b"%08x %016x\n" % (zlib.crc32(payload), len(payload)) + payload)
    assert cache.load(path) is None
    assert load(path).documents


def test_cache_files_are_private(tmp_path):
    path = copy_dataset(tmp_path)
    load(path)
    snap = cache._snapshot_path(path)
    assert stat.S_IMODE(snap.stat().st_mode) == 0o600
    assert stat.S_IMODE(snap.parent.stat().st_mode) == 0o700


def test_a_cache_folder_others_can_write_is_refused(tmp_path, monkeypatch, capsys):
    path = copy_dataset(tmp_path)
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("STANCECLI_CACHE_DIR", str(shared))
    monkeypatch.setattr(cache, "_WARNED", set())
    assert load(path).documents
    assert capsys.readouterr().err.count("can be written by other users") == 1
    assert list(shared.iterdir()) == []
    assert cache.load(path) is None


# ---------------------------------------------------------------- nothing stale

def _rewrite_keeping_times(path: Path, old: str, new: str) -> None:
    st = path.stat()
    body = path.read_text(encoding="utf-8")
    assert old in body and len(old.encode()) == len(new.encode())
    path.write_text(body.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as cp -p, rsync -t, tar and unzip do


def test_a_source_rewritten_with_its_mtime_restored_is_not_stale_evidence(tmp_path, cli):
    path = copy_dataset(tmp_path)
    source = tmp_path / "seeds" / "001_37ab94ba59815dd1.txt"
    before = cli("evidence", "anbud", "ntl", "-C1", "--data", str(path))
    assert "001_37ab94ba59815dd1.txt:12:- Ingen anbudsutsetting av" in before.stdout
    _rewrite_keeping_times(source, "Ingen anbudsutsetting", "Ingen anbudsutsettinG")
    after = cli("evidence", "anbud", "ntl", "-C1", "--data", str(path))
    # The quote is now shown as not found (':?'), never beside the changed line as its evidence.
    assert "001_37ab94ba59815dd1.txt:?:Ingen anbudsutsetting av" in after.stdout
    assert ":12:" not in after.stdout and "not found" in after.stderr


def test_a_dataset_rewritten_with_its_mtime_restored_is_read_again(tmp_path):
    path = copy_dataset(tmp_path)
    load(path)
    _rewrite_keeping_times(path, "short: Parat NAV", "short: Parat XYZ")
    assert cache.load(path) is None
    assert load(path).organisations["parat"].short == "Parat XYZ"


def test_a_change_in_the_same_instant_as_the_snapshot_is_caught_by_content(tmp_path, monkeypatch):
    path = copy_dataset(tmp_path)
    source = tmp_path / "seeds" / "000_1f65e360c591fba1.txt"
    stamps = {str(source): cache.stamp(source)}
    # The snapshot is written in the same clock tick as the source was last changed ...
    monkeypatch.setattr(cache, "_now_ns", lambda: stamps[str(source)][2])
    load(path)
    _rewrite_keeping_times(source, "Parat", "Parit")
    real = cache.stamp
    # ... and the file changes again within that tick: its stamp stays the same.
    monkeypatch.setattr(cache, "stamp", lambda p: stamps.get(str(p)) or real(p))
    assert cache.load(path) is None


def test_an_old_unchanged_source_is_not_read_to_check_the_snapshot(tmp_path, monkeypatch):
    path = copy_dataset(tmp_path)
    load(path)
    monkeypatch.setattr(cache, "_content", lambda p: pytest.fail(f"read {p}"))
    monkeypatch.setattr(cache, "RACY_NS", -10**12)  # everything counts as written long before
    assert cache.load(path) is not None


def test_a_damaged_stance_section_is_refused_and_the_snapshot_removed(tmp_path, cli):
    path = copy_dataset(tmp_path)
    load(path)
    snap = cache._snapshot_path(path)
    raw = bytearray(snap.read_bytes())
    raw[-3] ^= 0xFF  # the stance columns are the last section
    snap.write_bytes(bytes(raw))
    assert cache.load(path) is not None  # the record itself is intact ...
    result = cli("matrix", "--data", str(path))
    assert result.exit_code == 2  # ... but the stance columns fail their checksum
    assert "snapshot" in result.stderr and "Traceback" not in result.stderr
    assert not snap.exists()
    again = cli("matrix", "--data", str(path))
    assert again.exit_code == 0 and again.stdout.count("\n") > 10


# ---------------------------------------------------------------- spans kept for the next validation

def test_the_spans_a_stale_snapshot_keeps_are_where_a_fresh_look_finds_them(tmp_path):
    from stancecli.corpus import read_source

    path = copy_dataset(tmp_path)
    load(path)
    path.write_text(path.read_text(encoding="utf-8").replace("short: Parat NAV", "short: Parat X"),
                    encoding="utf-8")
    assert cache.load(path) is None  # stale for reading ...
    known = cache.located_before(path)  # ... but its sources are unchanged
    assert sum(map(len, known.values())) > 100
    for name, spans in known.items():
        source = read_source(Path(name))
        assert all(source.find(quote) == span for quote, span in spans.items())
    changed = tmp_path / "seeds" / "000_1f65e360c591fba1.txt"
    changed.write_text("\n\n" + changed.read_text(encoding="utf-8"), encoding="utf-8")
    assert str(changed.resolve()) in known
    assert cache.located_before(path).keys() == known.keys() - {str(changed.resolve())}


def test_no_spans_are_kept_without_the_cache(tmp_path, monkeypatch):
    path = copy_dataset(tmp_path)
    load(path)
    assert cache.located_before(path)
    monkeypatch.setenv("STANCECLI_NO_CACHE", "1")
    assert cache.located_before(path) == {}
