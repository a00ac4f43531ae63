"""The export library: files replaced all at once, and what the tables carry beyond the CLI tests."""

from __future__ import annotations

import pytest

from stancecli.export import ExportProblem
from stancecli.export.atomic import replace_atomically


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "stances.db"
    target.write_text("the old export")

    def half_written(tmp):
        tmp.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportProblem, match="No space left on device; nothing was changed"):
        replace_atomically(target, half_written)
    assert target.read_text() == "the old export"
    assert [p.name for p in tmp_path.iterdir()] == ["stances.db"]


def test_the_new_file_is_readable_as_any_new_file(tmp_path):
    import os

    target = replace_atomically(tmp_path / "x.db", lambda tmp: tmp.write_text("new"))
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_speaker_of_a_quote_is_exported(small, tmp_path):
    sqlite_utils = pytest.importorskip("sqlite_utils")
    from stancecli.export.sqlite import export_sqlite

    gamma = next(p for p in small.positions if p.reported_by)
    gamma.quotes[0].speaker = "Gamma"
    export_sqlite(small, tmp_path / "s.db", "2026-01-01 00:00 UTC")
    db = sqlite_utils.Database(tmp_path / "s.db")
    assert [r["speaker"] for r in db.query("select speaker from quotes where speaker is not null")] == ["Gamma"]
    assert dict(db.execute("select key, value from about").fetchall())["generated"] == "2026-01-01 00:00 UTC"


def test_a_source_date_epoch_past_any_date_is_a_clear_message(cli, small_data, tmp_path):
    result = cli("report", "-o", str(tmp_path / "r.html"), "--data", str(small_data),
                 env={"SOURCE_DATE_EPOCH": "253402300800"})  # 10000-01-01
    assert result.exit_code == 2
    assert result.stderr == "stancecli: SOURCE_DATE_EPOCH=253402300800 is past any date this system can write\n"
    assert not (tmp_path / "r.html").exists()
