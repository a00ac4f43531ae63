"""`validate` as a linter: each finding names file:line and key, says what is wrong and, where it can,
what was meant."""

from __future__ import annotations

import pytest

import minidata
from minidata import YAML, line_of
from stancecli import validation

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


# ---------------------------------------------------------------- quotes found before an edit

def _asked(monkeypatch) -> list[str]:
    """The quotes Source.find is asked to look for, in order."""
    from stancecli.corpus import Source

    asked: list[str] = []
    real = Source.find

    def find(self, quote):
        asked.append(quote)
        return real(self, quote)

    monkeypatch.setattr(Source, "find", find)
    return asked


def _spans(report) -> list:
    return [q.span for p in report.dataset.positions for q in p.quotes]


def _fresh_spans(report) -> list:
    """Every quote looked for afresh in its source as it is now."""
    from stancecli.corpus import read_source

    ds = report.dataset
    return [read_source(ds.documents[p.source_document].path).find(q.text) for p in ds.positions for q in p.quotes]


def _findings(report) -> tuple:
    return (report.problems, report.quotes, report.quotes_located, report.pairs_total, report.pairs_decided)


def _validated_then_edited(tmp_path, edit_yaml=lambda text: text, source: str = minidata.SOURCE):
    """A dataset validated once (its snapshot written), then its YAML edited."""
    from stancecli.opening import validate_dataset

    path = minidata.make(tmp_path, YAML, source)
    assert validate_dataset(path).ok
    path.write_text(edit_yaml(YAML.replace("Testforbundet er imot anbud.", "TF er imot anbud.")), encoding="utf-8")
    return path


def test_after_an_edit_of_the_dataset_quotes_of_unchanged_sources_are_not_looked_for_again(tmp_path, monkeypatch):
    from stancecli.opening import validate_dataset

    path = _validated_then_edited(tmp_path)
    asked = _asked(monkeypatch)
    report = validate_dataset(path)
    assert asked == []
    assert report.ok and report.quotes_located == report.quotes == 2
    assert _spans(report) == _fresh_spans(report) and None not in _spans(report)
    asked.clear()
    monkeypatch.setenv("STANCECLI_NO_CACHE", "1")
    again = validation.validate_path(path)
    assert len(asked) == 2  # without the snapshot every quote is looked for, with the same findings
    assert _findings(again) == _findings(report) and _spans(again) == _spans(report)


def test_a_changed_quote_is_looked_for_again(tmp_path, monkeypatch):
    path = _validated_then_edited(tmp_path, lambda text: text.replace(
        '"Vi er imot anbudsutsetting av arbeidsmarkedstiltak."', '"Anbud gir dårligere kvalitet for brukerne."'))
    asked = _asked(monkeypatch)
    report = validation.validate_path(path)
    assert asked == ["Anbud gir dårligere kvalitet for brukerne."]
    assert _spans(report) == _fresh_spans(report) and report.dataset.positions[0].quotes[0].span.line_start == 4


def test_the_quotes_of_a_changed_source_are_looked_for_again(tmp_path, monkeypatch):
    path = _validated_then_edited(tmp_path)
    source = tmp_path / "seeds" / "tf.txt"
    source.write_text("\n\n" + minidata.SOURCE, encoding="utf-8")
    asked = _asked(monkeypatch)
    report = validation.validate_path(path)
    assert len(asked) == 2
    assert _spans(report) == _fresh_spans(report) and report.dataset.positions[0].quotes[0].span.line_start == 5


def test_a_source_changed_in_the_instant_of_the_snapshot_is_compared_by_content(tmp_path, monkeypatch):
    from stancecli import cache
    from stancecli.opening import validate_dataset

    path = minidata.make(tmp_path)
    source = tmp_path / "seeds" / "tf.txt"
    old, now_ns = cache.stamp(source), cache._now_ns
    monkeypatch.setattr(cache, "_now_ns", lambda: old[2])  # written in the tick the source last changed
    assert validate_dataset(path).ok
    monkeypatch.setattr(cache, "_now_ns", now_ns)
    # The same length, and (as the clock may not have ticked) the same stamp: the quote moves up a line.
    moved = minidata.SOURCE.replace("Testforbundet\n\nVi er", "Testforbundet\nVi\n\ner")
    source.write_text(moved, encoding="utf-8")
    real = cache.stamp
    monkeypatch.setattr(cache, "stamp", lambda p: old if str(p) == str(source) else real(p))
    path.write_text(YAML.replace("Testforbundet er imot anbud.", "TF er imot anbud."), encoding="utf-8")
    asked = _asked(monkeypatch)
    report = validation.validate_path(path)
    assert len(asked) == 2
    assert _spans(report) == _fresh_spans(report) and report.dataset.positions[0].quotes[0].span.line_start == 2


def test_a_document_moved_to_another_source_is_looked_for_there(tmp_path, monkeypatch):
    path = _validated_then_edited(tmp_path, lambda text: text.replace("../seeds/tf.txt", "../seeds/tf2.txt"))
    (tmp_path / "seeds" / "tf2.txt").write_text("Ny side\n\n\n" + minidata.SOURCE, encoding="utf-8")
    asked = _asked(monkeypatch)
    report = validation.validate_path(path)
    assert len(asked) == 2
    assert _spans(report) == _fresh_spans(report) and report.dataset.positions[0].quotes[0].span.line_start == 6


@pytest.mark.parametrize("harm", ["missing", "garbage", "damaged section", "another version"])
def test_without_an_intact_snapshot_every_quote_is_looked_for(tmp_path, monkeypatch, harm):
    from stancecli import cache

    path = _validated_then_edited(tmp_path)
    snap = cache._snapshot_path(path)
    raw = snap.read_bytes()
    if harm == "missing":
        snap.unlink()
    elif harm == "garbage":
        snap.write_bytes(b"not a snapshot")
    elif harm == "damaged section":
        snap.write_bytes(raw.replace(b"Vi er imot anbudsutsetting", b"Vi er imot anbudsutsettinG"))
    else:
        monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    asked = _asked(monkeypatch)
    report = validation.validate_path(path)
    assert len(asked) == 2
    assert report.ok and _spans(report) == _fresh_spans(report) and None not in _spans(report)


def test_a_quote_not_found_before_is_looked_for_again_with_its_hint(tmp_path, monkeypatch):
    from stancecli.opening import open_dataset

    broken = YAML.replace("egne ansatte og egne tiltak.", "egne ansatte og egne kurs.")
    path = minidata.make(tmp_path, broken)
    open_dataset(path)  # a read command keeps the snapshot, the quote not found in it
    path.write_text(broken.replace("Testforbundet er imot anbud.", "TF er imot anbud."), encoding="utf-8")
    asked = _asked(monkeypatch)
    report = validation.validate_path(path)
    assert asked == ["NAV bør gjøre mer i egenregi, med egne ansatte og egne kurs."]
    assert [q.span is None for p in report.dataset.positions for q in p.quotes] == [False, True]
    assert any("did you mean line 6" in p.message for p in report.errors)
