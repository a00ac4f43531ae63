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
