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
    from stancecli.results import ReportResult

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


# ---------------------------------------------------------------- search hits and proposals

def _hits():
    from pathlib import Path

    from stancecli.search.engine import Hit

    sentence = "Vi er imot anbud\u202e på tiltak."
    return [Hit(91.5, Path("svar\x1b[31m.txt"), "tf-2020", 3, 12, 3, 16, sentence, ((11, 16),),
                context_before=((2, "Innledning"),)),
            Hit(80.0, Path("svar.txt"), None, 9, 1, 9, 5, "Anbud gir dårligere kvalitet.", ((0, 5),))]


def _show(result, fmt: str, env: Environment | None = None) -> str:
    buf = io.StringIO()
    present(result, fmt, env or Environment(stdout=buf))
    return (env.out if env else buf).getvalue()


def test_search_hits_render_through_present_in_each_format():
    import json

    from stancecli.output.hits import SearchResult
    from stancecli.output.search import FORMATS

    result = SearchResult(_hits(), context=True)
    out = {fmt: _show(result, fmt) for fmt in FORMATS}
    assert out["grep"].splitlines() == ["svar.txt-2-Innledning", "svar.txt:3:12:Vi er imot anbud på tiltak.",
                                        "--", "svar.txt:9:1:Anbud gir dårligere kvalitet."]
    assert [h["line"] for h in json.loads(out["json"])] == [3, 9]
    assert [json.loads(line)["score"] for line in out["jsonl"].splitlines()] == [91.5, 80.0]
    assert "\\u202e" in out["json"]  # invisible in a terminal: escaped, still the same JSON string
    table = out["table"]
    assert "91.5  svar.txt:3:12  tf-2020" in table and "Vi er imot anbud\ufffd på tiltak." in table
    assert "\x1b" not in table and "\u202e" not in table


def test_search_table_is_coloured_only_when_the_environment_says_so():
    import re

    from stancecli.output.hits import SearchResult

    plain = _show(SearchResult(_hits()), "table", Environment(is_terminal=True, width=100, stdout=io.StringIO()))
    coloured = _show(SearchResult(_hits()), "table",
                     Environment(is_terminal=True, width=100, color=True, stdout=io.StringIO()))
    assert "\x1b" not in plain and "\x1b[" in coloured
    assert [line.rstrip() for line in re.sub("\x1b\\[[0-9;]*m", "", coloured).splitlines()] == plain.splitlines()


def _proposals():
    from stancecli.results import ProposalsResult
    from stancecli.suggest import Candidate, Proposal

    own = Candidate("Vi er imot anbud.", 5, 6, 0.9, ["anbud"])
    reported = Candidate("NHO mener at anbud bør innføres.", 3, 3, 0.7, ["anbud"], speaker="NHO",
                         speaker_ids=["nho"], stance="for")
    return ProposalsResult("tf-2020", "seeds/tf.txt", "Testforbundet",
                           [Proposal("anbud", "against", 0.8, [own], [reported], ["says 'imot'"]),
                            Proposal("egenregi", "not-addressed", 0.5, [], [], [])],
                           {"anbud": "Anbud", "egenregi": "Egenregi"})


def test_proposals_render_through_present_in_each_format():
    import json

    import yaml

    from stancecli.output.proposals import NOTICE, STUBS

    result = _proposals()
    rows = [line.split("\t") for line in _show(result, "tsv").splitlines()]
    assert [(r[0], r[3], r[7]) for r in rows] == [("anbud", "quote", "seeds/tf.txt:5-6"),
                                                  ("anbud", "reported", "seeds/tf.txt:3"),
                                                  ("egenregi", "none", "")]
    assert _show(result, "csv").splitlines()[0].startswith("issue,stance,confidence")
    records = json.loads(_show(result, "json"))
    assert [r["confirmed"] for r in records] == [False, False]
    assert records[0]["reported"][0]["speaker"] == "NHO"
    assert len(_show(result, "jsonl").splitlines()) == 2
    assert "| anbud | against |" in _show(result, "markdown")
    table = _show(result, "table")
    assert NOTICE in table and "«Vi er imot anbud.»" in table and "reported, NHO says (reads as for)" in table
    stubs = _show(result, STUBS)
    assert "# No passage names: egenregi" in stubs
    pasted = yaml.safe_load(stubs)
    assert pasted[0]["quotes"] == ["Vi er imot anbud."]
