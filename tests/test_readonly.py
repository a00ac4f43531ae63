"""No read command modifies any file: a copied dataset folder is byte-for-byte and mtime-for-mtime the same
after every read command has run on it (and no file appears or disappears)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from conftest import DATA, SEEDS
from stancecli.cli.app import app

WRITES = {"add-document"}  # the only command meant to change the dataset

# Arguments that make each read command do its real work on the bundled dataset.
READ_COMMANDS: dict[str, list[list[str]]] = {
    "compare": [["anbud", "egenregi", "--quotes"], ["anbud", "--by", "kind"]],
    "who-supports": [["egenregi"]],
    "who-opposes": [["anbud"]],
    "evidence": [["anbud"], ["anbud", "ntl", "-C", "2"]],
    "issues": [[]],
    "orgs": [[]],
    "docs": [[], ["--coverage"]],
    "show": [["ntl"]],
    "validate": [[]],
    "matrix": [[]],
    "agree": [["ntl", "fo"]],
    "map": [[]],
    "timeline": [["ntl"]],
    "diff": [["ntl-2012", "ntl-2015"]],
    "conflicts": [[]],
    "report": [[]],
    "suggest": [["anbud", "--doc", "ntl-2012"], ["egenregi", "--doc", "fo-2016", "-n", "2"]],
    "search": [["anbud"], ["anbudsutsetting", "--doc", "ntl-2012"]],
}
GUESSES = [[], ["anbud"], ["ntl"], ["anbud", "ntl"], ["ntl-2012"]]


def registered() -> list[str]:
    names = []
    for command in app.registered_commands:
        names.append(command.name or command.callback.__name__.replace("_", "-"))
    return names


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            stat = path.stat()
            out[str(path.relative_to(root))] = (stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return out


@pytest.fixture
def copied(tmp_path):
    root = tmp_path / "dataset"
    shutil.copytree(SEEDS, root / "seeds")
    (root / "data").mkdir()
    shutil.copy2(DATA, root / "data" / "stances.yaml")
    return root


def test_every_read_command_leaves_every_file_as_it_was(cli, copied, tmp_path, monkeypatch):
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # a command that writes to the working folder does not hide a write
    monkeypatch.setenv("STANCECLI_CACHE_DIR", str(tmp_path / "cache"))  # caches live there, never beside the data
    data = str(copied / "data" / "stances.yaml")
    before = snapshot(copied)
    ran = []
    for _pass in ("cold", "warm"):  # the second pass reads whatever the first one cached
        for name in registered():
            if name in WRITES:
                continue
            for args in READ_COMMANDS.get(name, GUESSES):
                result = cli(name, *args, "--data", data)
                ran.append((name, args, result.exit_code))
    assert snapshot(copied) == before
    worked = {name for name, _args, code in ran if code == 0}
    assert {"compare", "evidence", "validate", "suggest", "docs"} <= worked, ran


def test_read_commands_on_a_read_only_dataset_work(cli, copied):
    for path in [copied / "data" / "stances.yaml", copied / "data", *(copied / "seeds").iterdir()]:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        data = str(copied / "data" / "stances.yaml")
        assert cli("validate", "--data", data).exit_code == 0
        assert cli("suggest", "anbud", "--doc", "ntl-2012", "--data", data).exit_code == 0
        assert cli("evidence", "anbud", "--data", data).exit_code == 0
    finally:
        for path in [copied / "data", copied / "data" / "stances.yaml"]:
            path.chmod(path.stat().st_mode | 0o200)


def test_a_failed_read_command_changes_nothing_either(cli, copied):
    data = copied / "data" / "stances.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("stance: against", "stance: support", 1),
                    encoding="utf-8")
    before = snapshot(copied)
    for name, args in [("validate", []), ("compare", ["anbud"]), ("suggest", ["anbud", "--doc", "ntl-2012"])]:
        assert cli(name, *args, "--data", str(data)).exit_code == 2
    assert snapshot(copied) == before
