"""PDF text keeps its paragraphs: blank lines come from pypdf's layout mode, words from its plain mode."""

from __future__ import annotations

from stancecli.pdftext import with_paragraphs

PLAIN = "Tittel\nFørste avsnitt, linje en\nlinje to.\nAndre avsnitt."


def test_a_blank_line_in_the_layout_starts_a_paragraph():
    layout = "   Tittel\n\n   Første  avsnitt,  linje en\n   linje to.\n\n\n   Andre avsnitt."
    assert with_paragraphs(PLAIN, layout) == "Tittel\n\nFørste avsnitt, linje en\nlinje to.\n\nAndre avsnitt."


def test_lines_the_layout_reads_differently_get_no_break():
    layout = "Tittel\n\nFørste avsnitt, linje en linje to.\n\nAndre avsnitt."  # two lines read as one
    assert with_paragraphs(PLAIN, layout) == "Tittel\nFørste avsnitt, linje en\nlinje to.\n\nAndre avsnitt."


def test_wide_line_spacing_is_not_taken_for_paragraphs():
    lines = [f"linje {n}" for n in range(8)]
    layout = "\n\n".join(lines[:4]) + "\n\n\n" + "\n\n".join(lines[4:])  # every line spaced, one wider gap
    assert with_paragraphs("\n".join(lines), layout) == "\n".join(lines[:4]) + "\n\n" + "\n".join(lines[4:])
