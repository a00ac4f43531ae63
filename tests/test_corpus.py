"""Quotes are found verbatim in PDF-wrapped text, and located by line."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from stancecli.corpus import Source, SourceError, paragraphs, read_source, substantive_paragraphs

NTL_2012 = SEEDS / "001_37ab94ba59815dd1.txt"
FO_2016 = SEEDS / "002_d156005e0f5764e6.txt"
NTL_2015 = SEEDS / "003_7e837691441a8617.txt"


def test_quote_spanning_wrapped_lines_gets_its_line_span():
    span = read_source(NTL_2012).find("Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak.")
    assert (span.line_start, span.line_end) == (12, 14)


def test_word_hyphenated_at_line_end_may_be_quoted_joined_or_with_its_hyphen():
    source = read_source(FO_2016)  # "mellom NAV-" / "kontorene og forvaltningen." on lines 23-24
    with_hyphen = source.find("tette skottene som er mellom NAV-kontorene og forvaltningen")
    assert (with_hyphen.line_start, with_hyphen.line_end) == (23, 24)
    assert source.find("tette skottene som er mellom NAVkontorene og forvaltningen") is not None


def test_a_hyphen_inside_a_line_is_content_not_layout():
    source = read_source(FO_2016)
    assert source.find("Det blir gitt mer myndighet til de lokale NAV-kontorene.") is not None
    assert source.find("Det blir gitt mer myndighet til de lokale NAVkontorene.") is None


def test_a_changed_word_is_not_found():
    source = read_source(NTL_2012)
    assert source.find("Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidsrettede tiltak.") is None


def test_whitespace_may_differ_but_not_disappear_between_words():
    source = read_source(NTL_2012)
    assert source.find("Ingen   anbudsutsetting\n av oppfølgings-, avklarings- og arbeidstreningstiltak.")
    assert source.find("Ingenanbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak.") is None


def test_blank_lines_of_double_spaced_pdf_text_are_bridged():
    span = read_source(NTL_2015).find(
        "Vi mener det er viktig at det raskt kommer endringer som gjør at NAV-kontorene overtar "
        "tiltaksarbeidet i egenregi og at detaljstyringen av tiltak opphører.")
    assert (span.line_start, span.line_end) == (37, 41)


def test_bom_crlf_and_nfd_sources_match_nfc_quotes(tmp_path):
    text = "Første linje\r\nFO er imot økonomiske\r\nsanksjoner.\r\n"
    path = tmp_path / "nfd.txt"
    path.write_bytes(b"\xef\xbb\xbf" + unicodedata.normalize("NFD", text).encode("utf-8"))
    source = read_source(path)
    span = source.find("FO er imot økonomiske sanksjoner.")
    assert (span.line_start, span.line_end) == (2, 3)
    assert source.line(1) == "Første linje"


def test_non_utf8_source_is_named_with_the_byte_offset(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Høring".encode("latin-1"))
    with pytest.raises(SourceError, match=r"latin1.txt: not UTF-8 text \(byte 0xf8 at offset 1\)"):
        read_source(path)


def test_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="source file not found"):
        read_source(tmp_path / "nope.txt")


def test_a_source_with_a_nul_byte_is_refused_by_name(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes("Høring\x00svar".encode())
    with pytest.raises(SourceError, match=r"binary.txt: contains NUL bytes"):
        read_source(path)


def test_old_mac_line_ends_are_lines_too(tmp_path):
    path = tmp_path / "cr.txt"
    path.write_bytes(b"en\rto\r\ntre\n")
    source = read_source(path)
    assert source.text == "en\nto\ntre\n"
    assert [source.line(n) for n in (1, 2, 3)] == ["en", "to", "tre"]


def test_paragraphs_of_double_spaced_text_are_not_single_lines():
    paras = paragraphs(read_source(NTL_2015))
    # "Tiltaksplasser" (heading on line 13, text on 15-23): one paragraph despite a blank
    # line after every line; the next paragraph starts at line 27.
    assert any(a <= 15 and b == 23 for a, b in paras)
    assert any(a == 27 for a, _ in paras)


def test_substantive_paragraphs_skip_headings_and_signature():
    paras = substantive_paragraphs(read_source(NTL_2012))
    starts = [a for a, _ in paras]
    assert 1 not in starts  # the shouted title
    assert all(a < 267 for a in starts)  # nothing from "Med hilsen" on
    assert any(a <= 12 <= b for a, b in paras)  # the bullet "- Ingen anbudsutsetting ..."


def test_line_of_maps_offsets_to_lines():
    source = Source.from_text(Path("x.txt"), "a\nbc\n\nd")
    assert [source.line_of(i) for i in (0, 2, 3, 5, 6)] == [1, 2, 2, 3, 4]
    assert source.line_count == 4


@given(st.text(alphabet="ab \n\r\u2028", max_size=40), st.integers(min_value=0, max_value=40))
def test_line_col_is_the_line_and_column_the_line_starts_give(body, offset):
    source = Source.from_text(Path("x.txt"), body)
    offset = min(offset, len(source.text))
    line = source.line_of(offset)
    assert source.line_col(offset) == (line, offset - source.line_starts[line - 1] + 1)


def test_a_fifo_is_refused_instead_of_blocking(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        read_source(fifo)


def test_a_utf16_source_gets_a_utf16_hint_not_a_latin1_one(tmp_path):
    from stancecli.corpus import read_source

    for encoding, named in (("utf-16", "utf-16"), ("utf-16-le", "utf-16le"), ("utf-16-be", "utf-16be")):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes("Vi er imot anbud på tiltak.\n".encode(encoding))
        with pytest.raises(SourceError) as caught:
            read_source(path)
        assert f"iconv -f {named} -t utf-8" in str(caught.value)
        assert "latin1" not in str(caught.value)


@pytest.mark.parametrize("copy_limit", [None, 0], ids=["layout-free copy", "huge source: regex anchor"])
def test_the_first_place_is_found_whether_hyphenated_or_not(monkeypatch, copy_limit):
    import stancecli.corpus as corpus

    if copy_limit is not None:
        monkeypatch.setattr(corpus, "SKELETON_MAX_CHARS", copy_limit)
    text = ("Innledning.\nVi går imot anbuds-\nutsetting av tiltak.\n"
            "Senere: vi går imot anbudsutsetting av tiltak.\n")
    source = Source.from_text(Path("t.txt"), text)
    first = source.find("går imot anbudsutsetting av tiltak")
    assert (first.line_start, first.line_end) == (2, 3)
    assert source.find("går imot anbuds- utsetting av tiltak").line_start == 2
    assert source.find("vi går imot anbudsutsetting").line_start == 4  # case is content
    assert source.find("går imot anbud sutsetting av tiltak") is None


_PIECES = st.sampled_from(["anbud", "NAV", "-", "\u00ad", " ", "  ", "\n", "-\n", "- \n", "\n\n", "a", "ø"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=30), st.lists(_PIECES, min_size=1, max_size=8), st.data())
def test_both_ways_of_locating_agree_on_any_layout(text_pieces, quote_pieces, data):
    """The layout-free copy and the regex anchor give the same first place, or both none."""
    import stancecli.corpus as corpus

    text = "".join(text_pieces)
    if data.draw(st.booleans()):  # a piece of the text itself, so that most quotes are found
        i = data.draw(st.integers(0, len(text) - 1))
        quote = text[i:data.draw(st.integers(i + 1, len(text)))]
    else:
        quote = "".join(quote_pieces)
    source = Source.from_text(Path("t.txt"), text)
    by_copy = source.find(quote)
    saved = corpus.SKELETON_MAX_CHARS
    corpus.SKELETON_MAX_CHARS = -1
    try:
        by_regex = Source.from_text(Path("t.txt"), text).find(quote)
    finally:
        corpus.SKELETON_MAX_CHARS = saved
    assert by_copy == by_regex


@pytest.mark.parametrize("space", ["\u00a0", "\u2003", "\u2028", "\x1c", "\t"])
def test_any_unicode_space_in_a_quote_faces_the_sources_line_break(space):
    source = Source.from_text(Path("t.txt"), "Vi går imot\nanbudsutsetting av tiltak.\n")
    span = source.find(f"går imot{space}anbudsutsetting")
    assert (span.line_start, span.line_end) == (1, 2)
