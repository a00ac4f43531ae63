"""`suggest`: candidate quotes for an issue in a document, as position stubs to paste."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from stancecli.cli.common import DataOpt, ExitStatus, IssueArg, _complete_doc, fail, guarded, load

HELP = """Candidate quotes on an issue in one document, as position stubs to paste.

Passages are ranked by the issue's key, aliases and titles, and by its
proposal, best first. Every quote is verbatim from the source, so validate
finds it; passages a position on the issue already quotes are left out.
The stub leaves stance and summary open on purpose: decide them by the
codebook before you validate.

Examples:

  stancecli suggest anbud --doc ntl-2012

  stancecli suggest "ordinært arbeidsliv" --doc fo-2016 -n 3
"""


def suggest(
    issue: IssueArg,
    doc: Annotated[str, typer.Option("--doc", "-d", help="Document id (or title).", autocompletion=_complete_doc,
                                     show_default=False)],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=50, help="How many passages.")] = 5,
    data: DataOpt = None,
) -> None:
    from stancecli.corpus import SourceError, read_source
    from stancecli.loading import printable
    from stancecli.names import resolve_doc, resolve_issue
    from stancecli.suggest import stub
    from stancecli.suggest import suggest as run

    ds = load(data)
    issue_key, doc_id = resolve_issue(ds, issue), resolve_doc(ds, doc)
    document = ds.documents[doc_id]
    try:
        source = read_source(document.path)
    except SourceError as exc:
        fail(printable(str(exc)))  # a file name may carry anything
    found = run(ds, issue_key, doc_id, source, limit)
    if not found.candidates:
        sys.stderr.write(f"stancecli: no passage in {doc_id} matches the names or proposal of '{issue_key}'"
                         f"{_skipped(found.already_quoted)}\n")
        raise typer.Exit(int(ExitStatus.NO_RESULTS))
    print(f"# {len(found.candidates)} candidate passages on '{issue_key}' in {doc_id} ({printable(document.source)}),"
          f" best first{_skipped(found.already_quoted)}.")
    print("# Paste one under positions:, decide the stance by the codebook and write the summary.")
    for n, cand in enumerate(found.candidates, 1):
        lines = f"{cand.line}" if cand.line == cand.end_line else f"{cand.line}-{cand.end_line}"
        matched = printable(", ".join(_clip(m) for m in cand.matched[:4]))
        print(f"\n# {n}. line {lines}, score {cand.score:.0f}; matched: {matched}")
        print(stub(cand, issue_key, doc_id))


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _skipped(n: int) -> str:
    return f"; {n} passage(s) already quoted on it left out" if n else ""


def register(app: typer.Typer) -> None:
    app.command("suggest", help=HELP)(guarded(suggest))
