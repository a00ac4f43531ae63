"""Folding, hyphenation and tokens: what makes 'oppfolging' find 'oppfølging'."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from stancecli.folding import FOLD_TABLE
from stancecli.search import sentences, text


def test_folding_spells_norwegian_letters_as_typed_in_ascii():
    assert text.fold("Høringsuttalelse") == "horingsuttalelse"
    assert text.fold("Målgrupper ÆRLIG") == "maalgrupper aerlig"
    assert text.fold("«Café»") == "«cafe»"


@given(st.text(alphabet=st.one_of(st.characters(max_codepoint=0x2FF), st.sampled_from("æøåÆØÅ«»–’İł"))))
def test_folding_is_the_lower_case_text_spelt_then_stripped_of_accents(value):
    assert text.fold(value) == value.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa").translate(
        FOLD_TABLE)


def test_line_end_hyphenation_is_joined_but_real_hyphens_are_kept():
    body = "Ingen anbuds-\nutsetting av NAV-\nkontorene, mål- og resultat-\n\nstyring, sosial-\nog helse."
    prepared = text.prepare(body)
    assert len(prepared) == len(body)
    assert text.tokens(prepared) == [
        "ingen", "anbudsutsetting", "av", "nav", "kontorene", "maal", "og", "resultatstyring",
        "sosial", "og", "helse",
    ]


def test_one_line_removes_layout_and_maps_offsets():
    chunk = text.prepare("skottene mellom NAV-\nkontorene og anbuds-\nutsetting")
    line, where = text.one_line(chunk)
    assert line == "skottene mellom NAV-kontorene og anbudsutsetting"
    start = chunk.index("anbuds")
    assert line[where[start]:where[start + len("anbuds-\nutsetting")]] == "anbudsutsetting"


def test_inflections_share_a_stem():
    assert {text.stem(w) for w in ("tiltak", "tiltaket", "tiltakene")} == {"tiltak"}


# Also what folds differently: Latin-1 letters spelt with two (Å, ä), or not folded (ð, ²), punctuation
# beyond Latin-1 (– “ …), letters beyond it (İ, ł) and stray control characters.
_ALPHABET = st.sampled_from(
    list("abcæøåÆØÅéßäð²µ -\n\n.,«»İł–“…•") + ["\u00ad", "\x01", "\x02", "  ", "NAV-\nkontor", "anbuds-\nutsetting"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_fast_tokenising_agrees_with_the_plain_one(body):
    prepared = text.prepare(body)
    assert len(prepared) == len(body)
    spans = sentences.split(body)
    assert text.sentence_tokens(prepared, spans) == [text.tokens(prepared[s:e]) for s, e in spans]
    assert [text.fold(prepared[a:b]).replace(text.JOINER, "") for a, b in text.token_bounds(prepared)] == \
        text.tokens(prepared)


def _one_line_letter_by_letter(text_: str) -> tuple[str, list[int]]:
    """The reference: one_line as first written, a letter at a time."""
    import re

    out: list[str] = []
    where: list[int] = []
    pos, i, n = 0, 0, len(text_)
    while i < n:
        ch = text_[i]
        if ch in (text.JOINER, "\u00ad"):
            where.append(pos)
            i += 1
        elif ch.isspace():
            m = re.compile(r"\s+").match(text_, i)
            assert m is not None
            glue = "" if (out and out[-1] == "-" and "\n" in m.group() and m.end() < n) else " "
            if not out or m.end() == n:
                glue = ""
            where.extend([pos] * (m.end() - i))
            out.append(glue)
            pos += len(glue)
            i = m.end()
        else:
            where.append(pos)
            out.append(ch)
            pos += 1
            i += 1
    where.append(pos)
    return "".join(out), where


@settings(max_examples=500, deadline=None)
@given(st.text("ab-æ \n\t\r\x01\u00ad\u00a0\u2028\x1c", max_size=40))
@example("\u00ad a b")  # a lone space first once the joiners vanish: it goes
@example("a b\u00ad ")  # and last
@example("a \u00adb")  # a lone space before a joiner: it stays
@example("a- \u00ad\nb")  # a hyphen, a space, a joiner, a line break
def test_one_line_removes_layout_as_the_letter_by_letter_reference_does(sample):
    assert text.one_line(sample) == _one_line_letter_by_letter(sample)
