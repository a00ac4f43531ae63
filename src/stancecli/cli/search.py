# Annotations are evaluated when the module is imported (no `from __future__ import annotations`):
# Typer reads the command's signature on every run, and would compile each annotation kept as text.
from pathlib import Path
from typing import Annotated

import typer

from stancecli.cli.common import (
    Color,
    ColorOpt,
    DataOpt,
    _complete_doc,
    _complete_org,
)
from stancecli.cli.direct import search as body
from stancecli.cli.direct.search import SearchFormat
from stancecli.cli.overview import summary

HELP = summary("search") + """

Finds inflections (tiltak: tiltaket, tiltakene), compounds (anbud:
anbudsutsetting), words typed with ae/o/aa for æ/ø/å, typos
(anbudsutseting), and phrases broken across PDF lines; phrases rank higher
the closer their words stand. Searches the dataset's sources, or the given
.txt (and .pdf) files and folders, or standard input ('-', or a pipe when no
path is given). Large source sets are indexed once into the cache.

In a terminal each hit shows its score, file:line:col and sentence; in a
pipe, one 'path:line:col:sentence' line per hit (context as
'path-line-text'). When --limit leaves hits out, stderr says so. Exit 1 when
nothing matches.

Examples:

  stancecli search anbud

  stancecli search "tett oppfølging av brukere" -C 1

  stancecli search overslagsbevilling --org ntl

  stancecli search --exact "NAV-kontorene" ~/hearings/ --limit 0 | wc -l

  stancecli search tiltak --format jsonl | jq -r '.path + ":" + (.line|tostring)'

  pdftotext svar.pdf - | stancecli search anbud
"""

def search(
    query: Annotated[str, typer.Argument(help="Words or a phrase to look for.", show_default=False)],
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Source .txt or .pdf files, folders, or '-' for standard input. Default: standard input "
             "when it is a pipe, else the dataset's sources.", show_default=False)] = None,
    context: Annotated[int, typer.Option("-C", "--context", min=0, max=50,
                                         help="Source lines around each hit (blank lines skipped).")] = 0,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Most hits to show; 0 for all.")] = 20,
    min_score: Annotated[float, typer.Option("--min-score", min=0, max=100,
                                             help="Hide hits scoring below this (0-100).")] = 0.0,
    org: Annotated[list[str] | None, typer.Option("--org", help="Only this organisation's documents.",
                                                     autocompletion=_complete_org, show_default=False)] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this document.",
                                                     autocompletion=_complete_doc, show_default=False)] = None,
    exact: Annotated[bool, typer.Option("--exact", help="The words as typed, side by side: no "
                                        "inflections, compounds, typos or æ/ø/å folding.")] = False,
    index_dir: Annotated[Path | None, typer.Option(
        "--index-dir", help="Keep the index here (e.g. beside the data) instead of the cache.",
        show_default=False)] = None,
    data: DataOpt = None,
    fmt: Annotated[SearchFormat | None, typer.Option(
        "--format", "-f", help="Output format. Default: table in a terminal, grep lines in a pipe.",
        show_default=False, case_sensitive=False)] = None,
    color: ColorOpt = Color.auto,
) -> None:
    body.search(query=query, paths=paths, context=context, limit=limit, min_score=min_score, org=org, doc=doc,
                exact=exact, index_dir=index_dir, data=data, fmt=fmt, color=color)


def register(app: typer.Typer) -> None:
    app.command("search", help=HELP)(search)
