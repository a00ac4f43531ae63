"""Search hits: a terminal layout (score, place, highlighted sentence), grep lines, JSON.

Paths, sentences and source lines are untrusted: they pass through the one cleaner.
"""

from __future__ import annotations

from collections.abc import Iterable

from stancecli.output.env import Environment
from stancecli.output.hits import SearchResult
from stancecli.output.safe import clean, mask

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("table", "grep", "json", "jsonl")
SENTENCE_INDENT = 8  # under the score column


def render_search(result: SearchResult, fmt: str, env: Environment) -> Iterable[str]:
    """The lines of `result` in one of FORMATS."""
    if fmt == "grep":
        return grep_lines(result)
    if fmt in ("json", "jsonl"):
        from stancecli.output.text import json_document, json_objects

        return (json_document if fmt == "json" else json_objects)(result.records)
    from stancecli.output.table import draw

    return draw(env.wide(), list(hit_renderables(result.hits)))


def grep_lines(result: SearchResult) -> Iterable[str]:
    """'path:line:col:sentence' per hit; context as 'path-line-text', hits parted by '--'."""
    from stancecli.output.grep import SEPARATOR, grep_line

    for i, h in enumerate(result.hits):
        if result.context and i:
            yield SEPARATOR
        for n, line in h.context_before:
            yield grep_line(h.path, n, line, match=False)
        yield grep_line(h.path, h.line, h.sentence, col=h.col)
        for n, line in h.context_after:
            yield grep_line(h.path, n, line, match=False)


def hit_renderables(hits: list[Any]) -> Iterable[Any]:
    """Per hit: score, file:line:col and document; the sentence with its matches highlighted."""
    from rich.padding import Padding
    from rich.text import Text

    for i, h in enumerate(hits):
        if i:
            yield Text("")
        head = Text()
        head.append(f"{h.score:5.1f}  ", style="bold green")
        head.append(f"{clean(str(h.path))}:{h.line}:{h.col}", style="cyan")
        if h.doc_id:
            head.append(f"  {clean(h.doc_id)}", style="magenta")
        yield head
        yield from _context(h.context_before)
        body = Text(mask(h.sentence))  # same length: the spans still fit
        for a, b in h.match_spans:
            body.stylize("bold yellow reverse", a, b)
        yield Padding(body, (0, 0, 0, SENTENCE_INDENT), expand=False)
        yield from _context(h.context_after)


def _context(lines: Iterable[tuple[int, str]]) -> Iterable[Any]:
    from rich.text import Text

    for n, line in lines:
        yield Text(f"{n:>6}  {clean(line)}", style="dim")
