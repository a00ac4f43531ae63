"""Evidence as a reader wants it: each quote with its citation and, like grep -C, its context."""

from __future__ import annotations

from collections.abc import Iterable

from stancecli.output.text import clean
from stancecli.records import Listing


def grep_lines(listing: Listing) -> Iterable[str]:
    """grep -C style: 'path:12:text' for quoted lines, 'path-11-text' for context, '--' between groups."""
    for i, row in enumerate(listing.rows):
        if i:
            yield "--"
        if not row["context"]:
            yield f"{row['source']}:?:{clean(row['quote'])}"
            continue
        for line in row["context"]:
            sep = ":" if line["match"] else "-"
            yield f"{row['source']}{sep}{line['line']}{sep}{clean(line['text'])}"


def print_blocks(listing: Listing, console, context: bool = False) -> None:
    from rich.text import Text

    from stancecli.output.table import stance_text

    if listing.title:
        console.print(Text(clean(listing.title), style="bold"))
    for row in listing.rows:
        head = Text()
        head.append(clean(row["organisation"]), style="bold")
        head.append(f"  {row['document']} ({row['year']})  ")
        head.append_text(stance_text(row["stance"]))
        if row["reported_by"]:
            head.append(f"  reported by {row['reported_by']}", style="magenta")
        console.print()
        console.print(head)
        if context and row["context"]:
            for line in row["context"]:
                style = "" if line["match"] else "dim"
                mark = "\u2502" if line["match"] else " "
                num = Text(f"{line['line']:>5} {mark} ", style="cyan" if line["match"] else "dim")
                console.print(num + Text(clean(line["text"]), style=style))
        else:
            console.print(Text(f"  \u00ab{clean(row['quote'])}\u00bb", style="italic"))
        console.print(Text(f"  \u2014 {clean(row['title'])}, {row['year']}, {clean(row['location'])}",
                           style="cyan"))
