"""`suggest`: stance proposals with evidence for a document, for a person to confirm."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stancecli.cli.common import (
    Color,
    ColorOpt,
    DataOpt,
    ExitStatus,
    FormatOpt,
    _complete_doc,
    _complete_issue,
    emit,
    load,
    make_console,
    resolve_format,
)
from stancecli.cli.overview import summary

if TYPE_CHECKING:
    from stancecli.model import Dataset
    from stancecli.records import Listing
    from stancecli.suggest import Candidate, Proposal

HELP = summary("suggest") + """

For every codebook issue (or only those named), proposes a stance on the
codebook's scale or not-addressed, with a confidence (0-1), the document's own
sentences that carry it (verbatim, with line spans) and the views of other actors
the document reports (marked with who speaks). These are proposals for a person
to confirm: nothing is written to the dataset. --yaml (and the older form with
the issue as an argument) prints position stubs to paste, stance left as TODO.

Examples:

  stancecli suggest --doc ntl-2012

  stancecli suggest --doc bergen-2014 --issue anbud --issue egenregi

  stancecli suggest --doc fo-2016 --format jsonl | jq -r '[.issue, .stance, .confidence] | @tsv'
"""
NOTICE = "Proposals for a person to confirm against the codebook; nothing has been written to the dataset."


def suggest(
    issue: Annotated[str | None, typer.Argument(help="Issue key, alias or title (same as --issue).",
                                                autocompletion=_complete_issue, show_default=False)] = None,
    doc: Annotated[str, typer.Option("--doc", "-d", help="Document id (or title).", autocompletion=_complete_doc,
                                     show_default=False)] = "",
    issues: Annotated[list[str] | None, typer.Option(
        "--issue", "-i", help="Only this issue (repeatable). Default: every codebook issue.",
        autocompletion=_complete_issue, show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=20, help="Quotes per issue.")] = 3,
    yaml_stubs: Annotated[bool, typer.Option("--yaml", help="Position stubs to paste (stance left as TODO).")] = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    from stancecli.corpus import read_source
    from stancecli.names import resolve_doc, resolve_issue
    from stancecli.suggest import propose

    if not doc:
        raise typer.BadParameter("name the document with --doc", param_hint="--doc")
    ds = load(data)
    doc_id = resolve_doc(ds, doc)
    wanted = [*([issue] if issue else []), *(issues or [])]
    keys = list(dict.fromkeys(resolve_issue(ds, name) for name in wanted)) or None
    source = read_source(ds.documents[doc_id].path)
    proposals = propose(ds, doc_id, source, keys, limit)
    if not any(p.quotes or p.reported for p in proposals):
        named = f"'{keys[0]}'" if keys and len(keys) == 1 else "any of the issues"
        sys.stderr.write(f"stancecli: no passage in {doc_id} names {named}\n")
        raise typer.Exit(int(ExitStatus.NO_RESULTS))
    if yaml_stubs or issue is not None:  # the positional form printed stubs before proposals existed
        _print_stubs(ds, doc_id, proposals)
        return
    listing = proposal_listing(ds, doc_id, proposals)
    if resolve_format(fmt) == "table":
        _print_blocks(ds, doc_id, proposals, color)
    else:
        emit(listing, fmt, color)


# ---------------------------------------------------------------- pipe formats

def proposal_listing(ds: Dataset, doc_id: str, proposals: list[Proposal]) -> Listing:
    """One row per offered passage (or per proposal without one); one JSON record per proposal."""
    from stancecli.records import Column, Listing

    source = _source_label(ds, doc_id)
    columns = [Column(k, k) for k in ("issue", "stance", "confidence", "role", "rank", "speaker", "score",
                                        "location", "quote", "matched", "reasons")]
    rows: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    for p in proposals:
        base = {"issue": p.issue, "stance": p.stance, "confidence": f"{p.confidence:.2f}",
                "reasons": "; ".join(p.reasons)}
        offered = [("quote", c) for c in p.quotes] + [("reported", c) for c in p.reported]
        for rank, (role, cand) in enumerate(offered, 1):
            rows.append({**base, "role": role, "rank": rank, "speaker": cand.speaker or "",
                         "score": f"{cand.score:.2f}", "location": f"{source}:{_lines(cand)}",
                         "quote": cand.quote, "matched": "; ".join(cand.matched)})
        if not offered:
            rows.append({**base, "role": "none", "rank": "", "speaker": "", "score": "", "location": "",
                         "quote": "", "matched": ""})
        records.append({
            "issue": p.issue, "document": doc_id, "stance": p.stance, "confidence": p.confidence,
            "confirmed": False, "reasons": p.reasons,
            "quotes": [_record(c, source) for c in p.quotes],
            "reported": [{**_record(c, source), "speaker": c.speaker, "speaker_organisations": c.speaker_ids,
                          "stance": c.stance} for c in p.reported],
        })
    return Listing(columns, rows, records, title=f"Proposed stances for {doc_id}", notes=[NOTICE])


def _record(cand: Candidate, source: str) -> dict[str, Any]:
    return {"text": cand.quote, "file": source, "line_start": cand.line, "line_end": cand.end_line,
            "score": cand.score, "matched": cand.matched}


def _lines(cand: Candidate) -> str:
    return f"{cand.line}" if cand.line == cand.end_line else f"{cand.line}-{cand.end_line}"


def _source_label(ds: Dataset, doc_id: str) -> str:
    from stancecli.datapath import display_path

    return display_path(ds.documents[doc_id].path)


# ---------------------------------------------------------------- terminal

def _print_blocks(ds: Dataset, doc_id: str, proposals: list[Proposal], color: Color) -> None:
    from rich.text import Text

    from stancecli.model import ABSENT, SYMBOLS

    console = make_console(color)
    source = _source_label(ds, doc_id)
    console.print(Text(f"Proposed stances for {doc_id} ({source})", style="bold"))
    console.print(Text(NOTICE, style="yellow"))
    for p in proposals:
        issue = ds.issues[p.issue]
        symbol = SYMBOLS.get(p.stance, "·")
        head = Text(f"\n{p.issue}", style="bold")
        head.append(f"  {issue.title.nb}\n", style="dim")
        label = "not addressed" if p.stance == ABSENT else p.stance
        head.append(f"  proposed: {symbol} {label}", style=_style(p.stance))
        head.append(f"   confidence {p.confidence:.2f}")
        console.print(head)
        if p.reasons:
            console.print(Text("  why: " + "; ".join(p.reasons), style="dim"))
        if p.stance == ABSENT and p.quotes:
            console.print(Text("  weak candidates, in case the document does address it:", style="dim"))
        for cand in p.quotes:
            _print_candidate(console, cand, source)
        for cand in p.reported:
            _print_candidate(console, cand, source, reported=True)


def _print_candidate(console, cand: Candidate, source: str, reported: bool = False) -> None:
    from rich.text import Text

    line = Text("  ")
    if reported:
        line.append(f"reported, {cand.speaker} says", style="magenta")
        if cand.stance:
            line.append(f" (reads as {cand.stance})", style="magenta")
        line.append(": ")
    line.append(f"«{cand.quote}»")
    console.print(line)
    console.print(Text(f"    {source}:{_lines(cand)}  score {cand.score:.2f}", style="cyan"))


def _style(stance: str) -> str:
    if stance.endswith("for"):
        return "green"
    if stance.endswith("against"):
        return "red"
    return "yellow" if stance == "mixed" else "dim"


# ---------------------------------------------------------------- stubs

def _print_stubs(ds: Dataset, doc_id: str, proposals: list[Proposal]) -> None:
    """One stub per quote offered, stance left as TODO; issues with no quote listed at the end."""
    from stancecli.loading import printable
    from stancecli.suggest import stub

    print(f"# Position stubs for {doc_id} ({printable(ds.documents[doc_id].source)}), best quote first.")
    print(f"# {NOTICE}")
    print("# Paste one under positions:, decide the stance by the codebook and write the summary.")
    for p in proposals:
        for n, cand in enumerate(p.quotes, 1):
            print(f"\n# {p.issue} {n}. proposed {p.stance} (confidence {p.confidence:.2f}); line {_lines(cand)}, "
                  f"score {cand.score:.2f}; matched: {printable(', '.join(_clip(m) for m in cand.matched[:4]))}")
            print(stub(cand, p.issue, doc_id, p))
    empty = [p.issue for p in proposals if not p.quotes]
    if empty:
        print(f"\n# No passage names: {', '.join(empty)} (proposed not addressed)")


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def register(app: typer.Typer) -> None:
    app.command("suggest", help=HELP)(suggest)
