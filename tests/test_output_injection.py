"""Untrusted text (quotes, names, titles, file names) cannot drive what reads the output: one cleaner
for every renderer, CSV cells a spreadsheet would run as formulas neutralised, markdown inert."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from stancecli.output.env import Environment
from stancecli.output.present import render
from stancecli.output.safe import clean
from stancecli.records import Column, Listing
from stancecli.results import EvidenceResult

ESC = "\x1b[31m"
BIDI = "\u202e"
HOSTILE = f"{ESC}rød{BIDI}tekst\x07 og\u2066 mer"
FILE = f"seeds/evil{ESC}name.txt:3"


def listing(value: str = HOSTILE, location: str = FILE) -> Listing:
    columns = [Column("organisation", "Organisation", "org"), Column("stance", "Stance", "stance"),
               Column("summary", "Summary"), Column("quote", "Quote", "quote"),
               Column("location", "Location", "location")]
    row = {"organisation": "u1", "stance": "for", "summary": value, "quote": value, "location": location}
    return Listing(columns, [row], title=f"Title {HOSTILE}", labels={"u1": f"Org{ESC}"})


def lines(result, fmt: str, env: Environment | None = None) -> str:
    return "\n".join(render(result, fmt, env or Environment()))


def no_controls(text: str) -> None:
    assert "\x1b" not in text and BIDI not in text and "\x07" not in text and "\u2066" not in text


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "markdown"])
def test_no_escape_or_bidi_control_reaches_a_text_format(fmt):
    out = lines(listing(), fmt, Environment(is_terminal=True, width=100))
    no_controls(out)
    assert "rødtekst" in out.replace(" ", "") or "rød" in out


def test_json_escapes_control_characters():
    out = lines(listing(), "json")
    assert "\x1b" not in out and "\\u001b" in out
    assert json.loads(out)[0]["quote"] == HOSTILE  # the data itself is kept exactly


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_escapes_bidi_and_line_separators_too(fmt):
    value = f"{HOSTILE}\u2028\x85"
    out = lines(listing(value), fmt)
    no_controls(out)
    assert "\u2028" not in out and "\x85" not in out and "\\u202e" in out
    record = json.loads(out)[0] if fmt == "json" else json.loads(out.splitlines()[0])
    assert record["quote"] == value  # the data itself is kept exactly


def test_terminal_escapes_in_file_names_never_reach_the_terminal():
    row = {"organisation": "u1", "document": "d", "year": 2020, "stance": "for", "reported_by": "",
           "quote": "q", "location": FILE, "title": "t", "source": FILE, "context": []}
    evidence = EvidenceResult(Listing([Column("quote", "Quote", "quote")], [row]), context=0)
    no_controls(lines(evidence, "table", Environment(is_terminal=True, width=80)))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_formulas(start):
    out = lines(listing(f"{start}HYPERLINK(\"http://x\")"), "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    for cell in (row["quote"], row["summary"]):
        # prefixed with ', or (tab, CR) the break itself is gone from the one-line cell
        assert cell.startswith("'") or not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert row["quote"].startswith("'") == (start in "=+-@")


def test_csv_keeps_negative_numbers_numbers():
    columns = [Column("issue", "Issue"), Column("score", "Score", "score")]
    out = lines(Listing(columns, [{"issue": "i1", "score": -2}]), "csv")
    assert out.splitlines()[1] == "i1,-2"


def test_csv_byte_order_mark_on_request():
    plain = lines(listing(), "csv")
    marked = lines(listing(), "csv", Environment(environ={"STANCECLI_CSV_BOM": "1"}))
    assert not plain.startswith("\ufeff")
    assert marked.startswith("\ufeff") and marked[1:] == plain


def test_markdown_escapes_html_and_keeps_images_and_links_inert():
    out = lines(listing("<script>alert(1)</script> ![x](http://evil.example/p.png) [y](http://e.x)"), "markdown")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert re.search(r"(?<!\\)[\[\]]", out.split("\n", 1)[1]) is None  # every bracket escaped: no link, no image
    assert r"\!\[x\](http://evil.example/p.png)" in out  # shown as written


def test_one_cleaner_one_character_set():
    assert clean(HOSTILE) == "rødtekst og mer"
    assert clean("a\tb\nc") == "a b c"
    assert clean("a\u2028 b\r\n\u2029c") == "a b c"


def test_text_without_unsafe_characters_is_shown_as_it_is():
    text = "Ordinært arbeidsliv — «tett oppfølging»  av brukere"
    assert clean(text) == text


def test_html_and_spreadsheet_cells_drop_whole_terminal_sequences_but_keep_lines():
    from stancecli.output.html import e
    from stancecli.output.safe import keep_lines

    title = "Svar\x1b]0;pwned\x07: del 1\n\x1b[31mdel 2\u202e"
    assert keep_lines(title) == "Svar: del 1\ndel 2"
    assert e(title) == "Svar: del 1\ndel 2"
