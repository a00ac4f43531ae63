"""The coding loop's core: decisions written at once, comments kept, resumable, never over another writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from minidata import YAML, make
from stancecli.coding import (
    AlreadyDecided,
    CodingError,
    Decision,
    Step,
    decision_for,
    default_summary,
    record,
    steps,
)
from stancecli.corpus import read_source
from stancecli.loading import load_or_fail
from stancecli.validation import validate_path

ANBUD_POSITION = """\
- issue: anbud
  document: tf-2020
  stance: against
  summary:
    nb: Testforbundet er imot anbud.
    en: Testforbundet opposes tendering.
  quotes:
  - "Vi er imot anbudsutsetting av arbeidsmarkedstiltak."
"""
UTBYTTE_ISSUE = """\
- key: utbytte
  codebook: true  # profit for providers
  title:
    nb: Utbytte i tiltaksbransjen
    en: Profit for providers
  proposal:
    nb: Private leverandører skal kunne ta ut utbytte.
    en: Private providers may take out profit.
"""
# Two undecided codebook issues (anbud, utbytte) for tf-2020; egenregi is decided and not in the codebook.
CODING_YAML = YAML.replace(ANBUD_POSITION, "").replace("issues:\n", "issues:\n" + UTBYTTE_ISSUE, 1)
QUOTE = "Vi er imot anbudsutsetting av arbeidsmarkedstiltak."


@dataclass
class FakeCandidate:
    quote: str
    line: int
    end_line: int
    score: float = 1.0
    matched: list[str] = field(default_factory=list)
    speaker: str | None = None


@dataclass
class FakeProposal:
    issue: str
    stance: str
    confidence: float
    quotes: list[FakeCandidate]
    reported: list[FakeCandidate] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def fake_propose(ds, doc_id, source, issues=None, limit=3):
    """Against anbud with two candidates; utbytte not addressed."""
    out = {"anbud": FakeProposal("anbud", "against", 0.8, [
        FakeCandidate(QUOTE, 3, 4),
        FakeCandidate("Anbud gir dårligere kvalitet for brukerne.", 4, 4)], reasons=["'er imot'"]),
        "utbytte": FakeProposal("utbytte", "not-addressed", 0.6, [])}
    return [out[k] for k in issues or out]


@pytest.fixture
def data(tmp_path) -> Path:
    return make(tmp_path, CODING_YAML)


def session(path: Path):
    ds = load_or_fail(path)
    source = read_source(ds.documents["tf-2020"].path)
    return ds, source, steps(ds, "tf-2020", source, fake_propose)


def test_a_session_walks_the_undecided_codebook_issues_with_their_proposals(data):
    _, _, found = session(data)
    assert [(s.issue, s.stance) for s in found] == [("utbytte", "not-addressed"), ("anbud", "against")]


def test_an_accepted_position_is_written_at_once_and_every_comment_stays(data):
    ds, source, found = session(data)
    anbud = found[1]
    old = data.read_text(encoding="utf-8")
    line = record(data, "tf-2020", decision_for(anbud, "Testforbundet er imot anbud på tiltak."), source)
    new = data.read_text(encoding="utf-8")
    assert [x for x in old.splitlines() if x not in new.splitlines()] == []
    assert "# A small dataset for tests." in new and "codebook: true  # profit for providers" in new
    assert new.splitlines()[line - 1] == "- issue: anbud"
    position = [p for p in load_or_fail(data).positions if p.issue == "anbud"][0]
    assert (position.document, position.organisation, position.stance) == ("tf-2020", "tf", "against")
    assert [q.text for q in position.quotes] == [QUOTE]
    assert (position.summary.nb, position.summary.en) == ("Testforbundet er imot anbud på tiltak.", "")


def test_the_session_resumes_with_what_is_left(data):
    ds, source, found = session(data)
    record(data, "tf-2020", decision_for(found[1], "Imot anbud."), source)
    _, _, again = session(data)
    assert [s.issue for s in again] == ["utbytte"]


def test_not_addressed_is_listed_for_the_document_and_the_dataset_then_validates(data):
    ds, source, found = session(data)
    record(data, "tf-2020", decision_for(found[0]), source)
    record(data, "tf-2020", decision_for(found[1], "Imot anbud."), source)
    assert load_or_fail(data).not_addressed["tf-2020"] == ["utbytte"]
    report = validate_path(data)
    assert report.errors == [] and report.pairs_decided == report.pairs_total == 2


@pytest.mark.parametrize("section, after", [
    ("not_addressed:\n  tf-2020: [egenregi]\n", "not_addressed:\n  tf-2020: [egenregi, utbytte]\n"),
    ("not_addressed:\n  tf-2020:\n  - egenregi\n  # more to come\n",
     "not_addressed:\n  tf-2020:\n  - egenregi\n  - utbytte\n  # more to come\n"),
    ("not_addressed:\n  tf-1999: [anbud]\n", "not_addressed:\n  tf-1999: [anbud]\n  tf-2020:\n  - utbytte\n"),
    ("", "not_addressed:\n  tf-2020:\n  - utbytte\n"),  # after the blank line that ends positions
])
def test_not_addressed_goes_into_whatever_list_the_file_has(tmp_path, section, after):
    before = CODING_YAML.replace("not_addressed:\n  tf-2020: []\n", section)
    path = make(tmp_path, before)
    ds = load_or_fail(path)
    record(path, "tf-2020", Decision("utbytte", "not-addressed"), read_source(ds.documents["tf-2020"].path))
    assert path.read_text(encoding="utf-8") == (before.replace(section, after) if section else before + after)
    assert "utbytte" in load_or_fail(path).not_addressed["tf-2020"]


def test_a_pair_decided_by_another_writer_meanwhile_is_refused_and_nothing_is_written(data):
    ds, source, found = session(data)  # the loop shows anbud as undecided ...
    other = data.read_text(encoding="utf-8").replace("positions:\n", "positions:\n" + ANBUD_POSITION)
    data.write_text(other, encoding="utf-8")  # ... while someone else codes it
    with pytest.raises(AlreadyDecided):
        record(data, "tf-2020", decision_for(found[1], "Imot anbud."), source)
    assert data.read_text(encoding="utf-8") == other


def test_another_writers_unrelated_work_is_kept(data):
    ds, source, found = session(data)
    other = data.read_text(encoding="utf-8").replace("  kind: union\n", "  kind: union\n  members: '1000'\n")
    data.write_text(other, encoding="utf-8")
    record(data, "tf-2020", decision_for(found[1], "Imot anbud."), source)
    reloaded = load_or_fail(data)
    assert reloaded.organisations["tf"].members == "1000"
    assert any(p.issue == "anbud" for p in reloaded.positions)


def test_a_quote_that_is_not_verbatim_is_never_written(data):
    ds, source, _ = session(data)
    before = data.read_text(encoding="utf-8")
    with pytest.raises(CodingError, match="not found verbatim"):
        record(data, "tf-2020", Decision("anbud", "against", ["Vi er sterkt imot anbud."], "Imot."), source)
    assert data.read_text(encoding="utf-8") == before


def test_a_position_needs_a_stance_and_a_quote_before_it_can_be_written():
    with pytest.raises(CodingError):
        decision_for(Step("anbud", None))
    no_quotes = FakeProposal("anbud", "against", 0.4, [])
    with pytest.raises(CodingError, match="no candidate quote"):
        decision_for(Step("anbud", no_quotes, "against"))


def test_choosing_and_cycling_candidate_quotes():
    step = Step("anbud", fake_propose(None, "", None, ["anbud"])[0], "against")
    assert step.quote.quote == QUOTE
    assert step.next_quote() and step.quote.line == 4
    assert step.next_quote() and step.quote.quote == QUOTE
    assert step.choose(2) and not step.choose(3)
    assert decision_for(step, "x").quotes == ["Anbud gir dårligere kvalitet for brukerne."]


def test_up_to_three_quotes_in_the_order_chosen():
    step = Step("anbud", fake_propose(None, "", None, ["anbud"])[0], "against")
    assert step.choose(2) and step.cite_another()
    assert not step.cite_another()  # only two candidates
    assert decision_for(step, "x").quotes == ["Anbud gir dårligere kvalitet for brukerne.", QUOTE]
    assert step.next_quote() and step.quotes == ["Anbud gir dårligere kvalitet for brukerne."]


def test_the_default_summary_says_no_more_than_the_quote():
    assert default_summary("NTL", "Vi bør  ikke\nha anbud.") == "NTL: «Vi bør ikke ha anbud.»"


def test_context_shows_the_quote_lines_and_their_neighbours_without_blank_lines(tmp_path):
    from stancecli.coding import context
    from stancecli.corpus import Source

    source = Source.from_text(tmp_path / "s.txt", "Tittel\n\nFør.\n\nVi er imot\n\nanbud.\n\nEtter.\n\nSlutt.\nMer.\n")
    assert context(source, 5, 7, around=2) == [(1, "Tittel", False), (3, "Før.", False), (5, "Vi er imot", True),
                                               (7, "anbud.", True), (9, "Etter.", False), (11, "Slutt.", False)]
