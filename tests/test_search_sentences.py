"""Sentence splitting on the real seeds: abbreviations, bullets, lists, double spacing."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from stancecli.corpus import read_source
from stancecli.search import sentences


def _sentences(name: str) -> list[str]:
    src = read_source(next(SEEDS.glob(f"{name}_*.txt")))
    return [" ".join(src.text[s:e].split()) for s, e in sentences.split(src.text)]


@pytest.fixture(scope="module")
def ntl():
    return _sentences("001")


def test_abbreviations_do_not_end_a_sentence(ntl):
    assert "Dette støttes fullt ut, jfr. begrunnelsen fra utvalget." in ntl
    assert any("hvor kompetanse bl.a. innenfor veiledning, sosialfaglig arbeid" in s for s in ntl)
    assert not any(s.endswith(("bl.a.", "jfr.", "kap.")) for s in ntl)


def test_section_numbers_stay_with_their_sentence(ntl):
    i = ntl.index("Økt bruk av ordinær virksomhet som arena for arbeidsrettede tiltak (kap. 17.2.1.).")
    assert ntl[i + 1] == "Dette støttes fullt ut, jfr. begrunnelsen fra utvalget."


def test_a_bullet_is_a_sentence_without_its_dash(ntl):
    assert "Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak." in ntl
    assert "NAV har hovedoppgaven med oppfølging og avklaring hos ordinære arbeidsgivere." in ntl


def test_numbered_items_and_double_spaced_lines():
    bergen = _sentences("004")  # a blank line after every line
    assert ("Et betydelig arbeid må legges ned hvis det skal være reelle muligheter til at anbud skal "
            "fungere slik departementet forutsetter.") in bergen
    assert "Høringsfrist er satt til 4. august." in bergen
    assert "Hva saken gjelder:" in bergen


def test_headings_stand_alone():
    parat = _sentences("000")
    assert "Anbudsmetoden og kvalitetssikring" in parat
    assert "Er det gitt at flere aktører blir bedre for bruker?" in parat


@pytest.mark.parametrize("body, expected", [
    ("Dette gjelder f.eks. tiltak. Neste setning.", ["Dette gjelder f.eks. tiltak.", "Neste setning."]),
    ("Vi viser til tiltak mv. Det er viktig.", ["Vi viser til tiltak mv.", "Det er viktig."]),
    ("Tiltak mv. og andre ting.", ["Tiltak mv. og andre ting."]),
    ("Meld. St. 33 sier mye. Vi er enige.", ["Meld. St. 33 sier mye.", "Vi er enige."]),
    ("Det startet i 2014. Det varte.", ["Det startet i 2014.", "Det varte."]),
])
def test_norwegian_abbreviations(body, expected):
    assert [body[s:e] for s, e in sentences.split(body)] == expected


# Text as PDF extraction gives it: wrapped lines, blank lines, bullets, abbreviations, numbers, odd blanks.
_PIECES = st.sampled_from([
    "Tiltak", "tiltakene", "arbeidsmarkedet", "NAV", "Det", "og", "er", "i", "2014", "17.2.1", "kap.", "bl.a.",
    "f.eks.", "mv.", "jfr.", "o", "a)", "(1)", "12.", "-", "–", "•", "«", "»", ".", ". ", "? ", "! ", "…", ":",
    ",", " ", "  ", "\t", "\u00a0", "\n", "\n\n", "\n \n", "anbuds-\nutsetting", "ð", "İ", "²", "É",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=80).map("".join))
def test_sentences_are_trimmed_ordered_pieces_of_the_text(body):
    spans = sentences.split(body)
    end = 0
    for s, e in spans:
        assert end <= s < e <= len(body)  # in order, never overlapping
        assert not body[s].isspace() and not body[e - 1].isspace()
        assert re.search(r"[^\W\d_]", body[s:e]) and e - s <= sentences.MAX_SENTENCE
        end = e
    covered = set().union(*(range(s, e) for s, e in spans))
    for i, ch in enumerate(body):
        if i not in covered and re.match(r"[^\W\d_]", ch):  # a letter left out: only a list item's mark
            line_start = body.rfind("\n", 0, i) + 1
            assert re.fullmatch(r"[ \t]*\(?", body[line_start:i]) and (ch == "o" or body[i + 1:i + 2] in ".)")


_WORDS = st.sampled_from(["tiltak", "arbeidsmarkedet", "brukere", "nav", "oppfølging", "kvalitet", "anbud", "og"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=12), min_size=1, max_size=8),
       st.sampled_from([" ", "\n"]), st.sampled_from([". ", ".\n", "? ", "! "]))
def test_plain_sentences_split_where_they_end(words, wrap, stop):
    # Capitalised sentences of plain words (no abbreviation, no number) split exactly at their stops.
    expected = [(wrap.join(ws).capitalize() + stop.strip()) for ws in words]
    body = stop[1:].join(expected)
    assert [body[s:e] for s, e in sentences.split(body)] == expected
