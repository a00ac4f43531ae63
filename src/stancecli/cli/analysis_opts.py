"""Options shared by the analysis commands (matrix, map, agree, conflicts, timeline, diff, report)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from stancecli.cli.common import _complete_issue, fail


# Every --by of every command is parsed here, as a choice Typer checks and --help lists.
class By(str, Enum):
    """Sides of matrix and map."""

    organisation = "organisation"
    document = "document"
    kind = "kind"


class CompareBy(str, Enum):
    position = "position"
    kind = "kind"


class SideBy(str, Enum):
    """Rows of who-supports and who-opposes."""

    organisation = "organisation"
    kind = "kind"


class ChangeKind(str, Enum):
    changed = "changed"
    new = "new"
    dropped = "dropped"
    kept = "kept"
    not_raised = "not-raised"
    undecided = "undecided"


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


def resolve_issues(ds, names: list[str] | None) -> list[str] | None:
    """--issues a,b --issues c -> the issue keys, in the order given; None when not given."""
    if not names:
        return None
    from stancecli.names import resolve_issue

    parts = [part.strip() for name in names for part in name.split(",")]
    if not any(parts):
        fail("--issues needs at least one issue key")
    return list(dict.fromkeys(resolve_issue(ds, part) for part in parts if part))


def no_results(message: str) -> None:
    """A clear message on stderr and exit 1, like grep finding nothing."""
    from stancecli.cli.common import ExitStatus

    fail(message, ExitStatus.NO_RESULTS)
