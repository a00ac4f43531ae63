"""Text out of documents: encodings, HTML blocks, and the normalised form duplicates are found in."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancecli.extract import ExtractError, decode, extract, html_text, normalised

NORWEGIAN = "Vi går inn for «egenregi» – ikke anbud, sier Ærlige Østlendinger på Åsane.\n"


LATIN1 = "Vi går inn for egenregi, sier Ærlige Østlendinger på Åsane.\n"  # no cp1252-only signs


@pytest.mark.parametrize(("data", "text", "note"), [
    (NORWEGIAN.encode("utf-8"), NORWEGIAN, None),
    (b"\xef\xbb\xbf" + NORWEGIAN.encode("utf-8"), NORWEGIAN, None),
    (NORWEGIAN.encode("cp1252"), NORWEGIAN, "read as Windows-1252 (Latin-1)"),
    (LATIN1.encode("latin-1"), LATIN1, "read as Windows-1252 (Latin-1)"),
    (NORWEGIAN.encode("utf-16"), NORWEGIAN, "converted from UTF-16 to UTF-8"),
    (NORWEGIAN.encode("utf-16-le"), NORWEGIAN, "converted from UTF-16 (no byte-order mark)"),
    (NORWEGIAN.encode("utf-16-be"), NORWEGIAN, "converted from UTF-16 (no byte-order mark)"),
    (NORWEGIAN.encode("utf-32"), NORWEGIAN, "converted from UTF-32 to UTF-8"),
])
def test_common_encodings_come_out_as_the_same_text(data, text, note):
    decoded, said = decode(data, Path("svar.txt"))
    assert decoded == text
    assert (said is None) if note is None else (note in said)


def test_a_code_page_it_cannot_tell_is_refused_not_guessed():
    with pytest.raises(ExtractError, match="not Windows-1252 or UTF-16 either"):
        decode("Vi går inn for egenregi, sier Østlendinger.".encode("cp850"), Path("svar.txt"))  # ø: › in cp1252


def test_html_blocks_are_paragraphs_and_pre_keeps_its_spacing():
    page = ("<div>Første   avsnitt\nfortsetter.</div><div><div>Andre</div></div>"
            "<pre>  kode\n    innrykket</pre><table><tr><td>a</td><td>b</td></tr></table>")
    assert html_text(page) == "Første avsnitt fortsetter.\n\nAndre\n\n  kode\n    innrykket\n\na\n\nb\n"


def test_html_entities_are_decoded_and_hidden_parts_left_out():
    page = "<head><title>T</title></head><p>A &amp; B&nbsp;&#229;</p><noscript>x</noscript><template>y</template>"
    assert html_text(page) == "A & B\u00a0å\n"


def test_an_empty_document_is_refused(tmp_path):
    (tmp_path / "tom.html").write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(ExtractError, match="no text found"):
        extract(tmp_path / "tom.html")


def test_binary_text_file_is_refused(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"abc\x00" * 3 + b"def\x00\x00\x00\x01")
    with pytest.raises(ExtractError, match="NUL bytes"):
        extract(tmp_path / "bin.txt")


def test_duplicates_are_compared_without_line_endings_and_spacing():
    assert normalised("\ufeffA  b\r\nc\n") == normalised("A b\nc") == "A b c"


def test_a_docx_that_unpacks_past_the_limit_is_refused_before_it_is_unpacked(tmp_path):
    import zipfile

    from stancecli.extract import MAX_INPUT_BYTES

    pytest.importorskip("docx", reason="python-docx is in the 'docx' and 'test' extras")
    bomb = tmp_path / "svar.docx"
    padding = b"<!--" + b" " * (MAX_INPUT_BYTES + 1024 * 1024) + b"-->"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<?xml version='1.0'?><Types/>")
        archive.writestr("word/document.xml", padding)
    assert bomb.stat().st_size < MAX_INPUT_BYTES // 100
    with pytest.raises(ExtractError, match=r"svar\.docx: unpacks to 65\.0 MiB, over the limit of 64\.0 MiB"):
        extract(bomb)
