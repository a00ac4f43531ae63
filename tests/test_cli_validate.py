"""`validate`: every error names file, line and key; exit 2 on any error."""

import shutil

from conftest import DATA, SEEDS


def dataset_copy(tmp_path, edit=lambda text: text):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "stances.yaml"
    path.write_text(edit(DATA.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def line_of(path, needle, occurrence=1):
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [n for n, line in enumerate(lines, 1) if needle in line]
    return hits[occurrence - 1]


def test_bundled_dataset_validates(cli):
    result = cli("validate")
    assert result.exit_code == 0
    assert "quotes located 234/234" in result.stdout or "quotes located" in result.stdout
    assert "codebook pairs decided 100/100" in result.stdout
    assert "0 errors" in result.stdout


def test_bad_stance_is_reported_with_file_line_and_key(cli, tmp_path, monkeypatch):
    path = dataset_copy(tmp_path, lambda t: t.replace("stance: strongly-against", "stance: support", 1))
    monkeypatch.chdir(tmp_path)
    result = cli("validate", "--data", str(path))
    assert result.exit_code == 2
    line = line_of(path, "stance: support")
    before = path.read_text(encoding="utf-8").split("stance: support")[0]
    index = before.split("\npositions:\n")[1].count("- issue:") - 1
    assert (f"data/stances.yaml:{line}: positions[{index}].stance: 'support' is not one of "
            "strongly-for, for, mixed, against, strongly-against") in result.stderr
    # One mistake, one message: the broken position still decides its codebook pair.
    assert "not decided" not in result.stderr
    assert "1 errors" in result.stdout


def test_quote_not_in_source_is_an_error_with_the_nearest_passage(cli, tmp_path):
    path = dataset_copy(tmp_path, lambda t: t.replace(
        "Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak.",
        "Ingen anbudsutsetting av oppfølgings- og arbeidstreningstiltak.", 1))
    result = cli("validate", "--data", str(path))
    assert result.exit_code == 2
    assert "quote not found in ../seeds/001_37ab94ba59815dd1.txt" in result.stderr
    assert "did you mean line 12:" in result.stderr


def test_undecided_codebook_pair_fails(cli, tmp_path):
    path = dataset_copy(tmp_path, lambda t: t.replace("  - storre-nav-kontor\n", "", 1))
    result = cli("validate", "--data", str(path))
    assert result.exit_code == 2
    assert "codebook issues not decided" in result.stderr
    assert "storre-nav-kontor" in result.stderr
    assert "codebook pairs decided 99/100" in result.stdout


def test_unknown_issue_in_a_position_suggests(cli, tmp_path):
    path = dataset_copy(tmp_path, lambda t: t.replace("- issue: egenregi", "- issue: egenregii", 1))
    result = cli("validate", "--data", str(path))
    assert result.exit_code == 2
    assert "unknown issue 'egenregii'; did you mean 'egenregi'?" in result.stderr


def test_validating_again_after_an_edit_says_what_a_first_validation_says(cli, tmp_path, monkeypatch):
    path = dataset_copy(tmp_path)
    assert cli("validate", "--data", str(path)).exit_code == 0
    edited = path.read_text(encoding="utf-8").replace("short: Parat NAV", "short: Parat X")
    path.write_text(edited.replace("codebook: true", "codebook: false", 1), encoding="utf-8")
    again = cli("validate", "--data", str(path))  # quotes of unchanged sources from the stale snapshot
    monkeypatch.setenv("STANCECLI_NO_CACHE", "1")
    fresh = cli("validate", "--data", str(path))
    assert "quotes located" in again.stdout and "codebook pairs decided" in again.stdout
    assert (again.exit_code, again.stdout, again.stderr) == (fresh.exit_code, fresh.stdout, fresh.stderr)
