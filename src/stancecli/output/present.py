"""One path for output: present(result, format, env) picks the renderer for (result type, format)."""

from __future__ import annotations

from collections.abc import Iterable

from stancecli.output.env import MIN_WIDTH, Environment
from stancecli.output.hits import SearchResult

# stancecli.records (and its dataclasses) is imported by the functions that need it, never for a
# search: importing dataclasses would cost every search some 10 ms.
TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import Any

    from stancecli.records import Listing
    from stancecli.results import Presentable, ProposalsResult, ReportResult, Result


def _terminal(result: Result, env: Environment, hide: tuple[str, ...]) -> list[Any]:
    from stancecli.records import Listing, listing_of

    listing = listing_of(result)
    if not isinstance(result, Listing):
        own = _own_renderables(result, listing, max(env.width, MIN_WIDTH))
        if own is not None:
            return own
    elif not listing.rows:
        return [_dim(note) for note in listing.notes]
    from stancecli.output.table import listing_renderables

    return listing_renderables(listing, env, hide)


def _own_renderables(result: Result, listing: Listing, width: int) -> list[Any] | None:
    """The terminal layout of a result that is not a plain listing (None: its listing's table)."""
    from stancecli.output import blocks, evidence, grids
    from stancecli.results import AgreeResult, ChangesResult, EvidenceResult, MapResult, MatrixResult

    if isinstance(result, MatrixResult):
        return grids.matrix_renderables(result.matrix, result.title, width)
    if isinstance(result, MapResult):
        return grids.map_renderables(result.position_map, result.title, width, result.undecided) + \
            [_dim(note) for note in listing.notes]
    if not listing.rows:
        return [_dim(note) for note in listing.notes]
    if isinstance(result, EvidenceResult):
        return list(evidence.evidence_renderables(listing, context=result.context > 0))
    if isinstance(result, AgreeResult):
        return list(blocks.agree_renderables(listing))
    if isinstance(result, ChangesResult):
        return list(blocks.changes_renderables(listing, result.steps))
    return None


def _dim(note: str):
    from rich.text import Text

    from stancecli.output.safe import clean

    return Text(clean(note), style="dim")


def render(result: Presentable, fmt: str, env: Environment, hide: tuple[str, ...] = ()) -> Iterable[str]:
    """The lines of `result` in `fmt` ('table', 'tsv', 'csv', 'json', 'jsonl', 'markdown'; a report
    in 'html' or 'markdown'; search hits also in 'grep'; proposals also as 'yaml' stubs)."""
    if isinstance(result, SearchResult):
        from stancecli.output.search import render_search

        return render_search(result, fmt, env)
    from stancecli.records import Listing

    if not isinstance(result, Listing):
        return _result(result, fmt, env, hide)
    if fmt == "table":
        from stancecli.output.table import draw

        return draw(env, _terminal(result, env, hide))
    from stancecli.output.text import render as plain

    return plain(result, fmt, bom=env.csv_bom)


def _result(result: Result | ReportResult | ProposalsResult, fmt: str, env: Environment,
            hide: tuple[str, ...]) -> Iterable[str]:
    """The lines of a result other than a plain listing (stancecli.results)."""
    from stancecli.records import listing_of
    from stancecli.results import (
        EvidenceResult,
        MapResult,
        MatrixResult,
        ProposalsResult,
        ReportResult,
    )

    if isinstance(result, ReportResult):
        return _report(result, fmt)
    if isinstance(result, ProposalsResult):
        from stancecli.output.proposals import render_proposals

        return render_proposals(result, fmt, env)
    if fmt == "table":
        from stancecli.output.table import draw

        return draw(env, _terminal(result, env, hide))
    if fmt == "markdown" and isinstance(result, (MatrixResult, MapResult)):
        from stancecli.output import grids

        if isinstance(result, MatrixResult):
            return grids.matrix_markdown(result.matrix, result.title)
        return grids.map_markdown(result.position_map, result.title, result.undecided)
    if fmt == "tsv" and isinstance(result, EvidenceResult) and result.context and result.listing.rows:
        from stancecli.output.evidence import grep_lines

        return grep_lines(result.listing)
    from stancecli.output.text import render as plain

    return plain(listing_of(result), fmt, bom=env.csv_bom)


def _report(result: ReportResult, fmt: str) -> Iterable[str]:
    if fmt == "markdown":
        from stancecli.output.report_markdown import render_markdown

        return render_markdown(result.report, result.extras)
    from stancecli.output.html import render_html

    return render_html(result.report, result.extras)


# Formats that are UTF-8 whatever the locale: JSON by its standard (RFC 8259), the HTML report by
# its own <meta charset="utf-8">. Escaping them for a narrower stream would make them invalid.
UTF8_FORMATS = frozenset({"json", "jsonl"})
UTF8_REPORT_FORMATS = frozenset({"html"})


def present(result: Presentable, fmt: str, env: Environment, hide: tuple[str, ...] = ()) -> None:
    """Write `result` in `fmt` to the environment's stdout."""
    out = env.out
    lines = render(result, fmt, env, hide)
    utf8 = _utf8_formats(result)
    binary = _utf8_bytes(out) if fmt in utf8 else None
    if binary is not None:
        out.flush()
        for line in lines:
            binary.write(line.encode("utf-8") + b"\n")
        binary.flush()
        return
    for line in lines:
        out.write(line + "\n")
    out.flush()


def _utf8_formats(result: Presentable) -> frozenset[str]:
    if isinstance(result, SearchResult):
        return UTF8_FORMATS
    from stancecli.records import Listing

    if isinstance(result, Listing):
        return UTF8_FORMATS
    from stancecli.results import ReportResult

    return UTF8_REPORT_FORMATS if isinstance(result, ReportResult) else UTF8_FORMATS


def _utf8_bytes(out) -> Any:
    """The byte stream under `out` when `out` encodes as something other than UTF-8, else None."""
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    return None if encoding == "utf8" else getattr(out, "buffer", None)


__all__ = ["present", "render"]
