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


# Every command with pipe formats, and the schema its records follow (search has its own tests).
RECORD_SCHEMAS = [
    ("positions", ("compare", "i1")),
    ("positions", ("compare", "i1", "i2", "--absent", "--quotes")),
    ("positions", ("who-supports", "i2")),
    ("positions", ("who-opposes", "i1", "--strong")),
    ("positions", ("show", "u1")),
    ("evidence", ("evidence", "i1", "-C", "1")),
    ("map", ("map",)),
    ("map", ("map", "--absent", "--by", "document")),
    ("matrix", ("matrix",)),
    ("matrix", ("matrix", "--by", "kind")),
    ("agree", ("agree", "u1", "u2")),
    ("changes", ("diff", "a-2010", "a-2012")),
    ("changes", ("diff", "b-2011", "e-2011")),
    ("changes", ("timeline", "u1")),
    ("conflicts", ("conflicts", "--min", "1")),
    ("kind", ("compare", "i1", "i2", "--by", "kind")),
    ("sides-by-kind", ("who-supports", "i2", "--by", "kind")),
    ("sides-by-kind", ("who-opposes", "i1", "--by", "kind", "--strong")),
    ("issues", ("issues",)),
    ("orgs", ("orgs",)),
    ("docs", ("docs",)),
    ("docs", ("docs", "--coverage")),
]


@pytest.mark.parametrize("schema, args", RECORD_SCHEMAS, ids=[" ".join(a) for _, a in RECORD_SCHEMAS])
def test_every_command_json_and_jsonl_records_follow_their_schema(cli, coded, schema, args):
    as_json = cli(*args, "--data", coded, "--format", "json")
    as_jsonl = cli(*args, "--data", coded, "--format", "jsonl")
    assert as_json.exit_code == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    assert records, "a fixture that gives no record tests nothing"
    assert [json.loads(line) for line in as_jsonl.stdout.splitlines()] == records
    assert_valid(schema, records)


def test_every_shipped_records_schema_is_valid_and_tested():
    from stancecli.schema import SCHEMA_FILE

    shipped = {p.name.split(".")[0] for p in SCHEMA_FILE.parent.glob("*.records.schema.json")}
    assert shipped == {name for name, _ in RECORD_SCHEMAS}
    for name in shipped:
        Draft202012Validator.check_schema(records_schema(name))


def test_a_record_with_a_field_out_of_contract_fails_its_schema(cli, coded):
    """The schemas are strict enough to catch a wrong record, not only to pass the right ones."""
    record = json.loads(cli("compare", "i1", "--data", coded, "-f", "json").stdout)[0]
    validator = Draft202012Validator(records_schema("positions"))
    assert list(validator.iter_errors({**record, "score": None}))
    issues = json.loads(cli("issues", "--data", coded, "-f", "json").stdout)[0]
    assert list(Draft202012Validator(records_schema("issues")).iter_errors({**issues, "codebook": "yes"}))


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
