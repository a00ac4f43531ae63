"""Sentence splitting on the real seeds: abbreviations, bullets, lists, double spacing."""

import pytest

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
