"""The examples in docs/analysis.md are the tool's real output, checked as the README's are
(tests/test_readme.py): every `$ command` of a ```console block runs from a scratch copy of data/
and seeds/ and must print what the page shows. Table output is asked for with --format table,
which is what a terminal shows by default, at the 100 columns the examples were made at."""

from __future__ import annotations

import pytest

import test_readme
from test_readme import REPO, Example, examples

PAGE = REPO / "docs" / "analysis.md"
EXAMPLES = examples(PAGE.read_text(encoding="utf-8"))


def test_the_analysis_page_has_examples_to_check():
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"docs/analysis.md:{e.line}")
def test_analysis_page_example_prints_what_the_page_shows(example: Example, tmp_path):
    test_readme.test_readme_example_prints_what_the_readme_shows(example, tmp_path)
