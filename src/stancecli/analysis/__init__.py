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
from stancecli.analysis.pairwise import PAIR_COLUMNS, Matrix, matrix, matrix_listing, proximity_cells, similarity_order
from stancecli.analysis.posmap import PositionMap, map_listing, position_map, undecided_cells
from stancecli.analysis.reporting import IssueSection, Report, report
from stancecli.analysis.sides import Profile, document_profiles, kind_profiles, latest_positions, org_profiles, profiles
from stancecli.analysis.spread import IssueSpread, by_division, spreads

__all__ = ["AnalysisError", "BY_CHOICES", "CHANGES", "CONFLICT_COLUMNS", "Change", "DIFF_COLUMNS", "IssueSection", "IssueSpread", "KIND_COLUMNS", "LABELS", "Matrix", "NOT_RAISED", "PAIR_COLUMNS", "PositionMap", "Profile", "Proximity", "Report", "SCALE_WIDTH", "SIDE_KIND_COLUMNS", "agree", "by_division", "by_kind", "changes", "conflicts", "diff", "diff_title", "division", "document_profiles", "kind_profiles", "latest_positions", "map_listing", "matrix", "matrix_listing", "org_profiles", "own_positions", "position_map", "profiles", "proximity", "proximity_cells", "report", "side_by_kind", "similarity_order", "spreads", "stance_of", "timeline", "timeline_documents", "undecided_cells"]
