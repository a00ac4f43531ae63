"""Names resolve the way people type them."""

import pytest

from stancecli.names import UnknownName, fold, resolve_doc, resolve_issue, resolve_org


def test_fold_turns_norwegian_letters_into_their_ascii_spelling():
    assert fold("Ordinært Arbeidsliv") == "ordinaert-arbeidsliv"
    assert fold("Økonomiske sanksjoner") == "okonomiske-sanksjoner"
    assert fold("Sammenslåing") == "sammenslaaing"


@pytest.mark.parametrize("typed,key", [
    ("anbud", "anbud"),
    ("ANBUD", "anbud"),
    ("konkurranseutsetting", "anbud"),
    ("ordinært arbeidsliv", "ordinaert-arbeidsliv"),
    ("ordinaert arbeidsliv", "ordinaert-arbeidsliv"),
    ("okonomiske-sanksjoner", "okonomiske-sanksjoner"),
    ("Økonomiske sanksjoner", "okonomiske-sanksjoner"),
    ("Public tendering of labour-market measures", "anbud"),
    ("målstyring", "malstyring"),
    ("maalstyring", "malstyring"),
])
def test_issue_names_resolve_forgivingly(dataset, typed, key):
    assert resolve_issue(dataset, typed) == key


def test_organisations_resolve_by_id_short_name_and_full_name(dataset):
    assert resolve_org(dataset, "NTL") == "ntl"
    assert resolve_org(dataset, "Norsk Tjenestemannslag") == "ntl"
    assert resolve_org(dataset, "fellesorganisasjonen") == "fo"
    assert resolve_org(dataset, "Næringslivets Hovedorganisasjon") == "nho"


def test_documents_resolve_by_id(dataset):
    assert resolve_doc(dataset, "NTL-2012") == "ntl-2012"


def test_unknown_name_suggests_the_closest(dataset):
    with pytest.raises(UnknownName) as err:
        resolve_issue(dataset, "anbd")
    assert err.value.suggestions[0] == "anbud"
    assert "did you mean anbud" in str(err.value)


def test_nonsense_gets_no_wild_guess(dataset):
    with pytest.raises(UnknownName) as err:
        resolve_issue(dataset, "zzzzqqqq")
    assert err.value.suggestions == []


def test_an_unknown_name_of_any_length_is_quoted_short(cli, small_data):
    result = cli("compare", "anbud" * 2000, "--data", str(small_data))
    assert result.exit_code == 2
    assert result.stderr.startswith("stancecli: unknown issue 'anbudanbud")
    assert len(result.stderr.splitlines()[0]) < 200
