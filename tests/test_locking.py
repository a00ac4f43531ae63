"""The dataset lock and the checked, atomic write that every writer of stances.yaml uses."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from stancecli.editing import dataset_lock, lock_path, write_dataset
from stancecli.errors import CurationProblem


def _hold_lock(path: str, ready, release) -> None:
    with dataset_lock(Path(path)):
        ready.set()
        release.wait(10)


@pytest.fixture
def holder(tmp_path):
    """Another process holding the lock on tmp_path/stances.yaml until release.set()."""
    ctx = multiprocessing.get_context("fork")
    path = tmp_path / "stances.yaml"
    path.write_text("old\n", encoding="utf-8")
    ready, release = ctx.Event(), ctx.Event()
    process = ctx.Process(target=_hold_lock, args=(str(path), ready, release))
    process.start()
    assert ready.wait(10)
    yield path, release
    release.set()
    process.join(10)


def test_a_second_writer_waits_says_so_once_and_goes_on_when_the_first_is_done(holder):
    path, release = holder
    said: list[str] = []

    def on_wait(message: str) -> None:
        said.append(message)
        release.set()  # the other writer finishes while we wait

    with dataset_lock(path, on_wait=on_wait):
        write_dataset(path, "old\n", "new\n")
    assert len(said) == 1 and "waiting for another writer" in said[0]
    assert path.read_text(encoding="utf-8") == "new\n"


def test_an_uncontended_lock_does_not_say_it_waits(tmp_path):
    path = tmp_path / "stances.yaml"
    path.write_text("old\n", encoding="utf-8")
    said: list[str] = []
    with dataset_lock(path, on_wait=said.append):
        write_dataset(path, "old\n", "new\n")  # inside the caller's lock: no deadlock
    assert said == []
    assert path.read_text(encoding="utf-8") == "new\n"


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    path = tmp_path / "stances.yaml"
    path.write_text("someone else's\n", encoding="utf-8")
    with pytest.raises(CurationProblem, match="changed by another writer"):
        write_dataset(path, "old\n", "new\n")
    assert path.read_text(encoding="utf-8") == "someone else's\n"


def test_a_symlinked_dataset_is_written_through_to_its_target(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    target = real / "stances.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "stances.yaml"
    link.symlink_to(target)
    write_dataset(link, "old\n", "new\n")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert lock_path(link) == lock_path(target)  # writers through either name exclude each other


def test_no_temporary_file_is_left_when_the_disk_is_full(tmp_path, monkeypatch):
    path = tmp_path / "stances.yaml"
    path.write_text("old\n", encoding="utf-8")

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(CurationProblem, match=r"stances.yaml: no space left on the device while writing it; "
                                              r"nothing was changed \(the file is as it was\)"):
        write_dataset(path, "old\n", "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["stances.yaml"]  # no temporary file, no lock file


def test_the_lock_is_released_when_its_holder_dies(tmp_path):
    ctx = multiprocessing.get_context("fork")
    path = tmp_path / "stances.yaml"
    path.write_text("old\n", encoding="utf-8")
    ready, release = ctx.Event(), ctx.Event()
    process = ctx.Process(target=_hold_lock, args=(str(path), ready, release))
    process.start()
    assert ready.wait(10)
    process.kill()  # kill -9
    process.join(10)
    said: list[str] = []
    with dataset_lock(path, on_wait=said.append):
        pass
    assert said == []  # free at once: no stale lock after kill -9
