"""What the report adds to the analysis: a summary of findings, its date, and the sources as an
appendix that citations link into, line by line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stancecli.model import Dataset

if TYPE_CHECKING:
    from stancecli.analysis import Report
    from stancecli.corpus import Sources

DIVIDED_SHOWN = 3
PAIRS_SHOWN = 2
# A pair agreeing on one shared issue says little: rank pairs that share at least this many.
MIN_SHARED = 3


@dataclass
class Pair:
    a: str
    b: str
    value: float
    shared: int

    def __str__(self) -> str:
        issues = "issue" if self.shared == 1 else "issues"
        return f"{self.a} and {self.b}: {self.value:.2f} over {self.shared} shared {issues}"


@dataclass
class Move:
    organisation: str
    before: str  # document ids
    after: str
    hearings: tuple[str, str]  # what each document answered: a change may be an answer to another question
    changed: list[dict[str, Any]]  # timeline rows whose change is "changed"


@dataclass
class Findings:
    divided: list[dict[str, Any]]  # conflict rows, most divided first
    closest: list[Pair]
    distant: list[Pair]
    min_shared: int  # the least number of shared issues of the pairs ranked
    moves: list[Move]


@dataclass
class SourceText:
    id: str
    title: str
    file: str
    lines: list[str]  # line n is lines[n - 1]
    problem: str | None = None


@dataclass
class Extras:
    generated: str
    findings: Findings
    sources: list[SourceText]
    # (issue, organisation) cells of the map that nobody has coded yet: unknown, never "not addressed".
    undecided: set[tuple[str, str]] = field(default_factory=set)


def _pairs(r: Report) -> tuple[list[Pair], list[Pair], int]:
    defined = [Pair(a.label, b.label, p.value, p.shared) for a, b, p in r.matrix.pairs() if p.defined]
    floor = MIN_SHARED if any(p.shared >= MIN_SHARED for p in defined) else 1
    ranked = [p for p in defined if p.shared >= floor]
    closest = sorted(ranked, key=lambda p: (-p.value, -p.shared))[:PAIRS_SHOWN]
    distant = sorted(ranked, key=lambda p: (p.value, -p.shared))[:PAIRS_SHOWN]
    return closest, [p for p in distant if p not in closest], floor


def _moves(r: Report) -> list[Move]:
    labels = {p.key: p.label for p in r.map.profiles}
    hearing = {d["id"]: d["hearing"] for d in r.documents}
    out: list[Move] = []
    for org, listing in r.timelines:
        steps: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in listing.rows:
            steps.setdefault((row["from"], row["to"]), [])
            if row["change"] == "changed":
                steps[(row["from"], row["to"])].append(row)
        out.extend(Move(labels.get(org, org), a, b, (hearing.get(a, ""), hearing.get(b, "")), rows)
                   for (a, b), rows in steps.items())
    return out


def findings(r: Report) -> Findings:
    divided = [row for row in r.conflicts.rows if row["agreement"] == row["agreement"] and row["agreement"] < 1]
    closest, distant, floor = _pairs(r)
    return Findings(divided[:DIVIDED_SHOWN], closest, distant, floor, _moves(r))


def source_texts(ds: Dataset, sources: Sources | None = None) -> list[SourceText]:
    """Every document's source, in the order of the report's list of sources."""
    from stancecli.corpus import SourceError, Sources

    sources = sources or Sources()
    out: list[SourceText] = []
    for d in sorted(ds.documents.values(), key=lambda d: (d.year, d.id)):
        try:
            src = sources.get(d.path)
        except SourceError as exc:
            # The message names the file; the report names no local folder.
            reason = str(exc).replace(str(d.path), d.path.name)
            out.append(SourceText(d.id, d.title, d.path.name, [], reason))
            continue
        out.append(SourceText(d.id, d.title, d.path.name, [src.line(n) for n in range(1, src.line_count + 1)]))
    return out


def extras(ds: Dataset, r: Report, generated: str, sources: Sources | None = None) -> Extras:
    from stancecli.analysis import undecided_cells

    return Extras(generated, findings(r), source_texts(ds, sources), undecided_cells(ds, r.map))
