from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from stancecli.cli import common
from stancecli.cli.analysis_opts import ReportedOpt, user_errors
from stancecli.cli.common import DataOpt, Lang, LangOpt, fail, guarded, load


class ReportFormat(str, Enum):
    html = "html"
    markdown = "markdown"


HELP = """A report to share with someone who has no terminal: one self-contained HTML file.

It holds the position map as a coloured grid, the agreement matrix as a heatmap,
the lines of conflict, how organisations changed between their documents, every
issue with its positions, quotes and file:line citations, and the list of
sources. No scripts, no external files: it opens offline in any browser and
prints well. --format markdown gives the same in markdown.

HTML is not written to a terminal: give -o FILE or redirect the output.

Examples:

  stancecli report -o report.html

  stancecli report --lang en > report-en.html

  stancecli report --format markdown -o report.md
"""

OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False, show_default=False,
                                                   help="Write to this file instead of standard output.")]
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

    if output is None and fmt == ReportFormat.html and common.stdout_is_terminal():
        fail("not writing HTML to a terminal; give -o report.html or redirect: stancecli report > report.html")
    ds = load(data)
    with user_errors():
        text = _render(build(ds, lang.value, reported), fmt)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    sys.stderr.write(f"stancecli: wrote {output} ({len(text.encode('utf-8')) // 1024 + 1} KiB)\n")


def _render(r, fmt: ReportFormat) -> str:
    if fmt == ReportFormat.markdown:
        from stancecli.output.report_markdown import render_markdown

        return "\n".join(render_markdown(r)) + "\n"
    from stancecli.output.html import render_html

    return render_html(r)


def register(app: typer.Typer) -> None:
    app.command("report", help=HELP)(guarded(report))
