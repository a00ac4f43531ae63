"""Where the cache lives: never in the root folder, never under a relative path."""

import os
from pathlib import Path

from stancecli import cachedir


def test_an_empty_home_does_not_put_the_cache_in_the_root(monkeypatch):
    monkeypatch.delenv("STANCECLI_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "")
    found = cachedir.cache_dir()
    assert found.is_absolute() and found != Path("/.cache/stancecli")


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.delenv("STANCECLI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cachedir.cache_dir() == tmp_path / ".cache" / "stancecli"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cachedir.cache_dir() == tmp_path / "xdg" / "stancecli"


def test_a_search_keeps_its_index_where_the_line_says_else_one_per_set_of_folders_in_the_cache(tmp_path):
    assert cachedir.index_path(["a"], tmp_path / "mine") == str(tmp_path / "mine")
    one = cachedir.index_path(["a", "b"])
    assert one == cachedir.index_path(["b", "a"]) == cachedir.index_path([os.path.abspath("a"), "b"])
    assert one != cachedir.index_path(["a"])
    assert os.path.dirname(one) == str(cachedir.cache_dir() / "search")


def test_the_index_of_a_dataset_search_is_the_same_from_any_working_folder(tmp_path, monkeypatch):
    key = [f"{cachedir.DATASET_KEY}{tmp_path / 'data' / 'stances.yaml'}"]
    monkeypatch.chdir(tmp_path)
    here = cachedir.index_path(key)
    monkeypatch.chdir("/")
    assert cachedir.index_path(key) == here
