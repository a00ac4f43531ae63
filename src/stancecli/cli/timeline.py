"""`stancecli timeline ORG` and `stancecli diff DOC_A DOC_B`: how positions moved between documents."""

from __future__ import annotations

import typer

from stancecli.cli.analysis_opts import OnlyOpt, no_results
from stancecli.cli.common import (
    Color,
    ColorOpt,
    DataOpt,
    DocArg,
    FormatOpt,
    Lang,
    LangOpt,
    OrgArg,
    emit,
    load,
)
from stancecli.cli.overview import summary

TIMELINE_HELP = summary("timeline") + """

For every pair of consecutive documents (by year) each issue is: changed (with
the direction: toward-for or toward-against, 'reversed' when it crossed sides),
new (taken in the later document), dropped (not addressed in the later one) or
kept; each with its quotes and file:line. Exit 1 when the organisation has fewer
than two documents.

Examples:

  stancecli timeline ntl

  stancecli timeline ntl --only changed

  stancecli timeline ntl --format json | jq '.[] | select(.change == "changed")'
"""

DIFF_HELP = summary("diff") + """

Each row has both stances, the direction of a change (toward-for / toward-against;
'reversed' when it crossed from for to against or back), and the quotes from
each document with file:line. Only a document's own positions count (not the
views it reports of other organisations). Meant for two documents of one
organisation; for two organisations it says so.

Examples:

  stancecli diff ntl-2012 ntl-2015

  stancecli diff ntl-2012 ntl-2015 --only changed --only kept

  stancecli diff ntl-2012 ntl-2015 | cut -f1 | sort | uniq -c
"""


def timeline(org: OrgArg, only: OnlyOpt = None, data: DataOpt = None, fmt: FormatOpt = None,
             color: ColorOpt = Color.auto, lang: LangOpt = Lang.nb) -> None:
    from stancecli.analysis import timeline as run
    from stancecli.analysis import timeline_documents
    from stancecli.names import resolve_org

    ds = load(data)
    org_id = resolve_org(ds, org)
    docs = timeline_documents(ds, org_id)
    if len(docs) < 2:
        which = f"one document ({docs[0]})" if docs else "no document of its own"
        no_results(f"{org_id} has {which}; a timeline needs two. Try: stancecli show {org_id}")
    listing = run(ds, org_id, [o.value for o in only] if only else None, lang.value)
    _show(listing, fmt, color, True, f"no such changes for {org_id}")


def diff(doc_a: DocArg, doc_b: DocArg, only: OnlyOpt = None, data: DataOpt = None, fmt: FormatOpt = None,
         color: ColorOpt = Color.auto, lang: LangOpt = Lang.nb) -> None:
    from stancecli.analysis import diff as run
    from stancecli.names import resolve_doc

    ds = load(data)
    a, b = resolve_doc(ds, doc_a), resolve_doc(ds, doc_b)
    listing = run(ds, a, b, [o.value for o in only] if only else None, lang.value)
    _show(listing, fmt, color, False, f"no such changes from {a} to {b}")


def _show(listing, fmt, color, steps: bool, empty: str) -> None:
    """Blocks in a terminal (two quote columns do not fit a table); the listing elsewhere."""
    from stancecli.results import ChangesResult

    emit(ChangesResult(listing, steps), fmt, color, empty_message=empty)


def register(app: typer.Typer) -> None:
    app.command("timeline", help=TIMELINE_HELP)(timeline)
    app.command("diff", help=DIFF_HELP)(diff)
