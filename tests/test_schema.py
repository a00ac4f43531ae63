"""The JSON Schema: shipped in the package, named by the data file, and in agreement with `validate`."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

import minidata
from conftest import DATA, REPO
from minidata import YAML
from stancecli.schema import load_schema, modeline_target, schema_path


def as_json(value):
    """What an editor's YAML 1.2 parser sees: dates are text."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def schema_errors(text: str) -> list[str]:
    import yaml

    validator = jsonschema.Draft7Validator(load_schema())
    return [e.message for e in validator.iter_errors(as_json(yaml.safe_load(text)))]


def test_schema_is_valid_draft_07():
    jsonschema.Draft7Validator.check_schema(load_schema())
    declared = json.loads(schema_path().read_text(encoding="utf-8"))["$schema"]
    assert declared.startswith("http://json-schema.org/draft-07")


def test_data_file_names_the_shipped_schema_on_its_first_line():
    text = DATA.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../src/stancecli/schema/stances.schema.json"
    assert (DATA.parent / modeline_target(text)).resolve() == schema_path()


def test_schema_is_packaged():
    assert schema_path().is_file()
    assert "recursive-include src/stancecli/schema *.json" in (REPO / "MANIFEST.in").read_text()


def test_bundled_dataset_conforms_to_the_schema():
    assert schema_errors(DATA.read_text(encoding="utf-8")) == []


def test_schema_gives_editors_the_stance_labels_for_completion():
    stance = load_schema()["definitions"]["position"]["properties"]["stance"]
    from stancecli.model import STANCES

    assert stance["enum"] == list(STANCES)


# Samples: (name, edit of the small valid dataset). Accepted ones must pass both; rejected ones fail both.
ACCEPTED = [
    ("as is", lambda t: t),
    ("year without date", lambda t: t.replace("  date: 2020-05-04\n", "")),
    ("date without year", lambda t: t.replace("  year: 2020\n", "")),
    ("quote as {text: ...}", lambda t: t.replace('  - "NAV bør gjøre', '  - text: "NAV bør gjøre')),
    ("optional fields left empty", lambda t: t.replace("  short: TF\n", "  short:\n  description:\n")),
    ("confidence and note", lambda t: t.replace("  stance: against\n",
                                                "  stance: against\n  confidence: low\n  note: close call\n")),
    ("signatories", lambda t: t.replace("  source: ../seeds/tf.txt\n", "  source: ../seeds/tf.txt\n  signatories:\n"
                                        "  - name: Kari Nordmann\n    role: leder\n  - name: Ola Nordmann\n")),
    ("no not_addressed section", lambda t: t.split("not_addressed:")[0]),
]
REJECTED = [
    ("bad stance", lambda t: t.replace("stance: against", "stance: support")),
    ("unknown key", lambda t: t.replace("  short: TF\n", "  short: TF\n  homepage: x\n")),
    ("unknown top-level key", lambda t: t + "extra: 1\n"),
    ("bad organisation kind", lambda t: t.replace("kind: union", "kind: club")),
    ("missing title", lambda t: t.replace('  title: "Høringssvar: test"\n', "")),
    ("missing year and date", lambda t: t.replace("  year: 2020\n  date: 2020-05-04\n", "")),
    ("year out of range", lambda t: t.replace("year: 2020", "year: 1066").replace("  date: 2020-05-04\n", "")),
    ("bad id", lambda t: t.replace("- id: tf-2020", "- id: TF 2020").replace("document: tf-2020", "document: TF 2020")),
    ("no quotes", lambda t: t.replace('  quotes:\n  - "Vi er imot anbudsutsetting av arbeidsmarkedstiltak."\n',
                                      "  quotes: []\n")),
    ("summary without nb", lambda t: t.replace("    nb: Testforbundet er imot anbud.\n", "")),
    ("title as plain text", lambda t: t.replace("  title:\n    nb: NAV i egenregi\n    en: NAV in-house\n",
                                                "  title: NAV i egenregi\n")),
    ("document and reported_by", lambda t: t.replace("  document: tf-2020\n  stance: for",
                                                     "  document: tf-2020\n  reported_by: tf-2020\n  stance: for")),
    ("reported_by without organisation", lambda t: t.replace("  document: tf-2020\n  stance: for",
                                                             "  reported_by: tf-2020\n  stance: for")),
    ("codebook not a boolean", lambda t: t.replace("codebook: true", "codebook: yes please")),
    ("bad confidence", lambda t: t.replace("  stance: against\n", "  stance: against\n  confidence: sure\n")),
    ("unsupported version", lambda t: t.replace("version: 1", "version: 2")),
    ("organisations not a list", lambda t: t.replace("organisations:\n- id: tf\n  name: Testforbundet\n  short: TF\n"
                                                     "  kind: union\n", "organisations: tf\n")),
    ("empty quote", lambda t: t.replace('"Vi er imot anbudsutsetting av arbeidsmarkedstiltak."', '" "')),
]


def run_validate(cli, tmp_path, text):
    path = minidata.make(tmp_path, text)
    return cli("validate", "--data", str(path))


@pytest.mark.parametrize("name, edit", ACCEPTED, ids=[n for n, _ in ACCEPTED])
def test_validate_and_schema_both_accept(cli, tmp_path, name, edit):
    text = edit(YAML)
    assert schema_errors(text) == []
    result = run_validate(cli, tmp_path, text)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("name, edit", REJECTED, ids=[n for n, _ in REJECTED])
def test_validate_and_schema_both_reject(cli, tmp_path, name, edit):
    text = edit(YAML)
    assert text != YAML
    assert schema_errors(text) != []
    result = run_validate(cli, tmp_path, text)
    assert result.exit_code == 2
    assert "data/stances.yaml" in result.stderr
