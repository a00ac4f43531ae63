"""Where a dataset's sources may lie: its own tree, never `/` or a home folder."""

from pathlib import Path

import minidata
from stancecli.datapath import source_root

SECRET = "password=hunter2 anbud\n"


def _dataset_naming(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "stances.yaml"
    path.write_text(minidata.YAML.replace("../seeds/tf.txt", source), encoding="utf-8")
    return path


def test_data_and_seeds_side_by_side_share_a_root(tmp_path):
    path = minidata.make(tmp_path)
    assert source_root(path.parent) == tmp_path.resolve()


def test_a_dataset_in_a_home_folder_cannot_reach_beside_it(tmp_path, monkeypatch, cli):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    (home / "private").mkdir(parents=True)
    (home / "private" / ".env.txt").write_text(SECRET, encoding="utf-8")
    path = _dataset_naming(home / "data", "../private/.env.txt")
    assert source_root(path.parent) == (home / "data").resolve()
    result = cli("search", "password", "--data", str(path))
    assert result.exit_code == 2
    assert "hunter2" not in result.stdout + result.stderr
    assert "leaves the dataset's folder" in result.stderr


def test_a_dataset_directly_in_a_home_folder_names_no_sources(tmp_path, monkeypatch, cli):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    (home / "private").mkdir(parents=True)
    (home / "private" / ".env.txt").write_text(SECRET, encoding="utf-8")
    path = _dataset_naming(home, "private/.env.txt")
    result = cli("search", "password", "--data", str(path))
    assert result.exit_code == 2
    assert "hunter2" not in result.stdout + result.stderr
    assert "may not name sources" in result.stderr


def test_an_explicit_root_is_honoured_but_never_a_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    project = home / "project"
    deep = project / "a" / "b"
    deep.mkdir(parents=True)
    assert source_root(deep) == (project / "a").resolve()
    monkeypatch.setenv("STANCECLI_SOURCE_ROOT", str(project))
    assert source_root(deep) == project.resolve()
    monkeypatch.setenv("STANCECLI_SOURCE_ROOT", str(home))
    assert home.resolve() not in source_root(deep).parents and source_root(deep) != home.resolve()


def test_the_root_folder_is_never_the_root(monkeypatch):
    monkeypatch.setenv("STANCECLI_SOURCE_ROOT", "/")
    assert source_root(Path("/tmp")) != Path("/")
    monkeypatch.delenv("STANCECLI_SOURCE_ROOT")
    assert source_root(Path("/tmp")) == Path("/tmp").resolve()
