"""The analysis library: the proximity metric, matrices, the map, change over time, conflicts, --by kind."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stancecli import analysis as A

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