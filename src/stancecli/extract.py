"""Text out of a response document: .txt (any common encoding), .pdf, .docx and .html.

Every format comes out the same way: NFC text with LF line ends and paragraphs separated by a
blank line, so that quotes, paragraphs and line numbers work as for the bundled sources. What had
to be converted or guessed is said in `notes`, for the user to see.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from stancecli.errors import SourceProblem

TEXT_SUFFIXES = (".txt",)
PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx",)
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED = TEXT_SUFFIXES + PDF_SUFFIXES + DOCX_SUFFIXES + HTML_SUFFIXES
MAX_INPUT_BYTES = 64 * 1024 * 1024
MIN_WORDS = 5
DOCX_HINT = "reading .docx files needs the optional extra: pip install 'stancecli[docx]' (it installs python-docx)"

# Characters Windows-1252 text in Norwegian (or any Western language) plausibly holds beyond ASCII:
# Latin-1 letters and signs, and cp1252's typographic punctuation. Anything else (C1 controls, the
# ‡ ‰ Š ‹ of a text that was really CP850 or MacRoman) means the guess is wrong.
_CP1252_PLAUSIBLE = re.compile(r"[\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e"
                               r"\u2022\u2026\u20ac\u2122\u0152\u0153]")
_UTF16_NUL_SHARE = 0.3
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # control characters other than tab and line feed
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class ExtractError(SourceProblem):
    """A document whose text cannot be had."""


@dataclass
class Extracted:
    """The text of one document, the kind it was read as, and what was converted on the way."""

    path: Path
    kind: str  # "text", "pdf", "docx", "html"
    text: str
    notes: list[str] = field(default_factory=list)
    verbatim: bool = False  # the text is the file's bytes as UTF-8: a .txt beside the dataset may stay where it is

    @property
    def words(self) -> int:
        return len(self.text.split())


def kind_of(path: Path) -> str | None:
    """The kind a file will be read as: by content for PDFs (a misnamed PDF is still a PDF), else by suffix."""
    from stancecli import pdftext

    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES or pdftext.starts_as_pdf(path):
        return "pdf"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def extract(path: Path) -> Extracted:
    """The text of the document at `path`, or ExtractError saying why not."""
    kind = kind_of(path)
    if kind is None:
        raise ExtractError(f"{path}: expected one of {', '.join(SUPPORTED)}")
    _check_size(path)
    if kind == "pdf":
        from stancecli import pdftext

        if path.suffix.lower() not in PDF_SUFFIXES:
            notes = [f"{path}: starts as a PDF file does; read as a PDF"]
        else:
            notes = []
        return Extracted(path, kind, pdftext.extract_text(path), notes)
    if kind == "docx":
        return _checked(Extracted(path, kind, _docx_text(path)))
    data = path.read_bytes()
    text, note = decode(data, path)
    notes = [note] if note else []
    if kind == "html":
        return _checked(Extracted(path, kind, html_text(text), notes))
    if "\x00" in text:
        raise ExtractError(f"{path}: contains NUL bytes; is it a binary file?")
    return _checked(Extracted(path, kind, text, notes, verbatim=not notes and not data.startswith(codecs.BOM_UTF8)))


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise ExtractError(f"{path}: {_mib(size)}, over the limit of {_mib(MAX_INPUT_BYTES)}")


def _mib(size: int) -> str:
    """A size for a message: one decimal, so that just over the limit does not read as the limit."""
    return f"{size / (1024 * 1024):.1f} MiB"


def _checked(doc: Extracted) -> Extracted:
    if doc.words < MIN_WORDS:
        raise ExtractError(f"{doc.path}: no text found (fewer than {MIN_WORDS} words)")
    return doc


# ---------------------------------------------------------------- encodings

def decode(data: bytes, path: Path) -> tuple[str, str | None]:
    """Bytes as text: UTF-8, UTF-16/32 with a byte-order mark, UTF-16 without one, or Windows-1252
    (which includes Latin-1's letters). Returns the text and a note when it was converted."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ExtractError(f"{path}: starts with a {codec.upper()} byte-order mark but is not "
                                   f"{codec.upper()} text (at offset {exc.start})") from None
            note = None if codec == "utf-8-sig" else f"{path}: converted from {codec.upper()} to UTF-8"
            return text.lstrip("\ufeff"), note
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        failure = exc
    wide = _utf16_without_bom(data)
    if wide is not None:
        return wide, f"{path}: converted from UTF-16 (no byte-order mark) to UTF-8"
    western = _cp1252(data)
    if western is not None:
        return western, f"{path}: not UTF-8; read as Windows-1252 (Latin-1) and converted to UTF-8"
    raise ExtractError(f"{path}: not UTF-8 text (byte 0x{data[failure.start]:02x} at offset {failure.start}) "
                       "and not Windows-1252 or UTF-16 either; convert it to UTF-8 (e.g. iconv -f CP850 -t UTF-8 "
                       "if it comes from an old DOS program)")


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2 or data.count(0) < _UTF16_NUL_SHARE * len(data):
        return None
    codec = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return text if not _CONTROL.search(text) else None


def _cp1252(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are undefined in cp1252
        return None
    strange = [c for c in text if ord(c) > 0x7f and not _CP1252_PLAUSIBLE.match(c)]
    return None if strange or _CONTROL.search(text) else text


# ---------------------------------------------------------------- docx

def _docx_text(path: Path) -> str:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise ExtractError(DOCX_HINT) from None
    _check_unpacked_size(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ExtractError(f"{path}: not a readable .docx file ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # noqa: BLE001 - a damaged zip or XML can fail anywhere inside python-docx
        raise ExtractError(f"{path}: not a readable .docx file ({type(exc).__name__}: {exc})") from None
    blocks = _docx_header(document) + _docx_body(document)
    return clean("\n\n".join(b for b in blocks if b.strip()))


def _check_unpacked_size(path: Path) -> None:
    """Refuse a .docx whose parts unpack past the input limit (a zip bomb) before anything is unpacked."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # python-docx says what is wrong with it
    if unpacked > MAX_INPUT_BYTES:
        raise ExtractError(f"{path}: unpacks to {_mib(unpacked)}, over the limit of {_mib(MAX_INPUT_BYTES)}")


def _docx_header(document) -> list[str]:
    """The letterhead: the first section's header, which often names the organisation."""
    try:
        header = document.sections[0].header
    except IndexError:
        return []
    if header.is_linked_to_previous:
        return []
    return [p.text for p in header.paragraphs]


def _docx_body(document) -> list[str]:
    """Paragraphs and table rows in document order (python-docx lists them apart)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(Paragraph(child, document).text)
        elif tag == "tbl":
            rows = Table(child, document).rows
            blocks.append("\n".join(" | ".join(_unique_cells(row)) for row in rows))
    return blocks


def _unique_cells(row) -> list[str]:
    """A merged cell is listed once per grid column it spans; show it once."""
    out: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(" ".join(cell.text.split()))
    return out


# ---------------------------------------------------------------- html

def html_text(markup: str) -> str:
    """The visible text of an HTML page, one paragraph per block element."""
    from stancecli.htmltext import BlockText

    parser = BlockText()
    parser.feed(markup)
    parser.close()
    return clean("\n\n".join(parser.blocks))


# ---------------------------------------------------------------- normalising

def clean(text: str) -> str:
    """As a PDF's text is cleaned (NFC, LF line ends, no control characters, no trailing spaces,
    one final newline), and at most one blank line in a row."""
    from stancecli.pdftext import clean as cleaned

    return re.sub(r"\n{3,}", "\n\n", cleaned(text.replace("\v", "\n")))


def normalised(text: str) -> str:
    """The form two texts are compared in to find a duplicate: NFC, no BOM, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text.lstrip("\ufeff")).split())
