"""Who stands with whom: proximity, the agreement matrix, the position map, change over time,
lines of conflict and aggregates by kind of organisation.

A library: it returns data (dataclasses and `Listing`s); the renderers under
`stancecli.output` make the text. No typer or rich here.

The metric. Stances are scored on the codebook's five-point scale (strongly-for +2 ...
strongly-against -2), so two stances are at most 4 apart. The proximity of two
organisations is

    1 - mean(|score_a - score_b|) / 4      over the issues both addressed,

1 when they agree on every shared issue, 0 when every shared issue sees them at opposite
ends of the scale. It always comes with the number of shared issues; with none it is
undefined (`nan`, shown as n/a), never 0 or 1.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stancecli.analysis.agreement import agree
    from stancecli.analysis.bykind import KIND_COLUMNS, SIDE_KIND_COLUMNS, by_kind, side_by_kind
    from stancecli.analysis.change import (
        DIFF_COLUMNS,
        Change,
        changes,
        diff,
        diff_title,
        own_positions,
        timeline,
        timeline_documents,
    )
    from stancecli.analysis.conflict import CONFLICT_COLUMNS, conflicts
    from stancecli.analysis.metric import (
        BY_CHOICES,
        CHANGES,
        LABELS,
        NOT_RAISED,
        SCALE_WIDTH,
        AnalysisError,
        Proximity,
        division,
        proximity,
        stance_of,
    )
    from stancecli.analysis.pairwise import (
        PAIR_COLUMNS,
        Matrix,
        matrix,
        matrix_listing,
        proximity_cells,
        similarity_order,
    )
    from stancecli.analysis.posmap import PositionMap, map_listing, position_map, undecided_cells
    from stancecli.analysis.reporting import IssueSection, Report, report
    from stancecli.analysis.sides import (
        Profile,
        document_profiles,
        kind_profiles,
        latest_positions,
        org_profiles,
        profiles,
    )
    from stancecli.analysis.spread import IssueSpread, by_division, spreads

# Each name is imported from its module when first used: a command loads only the analysis it runs.
_HOMES = {
    "AnalysisError": "stancecli.analysis.metric",
    "BY_CHOICES": "stancecli.analysis.metric",
    "CHANGES": "stancecli.analysis.metric",
    "CONFLICT_COLUMNS": "stancecli.analysis.conflict",
    "Change": "stancecli.analysis.change",
    "DIFF_COLUMNS": "stancecli.analysis.change",
    "IssueSection": "stancecli.analysis.reporting",
    "IssueSpread": "stancecli.analysis.spread",
    "KIND_COLUMNS": "stancecli.analysis.bykind",
    "LABELS": "stancecli.analysis.metric",
    "Matrix": "stancecli.analysis.pairwise",
    "NOT_RAISED": "stancecli.analysis.metric",
    "PAIR_COLUMNS": "stancecli.analysis.pairwise",
    "PositionMap": "stancecli.analysis.posmap",
    "Profile": "stancecli.analysis.sides",
    "Proximity": "stancecli.analysis.metric",
    "Report": "stancecli.analysis.reporting",
    "SCALE_WIDTH": "stancecli.analysis.metric",
    "SIDE_KIND_COLUMNS": "stancecli.analysis.bykind",
    "agree": "stancecli.analysis.agreement",
    "by_division": "stancecli.analysis.spread",
    "by_kind": "stancecli.analysis.bykind",
    "changes": "stancecli.analysis.change",
    "conflicts": "stancecli.analysis.conflict",
    "diff": "stancecli.analysis.change",
    "diff_title": "stancecli.analysis.change",
    "division": "stancecli.analysis.metric",
    "document_profiles": "stancecli.analysis.sides",
    "kind_profiles": "stancecli.analysis.sides",
    "latest_positions": "stancecli.analysis.sides",
    "map_listing": "stancecli.analysis.posmap",
    "matrix": "stancecli.analysis.pairwise",
    "matrix_listing": "stancecli.analysis.pairwise",
    "org_profiles": "stancecli.analysis.sides",
    "own_positions": "stancecli.analysis.change",
    "position_map": "stancecli.analysis.posmap",
    "profiles": "stancecli.analysis.sides",
    "proximity": "stancecli.analysis.metric",
    "proximity_cells": "stancecli.analysis.pairwise",
    "report": "stancecli.analysis.reporting",
    "side_by_kind": "stancecli.analysis.bykind",
    "similarity_order": "stancecli.analysis.pairwise",
    "spreads": "stancecli.analysis.spread",
    "stance_of": "stancecli.analysis.metric",
    "timeline": "stancecli.analysis.change",
    "timeline_documents": "stancecli.analysis.change",
    "undecided_cells": "stancecli.analysis.posmap",
}

__all__ = ["AnalysisError", "BY_CHOICES", "CHANGES", "CONFLICT_COLUMNS", "Change", "DIFF_COLUMNS", "IssueSection", "IssueSpread", "KIND_COLUMNS", "LABELS", "Matrix", "NOT_RAISED", "PAIR_COLUMNS", "PositionMap", "Profile", "Proximity", "Report", "SCALE_WIDTH", "SIDE_KIND_COLUMNS", "agree", "by_division", "by_kind", "changes", "conflicts", "diff", "diff_title", "division", "document_profiles", "kind_profiles", "latest_positions", "map_listing", "matrix", "matrix_listing", "org_profiles", "own_positions", "position_map", "profiles", "proximity", "proximity_cells", "report", "side_by_kind", "similarity_order", "spreads", "stance_of", "timeline", "timeline_documents", "undecided_cells"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
