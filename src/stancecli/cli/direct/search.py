"""`stancecli search`: words, inflections, compounds, typos and phrases in the sources."""

from __future__ import annotations

import os
import sys
import time
from enum import Enum
from pathlib import Path

from stancecli.cli.direct import CHOICE, COLOR, DATA, FLAG, FLOAT, INT, PATH, Param
from stancecli.cli.plain import Color, environment, fail, load, progress_console

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import Any

STDIN = "-"
STDIN_SHOWN = "(standard input)"  # as grep names it


class SearchFormat(str, Enum):
    table = "table"
    grep = "grep"
    json = "json"
    jsonl = "jsonl"


PARAMS = (
    Param("query", required=True),
    Param("paths", kind=PATH, many=True),
    Param("context", "-C", "--context", kind=INT, low=0, high=50, default=0),
    Param("limit", "--limit", "-n", kind=INT, low=0, default=20),
    Param("min_score", "--min-score", kind=FLOAT, low=0, high=100, default=0.0),
    Param("org", "--org", many=True),
    Param("doc", "--doc", many=True),
    Param("exact", "--exact", kind=FLAG, default=False),
    Param("index_dir", "--index-dir", kind=PATH),
    DATA,
    Param("fmt", "--format", "-f", kind=CHOICE, choices=SearchFormat),
    COLOR,
)


def search(query: str, paths: list[Path] | None, context: int, limit: int, min_score: float, org: list[str] | None,
           doc: list[str] | None, exact: bool, index_dir: Path | None, data: Path | None, fmt: SearchFormat | None,
           color: Color) -> None:
    from stancecli.errors import NoResults
    from stancecli.output.hits import SearchResult
    from stancecli.output.present import present

    if _wants_stdin(paths, org, doc, data):
        result = _search_stdin(query, limit=limit, min_score=min_score, exact=exact, context=context)
    else:
        result = _search_files(query, paths, org, doc, data, index_dir, limit=limit, min_score=min_score,
                               exact=exact, context=context)
    env = environment(color)
    for _path, why in sorted(result.errors.items()):
        env.note(f"skipped {why}")
    for note in result.notes:
        env.note(f"warning: {note}")
    chosen = fmt.value if fmt else ("table" if env.is_terminal else "grep")
    present(SearchResult(result.hits, context=context > 0), chosen, env)
    if result.truncated:
        best = "the best hit" if limit == 1 else f"the best {limit} hits"
        env.note(f"showing {best}; more match (--limit 0 shows all)")
    if not result.hits:
        raise NoResults(f"no matches for '{query}'")


def _search_files(query, paths, org, doc, data, index_dir, **options):
    from stancecli.cli import early

    # The files named are listed on a thread (since start-up, see cli.early), while the engine is
    # imported.
    listing = (early.take(paths) or early.listing(paths, index_dir)) if paths and not org and not doc else None
    from stancecli.search.engine import search as run

    sources, only, doc_ids, key = _sources(paths, org, doc, data)
    progress = _Progress()
    try:
        return run(query, sources, index_dir=index_dir, only=only, doc_ids=doc_ids, progress=progress,
                   index_key=key, listing=listing, **options)
    finally:
        progress.close()


def _wants_stdin(paths, org, doc, data) -> bool:
    """'-' as the only path, or no path, no dataset filter and a pipe or file on standard input."""
    if paths:
        if STDIN in map(str, paths) and len(paths) > 1:
            fail("'-' (standard input) cannot be searched together with files")
        if STDIN in map(str, paths) and (org or doc):
            fail("--org and --doc choose among the dataset's documents; standard input is not one of them")
        return [str(p) for p in paths] == [STDIN]
    return not (org or doc or data) and _stdin_is_piped()


def _stdin_is_piped() -> bool:
    import stat

    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (AttributeError, ValueError, OSError):  # no real descriptor (an embedding, a test runner)
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def _search_stdin(query: str, **options):
    """Standard input, searched in memory (never indexed) and shown as '(standard input)'."""
    import tempfile

    from stancecli.corpus import MAX_SOURCE_BYTES
    from stancecli.search.engine import search as run

    data = sys.stdin.buffer.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        fail(f"standard input is over the limit of {MAX_SOURCE_BYTES // (1024 * 1024)} MiB")
    with tempfile.TemporaryDirectory(prefix="stancecli-") as folder:
        body = Path(folder) / "stdin.txt"
        body.write_bytes(data)
        result = run(query, [body], use_index=False, **options)
    shown = Path(STDIN_SHOWN)
    return result._replace(
        hits=[h._replace(path=shown) for h in result.hits],
        errors=dict((STDIN_SHOWN, why.replace(str(body), STDIN_SHOWN)) for why in result.errors.values()))


def _sources(paths, org, doc, data):
    """Files to search, the ones to keep hits from, document ids by path, the index key."""
    if paths and not org and not doc:
        return list(paths), None, None, None
    from stancecli.names import resolve_doc, resolve_org

    ds = load(data)
    doc_ids = {d.path: d.id for d in ds.documents.values()}
    wanted = {resolve_doc(ds, name) for name in doc or ()}
    for name in org or ():
        wanted |= {d.id for d in ds.documents_of(resolve_org(ds, name))}
    only = [d.path for d in ds.documents.values() if d.id in wanted] if (org or doc) else None
    if paths:
        return list(paths), only, doc_ids, None
    from stancecli.datapath import display_path

    sources = sorted({Path(display_path(d.path)) for d in ds.documents.values()})
    from stancecli.cachedir import DATASET_KEY

    return sources, only, doc_ids, [f"{DATASET_KEY}{Path(ds.path).resolve()}"]


class _Progress:
    """A Rich progress bar on stderr, shown only when indexing takes more than a moment."""

    DELAY = 0.5

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Any = None  # a rich Progress, made only when needed
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY or done >= total or not sys.stderr.isatty():
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("indexing sources"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=progress_console(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("index", total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
