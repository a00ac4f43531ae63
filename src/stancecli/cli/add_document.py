"""`add-document`: register response documents (.txt, .pdf, .docx, .html; files or folders) in the dataset."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from stancecli.cli import plain
from stancecli.cli.common import DataOpt
from stancecli.cli.overview import summary

HELP = summary("add-document") + """

Each text is stored beside the other sources as ID.txt (a PDF, .docx or
.html original is kept beside it) and its document is added to
stances.yaml. Text in Windows-1252/Latin-1 or UTF-16 is converted (said
on stderr); paragraphs are kept. A text already in the dataset is refused,
naming its document. The batch is all or nothing: on any error nothing
changes. One line per file on stdout.

Without --org, the organisation is proposed from each text (letterhead,
"Høringssvar fra ...", signature): in a terminal you are asked to confirm
each; elsewhere, accept the proposals with --yes or name it with --org.
The title is each document's first line unless --title is given (one file).

Examples:

  stancecli add-document svar.pdf --org ntl --title "Svar" --date 2016-03-01

  stancecli add-document hoering/ --year 2016 --hearing "NOU 2016:1" --yes

  stancecli add-document svar.txt --org spekter --org-name Spekter
  --org-kind employer-organisation --title "Uttalelse" --year 2016

Then, per document: stancecli code ID; then stancecli validate.
"""


def add_document(
    paths: Annotated[list[Path], typer.Argument(help="Documents (.txt, .pdf, .docx, .html) or folders of them.",
                                                show_default=False)],
    org: Annotated[str | None, typer.Option("--org", help="Organisation id (or name) that wrote them. Default: "
                                            "proposed from each text, to confirm.", show_default=False)] = None,
    title: Annotated[str | None, typer.Option("--title", help="The document's title (one file only). "
                                              "Default: its first line.", show_default=False)] = None,
    hearing: Annotated[str | None, typer.Option("--hearing", help="The hearing or proposal it answers.",
                                                show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (or YYYY-MM, YYYY).",
                                             show_default=False)] = None,
    year: Annotated[int | None, typer.Option("--year", help="The year, when there is no date.",
                                             show_default=False)] = None,
    doc_id: Annotated[str | None, typer.Option("--id", help="Document id (one file only). Default: ORG-YEAR.",
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
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Accept the organisations proposed from the texts.")]
    = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be added; change nothing.")] = False,
    data: DataOpt = None,
) -> None:
    from stancecli.adding import DocumentRequest, choose_organisations
    from stancecli.datapath import resolve_data_path

    _check_options(date, year, org, org_name, org_kind, org_short)
    data_path = resolve_data_path(data)
    refuse_bundled_dataset(data_path)
    request = DocumentRequest(files=paths, org=org, title=title, hearing=hearing, date=date, year=year,
                              doc_id=doc_id, reference=reference, org_name=org_name, org_kind=org_kind,
                              org_short=org_short)
    docs = _read(request)
    choices = choose_organisations(data_path, request, docs)
    _confirm(docs, choices, yes, dry_run)
    _report(_plan_and_write(data_path, request, docs, choices, dry_run), dry_run, data_option(data))


def _check_options(date, year, org, org_name, org_kind, org_short) -> None:
    """What the options alone can tell, said in their terms (the library speaks of the data)."""
    from stancecli.adding import CurationError

    if date is None and year is None:
        raise CurationError("give --date YYYY-MM-DD or --year YYYY: the document needs a date or a year")
    if (org_kind or org_short) and not org_name:
        raise CurationError("--org-kind and --org-short describe a new organisation: give --org-name too")
    if org_name and not org:
        raise CurationError("--org-name describes a new organisation: give its id with --org too")


def _read(request):
    """Every document's text; what was skipped or converted is said on stderr."""
    from stancecli.adding import CurationError, collect_files, read_documents

    files, skipped = collect_files(request.files)
    if len(files) > 1 and request.title:
        raise CurationError("--title names one document; leave it out to take each document's first line")
    for path in skipped:
        _say(f"skipped {path}: not a .txt, .pdf, .docx or .html file")
    docs = read_documents(files)
    for doc in docs:
        for note in doc.notes:
            _say(note)
    return docs


def _plan_and_write(data_path: Path, request, docs, choices, dry_run: bool):
    """Under the dataset lock: finish what a crashed run left, plan against the file as it is, write."""
    from stancecli.adding import carry_out, plan_batch, recover, refuse_bundled
    from stancecli.editing import dataset_lock
    from stancecli.loading import load_dataset

    if dry_run:  # no lock: a dry run writes nothing and may look at a dataset in a read-only folder
        return plan_batch(data_path, request, docs, choices)
    refuse_bundled(data_path)
    with dataset_lock(data_path, on_wait=_say):
        dataset, _problems = load_dataset(data_path)
        for note in recover(data_path, dataset):
            _say(note)
        batch = plan_batch(data_path, request, docs, choices, dataset)
        carry_out(batch)
    return batch


def _say(message: str) -> None:
    sys.stderr.write(f"stancecli: {message}\n")
    sys.stderr.flush()


def interactive() -> bool:
    """Whether a person can answer a question: stdin and stdout are terminals."""
    try:
        return sys.stdin.isatty() and plain.stdout_is_terminal()
    except (AttributeError, ValueError):
        return False


def _confirm(docs, choices, yes: bool, dry_run: bool) -> None:
    """Proposed organisations are used only when confirmed: --yes, or a 'y' per file in a terminal."""
    from stancecli.adding import CurationError
    from stancecli.loading import printable

    proposed = [(doc, c.proposal) for doc, c in zip(docs, choices, strict=True) if c.proposal is not None]
    if not proposed:
        return
    if yes or dry_run:
        verb = "accepted (--yes)" if yes else "proposed"
        for doc, proposal in proposed:
            _say(f"{doc.path}: organisation {printable(proposal.describe())} {verb}")
        return
    if not interactive():
        for doc, proposal in proposed:
            _say(f"{doc.path}: proposed organisation {printable(proposal.describe())}")
        raise CurationError("no --org given: accept the proposed organisations with --yes, or name the "
                            "organisation with --org; nothing was changed")
    for doc, proposal in proposed:
        if not typer.confirm(f"{doc.path}: written by {printable(proposal.describe())}?", default=False,
                             err=True):
            raise CurationError(f"{doc.path}: organisation not confirmed; name it with --org ID (a new one "
                                "with --org-name and --org-kind too); nothing was changed")


def refuse_bundled_dataset(data_path: Path) -> None:
    """The installed dataset is never edited: said with the options that name another."""
    from stancecli.adding import CurationError, is_bundled

    if is_bundled(data_path):
        raise CurationError("the bundled dataset is part of the installed package and is not edited; copy it "
                            "(data/ and seeds/) to a folder of your own and name the copy with --data PATH "
                            "(or STANCECLI_DATA)")


def data_option(data: Path | None) -> str:
    """` --data PATH` as the user gave it, for a command line to copy; empty without --data."""
    import shlex

    return f" --data {shlex.quote(str(data))}" if data is not None else ""


def _report(batch, dry_run: bool, data_flag: str = "") -> None:
    from stancecli.editing import render_entry
    from stancecli.loading import display_path, printable

    verb = "would add" if dry_run else "added"
    for p in batch.plans:
        org = f"new organisation {p.org_id}" if p.new_org else f"organisation {p.org_id}"
        where = "used where it is" if p.text is None else f"text in {display_path(p.text_target)}"
        if p.original_target is not None:
            where += f", original in {display_path(p.original_target)}"
        print(printable(f"{verb} {p.doc_id} ({org}, {p.words} words) from {p.source_file}: {where}; entry at "
                        f"{display_path(batch.dataset)}:{p.entry_spans[-1][0]}; title «{p.title}»"))
    if dry_run:
        for p in batch.plans:
            for addition in p.additions:
                print("")
                print(f"{addition.section}:")
                for line in render_entry(addition.entry):
                    print(printable(line))
    if dry_run:
        return
    each = ", and the same for each document added above" if len(batch.plans) > 1 else ""
    _say(f"next: stancecli code {batch.plans[0].doc_id}{data_flag}{each}; then stancecli validate{data_flag}")


def register(app: typer.Typer) -> None:
    app.command("add-document", help=HELP)(add_document)
