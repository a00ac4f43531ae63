"""One output path: present(result, format, env) with an Environment a test builds itself."""

from __future__ import annotations

import io

from stancecli.output.env import Environment
from stancecli.output.present import present
from stancecli.records import Column, Listing

LISTING = Listing([Column("key", "Key"), Column("summary", "Summary")],
                  [{"key": "anbud", "summary": "Et ord " * 30}], title="Tittel")


def test_table_in_a_pipe_is_80_wide_without_trailing_spaces(cli, small_data):
    out = cli("compare", "i1", "--data", str(small_data), "--format", "table").stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert all(line == line.rstrip() for line in lines)


def test_table_in_a_pipe_follows_columns(cli, small_data):
    out = cli("compare", "i1", "--data", str(small_data), "--format", "table", env={"COLUMNS": "50"}).stdout
    assert max(len(line) for line in out.splitlines()) <= 50


def test_present_writes_to_the_environments_stdout():
    buf = io.StringIO()
    present(LISTING, "tsv", Environment(stdout=buf))
    assert buf.getvalue().startswith("anbud\tEt ord")


def test_colour_only_when_the_environment_says_so():
    plain, coloured = io.StringIO(), io.StringIO()
    present(LISTING, "table", Environment(is_terminal=True, width=60, stdout=plain))
    present(LISTING, "table", Environment(is_terminal=True, width=60, color=True, stdout=coloured))
    assert "\x1b[" not in plain.getvalue() and "\x1b[" in coloured.getvalue()


def test_environment_from_the_system_honours_no_color_and_columns():
    env = Environment.from_system("auto", is_terminal=True, environ={"NO_COLOR": "1", "COLUMNS": "70"})
    assert (env.color, env.width) == (False, 70)
    assert Environment.from_system("always", is_terminal=False, environ={}).color
    assert Environment.from_system("auto", is_terminal=False, environ={}).width == 80


def test_json_and_the_html_report_stay_utf8_on_an_ascii_stream(small):
    import json

    from stancecli.analysis import report
    from stancecli.export.findings import extras
    from stancecli.records import ReportResult

    listing = Listing([Column("key", "Key"), Column("summary", "Summary")], [{"key": "anbud", "summary": "Vi bør"}])
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii", errors="backslashreplace")
    present(listing, "json", Environment(stdout=ascii_out))
    assert json.loads(raw.getvalue().decode("utf-8"))[0]["summary"] == "Vi bør"
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii", errors="backslashreplace")
    r = report(small, "nb")
    present(ReportResult(r, extras(small, r, "2026-01-01")), "html", Environment(stdout=ascii_out))
    assert "støtter" in raw.getvalue().decode("utf-8")
