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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

LOCK_SUFFIX = ".lock"

# Lock files this process holds: dataset_lock is re-entrant, so write_dataset may be called both
# inside a caller's dataset_lock block and on its own (flock would block against our own lock).
_HELD: set[Path] = set()


def lock_path(path: Path) -> Path:
    """The sibling lock file of a dataset: `.stances.yaml.lock` beside the real file (links followed)."""
    real = Path(os.path.realpath(path))
    return real.parent / f".{real.name}{LOCK_SUFFIX}"


@contextmanager
def dataset_lock(path: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Exclusive lock held around read–plan–write of the dataset at `path`.

    The lock is fcntl.flock on a sibling lock file (`.stances.yaml.lock`, beside the link's target
    when `path` is a symlink), so every writer of the same file, through any name, waits for the
    others. The lock file is removed when the block ends; the kernel releases the lock if the
    process dies (a lock file left by kill -9 is taken over and removed by the next writer). If
    another process holds the lock, on_wait(message) is called once, then the call blocks until
    the lock is free. Re-entrant within one process.
    """
    target = lock_path(path)
    if target in _HELD:
        yield
        return
    fd = _acquire(target, path, on_wait)
    _HELD.add(target)
    try:
        yield
    finally:
        _HELD.discard(target)
        try:
            os.unlink(target)  # still locked: a writer that opened it meanwhile sees it gone and retries
        except OSError:
            pass
        os.close(fd)  # closing the only descriptor releases the flock


def _acquire(target: Path, path: Path, on_wait: Callable[[str], None] | None) -> int:
    """A descriptor of the lock file, flocked; the lock file must still be the one at `target`."""
    import fcntl

    said = False
    while True:
        try:
            fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            from stancecli.datapath import display_path

            raise EditError(f"{display_path(target)}: cannot create the lock file ({exc.strerror or exc}); "
                            "nothing was changed") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None and not said:
                on_wait(f"waiting for another writer of {path} to finish ...")
                said = True
            fcntl.flock(fd, fcntl.LOCK_EX)
        if _same_file(fd, target):
            return fd
        os.close(fd)  # the holder removed that lock file as it finished: lock the new one


def _same_file(fd: int, target: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(target)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def write_dataset(path: Path, expected_old: str, new_text: str) -> None:
    """Under the lock: re-read the dataset at `path`, refuse if it no longer equals `expected_old`,
    else write `new_text` atomically.

    Hold dataset_lock around your own read and plan as well, so that a concurrent writer waits
    instead of making you fail; this call takes the lock itself if you do not hold it. A file that
    changed since it was read is refused with EditError (a CurationProblem): nothing is written.
    The write is atomic (a temporary file in the target's folder, fsync, rename), goes THROUGH a
    symlink to its target (the link stays a link) and keeps the file's mode.
    """
    with dataset_lock(path):
        target = Path(os.path.realpath(path))
        try:
            current = target.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EditError(f"{path}: cannot be read again before writing ({exc}); nothing was changed") from None
        if current != expected_old:
            raise EditError(f"{path} was changed by another writer while this edit was prepared; nothing "
                            "was written: run the command again")
        try:
            write_atomic(target, new_text)
        except OSError as exc:
            raise WriteFailed(path, exc) from None


class WriteFailed(EditError):
    """The dataset could not be written (a full disk, a read-only folder); it was left as it was."""

    def __init__(self, path: Path, error: OSError):
        self.path, self.error = path, error
        super().__init__(os_failure(path, error, "the file is as it was"))


def os_failure(path: Path, exc: OSError, unchanged: str) -> str:
    """A write that failed, said truthfully: which file, why, and (`unchanged`) what was left as it was."""
    import errno

    from stancecli.datapath import display_path

    cause = "no space left on the device" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    return f"{display_path(path)}: {cause} while writing it; nothing was changed ({unchanged})"


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file beside `path`'s real file and rename: all or nothing.

    A symlink is written through (its target is replaced, the link stays), the mode is kept, and
    the folder is fsynced after the rename so the new name survives a power cut.
    """
    path = Path(os.path.realpath(path))
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
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make renames in `folder` durable; silently skipped where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _copy_mode(source: Path, target: Path) -> None:
    try:
        os.chmod(target, source.stat().st_mode & 0o7777)
    except OSError:
        pass


# ---------------------------------------------------------------- not_addressed

NOT_ADDRESSED = "not_addressed"


def add_not_addressed(text: str, doc_id: str, issue: str) -> tuple[str, int]:
    """The text with `issue` listed under not_addressed for `doc_id`, and the 1-based line it is on.

    The item goes after the document's last listed issue (block or flow list alike), or a new
    `doc_id:` entry after the section's last one, or a new section at the end; nothing else changes.
    """
    import yaml

    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    eol = "\r\n" if "\r\n" in body else "\n"
    lines = body.split(eol)
    if lines and lines[-1] == "":
        lines.pop()
    root = _compose(body)
    if not isinstance(root, yaml.MappingNode):
        raise EditError("the dataset's top level is not a mapping, so it cannot be edited safely")
    at = _not_addressed_edit(root, lines, doc_id, _plain(issue))
    new = bom + eol.join(lines) + eol
    if not _only_listed(body, new[len(bom):], doc_id, issue):
        raise EditError(f"listing '{issue}' as not addressed by {doc_id} would change other entries; "
                        "add it by hand")
    return new, at + 1


def _plain(word: str) -> str:
    """A key or list item as YAML text: plain when it reads back as the same text (`no` would not)."""
    import yaml

    try:
        same = yaml.safe_load(word) == word
    except yaml.YAMLError:
        same = False
    if same and not _needs_quotes(word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _not_addressed_edit(root, lines: list[str], doc_id: str, issue: str) -> int:
    """Edit `lines` in place; return the 0-based line that now lists the issue."""
    import yaml

    doc = _plain(doc_id)
    section = next(((k, v) for k, v in root.value if k.value == NOT_ADDRESSED), None)
    if section is None:
        lines.extend([""] if lines and lines[-1].strip() else [])
        lines.extend([f"{NOT_ADDRESSED}:", f"  {doc}:", f"  - {issue}"])
        return len(lines) - 1
    key, value = section
    if _empty(value):
        lines[key.start_mark.line + 1:key.start_mark.line + 1] = [f"  {doc}:", f"  - {issue}"]
        return key.start_mark.line + 2
    if not isinstance(value, yaml.MappingNode) or value.flow_style:
        raise EditError(f"'{NOT_ADDRESSED}' is not a block mapping in the dataset, so it cannot be "
                        "edited safely; add the issue by hand")
    entry = next(((k, v) for k, v in value.value if k.value == doc_id), None)
    if entry is None:
        at = _after(_last_leaf(value), lines, True)
        column = value.start_mark.column
        lines[at:at] = [" " * column + f"{doc}:", " " * column + f"- {issue}"]
        return at + 1
    return _list_issue(entry[0], entry[1], lines, issue)


def _empty(node) -> bool:
    import yaml

    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and node.value == ""


def _list_issue(key, items, lines: list[str], issue: str) -> int:
    """Add the issue to one document's list: a block list, a flow list or an empty value."""
    import yaml

    if _empty(items):
        at = key.start_mark.line + 1
        lines[at:at] = [" " * key.start_mark.column + f"- {issue}"]
        return at
    if not isinstance(items, yaml.SequenceNode):
        raise EditError(f"not_addressed.{key.value} is not a list of issue keys; add the issue by hand")
    if items.flow_style:
        end = items.end_mark  # just after the closing ']'
        row = lines[end.line]
        joiner = ", " if items.value else ""
        lines[end.line] = row[:end.column - 1] + joiner + issue + row[end.column - 1:]
        return end.line
    at = _after(_last_leaf(items), lines, True)
    lines[at:at] = [" " * items.start_mark.column + f"- {issue}"]
    return at


def _only_listed(old: str, new: str, doc_id: str, issue: str) -> bool:
    """Whether the new text reads as the old one with the issue added to the document's list."""
    from stancecli.loading import DataError, parse_yaml

    try:
        before, after = parse_yaml(old, "old").data, parse_yaml(new, "new").data
    except DataError as exc:
        raise EditError(f"the dataset cannot be edited safely: {exc}") from None
    listed = (after.get(NOT_ADDRESSED) or {}).get(doc_id)
    if not isinstance(listed, list) or not listed or listed[-1] != issue:
        return False
    listed.pop()
    if not listed and doc_id not in (before.get(NOT_ADDRESSED) or {}):
        del after[NOT_ADDRESSED][doc_id]
        if not after[NOT_ADDRESSED] and not before.get(NOT_ADDRESSED):
            after[NOT_ADDRESSED] = before.get(NOT_ADDRESSED, None)
            if NOT_ADDRESSED not in before:
                del after[NOT_ADDRESSED]
    elif not listed and (before.get(NOT_ADDRESSED) or {}).get(doc_id) is None:
        after[NOT_ADDRESSED][doc_id] = None
    return after == before
