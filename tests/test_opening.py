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


# ---------------------------------------------------------------- validate, kept while nothing changed

def test_a_clean_validation_is_given_again_until_a_source_changes(cli, tmp_path):
    data = minidata.make(tmp_path)
    first = cli("validate", "--data", str(data))
    again = cli("validate", "--data", str(data))
    assert first.exit_code == again.exit_code == 0
    assert again.stdout == first.stdout and "0 errors" in again.stdout
    source = tmp_path / "seeds" / "tf.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("imot", "for"), encoding="utf-8")
    broken = cli("validate", "--data", str(data))
    assert broken.exit_code == 2
    assert "quote not found" in broken.stderr


def test_a_kept_validation_has_the_same_findings_and_counts(tmp_path):
    from stancecli.opening import validate_dataset

    data = minidata.make(tmp_path)
    first = validate_dataset(data)
    again = validate_dataset(data)
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    assert (again.quotes, again.quotes_located, again.pairs_total, again.pairs_decided) == \
        (first.quotes, first.quotes_located, first.pairs_total, first.pairs_decided)
    assert len(again.dataset.positions) == len(first.dataset.positions)


def test_a_validation_with_errors_is_run_again_each_time(cli, tmp_path):
    data = minidata.make(tmp_path)
    source = tmp_path / "seeds" / "tf.txt"
    original = source.read_text(encoding="utf-8")
    source.write_text(original.replace("imot", "for"), encoding="utf-8")
    assert cli("validate", "--data", str(data)).exit_code == 2
    assert cli("compare", "anbud", "--data", str(data)).exit_code == 0  # snapshot with the quote unfound
    assert cli("validate", "--data", str(data)).exit_code == 2
    source.write_text(original, encoding="utf-8")
    assert cli("validate", "--data", str(data)).exit_code == 0


def test_a_kept_warning_names_the_file_as_seen_from_where_validate_runs(cli, tmp_path, monkeypatch):
    unused = "organisations:\n- id: uo\n  name: Ubrukt\n  short: UO\n  kind: ngo\n"
    data = minidata.make(tmp_path, minidata.YAML.replace("organisations:\n", unused, 1))
    monkeypatch.chdir(tmp_path)
    first = cli("validate", "--data", str(data))
    assert first.exit_code == 0 and "data/stances.yaml" in first.stderr and "organisations[uo]" in first.stderr
    monkeypatch.chdir(tmp_path / "data")
    again = cli("validate", "--data", str(data))
    assert again.exit_code == 0 and "organisations[uo]" in again.stderr
    assert "data/stances.yaml" not in again.stderr and "stances.yaml" in again.stderr


# ---------------------------------------------------------------- a source edited while it is read

def _edited_once_read(monkeypatch, source, new_text):
    """The next read of `source` sees its text as it is; the file is then rewritten at once, as an
    editor saving it while the command runs would."""
    import os

    from stancecli import corpus

    real = corpus.read_source

    def read_then_edit(path):
        found = real(path)
        if path.name == source.name:
            monkeypatch.setattr(corpus, "read_source", real)
            source.write_text(new_text, encoding="utf-8")
            st = source.stat()
            os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        return found

    monkeypatch.setattr(corpus, "read_source", read_then_edit)


def test_a_source_edited_while_a_dataset_is_opened_is_read_again_next_time(tmp_path, monkeypatch):
    data = minidata.make(tmp_path)
    source = tmp_path / "seeds" / "tf.txt"
    quote = "Vi er imot anbudsutsetting"
    _edited_once_read(monkeypatch, source, "Ny innledning\n\n" + minidata.SOURCE)

    def line_of_quote() -> int:
        [span] = [q.span for p in open_dataset(data).dataset.positions for q in p.quotes if q.text.startswith(quote)]
        return span.line_start

    assert line_of_quote() == minidata.line_of(minidata.SOURCE, quote)  # the text as it was read
    assert line_of_quote() == minidata.line_of(minidata.SOURCE, quote) + 2  # the text as it is now


def test_a_source_edited_while_it_is_validated_is_validated_again_next_time(cli, tmp_path, monkeypatch):
    data = minidata.make(tmp_path)
    source = tmp_path / "seeds" / "tf.txt"
    _edited_once_read(monkeypatch, source, minidata.SOURCE.replace("imot", "for"))
    assert cli("validate", "--data", str(data)).exit_code == 0  # the text as it was read
    again = cli("validate", "--data", str(data))
    assert again.exit_code == 2 and "quote not found" in again.stderr


def test_a_source_rewritten_within_its_stamps_tick_while_it_is_read_is_read_again(tmp_path, monkeypatch):
    """A coarse file clock may leave the stamp as it was: the checksum taken before the run read
    the file is what tells, not one taken after."""
    from stancecli import cache
    from stancecli.opening import validate_dataset

    data = minidata.make(tmp_path)
    source = tmp_path / "seeds" / "tf.txt"
    pinned, real_stamp = cache.stamp(source), cache.stamp
    monkeypatch.setattr(cache, "stamp", lambda p: pinned if str(p) == str(source) else real_stamp(p))
    moved = minidata.SOURCE.replace("Testforbundet\n\nVi er", "Testforbundet\nVi\n\ner")  # the same size
    _edited_once_read(monkeypatch, source, moved)
    assert validate_dataset(data).ok  # the text as it was read
    [fresh] = [q.text for p in open_dataset(data).dataset.positions for q in p.quotes if "imot" in q.text]

    def lines() -> list[int]:
        return [q.span.line_start for p in open_dataset(data).dataset.positions for q in p.quotes if q.text == fresh]

    from stancecli.corpus import read_source

    now = read_source(source).find(fresh)
    assert now is not None and lines() == [now.line_start] == [2]  # before the edit: line 3
    data.write_text(minidata.YAML.replace("Testforbundet er imot anbud.", "TF er imot anbud."), encoding="utf-8")
    report = validate_dataset(data)
    assert [q.span.line_start for p in report.dataset.positions for q in p.quotes if q.text == fresh] == lines()
