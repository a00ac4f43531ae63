"""The program's overview: its commands with one line each, and the top-level help.

`stancecli --help` is printed from here without importing Typer, Rich or any command: help
is asked for often, and completion and first impressions both pay for start-up.
"""

from __future__ import annotations

import os
import shutil
import textwrap

PROGRAM = "Where organisations stand on NAV labour-market policy, proved with their own words."
EXIT_CODES = "Exit codes: 0 results, 1 no results (like grep), 2 usage or data error."
VERSION_HELP = "Show the version and exit."
TRACEBACK_HELP = "On failure, show the Python traceback (for bug reports; also STANCECLI_DEBUG=1)."
HELP_HELP = "Show this message and exit."

# command name -> (the module under stancecli.cli that registers it, its one-line summary)
COMMANDS: dict[str, tuple[str, str]] = {
    "compare": ("compare", "Where every organisation stands on one or more issues, in its own words."),
    "who-supports": ("sides", "Organisations in favour of an issue (for or strongly-for)."),
    "who-opposes": ("sides", "Organisations against an issue (against or strongly-against)."),
    "evidence": ("evidence", "The quotes on an issue with full citations (document title, year, file:line)."),
    "issues": ("listings", "The issues with how many positions each has, for, mixed and against."),
    "orgs": ("listings", "The organisations with their kind and how many documents and positions each has."),
    "docs": ("listings", "The documents with their positions and quotes."),
    "show": ("show", "One organisation's positions across issues and documents."),
    "search": ("search", "Search the sources for a word or phrase, the Norwegian way."),
    "matrix": ("matrix", "Who agrees with whom: proximity of every pair of organisations."),
    "agree": ("agree", "Why two organisations agree or differ: the issues both addressed, widest gap first."),
    "map": ("posmap", "The position map: every issue against every organisation, one symbol per cell."),
    "timeline": ("timeline", "How one organisation's positions moved from each of its documents to the next."),
    "diff": ("timeline", "What changed between two documents: changed, new, dropped and kept positions."),
    "conflicts": ("conflicts", "Lines of conflict and points of consensus: issues ranked by how divided they are."),
    "report": ("report", "A report to share with someone who has no terminal: one self-contained HTML file."),
    "export": ("export", "Write the dataset for other tools: a SQLite file to publish with Datasette, or a "
                         "spreadsheet."),
    "suggest": ("suggest", "Proposed stances, with the quotes that carry them, for one document."),
    "add-document": ("add_document", "Register new source documents: files or folders of .txt, .pdf, .docx, "
                                     ".html."),
    "code": ("code", "Code one document: its undecided codebook issues, one key per decision."),
    "validate": ("validate", "Run every check of the dataset and print a summary; exit 2 on any error."),
}

OPTIONS: tuple[tuple[str, str], ...] = (
    ("--version", VERSION_HELP),
    ("--traceback", TRACEBACK_HELP),
    ("--install-completion", "Install completion for the current shell."),
    ("--show-completion", "Show completion for the current shell, to copy it or customize the installation."),
    ("-h, --help", HELP_HELP),
)


def summary(command: str) -> str:
    return COMMANDS[command][1]


def top_help(width: int | None = None) -> str:
    """The top-level help, wrapped to the terminal (or $COLUMNS, or 80)."""
    if width is None:
        width = int(os.environ.get("COLUMNS", "0") or 0) or shutil.get_terminal_size((80, 24)).columns
    width = max(40, width)
    out = [*_wrap("Usage: stancecli [OPTIONS] COMMAND [ARGS]...", width, ""), ""]
    out += _wrap(PROGRAM, width, "  ")
    out += [""] + _wrap(EXIT_CODES, width, "  ")
    out += ["", "Options:"] + _rows(OPTIONS, width)
    out += ["", "Commands:"] + _rows(tuple((name, text) for name, (_, text) in COMMANDS.items()), width)
    out += ["", *_wrap("Run 'stancecli COMMAND --help' for a command's options and examples.", width, "  ")]
    return "\n".join(out)


def _rows(rows: tuple[tuple[str, str], ...], width: int) -> list[str]:
    first = max(len(name) for name, _ in rows) + 4
    if width - first < 24:  # too narrow for two columns: the text goes under its name
        return [line for name, text in rows
                for line in ["  " + name, *_wrap(text, width, "      ")]]
    out = []
    for name, text in rows:
        lines = _wrap(text, width - first, "") or [""]
        out.append(f"  {name:<{first - 2}}{lines[0]}")
        out += [" " * first + line for line in lines[1:]]
    return out


def _wrap(text: str, width: int, indent: str) -> list[str]:
    # Never at a hyphen: "self-contained" and option names stay whole.
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False,
                         break_long_words=False)
