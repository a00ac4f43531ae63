"""`stancecli compare`: every position on one or more issues, with its first quote."""

from __future__ import annotations

import sys
from pathlib import Path

from stancecli.cli.direct import CHOICE, COLOR, DATA, FLAG, FORMAT, LANG, Param
from stancecli.cli.plain import Color, CompareBy, Format, Lang, emit, load, resolve_format

PARAMS = (
    Param("issues", many=True, required=True),
    Param("quotes", "--quotes", kind=FLAG, default=False),
    Param("absent", "--absent", kind=FLAG, default=False),
    Param("by", "--by", kind=CHOICE, choices=CompareBy, default=CompareBy.position),
    DATA, FORMAT, COLOR, LANG,
)


def compare(issues: list[str], quotes: bool, absent: bool, by: CompareBy, data: Path | None, fmt: Format | None,
            color: Color, lang: Lang) -> None:
    from stancecli.names import resolve_issue
    from stancecli.queries import compare as run

    ds = load(data)
    keys = list(dict.fromkeys(resolve_issue(ds, name) for name in issues))
    if by == CompareBy.kind:
        from stancecli.analysis import by_kind

        emit(by_kind(ds, keys, lang.value), fmt, color)
        return
    chosen = resolve_format(fmt)
    listing = run(ds, keys, lang.value, all_quotes=quotes, absent=absent or chosen in ("table", "markdown"))
    for note in listing.notes:
        sys.stderr.write(f"stancecli: note: {note}\n")
    listing.notes = []
    hide = ("issue",) if len(keys) == 1 else ()
    emit(listing, fmt, color, hide=hide + ("score", "year"))
