"""Evidence as a reader wants it: each quote with its citation and, like grep -C, its context."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stancecli.output.safe import clean
from stancecli.records import Listing


def grep_lines(listing: Listing) -> Iterable[str]:
    """grep -C style: 'path:12:text' for quoted lines, 'path-11-text' for context, '--' between groups."""
    from stancecli.output.grep import SEPARATOR, grep_line

    for i, row in enumerate(listing.rows):
        if i:
            yield SEPARATOR
        if not row["context"]:
            yield grep_line(row["source"], "?", row["quote"])
            continue
        for line in row["context"]:
            yield grep_line(row["source"], line["line"], line["text"], match=line["match"])


def evidence_renderables(listing: Listing, context: bool = False) -> Iterable[Any]:
    from rich.padding import Padding
    from rich.text import Text

    from stancecli.output.table import short_citation, stance_text

    if listing.title:
        yield Text(clean(listing.title), style="bold")
    for row in listing.rows:
        head = Text()
        head.append(clean(listing.labels.get(row["organisation"], row["organisation"])), style="bold")
        head.append(f"  {row['document']} ({row['year']})  ")
        head.append_text(stance_text(row["stance"]))
        if row["reported_by"]:
            head.append(f"  reported by {row['reported_by']}", style="magenta")
        yield Text("")
        yield head
        if context and row["context"]:
            for line in row["context"]:
                style = "" if line["match"] else "dim"
                mark = "\u2502" if line["match"] else " "
                num = Text(f"{line['line']:>5} {mark} ", style="cyan" if line["match"] else "dim")
                yield num + Text(clean(line["text"]), style=style)
        else:
            yield Padding(Text(f"\u00ab{clean(row['quote'])}\u00bb", style="italic"), (0, 0, 0, 2), expand=False)
        cite = " ".join(short_citation(row["location"])) + (f" {row['url']}" if row.get("url") else "")
        yield Padding(Text(f"\u2014 {clean(row['title'])}, {row['year']}, {cite}", style="cyan"), (0, 0, 0, 2),
                      expand=False)
