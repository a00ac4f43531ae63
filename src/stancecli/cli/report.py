from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stancecli.cli import plain
from stancecli.cli.analysis_opts import ReportedOpt
from stancecli.cli.common import DataOpt, Lang, LangOpt, fail, load
from stancecli.cli.overview import summary

if TYPE_CHECKING:
    from stancecli.model import Dataset

STDOUT = "-"


class ReportFormat(str, Enum):
    html = "html"
    markdown = "markdown"


HELP = summary("report") + """

It opens with a summary of findings (the most divided issues, the closest
and the most distant pairs, who moved over time) and holds the position map
as a coloured grid, the agreement matrix as a heatmap, the lines of
conflict, change between documents, every issue with its positions and
quotes, and each source as an appendix: every citation (document, title,
lines) links to its line there. No scripts (a content security policy
forbids them), no external files: it opens offline in any browser, prints
well and reads on a phone. --format markdown gives the same in markdown.

HTML is not written to a terminal: give -o FILE or redirect the output (-o -
is standard output). SOURCE_DATE_EPOCH sets the date the report gives for
itself.

Examples:

  stancecli report -o report.html

  stancecli report --lang en -o - > report-en.html

  stancecli report --format markdown -o report.md
"""

OutputOpt = Annotated[str | None, typer.Option("--output", "-o", show_default=False, metavar="FILE",
                                                  help="Write to this file ('-': standard output).")]
ReportFormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", case_sensitive=False,
                                                       help="html (one self-contained page) or markdown.")]


def report(
    output: OutputOpt = None,
    fmt: ReportFormatOpt = ReportFormat.html,
    reported: ReportedOpt = True,
    data: DataOpt = None,
    lang: LangOpt = Lang.nb,
) -> None:
    from stancecli.analysis import report as build
    from stancecli.corpus import Sources
    from stancecli.export import generated_at
    from stancecli.export.findings import extras
    from stancecli.output.present import present, render
    from stancecli.results import ReportResult

    to_stdout = output in (None, STDOUT)
    if to_stdout and fmt == ReportFormat.html and plain.stdout_is_terminal():
        fail("not writing HTML to a terminal; give -o report.html or redirect: stancecli report > report.html")
    ds = load(data)
    sources = Sources()
    r = build(ds, lang.value, reported, sources)
    result = ReportResult(r, extras(ds, r, generated_at(), sources))
    env = plain.environment()
    if to_stdout:
        present(result, fmt.value, env)
        return
    _write(Path(str(output)), "".join(f"{line}\n" for line in render(result, fmt.value, env)), ds)


def _write(path: Path, text: str, ds: Dataset) -> None:
    from stancecli.export.atomic import dataset_files, replace_atomically

    replace_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), dataset_files(ds))
    sys.stderr.write(f"stancecli: wrote {path} ({len(text.encode('utf-8')) // 1024 + 1} KiB)\n")


def register(app: typer.Typer) -> None:
    app.command("report", help=HELP)(report)
