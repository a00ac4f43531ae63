"""Who wrote a response, proposed from its text: known organisations first, else a new one named in it."""

from __future__ import annotations

import pytest

import minidata
from stancecli.orgproposal import propose


@pytest.fixture
def dataset(tmp_path):
    """The mini dataset with four more organisations (and none named LO, Bergen, Spekter)."""
    from stancecli.loading import load_or_fail

    return load_or_fail(minidata.make(tmp_path, yaml_text=minidata.YAML_MORE_ORGS))

BODY = "\nVi er imot anbud på arbeidsmarkedstiltak.\n\nNAV bør gjøre mer selv.\n"


@pytest.mark.parametrize(("text", "org", "line"), [
    ("Høringssvar fra Parat NAV – om tiltak\n" + BODY, "parat", 1),  # a "fra" line
    ("NORSK TJENESTEMANNSLAG\n" + BODY, "ntl", 1),  # letterhead, in capitals
    (BODY + "\nMed vennlig hilsen\nFellesorganisasjonen\nKari Nordmann\n", "fo", 7),  # signature
    (BODY + "\nMed vennlig hilsen\n\nFO\n", "fo", 8),  # a short name, alone on its line
])
def test_known_organisations_are_found_where_a_response_names_its_author(text, org, line, dataset):
    proposal = propose(dataset, text)
    assert proposal is not None and (proposal.org_id, proposal.new, proposal.line) == (org, False, line)


def test_an_organisation_the_text_only_mentions_is_not_proposed(dataset):
    text = "Vi er enige med NHO i dette." + BODY + "\nDette er også NHOs syn, mener NHO.\n"
    assert propose(dataset, text) is None


@pytest.mark.parametrize(("first_line", "org_id", "name", "kind"), [
    ("Høringssvar fra Landsorganisasjonen i Norge om tiltak", "landsorganisasjonen-i-norge",
     "Landsorganisasjonen i Norge", "union"),
    ("Uttalelse fra Bergen kommune til departementet", "bergen-kommune", "Bergen kommune", "municipality"),
    ("Høringsinnspill fra Arbeidsgiverforeningen Spekter: tiltak", "arbeidsgiverforeningen-spekter",
     "Arbeidsgiverforeningen Spekter", "employer-organisation"),
    ("Innspill fra Kirkens Bymisjon", "kirkens-bymisjon", "Kirkens Bymisjon", "ngo"),
    ("Høringssvar fra Brukerforeningen Arbeid for alle", "brukerforeningen-arbeid-for-alle",
     "Brukerforeningen Arbeid for alle", "ngo"),
    ("Høringssvar fra Kystbyen Næringsforening om tiltak", "kystbyen-naeringsforening", "Kystbyen Næringsforening",
     "employer-organisation"),
    ("Høringssvar fra Ungdomsrådet i Sørvik", "ungdomsraadet-i-sorvik", "Ungdomsrådet i Sørvik", "other"),
])
def test_a_new_organisation_is_proposed_from_the_name_after_fra(dataset, first_line, org_id, name, kind):
    proposal = propose(dataset, first_line + "\n" + BODY)
    assert proposal is not None and proposal.new
    assert (proposal.org_id, proposal.name, proposal.kind, proposal.line) == (org_id, name, kind, 1)


def test_a_signature_line_that_is_a_job_title_is_not_an_organisation(dataset):
    assert propose(dataset, BODY + "\nMed vennlig hilsen\nKari Nordmann\nForbundsleder Rådgiver\n") is None


def test_a_proposal_says_where_it_comes_from(dataset):
    proposal = propose(dataset, "Høringssvar fra NTL\n" + BODY)
    assert proposal is not None
    assert proposal.describe() == "'ntl' (Norsk Tjenestemannslag), from line 1: «Høringssvar fra NTL»"


def test_a_view_reported_in_the_first_lines_does_not_make_its_holder_the_author(dataset):
    text = ("Attføringsforum Vest\n\nHøringssvar – nye regler for arbeidsmarkedstiltak\n\n"
            "NHO mener at kommersielle leverandører bør slippe til. Det deler ikke forumet.\n" + BODY)
    proposal = propose(dataset, text)
    assert proposal is not None and proposal.new
    assert (proposal.org_id, proposal.name, proposal.line) == ("attforingsforum-vest", "Attføringsforum Vest", 1)


def test_the_author_named_as_the_subject_is_still_proposed_when_nothing_else_names_one(dataset):
    proposal = propose(dataset, "Høringssvar om tiltak\n\nNTL er imot anbudsutsetting.\n" + BODY)
    assert proposal is not None and (proposal.org_id, proposal.new) == ("ntl", False)


@pytest.mark.parametrize(("first_line", "name"), [
    ("Høringssvar fra Rådet for personer med funksjonsnedsettelse i Fjordfylket",
     "Rådet for personer med funksjonsnedsettelse i Fjordfylket"),
    ("Høringssvar fra Brukerforeningen Arbeid for alle", "Brukerforeningen Arbeid for alle"),
    ("Høringssvar fra Bergen kommune. Kommunen er imot anbud", "Bergen kommune"),
])
def test_a_name_with_lower_case_words_after_for_is_kept_whole(dataset, first_line, name):
    proposal = propose(dataset, first_line + "\n" + BODY)
    assert proposal is not None and proposal.name == name
