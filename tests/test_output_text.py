"""Pipe output (output/text.py): every cell of a TSV row is cleaned as any shown value is."""

from hypothesis import given, settings
from hypothesis import strategies as st

from stancecli.output.safe import clean
from stancecli.output.text import tsv
from stancecli.records import Column, Listing

KEYS = ["a", "b", "c"]
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_infinity=False),
    st.text(alphabet=st.sampled_from("ab æø\t\n\x1b[\u202e\u2028|")),
    st.lists(st.text(alphabet="ab\n\x07", max_size=3), max_size=2),
)
ROWS = st.lists(st.dictionaries(st.sampled_from(KEYS), VALUES), max_size=12)


@settings(max_examples=100)
@given(ROWS)
def test_each_tsv_cell_is_the_value_cleaned_as_everywhere_else(rows):
    listing = Listing([Column(k, k.upper()) for k in KEYS], rows)
    assert list(tsv(listing)) == ["\t".join(clean(row.get(k)) for k in KEYS) for row in rows]


def test_a_tsv_column_of_one_kind_is_written_as_it_is():
    rows = [{"a": "ntl", "b": 3, "c": 0.70416}, {"a": "lo", "b": 12, "c": float("nan")}]
    listing = Listing([Column(k, k.upper()) for k in KEYS], rows)
    assert list(tsv(listing, header=True)) == ["a\tb\tc", "ntl\t3\t0.704", "lo\t12\tn/a"]
