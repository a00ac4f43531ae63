"""Reading a stances YAML file into the model, with file:line for every problem."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stancecli.datapath import ENV_DATA, default_data_path, display_path, resolve_data_path  # noqa: F401
from stancecli.errors import DataProblemError
from stancecli.model import (
    CONFIDENCES,
    DOC_KINDS,
    ORG_KINDS,
    STANCES,
    Dataset,
    Document,
    Issue,
    Organisation,
    Position,
    Quote,
    Signatory,
    Text,
)

MAX_YAML_BYTES = 32 * 1024 * 1024
MAX_NODES = 2_000_000
SCHEMA_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

TOP_KEYS = ("version", "organisations", "documents", "issues", "positions", "not_addressed")
ORG_KEYS = ("id", "name", "short", "kind", "members", "description")
DOC_KEYS = ("id", "organisation", "title", "hearing", "year", "date", "reference", "source", "signatories",
            "url", "published", "kind")
ISSUE_KEYS = ("key", "title", "proposal", "aliases", "codebook")
QUOTE_KEYS = ("text", "speaker")
POSITION_KEYS = (
    "issue", "document", "organisation", "reported_by", "stance",
    "confidence", "note", "summary", "quotes",
)
_STANCE_NAMES = tuple(STANCES)


@dataclass(frozen=True)
class Problem:
    """One finding about a dataset: where, what, and how bad."""

    file: str
    line: int
    where: str
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        loc = f"{self.file}:{self.line}" if self.line else self.file
        where = f" {self.where}:" if self.where else ""
        label = "" if self.severity == "error" else " warning:"
        return printable(f"{loc}:{label}{where} {self.message}")


# C0/C1 controls (ESC starts terminal sequences), line breaks and bidi overrides in data.
def printable(text: str) -> str:
    """Text safe for a terminal, control characters shown as escapes: ESC becomes \\x1b.
    The character set is the one cleaner's (stancecli.output.safe), shared by every renderer."""
    from stancecli.output.safe import escape

    return escape(text)


class DataError(DataProblemError):
    """The dataset cannot be used at all; carries its problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class DatasetNotFound(DataError):
    """There is no dataset file where one was looked for."""


class collector_paused:
    """The cyclic garbage collector off for a block (and back as it was after it).

    Loading builds hundreds of thousands of objects that all live on, in cycles or not: each
    pass the collector makes over them while they are built finds nothing to free, and those
    passes took a third of a cold `validate` of 12,000 positions.
    """

    def __enter__(self) -> None:
        import gc

        self.was_on = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        import gc

        if self.was_on:
            gc.enable()


# ---------------------------------------------------------------- YAML with lines

MAX_DEPTH = 64
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Tree:
    """Constructed YAML data plus the line of every mapping key and sequence item."""

    def __init__(self, data: Any, lines: dict[tuple, int], problems: list[Problem] | None = None):
        self.data = data
        self.lines = lines
        self.problems = problems or []

    def line(self, path: tuple) -> int:
        while path:
            found = self.lines.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.lines.get((), 1)


def _yaml_loader(text: str):
    import yaml

    cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return cls(text)


def parse_yaml(text: str, file: str) -> _Tree:
    """safe_load semantics, refusing anchors/aliases (and so alias bombs), explicit tags
    and deep nesting; every YAML error becomes a DataError with file:line:col.

    libyaml's event stream, walked once: composing a node graph first cost more than the walk
    (a node and a resolver call in Python for every value). The walk refuses what a dataset
    never needs, records the line of every key and item, and builds the values. The answer is
    the one a composed graph gives, refusals and their places included: the composer's own
    checks (undefined or repeated anchors, a second document) are made on the events as they
    are parsed, before any value is walked, as composing does.
    """
    import yaml

    try:
        loader = _yaml_loader(text)
        try:
            events = _document_events(loader)
            if not events:
                raise DataError([Problem(file, 1, "", "the file is empty; expected a mapping with "
                                         "organisations, documents, issues and positions")])
            walker = _Walker(file, loader, events)
            data = walker.walk(())
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise _malformed(text, file, exc) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(text, file, exc) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(file, 1, "", f"malformed YAML: {exc}")]) from None
    except (UnicodeError, RecursionError) as exc:
        raise DataError([Problem(file, 1, "", f"malformed YAML: {type(exc).__name__}")]) from None
    return _Tree(data, walker.lines, walker.problems)


def _document_events(loader: Any) -> list:
    """The events of the stream's one document (without its start and end), with the checks
    composing makes: every alias names an anchor met before, no anchor is given twice, and
    nothing follows the first document. Empty for a stream without a document."""
    from yaml.composer import ComposerError
    from yaml.events import AliasEvent, DocumentEndEvent, StreamEndEvent

    get = loader.get_event
    get()  # the stream's start
    if isinstance(get(), StreamEndEvent):  # else the document's start
        return []
    events: list = []
    anchors: dict[str, Any] = {}
    append = events.append
    while True:
        event: Any = get()
        anchor, mark = getattr(event, "anchor", None), event.start_mark
        if anchor is not None:
            if type(event) is AliasEvent:
                if anchor not in anchors:
                    raise ComposerError(None, None, "found undefined alias", mark)
            elif anchor in anchors:
                raise ComposerError("found duplicate anchor; first occurrence", anchors[anchor],
                                    "second occurrence", mark)
            else:
                anchors[anchor] = mark
        if type(event) is DocumentEndEvent:
            break
        append(event)
    following = loader.peek_event()
    if not isinstance(following, StreamEndEvent):
        raise ComposerError("expected a single document in the stream", events[0].start_mark,
                            "but found another document", following.start_mark)
    return events


def _malformed(text: str, file: str, exc) -> DataError:
    mark, context = exc.problem_mark or exc.context_mark, exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.context or ""
    if what and context is not None and context.line + 1 != line:
        what += f" (from line {context.line + 1})"
    what = " ".join(x for x in (what, exc.problem) if x)
    start = context.line if context is not None and context.line < line - 1 else max(line - 40, 0)
    hint = _unclosed_quote(text, start, line)
    return DataError([Problem(f"{file}:{line}", col, "", f"malformed YAML: {what}{hint}")])


_OPENING_QUOTE = re.compile(r"""(?:^|:\s|-\s)\s*(["'])""")


def _unclosed_quote(text: str, first: int, last: int) -> str:
    """A hint when a line in [first, last) (0-based) opens a quoted scalar it never closes."""
    for n, line in enumerate(text.split("\n")[first:last - 1], first + 1):
        m = _OPENING_QUOTE.search(line)
        if m and not _closes(line[m.end():], m.group(1)):
            return f"; is the quote opened on line {n} closed?"
    return ""


def _closes(rest: str, quote: str) -> bool:
    rest = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
    return quote in rest


def _reader_error(text: str, file: str, exc) -> DataError:
    """A character YAML does not allow (libyaml counts its position in UTF-8 bytes)."""
    import yaml

    if getattr(yaml, "__with_libyaml__", False):
        raw = text.encode("utf-8", "surrogatepass")
        pos = min(max(exc.position, 0), len(raw))
        before = raw[:pos].decode("utf-8", "replace")
    else:
        before = text[: max(exc.position, 0)]
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    char = exc.character
    code = f"#x{ord(char):04x}" if isinstance(char, str) else f"#x{char:04x}"
    return DataError([Problem(f"{file}:{line}", col, "", f"malformed YAML: {exc.reason} (character {code})")])


# The tags plain YAML gives values by itself; anything else was written by hand (!!python/…).
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp",
                                                            "map", "seq"))
_ALIASES_REFUSED = "YAML anchors and aliases (&, *, <<) are not allowed in a dataset"


def _refused(file: str, mark, message: str) -> DataError:
    return DataError([Problem(f"{file}:{mark.line + 1}", mark.column + 1, "", message)])


class _Walker:
    """Builds the values from a document's events; records the line of every key and item; notes
    duplicate keys; refuses aliases, hand-written tags and deep nesting; dates stay text.

    An alias is refused where its anchored node starts, as when it is met twice in a composed
    graph; so is a merge key (<<). Keys are not walked: a scalar anchored as a key may be used
    once as a value through an alias, as a composed graph allows.
    """

    def __init__(self, file: str, loader: Any, events: list):
        import yaml

        self.file = file
        self.loader = loader
        self.events = events
        self.at = 0  # the next event
        self.lines: dict[tuple, int] = {}
        self.problems: list[Problem] = []
        self.walked = 0
        self.anchored: dict[str, Any] = {}  # anchor -> the first event of its node
        self.done: set[str] = set()  # anchors whose node has been walked as a value
        self.plain: dict[str, str] = {}  # a plain scalar's text -> its resolved tag
        self.resolve = loader.resolve
        self.scalar_event, self.mapping_event = yaml.ScalarEvent, yaml.MappingStartEvent
        self.kinds = {yaml.ScalarEvent: yaml.ScalarNode, yaml.SequenceStartEvent: yaml.SequenceNode,
                      yaml.MappingStartEvent: yaml.MappingNode}
        # Without path resolvers (the safe loader has none) a tag depends on the text alone.
        self.defaults = None if loader.yaml_path_resolvers else {
            yaml.ScalarEvent: loader.DEFAULT_SCALAR_TAG, yaml.SequenceStartEvent: loader.DEFAULT_SEQUENCE_TAG,
            yaml.MappingStartEvent: loader.DEFAULT_MAPPING_TAG}
        self.quoted_tag = None if self.defaults is None else loader.DEFAULT_SCALAR_TAG

    def tag(self, event: Any) -> str:
        """The tag composing gives the node: written, or resolved as a resolver would."""
        import yaml

        tag = event.tag
        if tag is not None and tag != "!":
            return tag
        kind = type(event)
        if kind is yaml.ScalarEvent:
            implicit = event.implicit
            if implicit[0] and self.defaults is not None:
                tag = self.plain.get(event.value)
                if tag is None:
                    tag = self.plain[event.value] = self.resolve(yaml.ScalarNode, event.value, implicit)
                return tag
            if self.defaults is None:
                return self.resolve(yaml.ScalarNode, event.value, implicit)
        elif self.defaults is None:
            return self.resolve(self.kinds[kind], None, event.implicit)
        return self.defaults[kind]

    def walk(self, path: tuple) -> Any:
        event = self.events[self.at]
        self.at += 1
        kind = type(event)
        anchor = event.anchor
        if anchor is not None:
            event = self._anchored(event, anchor)
            kind = type(event)
        self.walked += 1
        if self.walked > MAX_NODES:
            raise DataError([Problem(self.file, event.start_mark.line + 1, "", "the file is too large to check")])
        tag = None
        if kind is self.scalar_event and event.tag is None:  # the common case, without a call
            tag = self.plain.get(event.value) if event.implicit[0] else self.quoted_tag
        if tag is None:
            tag = self.tag(event)
        if tag not in _PLAIN_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise _refused(self.file, event.start_mark, f"YAML tags ({shown}) are not allowed in a dataset")
        self.lines[path] = event.start_mark.line + 1
        if kind is self.scalar_event:
            if tag == _STR_TAG or tag == _TIMESTAMP_TAG:
                return event.value  # a date stays text: '2014-02-30' is the builder's problem, not a crash
            return self._constructed(event, tag)
        if len(path) >= MAX_DEPTH:
            raise _refused(self.file, event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
        if kind is self.mapping_event:
            return self._mapping(path)
        return self._sequence(path)

    def _anchored(self, event: Any, anchor: str) -> Any:
        """The event of the node an anchor or alias stands for; an alias of a node walked before is
        refused where that node starts (a collection always was: only a key is not walked)."""
        import yaml

        if type(event) is yaml.AliasEvent:
            event = self.anchored[anchor]
            if anchor in self.done or type(event) is not yaml.ScalarEvent:
                raise _refused(self.file, event.start_mark, _ALIASES_REFUSED)
        else:
            self.anchored[anchor] = event
        self.done.add(anchor)
        return event

    def _constructed(self, event: Any, tag: str) -> Any:
        import yaml

        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.construct_object(node)
        except (ValueError, TypeError, OverflowError, AttributeError) as exc:
            raise DataError([Problem(self.file, event.start_mark.line + 1, "",
                                     f"malformed YAML: a value cannot be read ({exc})")]) from None

    def _text(self, event: Any) -> bool:
        """Whether `event` is text with neither anchor nor tag written (most values are): walk()
        would give its value and nothing else, so the loops below take it without the call."""
        if type(event) is not self.scalar_event or event.anchor is not None or event.tag is not None \
                or self.quoted_tag is None:
            return False
        tag = self.plain.get(event.value) if event.implicit[0] else self.quoted_tag
        if tag != _STR_TAG:  # not text, or not resolved yet: walk() does it
            return False
        self.at += 1
        self.walked += 1
        if self.walked > MAX_NODES:
            mark: Any = event.start_mark
            raise DataError([Problem(self.file, mark.line + 1, "", "the file is too large to check")])
        return True

    def _sequence(self, path: tuple) -> list:
        import yaml

        out: list[Any] = []
        events = self.events
        while type(events[self.at]) is not yaml.SequenceEndEvent:
            item = events[self.at]
            if self._text(item):
                self.lines[path + (len(out),)] = item.start_mark.line + 1
                out.append(item.value)
            else:
                out.append(self.walk(path + (len(out),)))
        self.at += 1
        return out

    def _mapping(self, path: tuple) -> dict[str, Any]:
        import yaml

        out: dict[str, Any] = {}
        first: dict[str, int] = {}
        events, plain, quoted = self.events, self.plain, self.quoted_tag
        while type(events[self.at]) is not yaml.MappingEndEvent:
            key = events[self.at]
            if type(key) is yaml.ScalarEvent and key.anchor is None and key.tag is None and quoted is not None:
                self.at += 1  # a plain key (almost every key): its tag without a call
                tag = (plain.get(key.value) if key.implicit[0] else quoted) or self.tag(key)
            else:
                key = self._key()
                tag = self.tag(key)
            line = key.start_mark.line + 1
            if tag == _MERGE_TAG:
                raise _refused(self.file, self._next_start(), _ALIASES_REFUSED)
            if type(key) is not yaml.ScalarEvent:
                raise DataError([Problem(self.file, line, _dotted(path), "mapping keys must be plain text")])
            name = key.value
            child = path + (name,)
            if name in first:
                self.problems.append(Problem(self.file, line, _dotted(child),
                                             f"duplicate key (first at line {first[name]}); "
                                             "YAML keeps only the last one"))
            first.setdefault(name, line)
            value = events[self.at]
            out[name] = value.value if self._text(value) else self.walk(child)
            self.lines[child] = line  # a value's place is its key's line
        self.at += 1
        return out

    def _key(self) -> Any:
        """The first event of the next key's node (an alias's anchored one); a key written as a
        collection is passed over whole, so that the value's events follow."""
        import yaml

        event: Any = self.events[self.at]
        self.at += 1
        anchor = event.anchor
        if type(event) is yaml.AliasEvent:
            return self.anchored[anchor]
        if anchor is not None:
            self.anchored[anchor] = event
        if type(event) is not yaml.ScalarEvent:
            depth = 1
            while depth:
                passed = type(self.events[self.at])
                self.at += 1
                depth += passed in (yaml.SequenceStartEvent, yaml.MappingStartEvent)
                depth -= passed in (yaml.SequenceEndEvent, yaml.MappingEndEvent)
        return event

    def _next_start(self) -> Any:
        """Where the next node starts (an alias's anchored node, as in a composed graph)."""
        import yaml

        event: Any = self.events[self.at]
        anchor = event.anchor
        return self.anchored[anchor].start_mark if type(event) is yaml.AliasEvent else event.start_mark


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# ---------------------------------------------------------------- building

class _Builder:
    def __init__(self, tree: _Tree, file: str, base: Path):
        self.tree = tree
        self.file = file
        self.base = base
        self.problems: list[Problem] = []
        self.broken_pairs: set[tuple[str, str]] = set()
        self._root: Path | None = None

    @property
    def root(self) -> Path:
        """The folder sources must lie in, found once: finding it reads every home folder."""
        if self._root is None:
            from stancecli.datapath import source_root

            self._root = source_root(self.base)
        return self._root

    def problem(self, path: tuple, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.file, self.tree.line(path), _dotted(path), message, severity))

    # -- typed field access ------------------------------------------------
    def mapping(self, value: Any, path: tuple, keys: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping, got {_kind(value)}")
            return None
        for key in value:
            if key not in keys:
                self.problem(path + (key,), f"unknown key{_suggest(str(key), keys)}")
        return value

    def seq(self, value: Any, path: tuple) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, f"expected a list, got {_kind(value)}")
            return []
        return value

    def text(self, m: dict, key: str, path: tuple, required: bool = True) -> str | None:
        value = m.get(key)
        if type(value) is str:  # by far the most common: straight to the end
            value = value.strip()
            if required and not value:
                self.problem(path + (key,), "must not be empty")
            return value
        if value is None:
            if required:
                self.problem(path, f"missing required key '{key}'")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(path + (key,), f"expected text, got {_kind(value)}")
            return None
        value = str(value).strip()
        if required and not value:
            self.problem(path + (key,), "must not be empty")
        return value

    def ident(self, m: dict, key: str, path: tuple, required: bool = True) -> str | None:
        value = self.text(m, key, path, required)
        if value and not ID_PATTERN.match(value):
            self.problem(path + (key,), f"'{_clip(value)}' is not a valid id (lower-case letters, digits and '-')")
        return value

    def choice(self, m: dict, key: str, path: tuple, options: tuple, required: bool = True) -> str | None:
        value = self.text(m, key, path, required)
        if value is not None and value not in options:
            self.problem(path + (key,), f"'{_clip(value)}' is not one of {', '.join(options)}")
            return None
        return value

    def bilingual(self, m: dict, key: str, path: tuple, en_required: bool = True) -> Text:
        value = m.get(key)
        if value is None:
            self.problem(path, f"missing required key '{key}' (with nb and en)")
            return Text("", "")
        if isinstance(value, str):
            self.problem(path + (key,), "expected a mapping with nb and en")
            return Text(value, value)
        sub = self.mapping(value, path + (key,), ("nb", "en")) or {}
        return Text(self.text(sub, "nb", path + (key,)) or "",
                    self.text(sub, "en", path + (key,), en_required) or "")

    # -- sections ----------------------------------------------------------
    def version(self, value: Any) -> None:
        if value is not None and (isinstance(value, bool) or value != SCHEMA_VERSION):
            self.problem(("version",), f"'{value}' is not a supported version (this stancecli reads "
                                       f"version {SCHEMA_VERSION})")

    def organisations(self, raw: Any) -> dict[str, Organisation]:
        out: dict[str, Organisation] = {}
        for i, item in enumerate(self.seq(raw, ("organisations",))):
            path = ("organisations", i)
            m = self.mapping(item, path, ORG_KEYS)
            if m is None:
                continue
            oid = self.ident(m, "id", path)
            name = self.text(m, "name", path)
            kind = self.choice(m, "kind", path, ORG_KINDS)
            if not (oid and name):
                continue
            if oid in out:
                self.problem(path + ("id",), f"duplicate organisation id '{oid}' (first at line {out[oid].line})")
                continue
            out[oid] = Organisation(
                id=oid, name=name, short=self.text(m, "short", path, False) or name,
                kind=kind or "other", members=self.text(m, "members", path, False),
                description=self.text(m, "description", path, False), line=self.tree.line(path),
            )
        return out

    def documents(self, raw: Any) -> dict[str, Document]:
        out: dict[str, Document] = {}
        for i, item in enumerate(self.seq(raw, ("documents",))):
            path = ("documents", i)
            m = self.mapping(item, path, DOC_KEYS)
            if m is None:
                continue
            did = self.ident(m, "id", path)
            org = self.ident(m, "organisation", path)
            title = self.text(m, "title", path)
            source = self.text(m, "source", path)
            year, date = self._year_date(m, path)
            if not (did and org and title and source and year):
                continue
            if did in out:
                self.problem(path + ("id",), f"duplicate document id '{did}' (first at line {out[did].line})")
                continue
            out[did] = Document(
                id=did, organisation=org, title=title,
                hearing=self.text(m, "hearing", path, False) or "", year=year, date=date,
                reference=self.text(m, "reference", path, False), source=source,
                path=self._source_path(source, path + ("source",)),
                signatories=self._signatories(m.get("signatories"), path + ("signatories",)),
                line=self.tree.line(path),
                url=self._url(m, path), published=self._published(m, path),
                kind=self.choice(m, "kind", path, DOC_KINDS, False),
            )
        return out

    def _url(self, m: dict, path: tuple) -> str | None:
        """Where a reader elsewhere can check the document: an http(s) address."""
        url = self.text(m, "url", path, False)
        if url is not None and not url.startswith(("https://", "http://")):
            self.problem(path + ("url",), f"'{_clip(url)}' is not an http(s) address")
            return None
        return url

    def _published(self, m: dict, path: tuple) -> str | None:
        raw = m.get("published")
        if raw is None:
            return None
        if isinstance(raw, _dt.date):
            return raw.isoformat()
        if isinstance(raw, str) and is_date(raw):
            return raw
        self.problem(path + ("published",), f"'{_clip(str(raw))}' is not a date (YYYY-MM-DD)")
        return None

    def _year_date(self, m: dict, path: tuple) -> tuple[int | None, str | None]:
        raw_date, year = m.get("date"), m.get("year")
        date = None
        if raw_date is not None:
            if isinstance(raw_date, _dt.date):
                date = raw_date.isoformat()
            elif isinstance(raw_date, str) and is_date(raw_date):
                date = raw_date
            else:
                self.problem(path + ("date",), f"'{_clip(str(raw_date))}' is not a date (YYYY-MM-DD)")
        if year is None and date:
            year = int(date[:4])
        if year is None:
            if raw_date is None:
                self.problem(path, "missing required key 'year' (or 'date')")
            return None, date
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            self.problem(path + ("year",), f"'{_clip(str(year))}' is not a year")
            return None, date
        if date and int(date[:4]) != year:
            self.problem(path + ("date",), f"date {date} is not in year {year}")
        return year, date

    def _source_path(self, source: str, path: tuple) -> Path:
        try:
            resolved = (self.base / source).resolve()
        except (OSError, RuntimeError, ValueError) as exc:
            self.problem(path, f"'{_clip(source)}' is not a usable path ({exc})")
            return Path(self.base.resolve().anchor)  # refused: never read
        if not source_allowed(self.base, resolved, self.root):
            from stancecli.datapath import root_problem

            self.problem(path, root_problem(self.base) or f"'{_clip(source)}' leaves the dataset's folder; "
                               f"sources must be inside {self.root}")
        return resolved

    def _signatories(self, raw: Any, path: tuple) -> list[Signatory]:
        out = []
        for i, item in enumerate(self.seq(raw, path)):
            m = self.mapping(item, path + (i,), ("name", "role"))
            if m is None:
                continue
            name = self.text(m, "name", path + (i,))
            if name:
                out.append(Signatory(name, self.text(m, "role", path + (i,), False)))
        return out

    def issues(self, raw: Any) -> dict[str, Issue]:
        out: dict[str, Issue] = {}
        for i, item in enumerate(self.seq(raw, ("issues",))):
            path = ("issues", i)
            m = self.mapping(item, path, ISSUE_KEYS)
            if m is None:
                continue
            key = self.ident(m, "key", path)
            title = self.bilingual(m, "title", path)
            proposal = self.bilingual(m, "proposal", path)
            aliases = self._aliases(m.get("aliases"), path + ("aliases",))
            codebook = m.get("codebook", False)
            if not isinstance(codebook, bool):
                self.problem(path + ("codebook",), "expected true or false")
                codebook = False
            if not key:
                continue
            if key in out:
                self.problem(path + ("key",), f"duplicate issue key '{key}' (first at line {out[key].line})")
                continue
            out[key] = Issue(key, title, proposal, aliases, codebook, self.tree.line(path))
        return out

    def _aliases(self, raw: Any, path: tuple) -> list[str]:
        out = []
        for i, alias in enumerate(self.seq(raw, path)):
            if alias is None or isinstance(alias, (bool, dict, list)) or not str(alias).strip():
                self.problem(path + (i,), f"an alias must be non-empty text, got {_kind(alias)}")
                continue
            out.append(str(alias))
        return out

    def positions(self, raw: Any, documents: dict[str, Document]) -> list[Position]:
        out = []
        for i, item in enumerate(self.seq(raw, ("positions",))):
            path = ("positions", i)
            m = self.mapping(item, path, POSITION_KEYS)
            if m is None:
                continue
            position = self._position(m, path, documents)
            if position:
                position.index = i
                out.append(position)
            elif isinstance(m.get("document"), str) and isinstance(m.get("issue"), str):
                # Reported above; it still decides its pair, so coverage does not report it twice.
                self.broken_pairs.add((m["document"], m["issue"]))
        return out

    def _position(self, m: dict, path: tuple, documents: dict[str, Document]) -> Position | None:
        issue = self.ident(m, "issue", path)
        stance = self.choice(m, "stance", path, _STANCE_NAMES)
        confidence = self.choice(m, "confidence", path, CONFIDENCES, required=False)
        doc = self.ident(m, "document", path, required=False)
        org = self.ident(m, "organisation", path, required=False)
        reported_by = self.ident(m, "reported_by", path, required=False)
        if doc and reported_by:
            self.problem(path, "give either 'document' (the document's own position) or "
                               "'organisation' with 'reported_by' (a reported position), not both")
            return None
        if reported_by and not org:
            self.problem(path, "a reported position needs 'organisation' (whose view is reported)")
            return None
        if not doc and not reported_by:
            self.problem(path, "missing required key 'document' (or 'organisation' with 'reported_by')")
            return None
        if doc and org and doc in documents and documents[doc].organisation != org:
            self.problem(path + ("organisation",), f"'{org}' is not the organisation of document "
                                                   f"'{doc}' ({documents[doc].organisation})")
        if doc and not org:
            org = documents[doc].organisation if doc in documents else ""
        quotes = self._quotes(m.get("quotes"), path + ("quotes",))
        summary = self.bilingual(m, "summary", path, en_required=False)  # added documents: nb is enough
        if not (issue and stance):
            return None
        return Position(
            issue=issue, organisation=org or "", stance=stance, summary=summary, quotes=quotes,
            document=doc, reported_by=reported_by, confidence=confidence,
            note=self.text(m, "note", path, False), line=self.tree.line(path),
        )

    def _quotes(self, raw: Any, path: tuple) -> list[Quote]:
        items = self.seq(raw, path)
        if not items and raw is not None or raw is None:
            self.problem(path, "a position needs one to three quotes from its source")
        out = []
        for i, item in enumerate(items):
            speaker = None
            if isinstance(item, dict) and "text" in item:  # {text: ..., speaker: ...}
                self.mapping(item, path + (i,), QUOTE_KEYS)
                speaker = self.text(item, "speaker", path + (i,), required=False) or None
                item = item["text"]
            if not isinstance(item, str) or not item.strip():
                self.problem(path + (i,), "a quote must be non-empty text")
                continue
            out.append(Quote(text=" ".join(item.split()), line=self.tree.line(path + (i,)), speaker=speaker))
        if len(items) > 3:
            self.problem(path, f"{len(items)} quotes; keep the one to three strongest", "warning")
        return out

    def not_addressed(self, raw: Any) -> tuple[dict[str, list[str]], dict[str, int]]:
        out: dict[str, list[str]] = {}
        lines: dict[str, int] = {}
        if raw is None:
            return out, lines
        if not isinstance(raw, dict):
            self.problem(("not_addressed",), "expected a mapping from document id to a list of issue keys")
            return out, lines
        for doc, keys in raw.items():
            path = ("not_addressed", doc)
            items = self.seq(keys, path)
            for j, k in enumerate(items):
                if not isinstance(k, str) or not k.strip():
                    self.problem(path + (j,), f"expected an issue key, got {_kind(k)}")
            out[str(doc)] = [k for k in items if isinstance(k, str) and k.strip()]
            lines[str(doc)] = self.tree.line(path)
        return out, lines


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def is_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real day of the calendar."""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return False
    parts = [int(x) for x in text.split("-")] + [1, 1]
    try:
        _dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def source_allowed(base: Path, resolved: Path, root: Path | None = None) -> bool:
    """Sources live in the dataset's tree (datapath.source_root): never above it, never `/` or a home.
    `root` is source_root(base) when the caller has it already (it reads every home folder)."""
    if root is None:
        from stancecli.datapath import source_root

        root = source_root(base)
    return resolved == root or root in resolved.parents


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    shown = _clip(str(value))
    kinds: dict[type, str] = {dict: "a mapping", list: "a list", str: f"text '{shown}'"}
    return kinds.get(type(value), f"'{shown}'")


def did_you_mean(word: str, options) -> str:
    """"; did you mean 'x'?" for the closest of `options`, or "" when none is close."""
    from stancecli.names import suggest

    close = suggest(word, {option: [] for option in options}, limit=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _suggest(word: str, options: tuple[str, ...]) -> str:
    return did_you_mean(word, options) or f" (expected one of {', '.join(options)})"


def read_dataset_text(path: Path, file: str) -> str:
    """The dataset file as text: UTF-8 (a BOM allowed), at most 32 MiB."""
    try:
        if not path.exists():
            raise DatasetNotFound([Problem(file, 0, "", "dataset not found")])
        if path.is_dir():
            raise DataError([Problem(file, 0, "", "is a folder; expected a stances.yaml file")])
        if path.stat().st_size > MAX_YAML_BYTES:
            raise DataError([Problem(file, 0, "", "dataset file is larger than 32 MiB")])
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(file, 0, "", f"cannot read the dataset: {exc.strerror or exc}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(file, raw.count(b"\n", 0, exc.start) + 1, "",
                                 f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})")]) from None


def load_dataset(path: Path) -> tuple[Dataset, list[Problem]]:
    """Read and build a dataset. Raises DataError when it cannot be used at all."""
    with collector_paused():
        return _load_dataset(path)


def _load_dataset(path: Path) -> tuple[Dataset, list[Problem]]:
    file = display_path(path)
    text = read_dataset_text(path, file)
    tree = parse_yaml(text, file)
    if not isinstance(tree.data, dict):
        raise DataError([Problem(file, 1, "", f"expected a mapping at the top level, got {_kind(tree.data)}")])
    builder = _Builder(tree, file, path.parent)
    builder.problems.extend(tree.problems)
    builder.version(tree.data.get("version"))
    for key in tree.data:
        if key not in TOP_KEYS:
            builder.problem((key,), f"unknown top-level key{_suggest(str(key), TOP_KEYS)}")
    documents = builder.documents(tree.data.get("documents"))
    not_addressed, na_lines = builder.not_addressed(tree.data.get("not_addressed"))
    dataset = Dataset(
        path=path,
        organisations=builder.organisations(tree.data.get("organisations")),
        documents=documents,
        issues=builder.issues(tree.data.get("issues")),
        positions=builder.positions(tree.data.get("positions"), documents),
        not_addressed=not_addressed,
        not_addressed_lines=na_lines,
        broken_pairs=builder.broken_pairs,
    )
    return dataset, builder.problems


def load_or_fail(path: Path, keep: Callable[[Problem], bool] | None = None) -> Dataset:
    """Load for a read command: any structural error stops it."""
    dataset, problems = load_dataset(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    return dataset
