"""A small real PDF with a text layer, written by hand (no PDF library can write one from plain text):
for the intake benchmark and the intake tests, which need PDFs whose text extraction is known."""

from __future__ import annotations


def text_pdf(pages: list[list[str]]) -> bytes:
    """A small real PDF: one Helvetica text line per string, WinAnsi-encoded (æøå work)."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
    kids, n = [], 4
    for lines in pages:
        text = "BT /F1 11 Tf 72 760 Td 14 TL\n" + "".join(f"({esc(x)}) '\n" for x in lines) + "ET\n"
        content = text.encode("cp1252", errors="replace")
        objects[n] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream"
        objects[n + 1] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                          b"/Resources << /Font << /F1 3 0 R >> >> >>" % n)
        kids.append(n + 1)
        n += 2
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[num] for num in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)
