"""Text out of a PDF, through pypdf (the optional extra `stancecli[pdf]`)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from stancecli.errors import SourceProblem

MAX_PDF_BYTES = 64 * 1024 * 1024
MIN_WORDS = 5
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


def is_pdf(path: Path) -> bool:
    """By content, not by name: a PDF starts with %PDF- (within its first KiB)."""
    try:
        with path.open("rb") as handle:
            return b"%PDF-" in handle.read(1024)
    except OSError:
        return False


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
        return [page.extract_text() or "" for page in reader.pages]
    except PdfError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged PDF can fail anywhere inside pypdf
        raise PdfError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc})") from None


def clean(text: str) -> str:
    """NFC, LF line ends, no control characters, no trailing spaces, one final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"
