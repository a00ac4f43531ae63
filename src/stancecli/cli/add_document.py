"""`add-document`: register a .txt or .pdf source in the dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stancecli.cli.common import DataOpt, fail, guarded

HELP = """Register a new source document (.txt, or .pdf with the 'pdf' extra).

The text is stored beside the other sources as ID.txt (a PDF is kept
beside it as ID.pdf) and the document is added to stances.yaml. Comments,
order and formatting of the file are kept; on any error nothing changes.
The organisation must exist, or be created with --org-name and --org-kind.

Examples:

  stancecli add-document svar.pdf --org ntl --title "Svar" --date 2016-03-01

  stancecli add-document svar.txt --org spekter --org-name Spekter
  --org-kind employer-organisation --title "Uttalelse" --year 2016

Then: stancecli suggest ISSUE --doc ID, paste, and stancecli validate.
"""


def add_document(
    file: Annotated[Path, typer.Argument(help="The document: a UTF-8 .txt or a .pdf.", show_default=False)],
    org: Annotated[str, typer.Option("--org", help="Organisation id (or name) that wrote it.", show_default=False)],
    title: Annotated[str, typer.Option("--title", help="The document's title.", show_default=False)],
    hearing: Annotated[str | None, typer.Option("--hearing", help="The hearing or proposal it answers.",
                                                   show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (or YYYY-MM, YYYY).",
                                                show_default=False)] = None,
    year: Annotated[int | None, typer.Option("--year", help="The year, when there is no date.",
                                                show_default=False)] = None,
    doc_id: Annotated[str | None, typer.Option("--id", help="Document id. Default: ORG-YEAR.",
                                                  show_default=False)] = None,
    reference: Annotated[str | None, typer.Option("--reference", help="Case number or similar.",
                                                     show_default=False)] = None,
    org_name: Annotated[str | None, typer.Option("--org-name", help="Create organisation --org with this name.",
                                                    show_default=False)] = None,
    org_kind: Annotated[str | None, typer.Option("--org-kind", help="Kind of a new organisation: union, "
                                                    "municipality, employer-organisation, state-agency, ngo, other.",
                                                    show_default=False)] = None,
    org_short: Annotated[str | None, typer.Option("--org-short", help="Short name of a new organisation.",
                                                     show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be added; change nothing.")] = False,
    data: DataOpt = None,
) -> None:
    from stancecli.adding import CurationError, DocumentRequest, carry_out, plan
    from stancecli.loading import resolve_data_path

    request = DocumentRequest(file=file, org=org, title=title, hearing=hearing, date=date, year=year,
                              doc_id=doc_id, reference=reference, org_name=org_name, org_kind=org_kind,
                              org_short=org_short)
    try:
        decided = plan(resolve_data_path(data), request)
        if not dry_run:
            carry_out(decided)
    except CurationError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{exc.filename or ''}: {exc.strerror or exc}; nothing was changed")
    _report(decided, dry_run)


def _report(p, dry_run: bool) -> None:
    from stancecli.editing import render_entry
    from stancecli.loading import display_path, printable

    verb = "would add" if dry_run else "added"
    print(f"{verb} document '{p.doc_id}' to {display_path(p.dataset)} (line {p.entry_spans[-1][0]})")
    if p.new_org:
        print(f"{verb} organisation '{p.org_id}' (line {p.entry_spans[0][0]})")
    stored = "uses" if p.text is None else ("would store" if dry_run else "stored")
    print(f"{stored} the text as {display_path(p.text_target)} ({p.words} words)")
    if p.original_target is not None:
        print(f"{'would keep' if dry_run else 'kept'} the original as {display_path(p.original_target)}")
    for addition in p.additions:
        print("")
        print(f"{addition.section}:")
        for line in render_entry(addition.entry):
            print(printable(line))
    print("")
    print(f"next: stancecli suggest ISSUE --doc {p.doc_id}   (candidate quotes, as position stubs)")
    print(f"      list the codebook issues it does not address under not_addressed: {p.doc_id}: [...]")
    print("      stancecli validate")


def register(app: typer.Typer) -> None:
    app.command("add-document", help=HELP)(guarded(add_document))
