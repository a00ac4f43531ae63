"""Text out of a PDF, through pypdf (the optional extra `stancecli[pdf]`)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from stancecli.errors import SourceProblem

MAX_PDF_BYTES = 64 * 1024 * 1024
MIN_WORDS = 5
PDF_MAGIC = b"%PDF-"
# When (nearly) every line follows a blank line in pypdf's layout mode, the blank lines reflect wide
# line spacing, not paragraphs: then only double blank lines count.
MAX_BREAK_SHARE = 0.9
MIN_LINES_FOR_SHARE = 6
INSTALL_HINT = "reading PDFs needs the optional extra: pip install 'stancecli[pdf]' (it installs pypdf)"

# Control characters other than tab and line feed: PDF text may carry them, a source may not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class PdfError(SourceProblem):
    """A PDF whose text cannot be had."""


def available() -> bool:
    """Whether the PDF extra is installed."""
    try:
        import pypdf  # noqa: F401
    except ImportError:
        return False
    return True


def starts_as_pdf(path: Path) -> bool:
    """Whether the file begins with %PDF-: a PDF whatever its name. A text that merely mentions
    %PDF- near its start (a note about PDF files) is not one."""
    return _head(path, len(PDF_MAGIC)) == PDF_MAGIC


def _head(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def extract_text(path: Path) -> str:
    """The text of every page, pages separated by a blank line, normalised for a source."""
    if not available():
        raise PdfError(INSTALL_HINT)
    size = path.stat().st_size
    if size > MAX_PDF_BYTES:
        raise PdfError(f"{path}: PDF is {size // (1024 * 1024)} MiB, over the limit of "
                       f"{MAX_PDF_BYTES // (1024 * 1024)} MiB")
    pages = _pages(path)
    text = clean("\n\n".join(page.strip("\n") for page in pages))
    if len(text.split()) < MIN_WORDS:
        raise PdfError(f"{path}: no text found in the PDF; is it scanned? Run OCR on it first "
                       "(e.g. ocrmypdf) and add the result")
    return text


def _pages(path: Path) -> list[str]:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError(f"{path}: the PDF is encrypted; save an unencrypted copy and add that")
        return [_page_text(page) for page in reader.pages]
    except PdfError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged PDF can fail anywhere inside pypdf
        raise PdfError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None


def _page_text(page) -> str:
    """The page's text as pypdf reads it, with a blank line before each paragraph.

    pypdf's plain mode gives the words right but drops the vertical space between paragraphs; its
    layout mode keeps that space as blank lines but pads lines with spaces for their position.
    So the plain lines are kept, and a blank line is put before each one that layout mode shows
    after a blank line (lines are matched by their letters, spaces ignored).
    """
    plain = page.extract_text() or ""
    try:
        layout = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # noqa: BLE001 - layout mode fails on some fonts; then paragraphs stay merged
        return plain
    return with_paragraphs(plain, layout)


def with_paragraphs(plain: str, layout: str) -> str:
    """`plain` with blank lines where `layout` has them between the same lines."""
    import difflib

    lines = plain.split("\n")
    keys = _layout_lines(layout)
    plain_keys = ["".join(line.split()) for line in lines]
    breaks: set[int] = set()
    matcher = difflib.SequenceMatcher(a=plain_keys, b=[k for k, _ in keys], autojunk=False)
    for block in matcher.get_matching_blocks():
        for n in range(block.size):
            if keys[block.b + n][1] >= 1 and plain_keys[block.a + n]:
                breaks.add(block.a + n)
    if len(lines) >= MIN_LINES_FOR_SHARE and len(breaks) >= MAX_BREAK_SHARE * (len(lines) - 1):
        wide = {block.a + n for block in matcher.get_matching_blocks() for n in range(block.size)
                if keys[block.b + n][1] >= 2}
        breaks = wide
    out: list[str] = []
    for n, line in enumerate(lines):
        if n in breaks and n > 0 and out and out[-1].strip():
            out.append("")
        out.append(line)
    return "\n".join(out)


def _layout_lines(layout: str) -> list[tuple[str, int]]:
    """Each non-blank line of layout text as (its letters, the blank lines before it)."""
    out: list[tuple[str, int]] = []
    blank = 0
    for line in layout.split("\n"):
        key = "".join(line.split())
        if not key:
            blank += 1
            continue
        out.append((key, blank if out else 0))
        blank = 0
    return out


def clean(text: str) -> str:
    """NFC, LF line ends, no control characters, no trailing spaces, one final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"
