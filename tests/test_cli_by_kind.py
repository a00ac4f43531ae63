"""`--by kind` on compare, who-supports and who-opposes: unions, municipalities, employer organisations.

Small dataset: unions u1 (i1 +, latest) and u2 (i1 --); municipality m1; employer e1; ngo r1 known
only from b-2011's report on i2."""

import json

import pytest


def by_key(stdout: str, width: int = 2) -> dict[tuple[str, ...], list[str]]:
    return {tuple(r[:width]): r for r in (line.split("\t") for line in stdout.splitlines())}


def test_compare_by_kind_in_a_pipe(cli, small_data):
    result = cli("compare", "i1", "--by", "kind", "--data", str(small_data))
    assert result.exit_code == 0, result.stderr
    rows = by_key(result.stdout)
    assert rows[("i1", "union")][2:6] == ["2", "2", "mixed", "-0.5"]
    assert rows[("i1", "municipality")][2:5] == ["0", "1", "not-addressed"]
    assert rows[("i1", "municipality")][7] == "m1"  # ids in records


def test_an_organisation_without_a_document_is_not_counted_as_silent(cli, small_data):
    """r1 has no document; it spoke (through b-2011) on i2 only: not 'not addressing' i1."""
    rows = by_key(cli("compare", "i1", "i2", "--by", "kind", "--data", str(small_data)).stdout)
    assert ("i1", "ngo") not in rows
    assert rows[("i2", "ngo")][2:5] == ["1", "1", "against"]


@pytest.fixture
def coded(small_data):
    text = small_data.read_text(encoding="utf-8").replace("- {key: i1, ", "- {key: i1, codebook: true, ")
    small_data.write_text(text + "not_addressed:\n  m-2011: [i1]\n", encoding="utf-8")
    return str(small_data)


def test_undecided_is_counted_apart_from_not_addressed(cli, coded):
    records = json.loads(cli("compare", "i1", "--by", "kind", "-f", "json", "--data", coded).stdout)
    employer = next(r for r in records if r["kind"] == "employer-organisation")
    municipality = next(r for r in records if r["kind"] == "municipality")
    assert (employer["undecided"], employer["not_addressed"]) == (["e1"], [])
    assert (municipality["undecided"], municipality["not_addressed"]) == ([], ["m1"])


def test_compare_by_kind_json_and_markdown(cli, small_data):
    records = json.loads(cli("compare", "i1", "i2", "--by", "kind", "-f", "json", "--data", str(small_data)).stdout)
    union = next(r for r in records if r["issue"] == "i2" and r["kind"] == "union")
    assert {p["organisation"] for p in union["positions"]} == {"u1", "u2"}
    assert union["not_addressed"] == []
    md = cli("compare", "i1", "--by", "kind", "-f", "markdown", "--data", str(small_data)).stdout
    assert "| i1 | union | 2 | 2 | mixed | -0.5 |" in md


def test_compare_by_kind_terminal(cli, terminal, small_data):
    out = cli("compare", "i1", "--by", "kind", "--color", "never", "--data", str(small_data)).stdout
    assert "By kind of organisation" in out and "± mixed" in out


def test_who_supports_by_kind(cli, small_data):
    result = cli("who-supports", "i2", "--by", "kind", "--data", str(small_data))
    assert result.exit_code == 0
    rows = by_key(result.stdout, 1)
    assert rows[("union",)][1:3] == ["2", "2"]
    assert rows[("municipality",)][1:3] == ["0", "1"]


def test_who_opposes_by_kind_strong_and_csv(cli, small_data):
    out = cli("who-opposes", "i1", "--by", "kind", "--strong", "-f", "csv", "--data", str(small_data)).stdout
    lines = out.splitlines()
    assert lines[0] == "kind,count,of,members"
    assert lines[1] == "union,1,2,u2 -- (2011)"


def test_who_supports_by_kind_terminal_and_jsonl(cli, terminal, small_data):
    out = cli("who-supports", "i2", "--by", "kind", "--color", "never", "--data", str(small_data)).stdout
    assert "Who supports, by kind" in out
    lines = cli("who-supports", "i2", "--by", "kind", "-f", "jsonl", "--data", str(small_data)).stdout.splitlines()
    assert [json.loads(line)["kind"] for line in lines][:2] == ["union", "municipality"]


def test_nobody_by_kind_exits_1(cli, small_data):
    assert cli("who-supports", "i3", "--by", "kind", "--data", str(small_data)).exit_code == 1
