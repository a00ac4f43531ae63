from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from stancecli.cli.analysis_opts import ReportedOpt
from stancecli.cli.common import Color, ColorOpt, DataOpt, FormatOpt, Lang, LangOpt, emit, load
from stancecli.cli.overview import summary


class Sort(str, Enum):
    division = "division"
    positions = "positions"


HELP = summary("conflicts") + """

Issues come most divided first, then by how many organisations took a position.

division = the mean gap between every two positions on the issue / 4 (0 = all
the same, 1 = as far apart as the scale allows); agreement = 1 - division.
Verdicts: split (some for, some against), leaning (for or against alongside
mixed), same side (all for or all against, in different strengths), consensus
(all the same stance), one voice. Each organisation counts once, with its latest
document on the issue.

Examples:

  stancecli conflicts

  stancecli conflicts --sort positions --min 3

  stancecli conflicts --format tsv | awk -F'\\t' '$10 == "split"' | cut -f1
"""

MinOpt = Annotated[int, typer.Option("--min", min=1, max=1000,
                                     help="Only issues on which at least this many organisations took a position.")]
SortOpt = Annotated[Sort, typer.Option("--sort", case_sensitive=False,
                                       help="'division' (most divided first) or 'positions' (most addressed first).")]


def conflicts(
    min_positions: MinOpt = 2,
    sort: SortOpt = Sort.division,
    reported: ReportedOpt = True,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    color: ColorOpt = Color.auto,
    lang: LangOpt = Lang.nb,
) -> None:
    from stancecli.analysis import conflicts as run

    ds = load(data)
    listing = run(ds, reported, min_positions, sort.value, lang.value)
    emit(listing, fmt, color, hide=("title", "for", "mixed", "against", "mean", "division"),
         empty_message=f"no issue on which {min_positions} or more organisations took a position")


def register(app: typer.Typer) -> None:
    app.command("conflicts", help=HELP)(conflicts)
