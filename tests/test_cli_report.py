"""`stancecli report`: one self-contained HTML page (and markdown) that a browser renders with the
map, the matrix and the quotes, every datum escaped. Opened in headless Chromium where available."""

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = next((c for c in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if c and os.access(c, os.X_OK)), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install -y chromium); "
                             "the browser checks of the report are skipped")


class Tables(HTMLParser):
    """The text of every table cell, per table class, per row; and every element name seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.elements: set[str] = set()
        self.text: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.add(tag)
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("class") or "plain"
            self.tables.setdefault(self._table, [])
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(markup: str) -> Tables:
    t = Tables()
    t.feed(markup)
    return t


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


@pytest.fixture
def small_report(cli, small_data, tmp_path) -> Path:
    out = tmp_path / "report.html"
    result = cli("report", "--data", str(small_data), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out}" in result.stderr
    return out


# ---------------------------------------------------------------- the file itself

def test_html_is_self_contained_and_prints(small_report):
    html = small_report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()  # no scripts at all
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", html)  # no external assets
    assert "<link" not in html
    assert "@media print" in html and "<style>" in html
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))


def test_every_datum_is_escaped(small_report):
    html = small_report.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html  # the quote, as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html
    assert "A&amp;B &lt;u&gt;" in html and "<u>" not in html  # organisation label
    assert "Alpha <b>" not in html and "<em>" not in html  # names and document titles
    assert "&quot;sitert&quot;" in html or "&#x27;" in html


def test_html_to_stdout_in_a_pipe(cli, small_data):
    result = cli("report", "--data", str(small_data))
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert result.stdout.rstrip().endswith("</html>")


def test_html_refuses_a_terminal(cli, terminal, small_data):
    result = cli("report", "--data", str(small_data))
    assert result.exit_code == 2
    assert "not writing HTML to a terminal" in result.stderr
    assert result.stdout == ""


def test_unwritable_output_exits_2(cli, small_data, tmp_path):
    result = cli("report", "--data", str(small_data), "-o", str(tmp_path / "missing" / "r.html"))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def test_lang_en(cli, small_data):
    html = cli("report", "--data", str(small_data), "--lang", "en").stdout
    assert "Issue i1" in html and "Summary of i1" in html


def test_real_data_report_has_every_section(cli, tmp_path):
    out = tmp_path / "r.html"
    assert cli("report", "-o", str(out)).exit_code == 0
    page = parse(out.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    for heading in ("Position map", "Agreement matrix", "Lines of conflict", "Change over time",
                    "Issues and quotes", "Sources"):
        assert heading in text
    assert "NTL 2012 (ntl-2012) → NTL 2015 (ntl-2015)" in text
    sources = page.tables["plain"]
    assert any("003_7e837691441a8617.txt" in " ".join(row) for row in sources)


# ---------------------------------------------------------------- markdown

def test_markdown_report(cli, small_data, tmp_path):
    out = tmp_path / "r.md"
    result = cli("report", "--data", str(small_data), "--format", "markdown", "-o", str(out))
    assert result.exit_code == 0
    md = out.read_text(encoding="utf-8")
    for heading in ("## Position map", "## Agreement matrix", "## Lines of conflict", "## Change over time",
                    "## Issues and quotes", "## Sources"):
        assert heading in md
    assert "> «Vi støtter &lt;script&gt;alert('x')&lt;/script&gt; fullt ut.» — `a-2010.txt:3`" in md
    assert "<script>" not in md and "<img" not in md
    assert "| **A&amp;B &lt;u&gt;** |" in md  # the matrix row
    assert "No one addressed: i5" in md


def test_markdown_to_a_terminal_is_fine(cli, terminal, small_data):
    result = cli("report", "--data", str(small_data), "-f", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Where organisations stand")


# ---------------------------------------------------------------- what a reader sees, in a browser

@needs_chromium
def test_browser_renders_map_matrix_and_quotes(small_report, tmp_path):
    result = chromium(tmp_path, "--dump-dom", small_report.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = parse(result.stdout)
    assert "script" not in dom.elements and "img" not in dom.elements  # the quotes stayed text

    grid = dom.tables["grid map"]
    header = grid[0]
    assert header[0] == "Issue" and header[-2:] == ["Agreement", "Verdict"]
    rows = {row[0]: dict(zip(header, row)) for row in grid[1:]}
    assert list(rows) == ["Sak i1", "Sak i2", "Sak i3", "Sak i4"]  # most divided first
    assert rows["Sak i1"]["A&B <u>"] == "+" and rows["Sak i1"]["Beta"] == "--"
    assert rows["Sak i1"]["Verdict"] == "split" and rows["Sak i4"]["Agreement"] == "n/a"
    assert rows["Sak i2"]["Kommune"] == "±" and rows["Sak i4"]["A&B <u>"] == "·"

    heat = dom.tables["grid heatmap"]
    labels = heat[0][1:]
    matrix = {row[0]: dict(zip(labels, row[1:])) for row in heat[1:]}
    assert matrix["A&B <u>"]["Kommune"] == "0.88 (2)"
    assert matrix["A&B <u>"]["Beta"] == "0.62 (2)"
    assert matrix["A&B <u>"]["Arbeidsgivere"] == "n/a"
    assert matrix["Beta"]["Beta"] == "—"

    text = " ".join(" ".join(dom.text).split())
    assert "«Vi støtter <script>alert('x')</script> fullt ut.» a-2010.txt:3" in text
    assert "«Gamma mener i2 er feil <img src=x onerror=alert(1)>.» b-2011.txt:7" in text
    assert "reported by b-2011" in text
    assert "Not addressed in: e-2011" in text


@needs_chromium
def test_browser_screenshot_and_print(small_report, tmp_path):
    shot = tmp_path / "shot.png"
    result = chromium(tmp_path, "--hide-scrollbars", "--window-size=1200,1600", f"--screenshot={shot}",
                      small_report.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a rendered page, not a blank one
    pdf = tmp_path / "r.pdf"
    result = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", small_report.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) >= 2  # the issues start a new page
