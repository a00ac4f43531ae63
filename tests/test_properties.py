"""Property-based tests and a short fuzzing run of the YAML loading path.

The loader, on any input at all, returns a dataset or raises DataError (which the
CLI prints as file:line: message, exit 2); name resolution never crashes and
resolves every key and alias to its own entry. STANCECLI_FUZZ_EXAMPLES sets how
many examples the fuzzing tests try (default: a run CI can afford).
"""

from __future__ import annotations

import os
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import minidata
from conftest import DATA
from stancecli.corpus import Sources
from stancecli.loading import DataError, load_dataset
from stancecli.names import UnknownName, fold, resolve
from stancecli.validation import Report, check

FUZZ = int(os.environ.get("STANCECLI_FUZZ_EXAMPLES", "150"))
fuzz = settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REAL = DATA.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A dataset folder whose stances.yaml each example overwrites; seeds/tf.txt beside it."""
    root = tmp_path_factory.mktemp("fuzz")
    return minidata.make(root)


def load_and_check(path, sources: Sources | None = None) -> None:
    """What `validate` does; anything but DataError escaping is a bug. The sources never change
    between examples, so examples may share what was read of them."""
    try:
        dataset, problems = load_dataset(path)
    except DataError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return
    report = Report(dataset, list(problems))
    check(dataset, report, sources or Sources())
    for problem in report.problems:
        assert "\x1b" not in str(problem)


# ---------------------------------------------------------------- the loader on arbitrary input


@given(st.text())
@fuzz
def test_loader_on_arbitrary_unicode_raises_only_data_error(scratch, text):
    scratch.write_text(text, encoding="utf-8")
    load_and_check(scratch)


@given(st.binary(max_size=2000))
@fuzz
def test_loader_on_arbitrary_bytes_raises_only_data_error(scratch, raw):
    scratch.write_bytes(raw)
    load_and_check(scratch)


# Values that reach every branch of the builder: the right keys with any kind of value.
KEYS = ["version", "organisations", "documents", "issues", "positions", "not_addressed", "id", "name", "short",
        "kind", "organisation", "title", "hearing", "year", "date", "source", "signatories", "key", "proposal",
        "aliases", "codebook", "issue", "document", "reported_by", "stance", "confidence", "note", "summary",
        "quotes", "nb", "en", "text", "role", "tf", "tf-2020", "anbud"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 3000), st.floats(allow_nan=True),
                    st.sampled_from(["tf", "tf-2020", "anbud", "against", "union", "2020-02-30", "2020-05-04",
                                     "../seeds/tf.txt", "../../etc/passwd", "/", ".", "", " ", "[bold]x", "\x1b[31m",
                                     "Vi er imot anbudsutsetting av arbeidsmarkedstiltak."]),
                    st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5)), max_leaves=30)
datasets = st.dictionaries(st.sampled_from(KEYS[:6] + ["other"]), values, max_size=6)


@given(datasets)
@fuzz
def test_loader_and_validate_on_arbitrary_structures(scratch, data):
    import yaml

    scratch.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load_and_check(scratch)


@st.composite
def mutated(draw) -> str:
    """The real dataset with a few lines deleted, doubled, swapped or garbled."""
    lines = REAL.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "double", "swap", "garble", "indent", "dedent"]))
        if action == "delete":
            del lines[i]
        elif action == "double":
            lines.insert(i, lines[i])
        elif action == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif action == "garble":
            at = draw(st.integers(0, len(lines[i])))
            junk = draw(st.text(alphabet=string.printable + "&*!|>%@`'\"[]{}:#-\t\x00\x1b", max_size=4))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        elif action == "indent":
            lines[i] = " " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][1:]
    return "\n".join(lines)


# Each example validates the whole curated dataset, which grows: a fifth of the examples keeps the
# suite's time bounded (STANCECLI_FUZZ_EXAMPLES raises it for a long run).
fuzz_real = settings(max_examples=max(10, FUZZ // 5), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def mutant(tmp_path_factory):
    """A dataset file each example overwrites, beside a link to the real sources, and one Sources."""
    root = tmp_path_factory.mktemp("mutant")
    (root / "data").mkdir()
    os.symlink(DATA.parent.parent / "seeds", root / "seeds")
    return root / "data" / "stances.yaml", Sources()


@given(mutated())
@fuzz_real
def test_fuzzing_the_real_dataset_never_crashes(mutant, text):
    path, sources = mutant
    path.write_text(text, encoding="utf-8")
    load_and_check(path, sources)


# ---------------------------------------------------------------- name resolution

names = st.text(min_size=1, max_size=20)


@given(names, st.dictionaries(st.text(max_size=12), st.lists(st.text(max_size=12), max_size=3), max_size=6))
@settings(max_examples=300, deadline=None)
def test_name_resolution_never_crashes(name, entries):
    try:
        found = resolve("issue", name, entries)
    except UnknownName as exc:
        assert exc.name == name and all(s in entries for s in exc.suggestions)
        return
    assert found in entries


@st.composite
def unambiguous_entries(draw) -> dict[str, list[str]]:
    """Ids and aliases that fold to distinct, non-empty names."""
    entries: dict[str, list[str]] = {}
    taken: set[str] = set()
    for _ in range(draw(st.integers(1, 6))):
        ident = draw(names)
        aliases = draw(st.lists(names, max_size=3))
        folded = [fold(x) for x in [ident, *aliases]]
        if any(not f or f in taken for f in folded) or len(set(folded)) != len(folded):
            continue
        taken.update(folded)
        entries[ident] = aliases
    assume(entries)
    return entries


@given(unambiguous_entries())
@settings(max_examples=300, deadline=None)
def test_every_key_and_alias_resolves_to_itself(entries):
    for ident, aliases in entries.items():
        assert resolve("issue", ident, entries) == ident
        for alias in aliases:
            assert resolve("issue", alias, entries) == ident


@given(names)
@settings(max_examples=300, deadline=None)
def test_fold_is_stable(name):
    assert fold(fold(name)) == fold(name)


def test_every_key_and_alias_of_the_bundled_dataset_resolves_to_its_issue(dataset):
    from stancecli.names import resolve_issue

    for key, issue in dataset.issues.items():
        assert resolve_issue(dataset, key) == key
        for alias in issue.aliases:
            assert resolve_issue(dataset, alias) == key
