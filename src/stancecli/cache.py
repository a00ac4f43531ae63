"""A snapshot of a loaded dataset with its quotes located, so read commands skip YAML and sources.

The snapshot lives in the user's cache directory, never beside the data. It is plain data
(`marshal` of tuples of the model's field values, behind a checksum; no class or function is
named in it): loading it runs nothing and builds only the model's own classes. Each issue's
positions are a section of their own, read and built only when a command asks for that issue,
so a warm load costs little more on a large dataset than on a small one. A clean validation's
findings may be kept with it, for `validate` to give again. It is used only while the
dataset file and every source it names have the size, mtime, ctime and inode they had before
the run that wrote it read them (as git checks its index); a file changed within moments of
that is also compared by content, with a checksum taken before the run read it. After the
dataset file changes, the places of the quotes of sources that have not changed are still
taken from it (`located_before`): a quote's place depends on the source's text and the quote
alone. Anything wrong with it (missing, stale, damaged, from another version) means it is
ignored and rebuilt; a cache directory that cannot be written is simply not used, and one that
other users could tamper with is refused.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancecli import __version__
from stancecli.cachedir import cache_dir, check_private, private_dir
from stancecli.errors import CacheUnavailable, StanceError
from stancecli.model import Dataset, Document, Issue, Organisation, Position, Quote, Signatory, StanceColumns, Text

if TYPE_CHECKING:
    from stancecli.span import Span

ENV_NO_CACHE = "STANCECLI_NO_CACHE"
MAGIC = b"STANCECLI-SNAPSHOT 6\n"  # 6: stamps and checksums from before the run read the files
MARSHAL_VERSION = 4  # a fixed format version: readable by every Python this runs on
FILE_MODE = 0o600
# File clocks tick coarsely: a file changed this close to the moment its stamp was taken may have
# changed again within the same tick, so its stamp cannot vouch for it (git's "racy" case).
RACY_NS = 50_000_000
STANCE_COLUMNS = 6  # issue, organisation, source document, reported, score, index


class SnapshotDamaged(StanceError):
    """A section of the snapshot failed its checksum after the snapshot was opened."""


def write_private(target: Path, data: bytes) -> None:
    """Write `data` to `target` atomically, readable by the owner only."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")  # mkstemp: 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_WARNED: set[str] = set()


def _warn(message: str) -> None:
    """Once per run: load and store would otherwise say the same thing twice."""
    if message not in _WARNED:
        _WARNED.add(message)
        sys.stderr.write(f"stancecli: warning: {message}\n")


# ------------------------------------------------------------------ freshness

def stamp(path: Path | str) -> list[int] | None:
    """Size, mtime, ctime and inode: what a rewrite, even with its mtime restored, changes."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _content(path: Path | str) -> int | None:
    try:
        with open(path, "rb") as fh:
            return zlib.crc32(fh.read())
    except OSError:
        return None


def _schema() -> list:
    """The model's classes and fields: a snapshot of another edition of them is stale."""
    return [[name, [[f.name, str(f.type)] for f in dataclasses.fields(cls)]]
            for name, cls in sorted(_classes().items())]


def _files(data: Path, dataset: Dataset) -> list[str]:
    return [str(data.resolve())] + _sources(dataset)


def _sources(dataset: Dataset) -> list[str]:
    return [str(d.path) for d in dataset.documents.values()]


class Stamps:
    """A run's files as they were before the run read them: each one's stamp, and its checksum
    where the stamp is racy. A snapshot keyed on them goes stale for a file that changed while
    the run was reading, instead of vouching for a text the run never saw. Take it before
    loading the dataset, and `add_sources` before reading any source."""

    def __init__(self, data: Path):
        self.taken_ns = _now_ns()
        self._taken: dict[str, tuple[list[int] | None, int | None]] = {}
        self._take(str(data.resolve()))

    def _take(self, name: str) -> None:
        if name not in self._taken:
            st = stamp(name)
            racy = st is not None and _racy(st, self.taken_ns)
            self._taken[name] = st, _content(name) if racy else None

    def add_sources(self, dataset: Dataset) -> None:
        for name in _sources(dataset):
            self._take(name)

    def of(self, name: str) -> tuple[list[int] | None, int | None]:
        """The stamp and checksum of `name` from before the run read it (taken now for a file
        the run did not list)."""
        self._take(name)
        return self._taken[name]


def _racy(st: list[int], taken_ns: int) -> bool:
    """Whether a file with stamp `st`, taken at `taken_ns`, may change within its stamp's tick."""
    return max(st[1], st[2]) >= taken_ns - RACY_NS


def _vouched(name: str, st: list[int] | None, crc: int | None, taken_ns: int) -> bool:
    """Whether file `name` is still as it was when its stamp `st` (and checksum) were taken."""
    if stamp(name) != st:
        return False
    return st is None or not _racy(st, taken_ns) or _content(name) == crc


def _key(data: Path, entries: list) -> list:
    return [__version__, _schema(), str(data.resolve()), entries]


def _fresh(stored: dict, data: Path) -> bool:
    entries = stored["key"][3]
    if not entries or entries[0][0] != str(data.resolve()) or stored["key"] != _key(data, entries):
        return False
    return all(_vouched(name, st, crc, stored["taken_ns"]) for (name, st), crc in zip(entries, stored["crc"]))


# ------------------------------------------------------------------ the snapshot

def _snapshot_path(data: Path) -> Path:
    # A cheap name; the key stored inside the snapshot decides whether it is the right one.
    digest = zlib.crc32(str(data.resolve()).encode("utf-8"))
    return cache_dir() / "datasets" / f"{digest:08x}.snapshot"


def load(data: Path) -> Dataset | None:
    """The snapshot of `data` if it is intact and still fresh, else None."""
    stored = _load_stored(data)
    return None if stored is None else stored["dataset"]


def load_validated(data: Path) -> tuple[Dataset, dict[str, Any], list[tuple]] | None:
    """The fresh snapshot's dataset, counts and problems (as tuples of a Problem's fields) when it
    was written by a validation that found no error, else None."""
    stored = _load_stored(data)
    found = None if stored is None else stored.get("validation")
    if not isinstance(found, dict) or type(found.get("counts")) is not dict \
            or type(found.get("problems")) is not list:
        return None
    return stored["dataset"], found["counts"], found["problems"]  # type: ignore[index]


def located_before(data: Path) -> dict[str, dict[str, Span]]:
    """Source path -> quote text -> where the quote stands, as the dataset's snapshot recorded it,
    even when the dataset file has changed since: for every source that has not (the stamp it had,
    its content compared when the stamp is racy, as `_fresh` does). Where a quote stands is a
    function of the source's text and the quote's text alone, so a validation after an edit of the
    dataset need not look again for the quotes it kept. Quotes that were not found are left out:
    they are looked for again. Empty when there is no snapshot of this edition to read."""
    stored = _read_stored(data)
    if stored is None or stored["key"][:3] != _key(data, [])[:3]:  # another edition, or dataset
        return {}
    try:
        return _spans_of(stored["dataset"], _unchanged_sources(stored))
    except (SnapshotDamaged, TypeError, ValueError, IndexError, KeyError):
        return {}


def _unchanged_sources(stored: dict) -> set[str]:
    """The sources (the files after the dataset's own) still as the run that wrote `stored` read them."""
    return {name for (name, st), crc in zip(stored["key"][3][1:], stored["crc"][1:])
            if st is not None and _vouched(name, st, crc, stored["taken_ns"])}


def _spans_of(dataset: SnapshotDataset, sources: set[str]) -> dict[str, dict[str, Span]]:
    """The spans the snapshot's quotes of `sources` were found at, read from the positions' rows
    without building the positions."""
    from stancecli.span import Span

    paths = {doc.id: str(doc.path) for doc in dataset.documents.values() if str(doc.path) in sources}
    if not paths:
        return {}
    names, quote_names = _field_names(Position), _field_names(Quote)
    document, reported_by, quotes = (names.index(n) for n in ("document", "reported_by", "quotes"))
    text, span = quote_names.index("text"), quote_names.index("span")
    found: dict[str, dict[str, Span]] = {}
    for issue in dataset._sections:
        for _, row in dataset._rows(issue):
            # Position.source_document: the document the position's words come from.
            path = paths.get(row[document] or row[reported_by] or "")
            if path is None:
                continue
            known = found.setdefault(path, {})
            for quote in row[quotes]:
                if type(quote) is not tuple or len(quote) != len(quote_names):
                    raise ValueError("a stored quote does not match the model")
                if quote[span] is not None:
                    known[quote[text]] = _made(Span, quote[span], {})
    return found


def _read_stored(data: Path) -> dict | None:
    """The snapshot of `data` as stored, fresh or not; None when there is none to read."""
    if os.environ.get(ENV_NO_CACHE):
        return None
    try:
        target = _snapshot_path(data)
        check_private(target.parent.parent)
        check_private(target.parent)
        raw = _mapped(target)
    except CacheUnavailable as exc:
        _warn(str(exc))
        return None
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return None
    return _decode_file(raw, target)


def _load_stored(data: Path) -> dict | None:
    stored = _read_stored(data)
    if stored is None or not _fresh(stored, data):
        return None
    return stored if isinstance(stored["dataset"], Dataset) else None


def store(data: Path, dataset: Dataset, stamps: Stamps, validation: dict | None = None) -> None:
    """Write the snapshot atomically; skip it when the cache cannot (or must not) be written.

    `stamps`: the files as they were before the run read them. `validation` ({"counts": {...},
    "problems": [field tuples]}) is what a clean `validate` found, kept so that it need not run
    again while nothing changed."""
    if os.environ.get(ENV_NO_CACHE):
        return
    try:
        target = _snapshot_path(data)
        private_dir(target.parent.parent)
        private_dir(target.parent)
        files = _files(data, dataset)
        taken = [stamps.of(f) for f in files]
        entries = [[f, st] for f, (st, _) in zip(files, taken)]
        stored = {"taken_ns": stamps.taken_ns, "key": _key(data, entries), "crc": [crc for _, crc in taken],
                  "dataset": dataset, "validation": validation}
        write_private(target, _encode_file(stored))
    except CacheUnavailable as exc:
        _warn(str(exc))
    except (OSError, TypeError, ValueError):  # TypeError: a field the snapshot cannot hold
        return


def _now_ns() -> int:
    import time

    return time.time_ns()


def _mapped(target: Path) -> Any:
    """The file mapped into memory: only the pages a command reads are read, and the snapshot
    stays whole for this run even if another run replaces the file meanwhile."""
    import mmap

    with open(target, "rb") as fh:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


# The file: MAGIC, then "<crc-32 of the core> <length of the core>\n" in hex, then the core
# (marshal of the record, with each issue's positions replaced by (start, end, crc-32) of its
# section), then the sections (marshal of [(index in `positions`, packed position)] each), and
# last the stance columns (Dataset.stance_columns) in a section of their own.
HEAD = len(MAGIC) + len(b"%08x %016x\n" % (0, 0))


def _encode_file(stored: dict) -> bytes:
    import marshal

    dataset = stored["dataset"]
    rows: dict[str, list] = {}
    pack = _position_packer()
    for index, position in enumerate(dataset.positions):
        rows.setdefault(position.issue, []).append((index, pack(position)))
    blobs, table, offset = [], {}, 0
    for issue, section in rows.items():
        blob = marshal.dumps(section, MARSHAL_VERSION)
        table[issue] = (offset, offset + len(blob), zlib.crc32(blob))
        blobs.append(blob)
        offset += len(blob)
    blob = marshal.dumps(dataset.stance_columns(), MARSHAL_VERSION)
    stances = (offset, offset + len(blob), zlib.crc32(blob))
    blobs.append(blob)
    core = _pack(dataclasses.replace(dataset, positions=[]))
    packed = {**stored, "dataset": (core, len(dataset.positions), table, missing_quotes(dataset), stances)}
    payload = marshal.dumps(packed, MARSHAL_VERSION)
    return b"".join([MAGIC, b"%08x %016x\n" % (zlib.crc32(payload), len(payload)), payload, *blobs])


def _decode_file(raw: Any, target: Path | None = None) -> dict | None:
    """The stored record, or None for anything damaged or foreign. `raw` is bytes or a mapping
    of the file; the positions' sections are read from it when first asked for."""
    import marshal

    if len(raw) < HEAD or raw[:len(MAGIC)] != MAGIC or raw[HEAD - 1:HEAD] != b"\n":
        return None
    try:
        crc, length = (int(x, 16) for x in bytes(raw[len(MAGIC):HEAD - 1]).split(b" "))
        payload = raw[HEAD:HEAD + length]
        if len(payload) != length or crc != zlib.crc32(payload):
            return None
        stored = marshal.loads(payload)
        if not isinstance(stored, dict) or not {"taken_ns", "key", "crc", "dataset"} <= stored.keys():
            return None
        core, count, sections, missing, stances = stored["dataset"]
        if type(count) is not int or type(sections) is not dict or type(missing) is not dict \
                or type(stances) is not tuple:
            return None
        stored["dataset"] = _unpack_dataset(core, count, sections)
        stored["dataset"].__dict__.update(missing_quotes=missing, _stances=stances, _file=raw,
                                          _base=HEAD + length, _target=target)
    except (ValueError, TypeError, KeyError, EOFError, AttributeError):
        return None
    return stored


# ------------------------------------------------------------------ the snapshot's layout
# Every model object is stored as a tuple of its field values in declaration order, a Path as
# its string, a set as a list: plain tuples, lists, dicts, strings and numbers that `marshal`
# writes and reads in C. Loading knows from the model which fields hold model objects, so
# nothing in the file names a class or a function: only the model's own classes come back.

_PLAIN = frozenset({str, int, float, bool, type(None)})


def _pack(value):
    if type(value) in _PLAIN:
        return value
    if isinstance(value, dict):
        return {str(k): _pack(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_pack(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return sorted(_pack(v) for v in value)
    if isinstance(value, Path):
        return str(value)
    if type(value) in _model_classes():
        return tuple(_pack(getattr(value, name)) for name in _field_names(type(value)))
    raise TypeError(f"cannot store a {type(value).__name__} in the snapshot")


def _position_packer() -> Callable[[Position], tuple]:
    """_pack for a position, field by field as the model declares them: the nested objects are
    known, so no value is asked its type (a value that is not plain makes marshal refuse it)."""
    from operator import attrgetter

    from stancecli.span import Span

    names = _field_names(Position)
    row_of, text_of, quote_of, span_of = (attrgetter(*_field_names(cls)) for cls in (Position, Text, Quote, Span))
    summary, quotes, span = names.index("summary"), names.index("quotes"), _field_names(Quote).index("span")

    def quote(q: Quote) -> tuple:
        row = quote_of(q)
        if row[span] is None:
            return row
        return row[:span] + (span_of(row[span]),) + row[span + 1:]

    def pack(position: Position) -> tuple:
        row = list(row_of(position))
        row[summary] = text_of(row[summary])
        row[quotes] = [quote(q) for q in row[quotes]]
        return tuple(row)

    return pack


def _made(cls: type, row: tuple, nested: Mapping[str, Callable[[Any], Any]]) -> Any:
    """An instance of `cls` from its stored row, with the `nested` fields converted."""
    names = _field_names(cls)
    if type(row) is not tuple or len(row) != len(names):
        raise ValueError(f"a stored {cls.__name__} does not match the model")
    made: Any = object.__new__(cls)
    # Straight into __dict__: no __init__ per object, and frozen classes load the same way.
    values = made.__dict__
    values.update(zip(names, row))
    for name, convert in nested.items():
        values[name] = convert(values[name])
    return made


class SnapshotDataset(Dataset):
    """A Dataset from the snapshot whose positions are built when first asked for, one issue's
    at a time: a command about one issue never builds the other issues' positions."""

    _count: int
    _sections: dict[str, tuple[int, int, int]]  # issue -> start, end and crc-32 of its section
    _file: Any  # the snapshot's bytes (or their mapping); sections start at _base
    _base: int
    _target: Path | None
    _built: dict[str, list[Position]]
    _places: dict[str, list[int]]  # issue -> where its positions stand in `positions`
    _all: list[Position] | None
    _stances: tuple[int, int, int]  # start, end and crc-32 of the stance columns' section
    # document id -> how many of its quotes were not found, counted when the snapshot was written
    missing_quotes: dict[str, int]

    @property
    def positions(self) -> list[Position]:
        if self._all is None:
            import gc

            # Tens of thousands of objects that live as long as the run: the collector's passes
            # over them while they are built would find nothing to free.
            collecting = gc.isenabled()
            gc.disable()
            try:
                self._all = self._build_all()
            finally:
                if collecting:
                    gc.enable()
        return self._all

    @positions.setter
    def positions(self, value: list[Position]) -> None:
        self._all = value

    def _build_all(self) -> list[Position]:
        every: list[Any] = [None] * self._count
        try:
            for issue in self._sections:
                built = self._section(issue)
                for index, position in zip(self._places[issue], built):
                    every[index] = position
        except (IndexError, TypeError) as exc:
            raise self._damaged() from exc
        if any(p is None for p in every):
            raise self._damaged()
        return every

    def positions_on(self, issue: str) -> list[Position]:
        if self._all is not None:
            return super().positions_on(issue)
        return list(self._section(issue))

    def stance_columns(self) -> StanceColumns:
        if self._all is not None:
            return super().stance_columns()
        try:
            columns = self._blob(*self._stances)
        except (TypeError, ValueError) as exc:  # not (start, end, crc) of a section
            raise self._damaged() from exc
        count = self._count
        if type(columns) is not tuple or len(columns) != STANCE_COLUMNS \
                or any(type(c) is not list or len(c) != count for c in columns):
            raise self._damaged()
        return columns

    def _section(self, issue: str) -> list[Position]:
        built = self._built.get(issue)
        if built is None:
            rows = self._rows(issue)
            try:
                self._places[issue] = [index for index, _ in rows]
                built = self._built[issue] = [_position(row) for _, row in rows]
            except (ValueError, TypeError) as exc:
                raise self._damaged() from exc
        return built

    def _rows(self, issue: str) -> list:
        if issue not in self._sections:
            return []
        return self._blob(*self._sections[issue])

    def _blob(self, start: int, end: int, crc: int) -> Any:
        """The section at [start, end) of the sections, checked against its crc-32 and decoded."""
        import marshal

        blob = self._file[self._base + start:self._base + end]
        try:
            if zlib.crc32(blob) != crc:
                raise ValueError("checksum")
            return marshal.loads(blob)
        except (ValueError, TypeError, EOFError) as exc:
            raise self._damaged() from exc

    def _damaged(self) -> SnapshotDamaged:
        """Remove the damaged file, so that the next run reads the dataset itself."""
        if self._target is not None:
            try:
                self._target.unlink(missing_ok=True)
            except OSError:
                pass  # the next run's checksum refuses it all the same
        return SnapshotDamaged("the dataset's snapshot in the cache is damaged and has been removed; "
                               "run the command again")


def _position(row: tuple) -> Position:
    from stancecli.span import Span

    def span(row: tuple | None) -> Span | None:
        return None if row is None else _made(Span, row, {})

    def quotes(rows: list) -> list[Quote]:
        return [_made(Quote, q, {"span": span}) for q in rows]

    return _made(Position, row, {"summary": _text, "quotes": quotes})


def _text(row: tuple) -> Text:
    return _made(Text, row, {})


def missing_quotes(ds: Dataset) -> dict[str, int]:
    """Document id -> how many quotes of its positions were not found in its source."""
    if isinstance(ds, SnapshotDataset):
        return ds.missing_quotes
    missing: dict[str, int] = {}
    for p in ds.positions:
        count = sum(q.span is None for q in p.quotes)
        if count:
            missing[p.source_document] = missing.get(p.source_document, 0) + count
    return missing


def _unpack_dataset(core: tuple, count: int, sections: dict[str, tuple[int, int, int]]) -> Dataset:
    document_fields: dict[str, Callable[[Any], Any]] = {"path": Path, "signatories": lambda rows: [_made(Signatory, r, {}) for r in rows]}
    issue_fields: dict[str, Callable[[Any], Any]] = {"title": _text, "proposal": _text}
    dataset = _made(SnapshotDataset, core, {
        "path": Path,
        "organisations": lambda rows: {k: _made(Organisation, r, {}) for k, r in rows.items()},
        "documents": lambda rows: {k: _made(Document, r, document_fields) for k, r in rows.items()},
        "issues": lambda rows: {k: _made(Issue, r, issue_fields) for k, r in rows.items()},
        "positions": lambda rows: None,
        "broken_pairs": lambda rows: {tuple(pair) for pair in rows},
    })
    dataset.__dict__.pop("positions")  # the property above stands in for the field
    dataset.__dict__.update(_count=count, _sections=sections, _built={}, _places={}, _all=None)
    return dataset


# The classes a snapshot holds: the model's own.
def _classes() -> dict[str, type]:
    from stancecli import model
    from stancecli.span import Span

    return {
        "Dataset": model.Dataset, "Organisation": model.Organisation, "Document": model.Document,
        "Issue": model.Issue, "Position": model.Position, "Quote": model.Quote, "Text": model.Text,
        "Signatory": model.Signatory, "Span": Span,
    }


_MODEL_CLASSES: set[type] = set()


def _model_classes() -> set[type]:
    if not _MODEL_CLASSES:
        _MODEL_CLASSES.update(_classes().values())
    return _MODEL_CLASSES


_NAMES: dict[type, list[str]] = {}


def _field_names(cls: type) -> list[str]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = [f.name for f in dataclasses.fields(cls)]
    return names
