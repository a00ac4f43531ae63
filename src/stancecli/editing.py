"""Editing stances.yaml without disturbing it: new entries are inserted as text.

Every byte the user wrote stays as it was (comments, order, quoting, blank lines);
the new entries are rendered by a round-trip YAML library (ruamel.yaml) in block
style and inserted after the last item of their section. The result is parsed
again before anything is written, and written atomically (a temporary file in
the same folder, then os.replace), so on any error the file is untouched.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stancecli.errors import CurationProblem


class EditError(CurationProblem):
    """The dataset file cannot be edited safely; it was left as it was."""


@dataclass
class Addition:
    """One new item for a top-level list such as `documents` or `organisations`."""

    section: str
    entry: dict[str, Any]


@dataclass
class Edited:
    """The new text, and the 1-based first line of each addition in it."""

    text: str
    lines: list[int]


# ---------------------------------------------------------------- rendering

def render_entry(entry: dict[str, Any]) -> list[str]:
    """A block-style list item: '- id: x' and '  key: value' lines, no line ends."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML(typ="rt")
    yaml.width = 1_000_000  # never fold a long title
    yaml.indent(mapping=2, sequence=2, offset=0)
    item = CommentedMap((k, _styled(v)) for k, v in entry.items() if v is not None)
    out = io.StringIO()
    yaml.dump([item], out)
    return out.getvalue().rstrip("\n").split("\n")


def _styled(value: Any) -> Any:
    """Text that YAML would have to quote gets double quotes, as in the bundled file."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str) and _needs_quotes(value):
        return DoubleQuotedScalarString(value)
    if isinstance(value, list):
        return [{k: _styled(v) for k, v in x.items()} if isinstance(x, dict) else _styled(x) for x in value]
    return value


def _needs_quotes(text: str) -> bool:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 1_000_000
    out = io.StringIO()
    yaml.dump({"k": text}, out)
    return not out.getvalue().startswith(f"k: {text}\n") or out.getvalue().count("\n") > 1


def yaml_date(text: str | None) -> Any:
    """'2014-06-24' as a date, so it is written plain like the others; YYYY-MM stays text."""
    if text and len(text) == 10:
        return _dt.date.fromisoformat(text)
    return text


# ---------------------------------------------------------------- where to insert

def _compose(text: str):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        raise EditError(f"the dataset is not valid YAML, so it cannot be edited safely: {exc}") from None
    finally:
        loader.dispose()


def _last_leaf(node):
    """The last thing written inside a node."""
    import yaml

    while True:
        if isinstance(node, yaml.MappingNode) and node.value:
            node = node.value[-1][1]
        elif isinstance(node, yaml.SequenceNode) and node.value:
            node = node.value[-1]
        else:
            return node


def _after(leaf, lines: list[str], tidy: bool) -> int:
    """The line after a node's content: blank and comment lines that follow it belong to what comes next."""
    end = leaf.end_mark
    at = end.line + (1 if end.column > 0 else 0)
    floor = leaf.start_mark.line + 1
    while tidy and at > floor and (not lines[at - 1].strip() or lines[at - 1].lstrip().startswith("#")):
        at -= 1
    return at


def _insertion_point(root, section: str, lines: list[str], tidy: bool) -> tuple[int, int] | None:
    """(0-based line to insert before, column of the items' dash), or None to append the section."""
    import yaml

    for key, value in root.value:
        if key.value != section:
            continue
        if isinstance(value, yaml.SequenceNode) and value.value and not value.flow_style:
            return _after(_last_leaf(value), lines, tidy), value.start_mark.column
        if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null") and value.value == "":
            return key.start_mark.line + 1, key.start_mark.column
        raise EditError(f"'{section}' is not a block list ('- ...' items) in the dataset, so a new entry "
                        "cannot be added safely; add it by hand")
    return None


# ---------------------------------------------------------------- inserting

def insert(text: str, additions: list[Addition]) -> Edited:
    """The text with each addition inserted at the end of its section; nothing else changes."""
    import yaml

    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    eol = "\r\n" if "\r\n" in body else "\n"
    lines = body.split(eol)
    root = _compose(body)
    if not isinstance(root, yaml.MappingNode):
        raise EditError("the dataset's top level is not a mapping, so it cannot be edited safely")
    # Before the blank lines and comments that end a section, unless they are a value's own content.
    for tidy in (True, False):
        edited = _apply(lines, _points(root, additions, lines, tidy), eol, bom)
        if _only_added(body, edited.text[len(bom):], additions):
            return edited
    raise EditError("inserting the entry would change other entries; add it by hand")


def _points(root, additions: list[Addition], lines: list[str], tidy: bool) -> list[tuple[int, int, list[str]]]:
    points = []
    for n, addition in enumerate(additions):
        rendered = render_entry(addition.entry)
        point = _insertion_point(root, addition.section, lines, tidy)
        if point is None:
            points.append((len(lines), n, [f"{addition.section}:", *rendered]))
        else:
            at, column = point
            points.append((at, n, [" " * column + line for line in rendered]))
    return points


def _only_added(old: str, new: str, additions: list[Addition]) -> bool:
    """Whether the new text reads as the old one plus the additions, every other value the same."""
    from stancecli.loading import DataError, parse_yaml

    try:
        before, after = parse_yaml(old, "old").data, parse_yaml(new, "new").data
    except DataError as exc:
        raise EditError(f"the dataset cannot be edited safely: {exc}") from None
    for addition in reversed(additions):
        items = after.get(addition.section)
        if not isinstance(items, list) or not items:
            return False
        items.pop()
        if not items and addition.section not in before:
            del after[addition.section]
        elif not items and before.get(addition.section) is None:
            after[addition.section] = None
    return after == before


def _apply(lines: list[str], points: list[tuple[int, int, list[str]]], eol: str, bom: str) -> Edited:
    body = lines[:-1] if lines and lines[-1] == "" else list(lines)
    out: list[str] = []
    first: dict[int, int] = {}
    cursor = 0
    for at, n, new in sorted(points, key=lambda p: (min(p[0], len(body)), p[1])):
        at = min(at, len(body))
        out.extend(body[cursor:at])
        cursor = at
        header = 0 if new[0].lstrip().startswith("-") else 1
        first[n] = len(out) + header + 1
        out.extend(new)
    out.extend(body[cursor:])
    return Edited(bom + eol.join(out) + eol, [first[n] for n in range(len(points))])


# ---------------------------------------------------------------- writing

def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file beside `path` and os.replace: all or nothing."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        _copy_mode(path, Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_mode(source: Path, target: Path) -> None:
    try:
        os.chmod(target, source.stat().st_mode & 0o7777)
    except OSError:
        pass
