"""Guards on the curated dataset: complete, verbatim, located, and faithful to the codebook."""

import pytest

from conftest import DATA
from stancecli.corpus import Sources
from stancecli.queries import coverage, locate
from stancecli.validation import validate_path

DOCS = ["parat-2014", "ntl-2012", "fo-2016", "ntl-2015", "bergen-2014"]


@pytest.fixture(scope="module")
def report():
    return validate_path(DATA)


def test_validate_passes_on_the_bundled_dataset(report):
    assert report.errors == []


def test_every_codebook_pair_is_decided_once(dataset):
    codebook = [k for k, i in dataset.issues.items() if i.codebook]
    assert len(codebook) == 20
    for doc in DOCS:
        own = {p.issue for p in dataset.positions if p.document == doc}
        absent = set(dataset.not_addressed.get(doc, []))
        assert not own & absent, doc
        assert set(codebook) <= own | absent, doc


def test_every_quote_is_found_with_a_line_span(dataset):
    sources = Sources()
    for p in dataset.positions:
        locate(dataset, p, sources)
        assert 1 <= len(p.quotes) <= 3
        for q in p.quotes:
            assert q.span is not None, (p.issue, p.source_document, q.text)
            assert q.span.line_start <= q.span.line_end


def test_reported_positions_name_an_existing_document_of_another_organisation(dataset):
    reported = [p for p in dataset.positions if p.reported_by]
    assert {(p.organisation, p.issue) for p in reported} >= {("nho", "anbud"), ("lo", "stortingsmelding-forst")}
    for p in reported:
        assert p.reported_by in dataset.documents
        assert dataset.documents[p.reported_by].organisation != p.organisation
        assert p.document is None


def test_bergen_never_holds_nho_or_lo_views_as_its_own(dataset):
    own = {p.issue: p.stance for p in dataset.positions if p.document == "bergen-2014"}
    assert own["anbud"] == "against"  # Bergen's own, not NHO's "mixed"


# Pairs read in the source, with the words that decide them.
DECIDED = [
    ("ntl-2012", "anbud", "strongly-against", "Ingen anbudsutsetting av oppfølgings-, avklarings- og"),
    ("ntl-2012", "resultatbasert-finansiering", "strongly-against", "NTL ønsker ikke resultatbasert finansiering."),
    ("fo-2016", "okonomiske-sanksjoner", "strongly-against", "Bruk av økonomiske sanksjoner som virkemiddel."),
    ("fo-2016", "storre-nav-kontor", "strongly-against", "Etablering av større og færre NAV-kontor."),
    ("parat-2014", "felles-malgruppe", "strongly-for", "særdeles positiv til at målgruppen foreslås"),
    ("ntl-2015", "malstyring", "strongly-against", "Målekortet er et verktøy som i"),
    ("bergen-2014", "stortingsmelding-forst", "strongly-for", "En slik grundig gjennomgang må skje i forbindelse med stortingsmeldingen"),
]


@pytest.mark.parametrize("doc,issue,stance,words", DECIDED)
def test_spot_checked_positions(dataset, doc, issue, stance, words):
    position = next(p for p in dataset.positions if p.document == doc and p.issue == issue)
    assert position.stance == stance
    source = Sources().get(dataset.documents[doc].path)
    assert source.find(words) is not None
    assert any(words in q.text for q in position.quotes)


# Pairs where the document says nothing on the proposal: absent, never guessed.
ABSENT = [
    ("parat-2014", "okonomiske-sanksjoner", "sanksjon"),
    ("ntl-2015", "anbud", "anbud"),
    ("fo-2016", "anbud", "anbud"),
    ("ntl-2012", "storre-nav-kontor", "færre"),
    ("parat-2014", "bemanningsnorm", "bemanningsnorm"),
]


@pytest.mark.parametrize("doc,issue,word", ABSENT)
def test_spot_checked_absences(dataset, doc, issue, word):
    assert issue in dataset.not_addressed[doc]
    assert not any(p.document == doc and p.issue == issue for p in dataset.positions)
    text = Sources().get(dataset.documents[doc].path).text.lower()
    assert word not in text  # the document never uses the word at all


def test_at_least_twelve_further_issues_with_positions(dataset):
    further = [k for k, i in dataset.issues.items() if not i.codebook]
    with_positions = {p.issue for p in dataset.positions}
    assert len([k for k in further if k in with_positions]) >= 12


def test_every_document_is_at_least_75_percent_quoted(dataset):
    for doc, c in coverage(dataset).items():
        assert c.share >= 0.75, (doc, c.share, c.uncited)


def test_positions_have_both_summaries(dataset):
    for p in dataset.positions:
        assert p.summary.nb and p.summary.en, (p.issue, p.source_document)


# ---------------------------------------------------------------- whose words (issue 12)

def test_every_own_position_rests_on_the_organisations_own_words(dataset):
    from stancecli.validation import is_own_words

    for p in dataset.positions:
        if not p.is_reported:
            assert any(is_own_words(q, p.organisation) for q in p.quotes), (p.issue, p.document)


def test_no_quote_opening_with_a_reporting_formula_lacks_a_speaker(dataset):
    from stancecli.validation import organisation_names, reporting_formula, speaking_organisation

    names = organisation_names(dataset)
    for p in dataset.positions:
        own = speaking_organisation(dataset, p)
        for q in p.quotes:
            formula = reporting_formula(q.text, names, own)
            assert formula is None or q.speaker, (p.issue, p.source_document, formula, q.text)


def test_validate_finds_no_speaker_problems(report):
    assert not [p for p in report.problems if "reporting formula" in p.message or "own words" in p.message]


def test_a_summary_that_says_demand_rests_on_a_quote_that_demands(dataset):
    import re

    demand = {"nb": re.compile(r"\bkrev(er|de)\b"), "en": re.compile(r"\bdemand(s|ed)\b(?! (more|less))")}
    demanding = re.compile(r"\b(må|skal|krev\w*|ingen)\b", re.IGNORECASE)
    for p in dataset.positions:
        for lang, words in demand.items():
            if words.search(p.summary.get(lang)):
                assert any(demanding.search(q.text) for q in p.quotes), (p.issue, p.source_document, lang)


def test_the_proposals_answered_are_reported_never_held_by_the_responses(dataset):
    """The ministry's, the government's, the expert group's and the committee's proposals are
    recorded as their reported views, never as a position of the document that answers them."""
    actors = {"asd", "regjeringen", "ekspertgruppen", "nou-2012-6-utvalget"}
    held = [p for p in dataset.positions if p.organisation in actors]
    assert held
    for p in held:
        assert p.reported_by and dataset.organisations[p.organisation].kind in ("state-agency", "other")


# Examples named in issue 12, re-read: what the source says, and no more.
def _position(dataset, doc, issue):
    return next(p for p in dataset.positions if p.document == doc and p.issue == issue)


def test_bergen_asks_to_keep_its_own_measures_not_to_stop_buying(dataset):
    p = _position(dataset, "bergen-2014", "egenregi")
    assert "erstatte" not in p.summary.nb and "replace" not in p.summary.en
    assert all("I NAV- kontorene arbeides det kontinuerlig" not in q.text for q in p.quotes)


def test_need_and_wish_make_a_plain_for(dataset):
    assert _position(dataset, "bergen-2014", "lavterskeltiltak").stance == "for"  # "det er behov for", "ønskelig"


def test_kan_bor_and_i_utgangspunktet_enig_are_kept(dataset):
    assert not any(p.document == "ntl-2012" and p.issue == "langsiktige-kontrakter" for p in dataset.positions)
    assert "bør" in _position(dataset, "ntl-2012", "kompetanseutvikling").summary.nb
    assert "viktig å definere" in _position(dataset, "fo-2016", "tett-oppfolging").summary.nb
    assert "i utgangspunktet enig" in _position(dataset, "fo-2016", "malstyring").summary.nb


def test_local_representatives_view_is_theirs_not_ntls(dataset):
    assert not any(p.document == "ntl-2015" and p.issue == "todelt-ledelse" for p in dataset.positions)
    reported = [p for p in dataset.positions if p.issue == "todelt-ledelse" and p.reported_by == "ntl-2015"]
    assert reported and all(q.speaker for p in reported for q in p.quotes)
