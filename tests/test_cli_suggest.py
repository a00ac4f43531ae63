"""`suggest ISSUE --doc DOC`: ranked candidate passages as position stubs whose quotes are verbatim."""

from __future__ import annotations

import sys

import pytest
import yaml

import minidata
from conftest import DATA
from minidata import YAML
from stancecli.corpus import read_source
from stancecli.suggest import stub, suggest, yaml_quote


def stubs(stdout: str) -> list[dict]:
    """The pasteable positions in suggest's output."""
    parsed = yaml.safe_load(stdout)  # the comments vanish; the stubs form one YAML list
    assert isinstance(parsed, list)
    return parsed


def test_every_suggested_quote_is_verbatim_in_its_source(dataset):
    offered = 0
    sample = list(dataset.issues)[::6]  # every document, a spread of issues: each call runs a dozen searches
    for doc in dataset.documents.values():
        source = read_source(doc.path)
        for key in sample:
            for cand in suggest(dataset, key, doc.id, source, limit=3).candidates:
                span = source.find(cand.quote)
                assert span is not None, (key, doc.id, cand.quote)
                assert (span.line_start, span.line_end) == (cand.line, cand.end_line)
                offered += 1
    assert offered > 20


def test_stubs_paste_as_positions_with_the_quote(cli):
    result = cli("suggest", "anbud", "--doc", "ntl-2012")
    assert result.exit_code == 0, result.stderr
    positions = stubs(result.stdout)
    assert len(positions) == 5
    source = read_source((DATA.parent / "../seeds/001_37ab94ba59815dd1.txt").resolve())
    for position in positions:
        assert position["issue"] == "anbud" and position["document"] == "ntl-2012"
        assert position["stance"] == "TODO" and position["summary"] == {"nb": "", "en": ""}
        assert len(position["quotes"]) == 1 and source.find(position["quotes"][0])


def test_passages_naming_the_issue_come_first(cli):
    result = cli("suggest", "anbud", "--doc", "ntl-2012", "-n", "3")
    assert result.exit_code == 0
    for position in stubs(result.stdout):
        assert "anbud" in position["quotes"][0].lower()
    assert result.stdout.splitlines()[0].startswith("# 3 candidate passages on 'anbud' in ntl-2012 (")


def test_each_candidate_says_where_it_stands_and_why(cli):
    result = cli("suggest", "anbud", "--doc", "ntl-2012", "-n", "1")
    comment = [line for line in result.stdout.splitlines() if line.startswith("# 1.")][0]
    assert comment.startswith("# 1. line ") and "matched: " in comment and "anbud" in comment


def test_issue_and_document_may_be_named_loosely(cli):
    result = cli("suggest", "Anbud på arbeidsmarkedstiltak", "--doc", "ntl-2012", "-n", "1")
    assert result.exit_code == 0
    assert stubs(result.stdout)[0]["issue"] == "anbud"


def test_passages_already_quoted_on_the_issue_are_left_out(cli, dataset):
    result = cli("suggest", "anbud", "--doc", "ntl-2012", "-n", "20")
    quoted = [q.text for p in dataset.positions if p.issue == "anbud" and p.document == "ntl-2012" for q in p.quotes]
    offered = [p["quotes"][0] for p in stubs(result.stdout)]
    assert quoted and not set(quoted) & set(offered)
    assert "already quoted on it left out" in result.stdout.splitlines()[0]


def test_unknown_issue(cli):
    result = cli("suggest", "anbudd", "--doc", "ntl-2012")
    assert result.exit_code == 2
    assert result.stderr.startswith("stancecli: unknown issue 'anbudd'; did you mean anbud")


def test_unknown_document(cli):
    result = cli("suggest", "anbud", "--doc", "ntl-2099")
    assert result.exit_code == 2
    assert result.stderr.startswith("stancecli: unknown document 'ntl-2099'; did you mean ntl-2012")


def test_no_candidates_exits_1_like_grep(cli, tmp_path):
    issue = ("- key: bemanningsnorm\n  title:\n    nb: Bemanningsnorm\n    en: Staffing\n"
             "  proposal:\n    nb: Maks brukere per veileder.\n    en: Caseload cap.\n")
    text = YAML.replace("\npositions:\n", f"\n{issue}\npositions:\n")
    path = minidata.make(tmp_path, text)
    result = cli("suggest", "bemanningsnorm", "--doc", "tf-2020", "--data", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "stancecli: no passage in tf-2020 matches the names or proposal of 'bemanningsnorm'\n"


def test_a_stub_pasted_unchanged_does_not_validate(cli, tmp_path):
    """The stance and summary are the curator's call: an undecided stub must not slip through."""
    path = minidata.make(tmp_path)
    result = cli("suggest", "anbud", "--doc", "tf-2020", "--data", str(path))
    pasted = YAML.replace("\nnot_addressed:\n", "\n" + result.stdout.split("\n- issue:", 1)[1].join(["- issue:", ""])
                          + "\nnot_addressed:\n")
    path.write_text(pasted, encoding="utf-8")
    checked = cli("validate", "--data", str(path))
    assert checked.exit_code == 2
    assert ("'TODO' is not one of strongly-for, for, mixed, against, strongly-against" in checked.stderr)
    assert "summary.nb: must not be empty" in checked.stderr


def test_without_the_search_engine_rapidfuzz_still_suggests_verbatim_quotes(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "stancecli.search.engine", None)  # import fails as if not installed
    result = cli("suggest", "anbud", "--doc", "ntl-2012", "-n", "3")
    assert result.exit_code == 0, result.stderr
    source = read_source((DATA.parent / "../seeds/001_37ab94ba59815dd1.txt").resolve())
    quotes = [p["quotes"][0] for p in stubs(result.stdout)]
    assert len(quotes) == 3 and all(source.find(q) for q in quotes)


@pytest.mark.parametrize("text", ['Sier "nei" til \\ anbud', "tab\there", "esc \x1b[31m", "bidi \u202e x", "«NAV»"])
def test_quotes_are_yaml_that_reads_back_exactly(text):
    assert yaml.safe_load(yaml_quote(text)) == text
    assert "\x1b" not in yaml_quote(text) and "\u202e" not in yaml_quote(text)


def test_stub_is_one_position(dataset):
    source = read_source(dataset.documents["fo-2016"].path)
    found = suggest(dataset, "bemanningsnorm", "fo-2016", source, limit=1).candidates
    position = yaml.safe_load(stub(found[0], "bemanningsnorm", "fo-2016"))[0]
    assert set(position) == {"issue", "document", "stance", "summary", "quotes"}


def test_unreadable_source_is_named_without_escape_sequences(cli, tmp_path):
    path = minidata.make(tmp_path, YAML.replace("../seeds/tf.txt", '"../seeds/\\e[31mgone.txt"'))
    result = cli("suggest", "anbud", "--doc", "tf-2020", "--data", str(path))
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert result.stderr.endswith("seeds/\\x1b[31mgone.txt: source file not found\n")
