"""Options shared by the analysis commands (matrix, map, agree, conflicts, timeline, diff, report)."""

from __future__ import annotations

from typing import Annotated

import typer

from stancecli.cli.common import _complete_issue
from stancecli.cli.plain import (  # noqa: F401 - the commands import these from here
    By,
    ChangeKind,
    CompareBy,
    SideBy,
    no_results,
    resolve_issues,
)

ByOpt = Annotated[By, typer.Option(
    "--by", case_sensitive=False,
    help="One row per 'organisation' (its latest document per issue), per 'document', "
         "or per organisation 'kind' (the mean of its members).")]
CompareByOpt = Annotated[CompareBy, typer.Option(
    "--by", case_sensitive=False, help="One row per 'position', or aggregated per organisation 'kind'.")]
SideByOpt = Annotated[SideBy, typer.Option(
    "--by", case_sensitive=False, help="One row per 'organisation', or aggregated per organisation 'kind'.")]
IssuesOpt = Annotated[list[str] | None, typer.Option(
    "--issues", "-i", autocompletion=_complete_issue, show_default=False,
    help="Only these issues: keys, aliases or titles, comma-separated or repeated.")]
ReportedOpt = Annotated[bool, typer.Option(
    "--reported/--no-reported",
    help="Count positions that another organisation's document reports (e.g. LO and NHO in Bergen's).")]
OnlyOpt = Annotated[list[ChangeKind] | None, typer.Option(
    "--only", case_sensitive=False, show_default=False,
    help="Only these changes: changed, new, dropped, kept, not-raised, undecided (repeat for several).")]
