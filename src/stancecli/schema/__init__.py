"""The JSON Schema of stances.yaml, shipped in the package for editors and tools.

The data file names it on its first line, in the yaml-language-server convention:

    # yaml-language-server: $schema=../src/stancecli/schema/stances.schema.json

The schema checks the file's shape (keys, types, labels); `stancecli validate`
checks the same and more (references, verbatim quotes, duplicates, coverage).
"""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA_FILE = Path(__file__).resolve().with_name("stances.schema.json")
MODELINE = "# yaml-language-server: $schema="


def schema_path() -> Path:
    """Where the schema file is, in a checkout or an installed package."""
    return SCHEMA_FILE


def load_schema() -> dict:
    """The schema as a dict (JSON Schema draft-07)."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def modeline_target(text: str) -> str | None:
    """The schema path a data file names on its first line, if any."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    return first[len(MODELINE):].strip() if first.startswith(MODELINE) else None


def records_schema(name: str) -> dict:
    """The JSON Schema (draft 2020-12) of one command family's records: 'positions' (compare,
    who-supports, who-opposes, show), 'evidence', 'map', 'matrix', 'agree', 'changes' (diff,
    timeline), 'conflicts', 'kind' (compare --by kind), 'sides-by-kind' (who-supports and
    who-opposes --by kind), 'issues', 'orgs' or 'docs'."""
    return json.loads(SCHEMA_FILE.with_name(f"{name}.records.schema.json").read_text(encoding="utf-8"))
