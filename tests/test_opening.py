"""Opening a dataset for reading: a missing or unreadable source is named, with its cause."""

from __future__ import annotations

import minidata

from stancecli.opening import open_dataset


def test_a_readable_dataset_opens_with_every_quote_located(tmp_path):
    opened = open_dataset(minidata.make(tmp_path))
    assert opened.warnings == []
    assert all(q.span is not None for p in opened.dataset.positions for q in p.quotes)


def test_a_missing_source_is_named_with_its_cause(tmp_path):
    data = minidata.make(tmp_path)
    (tmp_path / "seeds" / "tf.txt").unlink()
    [warning] = open_dataset(data).warnings
    assert "tf-2020" in warning and "tf.txt" in warning
    assert "quote(s)" in warning


def test_an_undecodable_source_is_named_with_its_cause(tmp_path):
    data = minidata.make(tmp_path, source=minidata.SOURCE.encode("latin-1"))
    [warning] = open_dataset(data).warnings
    assert "tf.txt" in warning


def test_read_commands_say_which_source_failed_and_still_answer(cli, tmp_path):
    data = minidata.make(tmp_path)
    (tmp_path / "seeds" / "tf.txt").unlink()
    result = cli("compare", "anbud", "--data", str(data))
    assert result.exit_code == 0
    assert "tf.txt" in result.stderr and "warning" in result.stderr
