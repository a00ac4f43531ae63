"""The one cleaner (output/safe.py): text str.isprintable() accepts is never searched, and that
skips nothing the cleaner would have found."""

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from stancecli.output.safe import UNSAFE_CHARS, clean, escape, has_unsafe, mask

EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))
SOME_UNSAFE = "\x1b\x00\t\n\r\x7f\x9b\u2028\u2029\u200e\u200f\u061c\u202e\u2066\u2069"


def test_every_unsafe_character_is_one_isprintable_refuses():
    found = re.findall(UNSAFE_CHARS, EVERY_CHARACTER)
    assert len(found) > 70 and not [c for c in found if c.isprintable()]


@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(SOME_UNSAFE))))
def test_has_unsafe_finds_what_the_pattern_finds(value):
    assert has_unsafe(value) == (re.search(UNSAFE_CHARS, value) is not None)


@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(SOME_UNSAFE))))
def test_cleaned_masked_and_escaped_text_holds_no_unsafe_character(value):
    assert not has_unsafe(clean(value)) and not has_unsafe(escape(value))
    masked = mask(value)
    assert len(masked) == len(value) and not has_unsafe(masked)


def test_norwegian_text_and_a_spoofed_name_are_told_apart():
    assert clean("Høringssvar – NAV’s «egenregi»") == "Høringssvar – NAV’s «egenregi»"
    assert clean("evil\u202etxt.exe\x1b[31m") == "eviltxt.exe"
