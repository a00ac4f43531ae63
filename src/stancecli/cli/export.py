"""`stancecli export sqlite|xlsx FILE`: the dataset for Datasette, sqlite-utils and spreadsheets."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from stancecli.cli.common import DataOpt, Lang, LangOpt, load
from stancecli.cli.overview import summary

HELP = summary("export") + """

The file is replaced all at once (a temporary file beside it, then a
rename), so a reader never sees half of it. Needs the optional extra:
pip install 'stancecli\\[export]'.
"""

SQLITE_HELP = """The dataset as one SQLite file that Datasette publishes as it is.

Tables: organisations, documents, issues, positions, quotes (text, speaker,
document, line span, citation), not_addressed, source_lines (every line of
every source); computed from the analysis: agreement (every ordered pair of
organisations), spread (per issue, most divided first), map (latest stance
per organisation and issue). Foreign keys between them; views compare,
agreement_pairs, conflicts and quotes_cited; FTS5 full-text search on
quotes, summaries and source lines; 'about' says what and when.

Examples:

  stancecli export sqlite stances.db && datasette stances.db

  sqlite-utils stances.db "select organisation, stance, citation from quotes_cited where issue = 'anbud'"

  sqlite-utils search stances.db quotes anbud
"""

XLSX_HELP = """The dataset as a spreadsheet: one sheet per view, in the colours of the report.

Sheets: Positions (one row per position, every quote and its citation),
Matrix (agreement of every two organisations), Map (issues × organisations,
most divided first), About.

Examples:

  stancecli export xlsx stances.xlsx

  stancecli export xlsx --lang en stances-en.xlsx
"""

FileArg = Annotated[Path, typer.Argument(help="The file to write (replaced if it exists).", metavar="FILE",
                                         show_default=False)]


STDOUT = "-"


def _not_stdout(path: Path, what: str) -> None:
    """'-' means standard output to every other command; here it would silently make a file named '-'."""
    if str(path) == STDOUT:
        from stancecli.export import ExportProblem

        raise ExportProblem(f"{what} cannot be written to standard output; give a file name (./- for a file named '-')")


def _done(path: Path, what: str, warnings: list[str]) -> None:
    for warning in warnings:
        sys.stderr.write(f"stancecli: warning: {warning}\n")
    size = path.stat().st_size // 1024 + 1
    sys.stderr.write(f"stancecli: wrote {path} ({size} KiB): {what}\n")


def sqlite(file: FileArg, data: DataOpt = None) -> None:
    from stancecli.export import generated_at
    from stancecli.export.sqlite import VIEWS, export_sqlite

    _not_stdout(file, "a SQLite file")
    ds = load(data)
    warnings = export_sqlite(ds, file, generated_at())
    _done(file, f"{len(VIEWS)} views, full-text search on quotes, summaries and source lines", warnings)


def xlsx(file: FileArg, data: DataOpt = None, lang: LangOpt = Lang.nb) -> None:
    from stancecli.export import generated_at
    from stancecli.export.xlsx import SHEETS, export_xlsx

    _not_stdout(file, "a spreadsheet")
    ds = load(data)
    export_xlsx(ds, file, lang.value, generated_at())
    _done(file, f"sheets {', '.join(SHEETS)}", [])


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=HELP, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
    sub.command("sqlite", help=SQLITE_HELP)(sqlite)
    sub.command("xlsx", help=XLSX_HELP)(xlsx)
    app.add_typer(sub, name="export")
