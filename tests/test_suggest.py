"""Stance proposals (stancecli.suggest.propose) on small texts written for each behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancecli.corpus import Source, read_source
from stancecli.model import ABSENT, Dataset, Document, Issue, Organisation, Text
from stancecli.suggest import Candidate, Proposal, propose


def dataset() -> Dataset:
    orgs = {o.id: o for o in [
        Organisation("tf", "Testforbundet", "TF", "union"),
        Organisation("nho", "Næringslivets Hovedorganisasjon", "NHO", "employer-organisation"),
        Organisation("lo", "Landsorganisasjonen i Norge", "LO", "union"),
    ]}
    issues = {i.key: i for i in [
        Issue("anbud", Text("Anbud på arbeidsmarkedstiltak", "Tendering of measures"),
              Text("Arbeidsmarkedstiltak skal kjøpes inn gjennom anbudskonkurranse.",
                   "Measures should be procured by tender."),
              ["anbudsutsetting", "konkurranseutsetting", "tendering"], codebook=True),
        Issue("bemanningsnorm", Text("Bemanningsnorm", "Staffing norm"),
              Text("Det skal innføres en bemanningsnorm.", "A staffing norm should be introduced."),
              ["caseload"], codebook=True),
        Issue("sanksjoner", Text("Økonomiske sanksjoner", "Economic sanctions"),
              Text("Økonomiske sanksjoner skal brukes.", "Sanctions should be used."), ["sanctions"],
              codebook=True),
    ]}
    doc = Document("tf-2020", "tf", "Høringssvar", "Høring", 2020, "tf.txt", Path("tf.txt"))
    return Dataset(Path("stances.yaml"), orgs, {doc.id: doc}, issues, [], {})


def run(text: str, issue: str = "anbud") -> Proposal:
    source = Source.from_text(Path("tf.txt"), text)
    (proposal,) = propose(dataset(), "tf-2020", source, [issue])
    for cand in [*proposal.quotes, *proposal.reported]:
        assert source.find(cand.quote), cand.quote
    return proposal


def side(stance: str) -> str:
    return "for" if stance.endswith("for") else "against" if stance.endswith("against") else stance


def test_support_is_proposed_with_its_sentence_as_the_quote():
    p = run("Høringssvar fra Testforbundet.\n\nVi støtter fullt ut anbud på arbeidsmarkedstiltak.\n")
    assert p.stance == "strongly-for"
    assert p.quotes[0].quote == "Vi støtter fullt ut anbud på arbeidsmarkedstiltak."
    assert p.quotes[0].speaker is None and p.quotes[0].line == 3


def test_opposition_is_against():
    p = run("Testforbundet er imot anbudsutsetting av tiltak for brukere med nedsatt arbeidsevne.\n")
    assert side(p.stance) == "against"
    assert any("imot" in reason for reason in p.reasons)


def test_negation_turns_support_round():
    p = run("Vi støtter ikke forslaget om anbudsutsetting av arbeidsrettede tiltak.\n")
    assert side(p.stance) == "against"
    assert any("negated by 'ikke'" in reason for reason in p.reasons)


def test_ingen_before_the_issue_is_strongly_against():
    assert run("Ingen anbudsutsetting av oppfølgingstiltak.\n").stance == "strongly-against"


def test_a_hedge_is_named_and_weakens_the_proposal():
    firm = run("Anbud er et godt og viktig virkemiddel for kvalitet i tiltakene.\n")
    hedged = run("Anbud kan i utgangspunktet være et viktig virkemiddel for kvalitet i tiltakene.\n")
    assert side(hedged.stance) == "for"
    assert any(reason.startswith("hedge") for reason in hedged.reasons)
    assert hedged.confidence < firm.confidence


def test_a_call_to_investigate_first_is_mixed():
    p = run("Anbud på tiltakene bør utredes grundigere før noe besluttes.\n")
    assert p.stance == "mixed"
    assert any("investigate" in reason for reason in p.reasons)


def test_another_actors_view_is_reported_never_the_documents_own():
    p = run("NHO mener at anbud på arbeidsmarkedstiltak bør innføres raskt.\n\n"
            "Vi er imot anbudsutsetting av tiltakene.\n")
    assert side(p.stance) == "against"
    assert [c.quote for c in p.quotes] == ["Vi er imot anbudsutsetting av tiltakene."]
    (reported,) = p.reported
    assert reported.speaker == "NHO" and reported.speaker_ids == ["nho"]
    assert reported.quote.startswith("NHO mener")


@pytest.mark.parametrize("sentence, speaker", [
    ("Ekspertgruppen foreslår anbudsutsetting av alle tiltak.", "Ekspertgruppen"),
    ("Regjeringen vil innføre anbud på arbeidsmarkedstiltak.", "Regjeringen"),
    ("Utvalget påpeker at anbud kan gi lavere kvalitet.", "Utvalget"),
    ("Ifølge NHO bør anbud prøves ut først.", "NHO"),
    ("Anbud bør prøves ut før det tas i bruk i stor skala, mener NHO.", "NHO"),
    ("Både Landsorganisasjonen i Norge (LO) og NHO anbefaler anbud på sikt.", "LO og NHO"),
])
def test_reported_speakers(sentence, speaker):
    p = run(sentence + "\n")
    assert not [c for c in p.quotes if c.quote == sentence]
    assert p.reported[0].speaker == speaker


def test_an_endorsement_of_another_actors_view_is_the_documents_own_and_names_that_actor():
    sentence = "Vi støtter Ekspertgruppens forslag om anbud på arbeidsmarkedstiltak."
    p = run(sentence + "\n")
    assert p.quotes[0].quote == sentence and p.quotes[0].speaker is None
    assert side(p.stance) == "for"
    assert [(c.quote, c.speaker) for c in p.reported] == [(sentence, "Ekspertgruppen")]


def test_a_short_verdict_after_the_sentence_naming_the_issue_carries_it():
    p = run("Departementet har sendt ut et forslag. Forslaget gjelder anbudsutsetting av "
            "arbeidsmarkedstiltak fra 2015.\nDette er vi sterkt imot.\n")
    assert "Dette er vi sterkt imot." in [c.quote for c in p.quotes]
    assert side(p.stance) == "against"


def test_items_under_a_list_header_take_its_stance():
    p = run("Testforbundet er imot:\n\n- Anbudsutsetting av arbeidsmarkedstiltak.\n- Kutt i ytelser.\n")
    assert p.quotes[0].quote == "Anbudsutsetting av arbeidsmarkedstiltak."
    assert side(p.stance) == "against"


def test_a_condition_is_named_as_a_reason():
    p = run("Vi støtter anbud på arbeidsmarkedstiltak dersom kvaliteten sikres.\n")
    assert side(p.stance) == "for"
    assert "condition 'dersom'" in p.reasons


def test_a_description_of_the_hearing_proposal_is_not_the_documents_own():
    sentence = "I høringsforslaget skal arbeidsmarkedstiltak kjøpes inn gjennom anbud."
    p = run(sentence + "\n\nVi er imot anbud på arbeidsmarkedstiltak.\n")
    assert sentence not in [c.quote for c in p.quotes]
    assert (p.reported[0].quote, p.reported[0].speaker) == (sentence, "Høringsforslaget")


def test_a_repeated_sentence_is_offered_once_at_its_first_place():
    text = "Vi er imot anbud på arbeidsmarkedstiltak.\n\nInnledning.\n\nVi er imot anbud på\narbeidsmarkedstiltak.\n"
    p = run(text)
    assert [(c.quote, c.line) for c in p.quotes] == [("Vi er imot anbud på arbeidsmarkedstiltak.", 1)]


def test_the_plain_splitter_for_large_sources_gives_the_same_proposal(monkeypatch):
    text = ("Høringssvar.\n\nNHO mener at anbud bør innføres. Vi er imot anbudsutsetting av arbeids-\n"
            "markedstiltak. Se kap. 4 om dette.\n")
    careful = run(text)
    monkeypatch.setattr("stancecli.suggest.text.CAREFUL_SPLIT_MAX_CHARS", 0)
    plain = run(text)
    assert (plain.stance, [c.quote for c in plain.quotes]) == (careful.stance, [c.quote for c in careful.quotes])
    assert plain.quotes[0].quote == "Vi er imot anbudsutsetting av arbeidsmarkedstiltak."
    assert [c.speaker for c in plain.reported] == ["NHO"]


def test_an_issue_the_text_does_not_name_is_not_addressed():
    p = run("Vi er opptatt av god oppfølging av brukerne og et godt samarbeid med kommunene.\n")
    assert p.stance == ABSENT and not p.quotes


def test_english_aliases_do_not_match_norwegian_words_fuzzily():
    # 'tendering' looks like 'endringer'; 'caseload' like nothing here: no match either way.
    p = run("Vi støtter endringer i regelverket for tiltakene.\n")
    assert p.stance == ABSENT and not p.quotes
    assert run("We support tendering, says the English summary.\n").quotes  # an exact word still counts


def test_compounds_and_inflections_name_the_issue():
    p = run("Anbudsmodellen gir dårligere tjenester, og vi er skeptiske til anbudene.\n")
    assert side(p.stance) == "against" and p.quotes


def test_a_quote_across_a_hyphenated_line_break_is_verbatim_with_its_lines():
    text = "Innledning.\n\nVi støtter anbuds-\nutsetting av arbeidsmarkeds-\ntiltak fullt ut.\n"
    p = run(text)
    cand = p.quotes[0]
    assert (cand.line, cand.end_line) == (3, 5)
    assert cand.quote == "Vi støtter anbudsutsetting av arbeidsmarkedstiltak fullt ut."


def test_every_codebook_issue_in_codebook_order_by_default():
    source = Source.from_text(Path("tf.txt"), "Vi er imot økonomiske sanksjoner mot brukerne.\n")
    proposals = propose(dataset(), "tf-2020", source)
    assert [p.issue for p in proposals] == ["anbud", "bemanningsnorm", "sanksjoner"]
    assert [side(p.stance) for p in proposals] == [ABSENT, ABSENT, "against"]
    assert all(0 <= p.confidence <= 1 and isinstance(p, Proposal) for p in proposals)


def test_limit_caps_the_quotes():
    text = "".join(f"Anbud på tiltak nummer {n} er vi imot.\n\n" for n in range(6))
    source = Source.from_text(Path("tf.txt"), text)
    (p,) = propose(dataset(), "tf-2020", source, ["anbud"], limit=2)
    assert len(p.quotes) == 2 and all(isinstance(c, Candidate) for c in p.quotes)


def test_every_proposed_quote_in_the_bundled_sources_is_verbatim_at_its_lines(dataset):
    offered = 0
    for doc in dataset.documents.values():
        source = read_source(doc.path)
        for p in propose(dataset, doc.id, source, limit=3):
            for cand in [*p.quotes, *p.reported]:
                span = source.find(cand.quote)
                assert span is not None, (p.issue, doc.id, cand.quote)
                assert (span.line_start, span.line_end) == (cand.line, cand.end_line)
                offered += 1
    assert offered > 100
