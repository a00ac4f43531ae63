"""A .docx that unpacks past the input limit (a zip bomb) against a normal small .docx, in one run.

    python bench/docx_bomb.py

Prints the best of five extract() times for each and their ratio.
"""

from __future__ import annotations

import tempfile
import time
import zipfile
from pathlib import Path

from stancecli.extract import MAX_INPUT_BYTES, ExtractError, extract

RUNS = 5
PARAGRAPHS = 50


def _normal(folder: Path) -> Path:
    import docx

    document = docx.Document()
    for i in range(PARAGRAPHS):
        document.add_paragraph(f"Høringssvar fra NTL om anbud og tiltak i NAV, avsnitt {i}.")
    path = folder / "normal.docx"
    document.save(str(path))
    return path


def _bomb(folder: Path, normal: Path) -> Path:
    """The normal document with its body padded to three times the limit (valid XML, tiny on disk)."""
    path = folder / "bomb.docx"
    paragraph = "<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa aaaaaaa</w:t></w:r></w:p>"
    padding = paragraph * (3 * MAX_INPUT_BYTES // len(paragraph))
    with zipfile.ZipFile(normal) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                at = text.index("<w:body>") + len("<w:body>")
                data = (text[:at] + padding + text[at:]).encode("utf-8")
            out.writestr(item, data)
    return path


def best_time(path: Path) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        try:
            extract(path)
        except ExtractError:
            pass
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        normal = _normal(folder)
        bomb = _bomb(folder, normal)
        unpacked = sum(i.file_size for i in zipfile.ZipFile(bomb).infolist())
        base, refused = best_time(normal), best_time(bomb)
        print(f"bomb: {bomb.stat().st_size / 1e6:.1f} MB on disk, {unpacked / 2**20:.0f} MiB unpacked")
        print(f"normal .docx {base * 1000:.1f} ms; bomb refused in {refused * 1000:.2f} ms "
              f"({refused / base:.3f}× the normal one)")


if __name__ == "__main__":
    main()
