"""Round-trip edits: new entries go in, every byte the user wrote stays, writes are all or nothing."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from conftest import DATA
from minidata import YAML
from stancecli.editing import Addition, EditError, insert, write_atomic

DOC = {"id": "lo-2024", "organisation": "tf", "title": "Høringssvar: «x» og \"y\"", "hearing": "NOU 2024:1",
       "year": 2024, "date": dt.date(2024, 3, 1), "source": "../seeds/lo.txt"}


def removed(new: str, old: str) -> list[str]:
    """Lines of old that are missing from new, in order (empty when new only adds lines)."""
    import difflib

    ops = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False).get_opcodes()
    return [tag for tag, *_ in ops if tag not in ("equal", "insert")]


def test_insert_keeps_every_line_of_the_bundled_dataset():
    old = DATA.read_text(encoding="utf-8")
    new = insert(old, [Addition("documents", DOC)]).text
    assert removed(new, old) == []
    assert len(new.splitlines()) == len(old.splitlines()) + 7


def test_new_document_lands_after_the_last_document_not_after_the_blank_line():
    edited = insert(YAML, [Addition("documents", DOC)])
    lines = edited.text.splitlines()
    first = edited.lines[0]
    assert lines[first - 1] == "- id: lo-2024"
    assert lines[first - 2] == "  source: ../seeds/tf.txt"
    assert lines[first + 6] == ""  # the blank line before issues: still separates the sections
    assert lines[first + 7] == "issues:"


def test_rendered_entry_matches_the_file_style():
    text = insert(YAML, [Addition("documents", DOC)]).text
    assert '  title: "Høringssvar: «x» og \\"y\\""\n' in text  # quoted like the others, double quotes
    assert "  hearing: NOU 2024:1\n" in text  # plain when YAML allows it
    assert "  date: 2024-03-01\n" in text


def test_edited_text_loads_with_the_new_entry():
    import yaml

    edited = insert(YAML, [Addition("documents", DOC), Addition("organisations",
                                                                {"id": "lo", "name": "LO", "kind": "union"})])
    data = yaml.safe_load(edited.text)
    assert data["documents"][-1]["title"] == DOC["title"]
    assert data["organisations"][-1] == {"id": "lo", "name": "LO", "kind": "union"}
    assert [edited.text.splitlines()[n - 1] for n in edited.lines] == ["- id: lo-2024", "- id: lo"]


def test_comments_and_quoting_elsewhere_are_kept():
    text = YAML.replace("  hearing: Testhøring\n", "  hearing: 'Testhøring'   # single-quoted on purpose\n")
    new = insert(text, [Addition("documents", DOC)]).text
    assert "  hearing: 'Testhøring'   # single-quoted on purpose\n" in new
    assert new.startswith("# yaml-language-server: $schema=../src/stancecli/schema/stances.schema.json\n")
    assert removed(new, text) == []


def test_indented_list_style_is_followed():
    text = YAML.replace("\n- id: tf-2020\n  organisation: tf\n", "\n  - id: tf-2020\n    organisation: tf\n")
    text = text.replace('  title: "Høringssvar: test"\n  hearing: Testhøring\n  year: 2020\n  date: 2020-05-04\n'
                        "  source: ../seeds/tf.txt\n",
                        '    title: "Høringssvar: test"\n    hearing: Testhøring\n    year: 2020\n'
                        "    date: 2020-05-04\n    source: ../seeds/tf.txt\n")
    edited = insert(text, [Addition("documents", DOC)])
    assert "\n  - id: lo-2024\n    organisation: tf\n" in edited.text


def test_crlf_and_bom_are_kept():
    text = "\ufeff" + YAML.replace("\n", "\r\n")
    new = insert(text, [Addition("documents", DOC)]).text
    assert new.startswith("\ufeff# yaml-language-server")
    assert "\n" not in new.replace("\r\n", "")
    assert "\r\n- id: lo-2024\r\n" in new


def test_missing_section_is_added_at_the_end():
    text = YAML.replace("organisations:\n- id: tf\n  name: Testforbundet\n  short: TF\n  kind: union\n", "")
    edited = insert(text, [Addition("organisations", {"id": "lo", "name": "LO", "kind": "union"})])
    assert edited.text.endswith("organisations:\n- id: lo\n  name: LO\n  kind: union\n")


def test_empty_section_gets_its_first_item():
    text = YAML.replace("organisations:\n- id: tf\n  name: Testforbundet\n  short: TF\n  kind: union\n",
                        "organisations:\n")
    edited = insert(text, [Addition("organisations", {"id": "lo", "name": "LO", "kind": "union"})])
    assert "organisations:\n- id: lo\n  name: LO\n  kind: union\n\ndocuments:" in edited.text


def test_flow_style_section_is_refused_rather_than_rewritten():
    text = YAML.replace("organisations:\n- id: tf\n  name: Testforbundet\n  short: TF\n  kind: union\n",
                        "organisations: [{id: tf, name: Testforbundet, kind: union}]\n")
    with pytest.raises(EditError, match="'organisations' is not a block list"):
        insert(text, [Addition("organisations", {"id": "lo", "name": "LO", "kind": "union"})])


def test_last_item_ending_in_a_block_scalar():
    text = YAML.replace("  kind: union\n", "  kind: union\n  description: |\n    Line one.\n    Line two.\n\n")
    edited = insert(text, [Addition("organisations", {"id": "lo", "name": "LO", "kind": "union"})])
    assert "    Line two.\n- id: lo\n" in edited.text


def test_malformed_yaml_is_not_edited():
    with pytest.raises(EditError, match="not valid YAML"):
        insert("organisations:\n  - id: a\n - b\n", [Addition("organisations", {"id": "x"})])


def test_write_atomic_replaces_the_file_and_keeps_its_mode(tmp_path):
    path = tmp_path / "stances.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    write_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["stances.yaml"]


def test_write_atomic_leaves_the_file_untouched_when_the_write_fails(tmp_path, monkeypatch):
    path = tmp_path / "stances.yaml"
    path.write_text("old\n")
    before = path.stat().st_mtime_ns

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert path.stat().st_mtime_ns == before
    assert [p.name for p in tmp_path.iterdir()] == ["stances.yaml"]  # no temporary file left behind


def test_block_scalar_keeping_its_trailing_lines_is_never_cut_short():
    text = YAML.replace("  kind: union\n", "  kind: union\n  description: |+\n    Line one.\n\n\n")
    edited = insert(text, [Addition("organisations", {"id": "lo", "name": "LO", "kind": "union"})])
    import yaml

    kept = yaml.safe_load(text)["organisations"][0]["description"]
    assert kept.startswith("Line one.\n\n\n")
    assert yaml.safe_load(edited.text)["organisations"][0]["description"] == kept
