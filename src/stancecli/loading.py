"""Reading a stances YAML file into the model, with file:line for every problem."""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from stancecli.model import (
    CONFIDENCES,
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

ENV_DATA = "STANCECLI_DATA"
MAX_YAML_BYTES = 32 * 1024 * 1024
MAX_NODES = 2_000_000
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

TOP_KEYS = ("version", "organisations", "documents", "issues", "positions", "not_addressed")
ORG_KEYS = ("id", "name", "short", "kind", "members", "description")
DOC_KEYS = ("id", "organisation", "title", "hearing", "year", "date", "reference", "source", "signatories")
ISSUE_KEYS = ("key", "title", "proposal", "aliases", "codebook")
POSITION_KEYS = (
    "issue", "document", "organisation", "reported_by", "stance",
    "confidence", "note", "summary", "quotes",
)


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
        return f"{loc}:{label}{where} {self.message}"


class DataError(Exception):
    """The dataset cannot be used at all; carries its problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# ---------------------------------------------------------------- locating

def default_data_path() -> Path:
    """The bundled dataset: inside the installed package, or in a source checkout."""
    here = Path(__file__).resolve().parent
    bundled = here / "bundled" / "data" / "stances.yaml"
    if bundled.is_file():
        return bundled
    return here.parents[1] / "data" / "stances.yaml"


def resolve_data_path(option: str | os.PathLike | None) -> Path:
    """--data wins over STANCECLI_DATA, which wins over the bundled dataset."""
    chosen = option or os.environ.get(ENV_DATA)
    if chosen:
        path = Path(chosen).expanduser()
        return path / "stances.yaml" if path.is_dir() else path
    return default_data_path()


# ---------------------------------------------------------------- YAML with lines

class _Tree:
    """Constructed YAML data plus the line of every mapping key and sequence item."""

    def __init__(self, data: Any, lines: dict[tuple, int]):
        self.data = data
        self.lines = lines

    def line(self, path: tuple) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def _yaml_loader(text: str):
    import yaml

    cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return cls(text)


def parse_yaml(text: str, file: str) -> _Tree:
    """safe_load semantics, refusing anchors/aliases (and so alias bombs)."""
    import yaml

    loader = _yaml_loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise DataError([Problem(file, 1, "", "the file is empty; expected a mapping with "
                                     "organisations, documents, issues and positions")])
        lines: dict[tuple, int] = {}
        _walk(node, (), lines, set(), file)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        raise DataError([Problem(f"{file}:{line}", col, "", f"malformed YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(file, 1, "", f"malformed YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return _Tree(data, lines)


def _walk(node, path: tuple, lines: dict, seen: set, file: str) -> None:
    import yaml

    if id(node) in seen:
        raise DataError([Problem(file, node.start_mark.line + 1, _dotted(path),
                                 "YAML anchors and aliases (&, *, <<) are not allowed in a dataset")])
    seen.add(id(node))
    if len(seen) > MAX_NODES:
        raise DataError([Problem(file, node.start_mark.line + 1, "", "the file is too large to check")])
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise DataError([Problem(file, key_node.start_mark.line + 1, _dotted(path),
                                         "mapping keys must be plain text")])
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise DataError([Problem(file, key_node.start_mark.line + 1, _dotted(path),
                                         "YAML merge keys (<<) are not allowed in a dataset")])
            child = path + (key_node.value,)
            _walk(value_node, child, lines, seen, file)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, seen, file)


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
            self.problem(path + (key,), f"'{value}' is not a valid id (lower-case letters, digits and '-')")
        return value

    def choice(self, m: dict, key: str, path: tuple, options: tuple, required: bool = True) -> str | None:
        value = self.text(m, key, path, required)
        if value is not None and value not in options:
            self.problem(path + (key,), f"'{value}' is not one of {', '.join(options)}")
            return None
        return value

    def bilingual(self, m: dict, key: str, path: tuple) -> Text:
        value = m.get(key)
        if value is None:
            self.problem(path, f"missing required key '{key}' (with nb and en)")
            return Text("", "")
        if isinstance(value, str):
            self.problem(path + (key,), "expected a mapping with nb and en")
            return Text(value, value)
        sub = self.mapping(value, path + (key,), ("nb", "en")) or {}
        return Text(self.text(sub, "nb", path + (key,)) or "", self.text(sub, "en", path + (key,)) or "")

    # -- sections ----------------------------------------------------------
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
            )
        return out

    def _year_date(self, m: dict, path: tuple) -> tuple[int | None, str | None]:
        raw_date, year = m.get("date"), m.get("year")
        date = None
        if raw_date is not None:
            if isinstance(raw_date, _dt.date):
                date = raw_date.isoformat()
            elif isinstance(raw_date, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", raw_date):
                date = raw_date
            else:
                self.problem(path + ("date",), f"'{raw_date}' is not a date (YYYY-MM-DD)")
        if year is None and date:
            year = int(date[:4])
        if year is None:
            self.problem(path, "missing required key 'year' (or 'date')")
            return None, date
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            self.problem(path + ("year",), f"'{year}' is not a year")
            return None, date
        if date and int(date[:4]) != year:
            self.problem(path + ("date",), f"date {date} is not in year {year}")
        return year, date

    def _source_path(self, source: str, path: tuple) -> Path:
        resolved = (self.base / source).resolve()
        root = self.base.resolve()
        # Sources live beside the dataset: its folder or its parent (data/ and seeds/ side by side).
        allowed = (root, root.parent)
        if not any(resolved == a or a in resolved.parents for a in allowed):
            self.problem(path, f"'{source}' leaves the dataset's folder; sources must be inside "
                               f"{root.parent}")
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
            aliases = [str(a) for a in self.seq(m.get("aliases"), path + ("aliases",))
                       if a is not None and not isinstance(a, (dict, list))]
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
        return out

    def _position(self, m: dict, path: tuple, documents: dict[str, Document]) -> Position | None:
        issue = self.ident(m, "issue", path)
        stance = self.choice(m, "stance", path, tuple(STANCES))
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
        summary = self.bilingual(m, "summary", path)
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
            if isinstance(item, dict) and "text" in item:  # tolerate {text: ...}
                item = item["text"]
            if not isinstance(item, str) or not item.strip():
                self.problem(path + (i,), "a quote must be non-empty text")
                continue
            out.append(Quote(text=" ".join(item.split()), line=self.tree.line(path + (i,))))
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
            out[str(doc)] = [str(k) for k in items if isinstance(k, (str, int))]
            lines[str(doc)] = self.tree.line(path)
        return out, lines


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: f"text '{value}'", bool: f"'{value}'"}.get(
        type(value), f"'{value}'")


def _suggest(word: str, options: tuple[str, ...]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f" (expected one of {', '.join(options)})"


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_dataset(path: Path) -> tuple[Dataset, list[Problem]]:
    """Read and build a dataset. Raises DataError when it cannot be used at all."""
    file = display_path(path)
    if not path.exists():
        raise DataError([Problem(file, 0, "", "dataset not found (give --data PATH or set STANCECLI_DATA)")])
    if path.is_dir():
        raise DataError([Problem(file, 0, "", "is a folder; expected a stances.yaml file")])
    if path.stat().st_size > MAX_YAML_BYTES:
        raise DataError([Problem(file, 0, "", "dataset file is larger than 32 MiB")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(file, raw.count(b"\n", 0, exc.start) + 1, "",
                                 f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})")]) from None
    tree = parse_yaml(text, file)
    if not isinstance(tree.data, dict):
        raise DataError([Problem(file, 1, "", f"expected a mapping at the top level, got {_kind(tree.data)}")])
    builder = _Builder(tree, file, path.parent)
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
    )
    return dataset, builder.problems


def load_or_fail(path: Path, keep: Callable[[Problem], bool] | None = None) -> Dataset:
    """Load for a read command: any structural error stops it."""
    dataset, problems = load_dataset(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    return dataset
