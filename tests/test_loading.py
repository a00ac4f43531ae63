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


# ---------------------------------------------------------------- the event walk against a composed graph
# parse_yaml walks libyaml's events. What it answers must be what walking the composed node graph
# answers (the way it was read before): values, the line of every key and item, duplicate keys,
# and every refusal (aliases, merge keys, tags, depth) with its file:line:col. The reference below
# is that walk, kept short.

def _composed(text: str):
    """(data, lines, problems) or the DataError's messages, from the composed node graph."""
    import yaml

    from stancecli import loading

    def refuse(mark, message):
        return DataError([Problem(f"f:{mark.line + 1}", mark.column + 1, "", message)])

    seen: set[int] = set()
    lines: dict[tuple, int] = {}
    problems: list[Problem] = []

    def walk(node, path):
        if id(node) in seen:
            raise refuse(node.start_mark, loading._ALIASES_REFUSED)
        seen.add(id(node))
        if node.tag not in loading._PLAIN_TAGS:
            raise refuse(node.start_mark, f"YAML tags ({node.tag.replace('tag:yaml.org,2002:', '!!')}) "
                                          "are not allowed in a dataset")
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            if node.tag in (loading._STR_TAG, loading._TIMESTAMP_TAG):
                return node.value
            try:
                return loader.construct_object(node)
            except (ValueError, TypeError, OverflowError, AttributeError) as exc:
                raise DataError([Problem("f", node.start_mark.line + 1, "",
                                         f"malformed YAML: a value cannot be read ({exc})")]) from None
        if len(path) >= loading.MAX_DEPTH:
            raise refuse(node.start_mark, f"nested more than {loading.MAX_DEPTH} levels deep")
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, path + (i,)) for i, item in enumerate(node.value)]
        out, first = {}, {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == loading._MERGE_TAG:
                raise refuse(value_node.start_mark, loading._ALIASES_REFUSED)
            if not isinstance(key_node, yaml.ScalarNode):
                raise DataError([Problem("f", line, loading._dotted(path), "mapping keys must be plain text")])
            child = path + (key_node.value,)
            if key_node.value in first:
                problems.append(Problem("f", line, loading._dotted(child), f"duplicate key (first at line "
                                        f"{first[key_node.value]}); YAML keeps only the last one"))
            first.setdefault(key_node.value, line)
            out[key_node.value] = walk(value_node, child)
            lines[child] = line
        return out

    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return ["empty"]
        return walk(node, ()), lines, problems
    except yaml.MarkedYAMLError as exc:
        return [str(p) for p in loading._malformed(text, "f", exc).problems]
    except DataError as exc:
        return [str(p) for p in exc.problems]
    except yaml.reader.ReaderError as exc:
        return [str(p) for p in loading._reader_error(text, "f", exc).problems]
    except yaml.YAMLError as exc:
        return [f"malformed YAML: {exc}"]
    finally:
        loader.dispose()


def _walked(text: str):

    from stancecli.loading import parse_yaml

    try:
        tree = parse_yaml(text, "f")
    except DataError as exc:
        if exc.problems[0].message.startswith("the file is empty"):
            return ["empty"]
        if exc.problems[0].message.startswith("malformed YAML") and exc.problems[0].line == 1 \
                and exc.problems[0].file == "f":
            return [f"malformed YAML: {exc.problems[0].message.split(': ', 1)[1]}"]
        return [str(p) for p in exc.problems]
    return tree.data, tree.lines, tree.problems


TRICKY_YAML = [
    "",
    "# only a comment\n",
    "---\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n---\nb: [\n",
    "a: &x 1\nb: *x\n",
    "a: &x [1, 2]\nb: *x\n",
    "a: *nowhere\n",
    "a: &x 1\nb: &x 2\n",
    "&k key: 1\nother: *k\n",
    "&k key: 1\nother: *k\nmore: *k\n",
    "a: &m {x: 1}\n*m : 2\n",
    "a: &r [*r]\n",
    "<<: {a: 1}\n",
    "a: {<<: *x}\n",
    "base: &b {a: 1}\nthis:\n  <<: *b\n",
    "? [a, b]\n: 1\n",
    "? !!merge [a]\n: 1\n",
    "a: <<\n",
    "a: !!python/object/apply:os.system ['x']\n",
    "a: !!str 12\nb: !!int '7'\nc: !!float x\n",
    "a: !!map x\n",
    "a: !!seq x\n",
    "a: ! 12\nb: !!timestamp 2020-02-30\nc: 2020-02-30\n",
    "a: !!binary aGk=\n",
    "a: 1\na: 2\nb: {c: 1, c: 2}\n",
    "1: one\ntrue: yes\nnull: ~\n3.5: x\n",
    "a: [1, 2.5, true, null, ~, '', 0x1f, 1_000, .inf, 2020-05-04, '2020-05-04']\n",
    "a:\n  - b: 1\n    c:\n      - d\n      - e: [f, {g: h}]\n",
    "x: " + "[" * 70 + "]" * 70 + "\n",
    "x: " + "{a: " * 70 + "1" + "}" * 70 + "\n",
    "a: 'unclosed\nb: 2\n",
    'a: "bad \\q escape"\n',
    "a: b: c\n",
    "- a\nb: c\n",
    "a: \x07\n",
    "\t- a\n",
]


@pytest.mark.parametrize("text", TRICKY_YAML)
def test_event_walk_answers_as_the_composed_graph(text):
    assert _walked(text) == _composed(text)


def test_event_walk_answers_as_the_composed_graph_on_the_bundled_dataset():
    from conftest import DATA

    text = DATA.read_text(encoding="utf-8")
    assert _walked(text) == _composed(text)


def _yaml_texts():
    from hypothesis import strategies as st

    # Anchors given up front (or not) make the aliases below mostly defined, sometimes twice used.
    full = "h: [&x a, &y b, &z [1], &w {k: v}]\n&k i: j\n"
    header = st.sampled_from(["", "&k h: &x a\n", full, full, full])
    atoms = st.sampled_from(["a", "b", "c", "1", "~", "true", "'q'", '"d"', "2020-02-30", "<<", "!!str 1",
                             "!!int 2", "!x y", "*x", "*y", "*z", "*w", "*k", "[a, *x]", "{a: *y}", "&v [1]",
                             "!!map {}", "? c", "- e"])
    keys = st.sampled_from(["a", "b", "c", "d", "a", "b", "<<", "&q a", "*k", "*x", "? [a]", "!!merge m", "1"])

    def block(inner):
        mapping = st.lists(st.tuples(keys, inner), min_size=1, max_size=4).map(
            lambda items: "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}")
        sequence = st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
        return st.one_of(mapping, sequence)

    flow = st.recursive(atoms, block, max_leaves=12)
    top = st.lists(st.tuples(keys, flow), min_size=1, max_size=5)
    return st.tuples(header, top).map(lambda parts: parts[0] + "".join(f"{k}: {v}\n" for k, v in parts[1]))


def test_event_walk_answers_as_the_composed_graph_on_generated_yaml():
    from hypothesis import HealthCheck, given, settings

    @given(_yaml_texts())
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def check(text):
        assert _walked(text) == _composed(text)

    check()


@pytest.mark.parametrize("text", [YAML, "version: [\n"])
def test_loading_leaves_the_garbage_collector_as_it_was(tmp_path, text):
    import gc

    path = minidata.make(tmp_path, text)
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            load_dataset(path)
        except DataError:
            pass
        finally:
            assert gc.isenabled() is enabled
            gc.enable()
