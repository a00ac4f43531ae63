"""`stancecli who-supports` and `who-opposes`: the organisations on one side of an issue."""

from __future__ import annotations

from pathlib import Path

from stancecli.cli.direct import CHOICE, COLOR, DATA, FLAG, FORMAT, LANG, Param
from stancecli.cli.plain import Color, Format, Lang, SideBy, emit, load

PARAMS = (
    Param("issue", required=True),
    Param("strong", "--strong", kind=FLAG, default=False),
    Param("by", "--by", kind=CHOICE, choices=SideBy, default=SideBy.organisation),
    DATA, FORMAT, COLOR, LANG,
)


def who_supports(issue: str, strong: bool, by: SideBy, data: Path | None, fmt: Format | None, color: Color,
                 lang: Lang) -> None:
    _side(issue, False, strong, by, data, fmt, color, lang)


def who_opposes(issue: str, strong: bool, by: SideBy, data: Path | None, fmt: Format | None, color: Color,
                lang: Lang) -> None:
    _side(issue, True, strong, by, data, fmt, color, lang)


def _side(issue: str, against: bool, strong: bool, by: SideBy, data: Path | None, fmt: Format | None,
          color: Color, lang: Lang) -> None:
    from stancecli.names import resolve_issue
    from stancecli.queries import side

    ds = load(data)
    key = resolve_issue(ds, issue)
    if by == SideBy.kind:
        from stancecli.analysis import side_by_kind

        emit(side_by_kind(ds, key, against, strong, lang.value), fmt, color)
        return
    listing = side(ds, key, against=against, strong=strong, lang=lang.value)
    who = "opposes" if against else "supports"
    emit(listing, fmt, color, hide=("score", "year"),
         empty_message=f"no organisation {who} '{key}'{' strongly' if strong else ''}")
