"""The loader: file:line for everything, dates as text, and strictness where data would silently vanish."""

from __future__ import annotations

import pytest

import minidata
from minidata import YAML, line_of
from stancecli.loading import DataError, Problem, load_dataset, load_or_fail, printable, source_allowed


def load(tmp_path, text: str = YAML):
    return load_dataset(minidata.make(tmp_path, text))


def messages(problems) -> list[str]:
    return [f"{p.line}: {p.where}: {p.message}" for p in problems]


def test_small_dataset_loads_cleanly_with_lines(tmp_path):
    dataset, problems = load(tmp_path)
    assert problems == []
    assert dataset.positions[1].line == line_of(YAML, "- issue: egenregi")
    assert dataset.positions[0].quotes[0].line == line_of(YAML, '- "Vi er imot')
    assert dataset.documents["tf-2020"].line == line_of(YAML, "- id: tf-2020")


def test_unquoted_date_is_read_as_the_date_written(tmp_path):
    dataset, _ = load(tmp_path, YAML.replace("  year: 2020\n", ""))
    assert dataset.documents["tf-2020"].date == "2020-05-04"
    assert dataset.documents["tf-2020"].year == 2020


def test_date_and_year_must_agree(tmp_path):
    _, problems = load(tmp_path, YAML.replace("year: 2020", "year: 2019"))
    line = line_of(YAML, "date: 2020")
    assert messages(problems) == [f"{line}: documents[0].date: date 2020-05-04 is not in year 2019"]


def test_unsupported_version(tmp_path):
    _, problems = load(tmp_path, YAML.replace("version: 1", "version: 2"))
    assert messages(problems) == ["3: version: '2' is not a supported version (this stancecli reads version 1)"]


def test_alias_that_is_not_text_is_reported_not_dropped(tmp_path):
    text = YAML.replace("  - anbudsutsetting\n", "  - anbudsutsetting\n  - {nb: x}\n")
    _, problems = load(tmp_path, text)
    assert messages(problems) == [f"{line_of(text, '{nb: x}')}: issues[0].aliases[1]: an alias must be non-empty "
                                  "text, got a mapping"]


def test_not_addressed_entry_that_is_not_an_issue_key(tmp_path):
    text = YAML.replace("  tf-2020: []", "  tf-2020:\n  - [anbud]")
    _, problems = load(tmp_path, text)
    assert messages(problems) == [f"{line_of(text, '- [anbud]')}: not_addressed.tf-2020[0]: expected an issue key, "
                                  "got a list"]


def test_quote_mapping_with_an_unknown_key(tmp_path):
    text = YAML.replace('  - "NAV bør gjøre', '  - page: 2\n    text: "NAV bør gjøre')
    _, problems = load(tmp_path, text)
    assert messages(problems) == [f"{line_of(text, 'page: 2')}: positions[1].quotes[0].page: unknown key "
                                  "(expected one of text, speaker)"]


def test_quote_names_its_speaker_or_is_the_organisations_own(tmp_path):
    text = YAML.replace('  - "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak."',
                        '  - text: "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak."\n'
                        '    speaker: Ekspertgruppen')
    dataset, problems = load(tmp_path, text)
    assert problems == []
    assert dataset.positions[1].quotes[0].speaker == "Ekspertgruppen"
    assert dataset.positions[1].quotes[0].text == "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak."
    assert dataset.positions[0].quotes[0].speaker is None


def test_unknown_key_suggests_the_right_one(tmp_path):
    text = YAML.replace("  stance: against", "  stanse: against")
    _, problems = load(tmp_path, text)
    assert f"{line_of(text, 'stanse')}: positions[0].stanse: unknown key; did you mean 'stance'?" in messages(problems)


def test_duplicate_keys_are_reported_with_both_lines(tmp_path):
    text = YAML.replace("  stance: against\n", "  stance: against\n  stance: for\n")
    _, problems = load(tmp_path, text)
    assert messages(problems) == [f"{line_of(text, 'stance: for')}: positions[0].stance: duplicate key (first at line "
                                  f"{line_of(text, 'stance: against')}); YAML keeps only the last one"]


def test_long_values_are_clipped_in_messages(tmp_path):
    text = YAML.replace("kind: union", "kind: " + "x" * 500)
    _, problems = load(tmp_path, text)
    assert problems[0].message.startswith("'xxx") and len(problems[0].message) < 150


def test_read_commands_stop_at_the_first_structural_error(tmp_path):
    with pytest.raises(DataError) as caught:
        load_or_fail(minidata.make(tmp_path, YAML.replace("stance: against", "stance: nope")))
    assert [p.where for p in caught.value.problems] == ["positions[0].stance"]


def test_missing_dataset_says_how_to_point_at_one(tmp_path):
    with pytest.raises(DataError) as caught:
        load_dataset(tmp_path / "nothing.yaml")
    assert str(caught.value).endswith("nothing.yaml: dataset not found")


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(DataError, match="is a folder; expected a stances.yaml file"):
        load_dataset(tmp_path)


def test_problem_text_never_carries_terminal_control_characters():
    problem = Problem("data/stances.yaml", 7, "positions[0].quotes[0]", "quote \x1b[2J\x07 and \u202eevil")
    assert str(problem) == "data/stances.yaml:7: positions[0].quotes[0]: quote \\x1b[2J\\x07 and \\u202eevil"
    assert printable("æøå «ok» [bold]") == "æøå «ok» [bold]"


def test_sources_may_live_in_the_dataset_folder_or_its_parent(tmp_path):
    base = tmp_path / "data"
    assert source_allowed(base, (tmp_path / "seeds" / "a.txt").resolve())
    assert source_allowed(base, (base / "a.txt").resolve())
    assert not source_allowed(base, (tmp_path.parent / "elsewhere.txt").resolve())
    assert not source_allowed(base, tmp_path.parent.resolve())
