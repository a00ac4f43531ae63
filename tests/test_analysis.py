"""The analysis library: the proximity metric, matrices, the map, change over time, conflicts, --by kind."""

import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO
from stancecli import analysis as A

sys.path.insert(0, str(REPO / "bench"))
import gen_dataset  # noqa: E402

ISSUES = st.sampled_from([f"i{n}" for n in range(8)])
SCORES = st.integers(min_value=-2, max_value=2).map(float)
MEANS = st.floats(min_value=-2, max_value=2, allow_nan=False)  # --by kind averages scores
PROFILE = st.dictionaries(ISSUES, SCORES | MEANS, max_size=8)
NONEMPTY = st.dictionaries(ISSUES, SCORES | MEANS, min_size=1, max_size=8)


# ---------------------------------------------------------------- the metric's properties

@given(PROFILE, PROFILE)
def test_proximity_is_symmetric(a, b):
    ab, ba = A.proximity(a, b), A.proximity(b, a)
    assert ab.shared == ba.shared
    assert ab.issues == ba.issues
    assert (math.isnan(ab.value) and math.isnan(ba.value)) or ab.value == ba.value


@given(NONEMPTY)
def test_proximity_with_itself_is_one(a):
    p = A.proximity(a, a)
    assert p.value == 1.0
    assert p.shared == len(a)


@given(PROFILE, PROFILE)
def test_proximity_is_within_0_and_1_when_defined(a, b):
    p = A.proximity(a, b)
    if p.defined:
        assert 0.0 <= p.value <= 1.0
        assert p.shared == len(a.keys() & b.keys())


@given(PROFILE, PROFILE)
def test_no_shared_issue_is_na_never_0_or_1(a, b):
    b = {f"other-{k}": v for k, v in b.items()}  # disjoint by construction
    p = A.proximity(a, b)
    assert p.shared == 0
    assert not p.defined
    assert math.isnan(p.value)
    assert p.json_value is None


@given(PROFILE, PROFILE, ISSUES)
def test_proximity_ignores_issues_only_one_side_addressed(a, b, extra):
    base = A.proximity(a, b)
    if extra in a or extra in b:
        return
    widened = A.proximity({**a, extra: 2.0}, b)
    assert widened.shared == base.shared
    assert widened.value == base.value or (math.isnan(widened.value) and math.isnan(base.value))


def test_proximity_known_values():
    assert A.proximity({"x": 2}, {"x": -2}).value == 0.0  # opposite ends of the scale
    p = A.proximity({"x": 2, "y": 1, "z": 0}, {"x": 1, "y": 1, "w": -2})
    assert (p.value, p.shared, p.issues) == (1 - 0.5 / 4, 2, ("x", "y"))


def test_division_of_an_issue():
    assert A.division([2, -2]) == 1.0
    assert A.division([1, 1, 1]) == 0.0
    assert A.division([1, 1, -1]) == pytest.approx((0 + 2 + 2) / 3 / 4)
    assert math.isnan(A.division([2]))


@pytest.mark.parametrize("score, label", [(2, "strongly-for"), (1.4, "for"), (0.5, "for"), (0.49, "mixed"),
                                          (-0.5, "mixed"), (-0.51, "against"), (-2, "strongly-against")])
def test_mean_score_to_nearest_label(score, label):
    assert A.stance_of(score) == label


# ---------------------------------------------------------------- profiles and the matrix (small dataset)

def test_latest_document_per_issue(small):
    latest = A.latest_positions(small)
    assert latest["u1"]["i1"].source_document == "a-2012"  # 2012 beats 2010
    assert latest["u1"]["i2"].source_document == "a-2010"  # not addressed in 2012: the 2010 stance stands


def test_matrix_values_and_na(small):
    m = A.matrix(small)
    assert (round(m.get("u1", "u2").value, 3), m.get("u1", "u2").shared) == (0.625, 2)
    assert (m.get("u1", "m1").value, m.get("u1", "m1").shared) == (0.875, 2)
    assert not m.get("u1", "e1").defined
    assert m.get("u1", "u1").value == 1.0


def test_matrix_pairs_closest_first_na_last(small):
    pairs = [(a.key, b.key, p) for a, b, p in A.matrix(small).pairs()]
    assert {pairs[0][0], pairs[0][1]} == {"u1", "m1"}
    assert all(not p.defined for _, _, p in pairs[-4:])
    assert all("e1" in (a, b) for a, b, _ in pairs[-4:])


def test_no_reported_drops_reported_only_organisations(small):
    assert "r1" in [p.key for p in A.matrix(small).profiles]
    assert "r1" not in [p.key for p in A.matrix(small, reported=False).profiles]


def test_matrix_restricted_to_issues(small):
    m = A.matrix(small, issues=["i1"])
    assert {p.key for p in m.profiles} == {"u1", "u2"}
    assert (m.get("u1", "u2").value, m.get("u1", "u2").shared) == (1 - 3 / 4, 1)


def test_matrix_by_document_keeps_each_document_and_reported_view(small):
    m = A.matrix(small, by="document")
    keys = [p.key for p in m.profiles]
    assert {"a-2010", "a-2012", "b-2011", "m-2011", "e-2011", "r1@b-2011"} == set(keys)
    assert m.get("a-2010", "a-2012").value == 0.75  # i1: strongly-for then for
    labels = {p.key: p.label for p in m.profiles}
    assert labels["r1@b-2011"] == "Gamma via Beta 2011"


def test_matrix_by_kind_averages_members(small):
    kinds = {p.key: p for p in A.matrix(small, by="kind").profiles}
    assert set(kinds) == {"union", "municipality", "employer-organisation", "ngo"}
    assert kinds["union"].scores == {"i1": -0.5, "i2": 1.0, "i3": -1.0}
    assert kinds["union"].stance("i1") == "mixed"


def test_unknown_by_is_an_analysis_error(small):
    with pytest.raises(A.AnalysisError, match="must be one of"):
        A.matrix(small, by="colour")


def test_similarity_order_puts_blocs_together():
    scores = {"a1": {"x": 2, "y": 2, "z": -2}, "b1": {"x": -2, "y": -2, "z": 2},
              "a2": {"x": 2, "y": 1, "z": -2}, "b2": {"x": -2, "y": -1, "z": 2}, "lone": {"q": 1}}
    sides = [A.Profile(key, key, None, s) for key, s in scores.items()]
    order = [p.key for p in A.similarity_order(sides, A.proximity_cells(sides))]
    assert order[-1] == "lone"
    assert {frozenset(order[0:2]), frozenset(order[2:4])} == {frozenset({"a1", "a2"}), frozenset({"b1", "b2"})}


# ---------------------------------------------------------------- the map and conflicts

def test_map_orders_issues_most_divided_first(small):
    pm = A.position_map(small)
    assert [s.key for s in pm.issues] == ["i1", "i2", "i3", "i4"]
    assert [s.verdict for s in pm.issues] == ["split", "split", "consensus", "one voice"]
    assert pm.unaddressed == ["i5"]
    u1 = next(p for p in pm.profiles if p.key == "u1")
    assert [u1.stance(k) for k in ("i1", "i2", "i3", "i4")] == ["for", "for", "against", "not-addressed"]


def test_conflicts_rank_and_minimum(small):
    rows = A.conflicts(small).rows
    assert [r["issue"] for r in rows] == ["i1", "i2", "i3"]  # i4 has one voice
    assert rows[0]["division"] == 0.75 and rows[0]["verdict"] == "split"
    assert rows[1]["division"] == pytest.approx(7 / 6 / 4)
    assert [r["issue"] for r in A.conflicts(small, min_positions=3).rows] == ["i2"]
    by_count = [r["issue"] for r in A.conflicts(small, sort="positions").rows]
    assert by_count[0] == "i2"


def test_conflicts_on_real_data_split_issues_come_first(dataset):
    rows = A.conflicts(dataset).rows
    top = rows[0]
    assert top["verdict"] == "split" and top["for"] >= 1 and top["against"] >= 1
    divisions = [r["division"] for r in rows]
    assert divisions == sorted(divisions, reverse=True)


# ---------------------------------------------------------------- change over time

def test_diff_small(small):
    found = {c.issue: c for c in A.changes(small, "a-2010", "a-2012")}
    assert (found["i1"].change, found["i1"].direction, found["i1"].delta) == ("changed", "toward-against", -1)
    assert found["i2"].change == "dropped"
    assert found["i3"].change == "new"


def test_changes_between_two_documents(small):
    found = {c.issue: c for c in A.changes(small, "a-2010", "a-2012")}
    i1 = found["i1"]
    assert (i1.change, i1.before.stance, i1.after.stance, i1.direction) == \
        ("changed", "strongly-for", "for", "toward-against")
    assert (found["i2"].change, found["i2"].after_status) == ("dropped", "not-addressed")
    assert (found["i3"].change, found["i3"].before_status) == ("new", "not-addressed")


def test_another_hearing_makes_a_missing_position_not_raised(small):
    small.documents["a-2012"].hearing = "H2"
    found = {c.issue: c for c in A.changes(small, "a-2010", "a-2012")}
    assert (found["i2"].change, found["i2"].after_status) == ("not-raised", "not-raised")
    assert (found["i3"].change, found["i3"].before_status) == ("new", "not-raised")
    assert "different hearings" in A.diff_title(small, "a-2010", "a-2012", list(found.values()))


def test_diff_listing_carries_quotes_from_both_documents(small):
    listing = A.diff(small, "a-2010", "a-2012", only=["changed"])
    row = next(r for r in listing.rows if r["issue"] == "i1")
    assert "a-2010.txt" in row["location_before"]
    assert "a-2012.txt" in row["location_after"]
    assert "i1" in row["quote_after"]
    assert {r["change"] for r in listing.rows} == {"changed"}
    assert listing.title.startswith("A&B <u> 2010 (a-2010) → A&B <u> 2012 (a-2012)")


def test_diff_between_organisations_says_so(dataset):
    listing = A.diff(dataset, "ntl-2015", "fo-2016")
    assert any("different organisations" in n for n in listing.notes)


def test_diff_refuses_the_same_document(small):
    with pytest.raises(A.AnalysisError, match="two different documents"):
        A.diff(small, "a-2010", "a-2010")


def test_reversal_is_flagged(small):
    change = A.Change("i1", "changed", small.positions[0], small.positions[4])  # strongly-for -> strongly-against
    assert change.reversed and change.direction == "toward-against" and change.delta == -4


def test_timeline_steps_through_documents_in_year_order(small):
    listing = A.timeline(small, "u1")
    assert {(r["from"], r["to"]) for r in listing.rows} == {("a-2010", "a-2012")}
    assert A.timeline_documents(small, "u2") == ["b-2011"]


# ---------------------------------------------------------------- agree

def test_agree_widest_gap_first_with_a_quote_each(small):
    listing = A.agree(small, "u1", "u2")
    assert [(r["issue"], r["gap"]) for r in listing.rows] == [("i1", 3), ("i2", 0)]
    first = listing.rows[0]
    assert first["quote_a"] == "Vi er for i1, men med | en pipe."
    assert first["quote_b"] == "Vi er sterkt imot i1."
    assert first["location_b"].endswith("b-2011.txt:3")
    assert "proximity 0.62" in listing.title  # 0.625 over 2 shared issues
    assert any(n == "Only A&B <u>: i3" for n in listing.notes)


def test_agree_with_nothing_shared_is_empty(small):
    listing = A.agree(small, "u1", "e1")
    assert listing.rows == []
    assert "n/a" in listing.title


def test_agree_refuses_the_same_organisation(small):
    with pytest.raises(A.AnalysisError):
        A.agree(small, "u1", "u1")


# ---------------------------------------------------------------- --by kind

def test_by_kind_means_and_members(small):
    rows = {(r["issue"], r["kind"]): r for r in A.by_kind(small, ["i1"], "nb").rows}
    union = rows[("i1", "union")]
    assert (union["organisations"], union["of"], union["mean"], union["stance"]) == (2, 2, -0.5, "mixed")
    assert "u2 --" in union["members"] and "u1 +" in union["members"]  # ids; tables show names
    assert rows[("i1", "municipality")]["silent"] == "m1"
    assert ("i1", "ngo") not in rows  # Gamma has no document and no position on i1


def test_by_kind_counts_each_organisation_once_by_its_latest_position(small):
    rec = next(r for r in A.by_kind(small, ["i1"], "nb").records if r["kind"] == "union")
    u1 = [p for p in rec["positions"] if p["organisation"] == "u1"]
    assert [(p["document"], p["stance"]) for p in u1] == [("a-2012", "for")]


def test_side_by_kind(small):
    rows = {r["kind"]: r for r in A.side_by_kind(small, "i2", False, False, "nb").rows}
    assert (rows["union"]["count"], rows["municipality"]["count"]) == (2, 0)
    strong = {r["kind"]: r["count"] for r in A.side_by_kind(small, "i1", True, True, "nb").rows}
    assert strong == {"union": 1, "municipality": 0, "employer-organisation": 0}
    assert A.side_by_kind(small, "i3", False, False, "nb").found == 0

# ---------------------------------------------------------------- the matrix against a straightforward reference
# The matrix finds sides from the stance columns and computes every pair from bit masks; the
# reference below is the plain way (positions one by one, proximity() per pair, closeness asked
# for again and again). Order of sides, every pair's proximity, count and issues, the order of
# the pairs and the listing must come out the same, on a dataset with many sides, with reported
# views and organisations with several documents.

def _reference_sides(ds, by, reported, issues):
    """(key, label, kind, scores, positions) per side, the plain way."""
    from stancecli.model import ORG_KINDS
    from stancecli.queries import document_label, issue_order, org_label

    keep = set(issues) if issues is not None else None
    wanted = [p for p in ds.positions if (reported or not p.is_reported) and (keep is None or p.issue in keep)]
    kind_of = {o.id: o.kind for o in ds.organisations.values()}
    if by == "document":
        groups: dict = {}
        for p in wanted:
            key = p.source_document if not p.is_reported else f"{p.organisation}@{p.source_document}"
            label = (document_label(ds, p.source_document) if not p.is_reported else
                     f"{org_label(ds, p.organisation)} via {document_label(ds, p.source_document)}")
            side = groups.setdefault(key, (key, label, kind_of.get(p.organisation), {}, {},
                                           ds.document_year(p.source_document) or 0))
            side[3][p.issue] = float(p.score)
            side[4][p.issue] = [p]
        return [side[:5] for side in sorted(groups.values(), key=lambda s: (s[5], "@" in s[0], s[0]))]
    latest: dict = {}
    for p in wanted:
        mine = latest.setdefault(p.organisation, {})
        old = mine.get(p.issue)
        if old is None or (ds.document_year(p.source_document) or 0, not p.is_reported, p.index) > \
                (ds.document_year(old.source_document) or 0, not old.is_reported, old.index):
            mine[p.issue] = p
    orgs = [(o.id, o.label, o.kind, {k: float(p.score) for k, p in latest[o.id].items()},
             {k: [p] for k, p in latest[o.id].items()}) for o in ds.organisations.values() if latest.get(o.id)]
    if by == "organisation":
        return orgs
    order = issue_order(ds)
    out = []
    for kind in sorted({o[2] for o in orgs}, key=lambda k: (ORG_KINDS.index(k), k)):
        group = [o for o in orgs if o[2] == kind]
        keys = sorted({k for o in group for k in o[3]}, key=lambda k: (order.get(k, len(order)), k))
        scores = {k: sum(o[3][k] for o in group if k in o[3]) / len([o for o in group if k in o[3]]) for k in keys}
        out.append((kind, kind, kind, scores, {k: [o[4][k][0] for o in group if k in o[3]] for k in keys}))
    return out


def _reference_matrix(ds, by="organisation", reported=True, issues=None):
    """(sides in order, {(a, b): (value, shared, issues)}, pairs in order) the plain way."""
    sides = _reference_sides(ds, by, reported, issues)
    cells = {(a[0], b[0]): A.proximity(a[3], b[3]) for a in sides for b in sides}

    def close(a, b):
        p = cells[(a[0], b[0])]
        return (p.value * p.shared + 0.5) / (p.shared + 1) if p.defined else -1.0

    def others(a):
        return [close(a, b) for b in sides if b is not a and cells[(a[0], b[0])].defined]

    linked = [s for s in sides if others(s)]
    order = []
    if linked:
        order = [min(linked, key=lambda s: (sum(others(s)) / len(others(s)), -len(s[3]), sides.index(s)))]
        rest = [s for s in linked if s is not order[0]]
        while rest:
            order.append(max(rest, key=lambda s: (close(order[-1], s), len(s[3]), -sides.index(s))))
            rest.remove(order[-1])
    order += [s for s in sides if not others(s)]
    pairs = sorted(((a, b, cells[(a[0], b[0])]) for i, a in enumerate(order) for b in order[i + 1:]),
                   key=lambda t: (not t[2].defined, -(t[2].value if t[2].defined else 0), -t[2].shared,
                                  t[0][1].casefold(), t[1][1].casefold()))
    return order, cells, pairs


def _same(p, q) -> bool:
    both_nan = math.isnan(p.value) and math.isnan(q.value)
    return (both_nan or p.value == q.value) and (p.shared, tuple(p.issues)) == (q.shared, tuple(q.issues))


@pytest.fixture(scope="module")
def many_sides(tmp_path_factory):
    """A generated hearing of 40 organisations and 30 issues, plus a second, later document for
    every fifth organisation (changing some stances) and reported views of others in it."""
    import random

    from stancecli.loading import load_or_fail
    from stancecli.model import Document, Position, Text

    ds = load_or_fail(gen_dataset.build(tmp_path_factory.mktemp("many"), 40, 30, seed=3))
    rng = random.Random(5)
    stances = list(A.LABELS.values())
    for org in list(ds.organisations)[::5]:
        first = ds.documents_of(org)[0]
        doc = Document(f"{first.id}-later", org, "Later", "", first.year + rng.choice([0, 1, 3]), first.source,
                       first.path)
        ds.documents[doc.id] = doc
        for key in rng.sample(list(ds.issues), 12):
            ds.positions.append(Position(key, org, rng.choice(stances), Text("", ""), [], document=doc.id,
                                         index=len(ds.positions)))
        for other in rng.sample(list(ds.organisations), 3):
            if other != org:
                ds.positions.append(Position(rng.choice(list(ds.issues)), other, rng.choice(stances),
                                             Text("", ""), [], reported_by=doc.id, index=len(ds.positions)))
    return ds


OPTIONS = [("organisation", True, None), ("organisation", False, None), ("document", True, None),
           ("document", False, None), ("kind", True, None), ("kind", False, None),
           ("organisation", True, ["sak-01", "sak-02", "sak-07", "sak-30"]), ("document", True, ["sak-03"]),
           ("kind", True, ["sak-04", "sak-05"])]


@pytest.mark.parametrize("by, reported, issues", OPTIONS)
def test_matrix_is_the_reference_on_many_sides(many_sides, by, reported, issues):
    order, cells, pairs = _reference_matrix(many_sides, by, reported, issues)
    m = A.matrix(many_sides, by, reported, issues)
    assert [(p.key, p.label, p.kind, p.scores) for p in m.profiles] == [s[:4] for s in order]
    assert len(m.cells) == len(cells) and all(_same(m.get(*pair), cells[pair]) for pair in cells)
    assert [(a.key, b.key) for a, b, _ in m.pairs()] == [(a[0], b[0]) for a, b, _ in pairs]
    records = A.matrix_listing(m).records
    assert records == [{"a": a[0], "a_label": a[1], "b": b[0], "b_label": b[1], "proximity": p.json_value,
                        "shared": p.shared, "issues": list(p.issues)} for a, b, p in pairs]


@pytest.mark.parametrize("by, reported, issues", OPTIONS)
def test_profiles_with_positions_are_the_reference(many_sides, by, reported, issues):
    sides = A.profiles(many_sides, by, reported, issues)
    reference = _reference_sides(many_sides, by, reported, issues)
    assert [(p.key, p.label, p.kind, p.scores, p.positions) for p in sides] == reference


@pytest.mark.parametrize("by, reported, issues", [("organisation", True, None), ("document", False, None),
                                                  ("kind", True, None), ("organisation", True, ["anbud", "egenregi", "utbytteforbud"])])
def test_matrix_is_the_reference_on_the_bundled_dataset(dataset, by, reported, issues):
    order, cells, pairs = _reference_matrix(dataset, by, reported, issues)
    m = A.matrix(dataset, by, reported, issues)
    assert [p.key for p in m.profiles] == [s[0] for s in order]
    assert all(_same(m.get(*pair), cells[pair]) for pair in cells)
    assert [(a.key, b.key) for a, b, _ in m.pairs()] == [(a[0], b[0]) for a, b, _ in pairs]


def test_matrix_from_the_snapshot_is_the_matrix_from_the_yaml(tmp_path):
    from stancecli.cache import SnapshotDataset
    from stancecli.opening import open_dataset

    path = gen_dataset.build(tmp_path, 25, 20, seed=9)
    loaded = open_dataset(path).dataset
    snapshot = open_dataset(path).dataset
    assert isinstance(snapshot, SnapshotDataset)
    assert snapshot.stance_columns() == type(loaded).stance_columns(loaded)
    for by in A.BY_CHOICES:
        a, b = A.matrix(loaded, by), A.matrix(snapshot, by)
        assert [p.key for p in a.profiles] == [p.key for p in b.profiles]
        assert A.matrix_listing(a).records == A.matrix_listing(b).records


def test_shared_issues_are_named_only_for_json(small):
    m = A.matrix(small)
    rows_only = A.matrix_listing(m, for_json=False)
    both = A.matrix_listing(m)
    assert rows_only.rows == both.rows and rows_only.records is None
    assert both.records[0]["issues"] == list(m.get(both.records[0]["a"], both.records[0]["b"]).issues)
    pair = m.get("u1", "u2")
    assert pair == A.Proximity(pair.value, 2, ("i1", "i2")) and pair.issues == ("i1", "i2")


def test_every_public_name_of_the_analysis_package_resolves():
    import stancecli.analysis as analysis

    for name in analysis.__all__:
        assert getattr(analysis, name) is not None, name
    with pytest.raises(AttributeError):
        analysis.no_such_analysis  # noqa: B018
