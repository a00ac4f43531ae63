"""The visible text of an HTML page, paragraph by paragraph, with the standard library's parser.

Block elements (p, h1–h6, li, div, td, blockquote, ...) end a paragraph, <br> ends a line, and
script, style and the head are left out; inside <pre> the spacing is kept.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
})
HIDDEN_TAGS = frozenset({"head", "script", "style", "template", "noscript", "svg", "title"})
LINE_TAGS = frozenset({"br"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's whitespace: a no-break space is not collapsed


class BlockText(HTMLParser):
    """Collects `blocks`: one string per paragraph, lines inside it joined by newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._parts: list[str] = []
        self._hidden = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        elif tag in BLOCK_TAGS:
            self._end_block()
            self._pre += tag == "pre"
        elif tag in LINE_TAGS:
            self._parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in LINE_TAGS:
            self._parts.append("\n")
        elif tag in BLOCK_TAGS:
            self._end_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in BLOCK_TAGS:
            self._end_block()
            self._pre -= tag == "pre" and self._pre > 0

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._parts.append(data if self._pre else _spaced(data))

    def close(self) -> None:
        super().close()
        self._end_block()

    def _end_block(self) -> None:
        text = "".join(self._parts)
        self._parts = []
        if self._pre:
            block = text.strip("\n")
        else:
            block = "\n".join(" ".join(_HTML_SPACE.split(line)).strip(" ") for line in text.split("\n"))
            block = "\n".join(line for line in block.split("\n") if line)
        if block.strip():
            self.blocks.append(block)


def _spaced(data: str) -> str:
    """A line break in the markup is a space (HTML's rule); runs of spaces are collapsed per block."""
    return data.replace("\r", " ").replace("\n", " ")
