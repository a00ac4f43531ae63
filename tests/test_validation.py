"""`validate` as a linter: each finding names file:line and key, says what is wrong and, where it can,
what was meant."""

from __future__ import annotations

import pytest

import minidata
from minidata import YAML, line_of

DATA = "data/stances.yaml"


@pytest.fixture
def lint(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def run(text: str, *options: str, source: str = minidata.SOURCE):
        minidata.make(tmp_path, text, source)
        return cli("validate", "--data", DATA, *options)

    return run


def test_clean_dataset_passes_with_a_summary(lint):
    result = lint(YAML)
    assert result.exit_code == 0
    assert result.stdout == (f"{DATA}: 1 organisations, 1 documents, 2 issues (1 codebook), 2 positions (0 reported); "
                             "quotes located 2/2; codebook pairs decided 1/1; 0 errors, 0 warnings\n")
    assert result.stderr == ""


def test_quote_not_found_gets_the_nearest_passage_and_its_line(lint):
    text = YAML.replace("NAV bør gjøre mer i egenregi,", "NAV bør gjøre mye mer i egenregi,")
    result = lint(text)
    assert result.exit_code == 2
    assert (f"{DATA}:{line_of(text, 'mye mer')}: positions[1].quotes[0]: quote not found in ../seeds/tf.txt: "
            "“NAV bør gjøre mye mer i egenregi, med egne ansatte og egne tiltak.”; did you mean line 6: "
            "“NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak.”") in result.stderr


def test_quote_across_a_hyphenated_line_break_is_found(lint):
    result = lint(YAML.replace("arbeidsmarkedstiltak.", "arbeidsmarkeds- tiltak."))
    assert result.exit_code == 0, result.stderr


def test_unknown_key_with_did_you_mean(lint):
    text = YAML.replace("  hearing: Testhøring", "  hearring: Testhøring")
    result = lint(text)
    assert result.exit_code == 2
    assert f"{DATA}:{line_of(text, 'hearring')}: documents[0].hearring: unknown key; did you mean 'hearing'?" \
        in result.stderr.splitlines()


def test_unknown_top_level_key_with_did_you_mean(lint):
    result = lint(YAML.replace("not_addressed:", "not_adressed:"))
    assert "not_adressed: unknown top-level key; did you mean 'not_addressed'?" in result.stderr


def test_dangling_references(lint):
    text = (YAML.replace("  organisation: tf\n", "  organisation: tff\n")
            .replace("- issue: egenregi", "- issue: egenregii")
            .replace("  tf-2020: []", "  tf-2020: [anbudd]"))
    result = lint(text)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert f"{DATA}:{line_of(text, '- id: tf-2020')}: documents[tf-2020].organisation: unknown organisation 'tff'; " \
           "did you mean 'tf'?" in lines
    assert f"{DATA}:{line_of(text, 'egenregii')}: positions[1].issue: unknown issue 'egenregii'; did you mean " \
           "'egenregi'?" in lines
    assert f"{DATA}:{line_of(text, 'tf-2020: [anbudd]')}: not_addressed.tf-2020: unknown issue 'anbudd'; did you " \
           "mean 'anbud'?" in lines


def test_position_naming_an_unknown_document(lint):
    text = YAML.replace("  document: tf-2020\n  stance: for", "  document: tf-2021\n  stance: for")
    result = lint(text)
    assert "positions[1].document: unknown document 'tf-2021'; did you mean 'tf-2020'?" in result.stderr


def test_document_never_cited_and_issue_without_positions_are_warnings(lint):
    text = YAML.replace("\nissues:\n", "- id: tf-2021\n  organisation: tf\n  title: Uncited\n  year: 2021\n"
                        "  source: ../seeds/tf.txt\n\nissues:\n")
    text = text.replace("\npositions:\n", "\n- key: lonely\n  title: {nb: Ensom, en: Lonely}\n"
                        "  proposal: {nb: Ingen, en: None}\n\npositions:\n")
    text = text.replace("  tf-2020: []", "  tf-2020: []\n  tf-2021: [anbud]")
    result = lint(text)
    assert result.exit_code == 0  # warnings alone do not fail
    assert f"{DATA}:{line_of(text, '- id: tf-2021')}: warning: documents[tf-2021]: no position cites this document" \
        in result.stderr.splitlines()
    assert f"{DATA}:{line_of(text, '- key: lonely')}: warning: issues[lonely]: no position on this issue" \
        in result.stderr.splitlines()
    assert "0 errors, 2 warnings" in result.stdout
    quiet = lint(text, "--no-warnings")
    assert quiet.stderr == "" and "0 errors, 2 warnings" in quiet.stdout


def test_organisation_nobody_names_is_a_warning(lint):
    text = YAML.replace("\ndocuments:\n", "- id: ghost\n  name: Ghost\n  kind: ngo\n\ndocuments:\n")
    result = lint(text)
    assert result.exit_code == 0
    assert (f"{DATA}:{line_of(text, '- id: ghost')}: warning: organisations[ghost]: no document or position names "
            "this organisation") in result.stderr


def test_alias_naming_two_issues(lint):
    text = YAML.replace("  proposal:\n    nb: NAV skal selv", "  aliases: [anbudsutsetting]\n  proposal:\n"
                        "    nb: NAV skal selv")
    result = lint(text)
    assert result.exit_code == 2
    assert "issues[egenregi].aliases: 'anbudsutsetting' also names issue 'anbud'; an alias must name one issue" \
        in result.stderr


def test_undecided_codebook_issue_and_how_to_decide_it(lint):
    codebook = YAML.replace("- key: egenregi\n", "- key: egenregi\n  codebook: true\n")
    undecided = codebook.split("- issue: egenregi")[0] + "\nnot_addressed:\n  tf-2020: []\n"
    result = lint(undecided)
    assert result.exit_code == 2
    assert (f"{DATA}:{line_of(undecided, '- id: tf-2020')}: documents[tf-2020]: codebook issues not decided (give a "
            "position or list them under not_addressed.tf-2020): egenregi") in result.stderr.splitlines()
    assert "codebook pairs decided 1/2" in result.stdout
    decided = undecided.replace("  tf-2020: []", "  tf-2020: [egenregi]")
    assert lint(decided).exit_code == 0


def test_every_problem_line_names_file_and_line(lint):
    text = YAML.replace("stance: against", "stance: support").replace("kind: union", "kind: club")
    result = lint(text)
    for line in result.stderr.splitlines():
        file, number = line.split(":")[:2]
        assert file == DATA and number.isdigit()


# ---------------------------------------------------------------- whose words a quote is

REPORTED = minidata.SOURCE + (
    "\n"
    "Utvalget mener at alle tiltak bør settes ut på anbud.\n"
    "Ekspertgruppen har også påpekt at NAV bør gjøre mer selv.\n"
    "NHO mener at anbud bør prøves ut først.\n"
    "TF mener at NAV bør gjøre mer selv.\n"
)


def _quote_as(text: str, quote: str, speaker: str | None = None) -> str:
    """The dataset with the egenregi position's only quote replaced."""
    item = f'  - text: "{quote}"\n    speaker: {speaker}\n' if speaker else f'  - "{quote}"\n'
    return text.replace('  - "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak."\n', item)


def _with_second_quote(text: str, quote: str, speaker: str | None = None) -> str:
    """The dataset with a second quote after the egenregi position's own-words quote."""
    own = '  - "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak."\n'
    extra = f'  - text: "{quote}"\n    speaker: {speaker}\n' if speaker else f'  - "{quote}"\n'
    return text.replace(own, own + extra)


@pytest.mark.parametrize("quote,formula", [
    ("Ekspertgruppen har også påpekt at NAV bør gjøre mer selv.", "Ekspertgruppen"),
    ("Utvalget mener at alle tiltak bør settes ut på anbud.", "Utvalget"),
])
def test_quote_opening_with_a_reporting_formula_needs_a_speaker(lint, quote, formula):
    text = _with_second_quote(YAML, quote)
    result = lint(text, source=REPORTED)
    assert result.exit_code == 0  # a warning: the position still has its own words
    assert (f"{DATA}:{line_of(text, quote[:30])}: warning: positions[1].quotes[1]: the quote opens with a reporting "
            f"formula (“{formula} …”) but has no speaker: say whose words they are, or keep only tf's own words") \
        in result.stderr.splitlines()


def test_a_speaker_settles_the_formula(lint):
    text = _with_second_quote(YAML, "Ekspertgruppen har også påpekt at NAV bør gjøre mer selv.", "Ekspertgruppen")
    result = lint(text, source=REPORTED)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "0 errors, 0 warnings" in result.stdout


def test_another_organisation_as_the_subject_is_a_reporting_formula(lint):
    text = YAML.replace("\ndocuments:\n", "- id: nho\n  name: Næringslivets Hovedorganisasjon\n  short: NHO\n"
                        "  kind: employer-organisation\n\ndocuments:\n")
    text = _with_second_quote(text, "NHO mener at anbud bør prøves ut først.")
    result = lint(text, source=REPORTED)
    assert "positions[1].quotes[1]: the quote opens with a reporting formula (“NHO mener …”)" in result.stderr


def test_the_documents_own_organisation_as_the_subject_is_its_own_words(lint):
    result = lint(_with_second_quote(YAML, "TF mener at NAV bør gjøre mer selv."), source=REPORTED)
    assert result.exit_code == 0
    assert "reporting formula" not in result.stderr


def test_a_position_resting_only_on_other_speakers_is_an_error(lint):
    text = _quote_as(YAML, "Ekspertgruppen har også påpekt at NAV bør gjøre mer selv.", "Ekspertgruppen")
    result = lint(text, source=REPORTED)
    assert result.exit_code == 2
    assert (f"{DATA}:{line_of(text, '- issue: egenregi')}: positions[1]: no quote in tf's own words: every quote names "
            "another speaker; record the view as that speaker's (a reported position) or drop the position") \
        in result.stderr.splitlines()


def test_a_reported_position_may_rest_on_the_speakers_words(lint):
    text = YAML.replace("\ndocuments:\n", "- id: ekspertgruppen\n  name: Ekspertgruppen\n  kind: other\n"
                        "\ndocuments:\n")
    text = text.replace("\nnot_addressed:", "- issue: egenregi\n  organisation: ekspertgruppen\n"
                        "  reported_by: tf-2020\n  stance: for\n  summary:\n    nb: Ifølge TF vil gruppen ha egenregi.\n"
                        "    en: According to TF, the group wants in-house work.\n  quotes:\n"
                        '  - text: "Ekspertgruppen har også påpekt at NAV bør gjøre mer selv."\n'
                        "    speaker: Ekspertgruppen\n\nnot_addressed:")
    result = lint(text, source=REPORTED)
    assert result.exit_code == 0, result.stderr
    assert "(1 reported)" in result.stdout


def test_unknown_key_in_a_quote(lint):
    text = _quote_as(YAML, "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak.", "Ekspertgruppen")
    text = text.replace("    speaker: Ekspertgruppen", "    speeker: Ekspertgruppen")
    result = lint(text)
    assert result.exit_code == 2
    assert f"{DATA}:{line_of(text, 'speeker')}: positions[1].quotes[0].speeker: unknown key; did you mean 'speaker'?" \
        in result.stderr.splitlines()


def test_nearest_passage_hints_are_bounded_so_a_broken_dataset_is_checked_quickly(tmp_path, monkeypatch):
    import minidata
    from stancecli import validation

    yaml = minidata.YAML.replace('"Vi er imot anbudsutsetting av arbeidsmarkedstiltak."',
                                 '"Vi er imot anbudsutsetting av arbeidsmarkedstiltak i kommunene."')
    yaml = yaml.replace('"NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak."',
                        '"NAV bør gjøre mer i egenregi, med egne ansatte og egne kurs."')
    monkeypatch.setattr(validation, "MAX_NEAREST_HINTS", 1)
    report = validation.validate_path(minidata.make(tmp_path, yaml))
    missing = [p.message for p in report.errors if "quote not found" in p.message]
    assert len(missing) == 2
    assert sum("did you mean line" in m for m in missing) == 1  # the first gets its hint, the second none
    assert any("nearest passage is suggested for the first 1 only" in p.message for p in report.warnings)
