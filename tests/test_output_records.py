"""The JSON contract: records validate against the shipped schemas, and the one-line jq filters the
README and --help show give true answers (jq orders null below every number: `null < 0` is true)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from jsonschema import Draft202012Validator

from stancecli.schema import records_schema


def jq_less_than(value, number) -> bool:
    """jq's `<` between a value and a number: null and booleans sort below every number."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, (int, float)):
        return value < number
    return False


def assert_valid(name: str, records: list) -> None:
    validator = Draft202012Validator(records_schema(name))
    for record in records:
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, (record, errors[0].message)


@pytest.fixture
def coded(small_data):
    """i1 is a codebook issue; m-2011 does not address it; e-2011 is not coded for it (undecided)."""
    text = small_data.read_text(encoding="utf-8").replace("- {key: i1, ", "- {key: i1, codebook: true, ")
    small_data.write_text(text + "not_addressed:\n  m-2011: [i1]\n", encoding="utf-8")
    return str(small_data)


@pytest.mark.parametrize("args", [("compare", "i1"), ("compare", "i1", "i2", "--absent"), ("who-supports", "i2"),
                                  ("who-opposes", "i1"), ("show", "u1")])
def test_position_records_validate(cli, coded, args):
    assert_valid("positions", json.loads(cli(*args, "--data", coded, "--format", "json").stdout))


def test_evidence_map_and_matrix_records_validate(cli, coded):
    assert_valid("evidence", json.loads(cli("evidence", "i1", "-C", "1", "--data", coded, "-f", "json").stdout))
    assert_valid("map", json.loads(cli("map", "--data", coded, "-f", "json").stdout))
    assert_valid("map", json.loads(cli("map", "--data", coded, "-f", "json", "--absent").stdout))
    assert_valid("matrix", json.loads(cli("matrix", "--data", coded, "-f", "json").stdout))


def test_readme_filter_names_only_organisations_against(cli, coded):
    records = json.loads(cli("compare", "i1", "--data", coded, "--format", "json").stdout)
    chosen = [r["organisation"] for r in records if jq_less_than(r.get("score"), 0)]
    assert chosen == ["u2"]  # Beta, strongly against; not the documents that said nothing


def test_readme_filter_on_the_bundled_data_is_true(cli):
    """`stancecli compare anbud --format json | jq -r '.[] | select(.score < 0) | .organisation'`."""
    records = json.loads(cli("compare", "anbud", "--format", "json").stdout)
    chosen = {r["organisation"] for r in records if jq_less_than(r.get("score"), 0)}
    against = {r["organisation"] for r in records if r["stance"] in ("against", "strongly-against")}
    assert chosen == against


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (the Python check above stands in)")
def test_readme_filter_with_jq_itself(cli, coded):
    out = cli("compare", "i1", "--data", coded, "--format", "json").stdout
    found = subprocess.run(["jq", "-r", ".[] | select(.score < 0) | .organisation"], input=out,
                           capture_output=True, text=True, check=True).stdout.split()
    assert found == ["u2"]
