"""`suggest`: stance proposals with evidence for a document, for a person to confirm."""

from __future__ import annotations

from typing import Annotated

import typer

from stancecli.cli.common import (
    Color,
    ColorOpt,
    DataOpt,
    FormatOpt,
    _complete_doc,
    _complete_issue,
    environment,
    load,
    resolve_format,
)
from stancecli.cli.overview import summary

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
    from stancecli.datapath import display_path
    from stancecli.errors import NoResults
    from stancecli.names import resolve_doc, resolve_issue
    from stancecli.output.present import present
    from stancecli.output.proposals import STUBS
    from stancecli.results import ProposalsResult
    from stancecli.suggest import propose

    if not doc:
        raise typer.BadParameter("name the document with --doc", param_hint="--doc")
    ds = load(data)
    doc_id = resolve_doc(ds, doc)
    wanted = [*([issue] if issue else []), *(issues or [])]
    keys = list(dict.fromkeys(resolve_issue(ds, name) for name in wanted)) or None
    document = ds.documents[doc_id]
    proposals = propose(ds, doc_id, read_source(document.path), keys, limit)
    if not any(p.quotes or p.reported for p in proposals):
        named = f"'{keys[0]}'" if keys and len(keys) == 1 else "any of the issues"
        raise NoResults(f"no passage in {doc_id} names {named}")
    result = ProposalsResult(doc_id, display_path(document.path), document.source, proposals,
                             {p.issue: ds.issues[p.issue].title.nb for p in proposals})
    # The positional form printed stubs before proposals existed.
    chosen = STUBS if yaml_stubs or issue is not None else resolve_format(fmt)
    present(result, chosen, environment(color))


def register(app: typer.Typer) -> None:
    app.command("suggest", help=HELP)(suggest)
