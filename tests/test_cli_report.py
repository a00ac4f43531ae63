"""`stancecli report`: one self-contained HTML page (and markdown) that a browser renders with the
map, the matrix and the quotes, every datum escaped. Opened in headless Chromium where available."""

import html as html_module
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import minidata

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


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_the_report_never_overwrites_the_dataset_or_a_source(cli, tmp_path, fmt):
    data = minidata.make(tmp_path)
    source = tmp_path / "seeds" / "tf.txt"
    before = data.read_bytes(), source.read_bytes()
    for target in (data, source):
        result = cli("report", "--format", fmt, "-o", str(target), "--data", str(data))
        assert result.exit_code == 2
        assert "is a file of the dataset itself; give another file name" in result.stderr
    assert (data.read_bytes(), source.read_bytes()) == before


def test_lang_en(cli, small_data):
    html = cli("report", "--data", str(small_data), "--lang", "en").stdout
    assert "Issue i1" in html and "Summary of i1" in html


def test_output_dash_is_standard_output(cli, small_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("report", "--data", str(small_data), "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert not (tmp_path / "-").exists()
    md = cli("report", "--data", str(small_data), "-f", "markdown", "-o", "-")
    assert md.stdout.startswith("# Where organisations stand")


def test_lang_attribute_follows_lang(cli, small_data):
    nb = cli("report", "--data", str(small_data), "--lang", "nb").stdout
    en = cli("report", "--data", str(small_data), "--lang", "en").stdout
    assert '<html lang="nb">' in nb and '<html lang="en">' in en
    assert '<h2 lang="en">Position map</h2>' in nb  # the page's own English words say so


def test_content_security_policy_allows_only_the_pages_own_style(small_report):
    import base64
    import hashlib

    page = small_report.read_text(encoding="utf-8")
    policy = html_module.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1])
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["script-src"] == "'none'"
    style = re.search(r"<style>(.*?)</style>", page, re.S)[1]
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    assert directives["style-src"] == f"'sha256-{digest}'"
    assert " style=" not in page  # style attributes would be blocked by the policy


def test_generation_date_and_no_local_path(cli, small_data):
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    for fmt in ("html", "markdown"):
        out = cli("report", "--data", str(small_data), "-f", fmt, env=env).stdout
        assert "Made on 2026-01-01 00:00 UTC" in out
        assert str(small_data.parent) not in out and "seeds/" not in out


def test_findings_summarise_division_pairs_and_moves(cli, small_data):
    page = parse(cli("report", "--data", str(small_data), "--lang", "en").stdout)
    text = " ".join("".join(page.text).split())
    assert "Most divided: Issue i1 (A&B <u> +, Beta --; agreement 0.25, split)" in text
    assert "Closest: Kommune and A&B <u>: 0.88 over 2 shared issues" in text
    assert "Most distant: Gamma and A&B <u>: 0.50 over 1 shared issue;" in text
    assert "A&B <u> over time (a-2010, answering «H» → a-2012, answering «H»): Issue i1 strongly-for → for." in text


def test_citations_link_to_the_quoted_line(small_report):
    page = small_report.read_text(encoding="utf-8")
    link = re.search(r'<a href="#([^"]+)">a-2012, «Tittel a-2012 &lt;em&gt;», line 3</a>', page)
    assert link, "the citation of the a-2012 quote is a link"
    line = re.search(rf'<div class="l q" id="{re.escape(link[1])}"><a href="#[^"]+">3</a><span>(.*?)</span>', page)
    assert line and line[1] == "Vi er for i1, men med | en pipe."


def test_agreement_has_its_own_colours(small_report):
    page = small_report.read_text(encoding="utf-8")
    agreement = re.findall(r'<td class="heat ([^"]+)"', page)
    assert agreement and all(c.startswith("ag") or c == "na" for c in agreement)
    stance_classes = {"s2", "s1", "s0", "sm1", "sm2"}
    assert not stance_classes & {c for classes in agreement for c in classes.split()}


def test_markdown_appendix_numbers_every_source_line(cli, small_data):
    md = cli("report", "--data", str(small_data), "-f", "markdown").stdout
    assert "### a-2012: Tittel a-2012 &lt;em&gt;" in md
    assert "    3  Vi er for i1, men med | en pipe." in md.splitlines()
    assert "    3  Vi støtter <script>alert('x')</script> fullt ut." in md.splitlines()  # code: shown as typed


def test_real_data_report_has_every_section(cli, tmp_path):
    out = tmp_path / "r.html"
    assert cli("report", "-o", str(out)).exit_code == 0
    page = parse(out.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    for heading in ("Findings", "Position map", "Agreement matrix", "Lines of conflict", "Change over time",
                    "Issues and quotes", "Sources", "Source texts"):
        assert heading in text
    assert "NTL 2012 (ntl-2012) → NTL 2015 (ntl-2015)" in text
    sources = page.tables["cards sources"]
    assert any("003_7e837691441a8617.txt" in " ".join(row) for row in sources)


# ---------------------------------------------------------------- markdown

def test_markdown_report(cli, small_data, tmp_path):
    out = tmp_path / "r.md"
    result = cli("report", "--data", str(small_data), "--format", "markdown", "-o", str(out))
    assert result.exit_code == 0
    md = out.read_text(encoding="utf-8")
    for heading in ("## Findings", "## Position map", "## Agreement matrix", "## Lines of conflict",
                    "## Change over time", "## Issues and quotes", "## Sources", "## Source texts"):
        assert heading in md
    assert ("> «Vi støtter &lt;script&gt;alert('x')&lt;/script&gt; fullt ut.» — a-2010, «Tittel a-2010 &lt;em&gt;», "
            "line 3") in md
    prose = "\n".join(line for line in md.splitlines() if not line.startswith("    "))  # code blocks show as typed
    assert "<script>" not in prose and "<img" not in prose
    assert "| **A&amp;B &lt;u&gt;** |" in md  # the matrix row
    assert "No one addressed: i5" in md
    assert ("- **Most divided:** Sak i1 (`i1`: A&amp;B &lt;u&gt; +, Beta --; agreement 0.25, split)"
            in md)  # the findings, escaped like every datum


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
    assert "«Vi støtter <script>alert('x')</script> fullt ut.» a-2010, «Tittel a-2010 <em>», line 3" in text
    assert "«Gamma mener i2 er feil <img src=x onerror=alert(1)>.» b-2011, «Tittel b-2011 <em>», line 7" in text
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


# ---------------------------------------------------------------- a phone and a laptop

VIEWPORTS = (1280, 390)
LAYOUT_CHECK = """<!DOCTYPE html><html><body>
%(frames)s
<pre id="out">pending</pre>
<script>
// Loaded beside the report (which runs no script): measures each frame once it has loaded.
const results = {};
function measure(frame) {
  const d = frame.contentDocument, width = d.documentElement.clientWidth, overflow = [];
  for (const el of d.body.querySelectorAll('*')) {
    if (el.parentElement && el.parentElement.closest('.scroll')) continue;  // inside a scroll box
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > width + 0.5 || r.left < -0.5)) overflow.push(el.tagName + '.' + el.className);
  }
  const ids = new Set([...d.querySelectorAll('[id]')].map(e => e.id));
  const links = [...d.querySelectorAll('a[href^="#"]')].map(a => decodeURIComponent(a.getAttribute('href').slice(1)));
  const bg = sel => [...new Set([...d.querySelectorAll(sel)].map(e => getComputedStyle(e).backgroundColor))];
  results[frame.width] = {width, pageWidth: d.documentElement.scrollWidth, overflow: overflow.slice(0, 20),
    links: links.length, broken: links.filter(h => !ids.has(h)).slice(0, 20),
    citations: d.querySelectorAll('cite a').length,
    stanceColours: bg('td.cell:not(.na)'), agreementColours: bg('td.heat:not(.na)'),
    strongForColour: bg('td.cell.s2')};
  if (Object.keys(results).length === %(count)d) document.getElementById('out').textContent = JSON.stringify(results);
}
for (const f of document.querySelectorAll('iframe')) f.addEventListener('load', () => measure(f));
</script></body></html>"""


@needs_chromium
def test_phone_and_laptop_nothing_runs_off_and_every_link_resolves(cli, tmp_path):
    import json

    report = tmp_path / "report.html"
    assert cli("report", "-o", str(report)).exit_code == 0
    frames = "".join(f'<iframe width="{w}" height="900" src="report.html"></iframe>' for w in VIEWPORTS)
    check = tmp_path / "check.html"
    check.write_text(LAYOUT_CHECK % {"frames": frames, "count": len(VIEWPORTS)}, encoding="utf-8")
    result = chromium(tmp_path, "--hide-scrollbars", "--allow-file-access-from-files", "--virtual-time-budget=20000",
                      "--dump-dom", check.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(html_module.unescape(re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.S)[1]))
    for width in VIEWPORTS:
        seen = found[str(width)]
        assert seen["width"] == width
        assert seen["overflow"] == [] and seen["pageWidth"] <= width, seen["overflow"]
        assert seen["links"] > 0 and seen["broken"] == []
        assert seen["citations"] > 0
        assert seen["strongForColour"] == ["rgb(30, 123, 52)"]  # the style sheet applies under the CSP
        assert not set(seen["stanceColours"]) & set(seen["agreementColours"])


# ---------------------------------------------------------------- a pair nobody has coded yet

@pytest.fixture
def half_coded(tmp_path) -> Path:
    """Testforbundet's response is coded on anbud; Nyforbundet's only on a further issue, not on anbud."""
    import minidata

    yaml = minidata.YAML.replace(
        "\ndocuments:\n", "- id: nf\n  name: Nyforbundet\n  short: NF\n  kind: union\n\ndocuments:\n", 1
    ).replace("\nissues:\n", "- id: nf-2020\n  organisation: nf\n  title: Svar fra NF\n  year: 2020\n"
                              "  source: ../seeds/nf.txt\n\nissues:\n", 1
    ).replace("\nnot_addressed:\n", "- issue: egenregi\n  document: nf-2020\n  stance: for\n  summary:\n"
                                     "    nb: NF vil at NAV gjør mer selv.\n  quotes:\n  - NAV bør gjøre mer selv.\n"
                                     "\nnot_addressed:\n", 1)
    data = minidata.make(tmp_path, yaml)
    (tmp_path / "seeds" / "nf.txt").write_text("Høringssvar fra Nyforbundet\n\nNAV bør gjøre mer selv.\n",
                                              encoding="utf-8")
    return data


def test_a_pair_nobody_has_coded_is_shown_as_undecided_not_as_not_addressed(cli, half_coded):
    md = cli("report", "--data", str(half_coded), "-f", "markdown", "-o", "-").stdout
    position_map = md.split("## Position map")[1].split("\n## ")[0].splitlines()
    [header] = [line for line in position_map if line.startswith("| Issue |")]
    [anbud] = [line for line in position_map if line.startswith("| anbud |")]
    cells = dict(zip(header.split(" | "), anbud.split(" | ")))
    assert (cells["TF"], cells["NF"]) == ("-", "?")  # against; not coded yet
    assert "? undecided (not yet coded)" in md
    page = parse(cli("report", "--data", str(half_coded), "-o", "-").stdout)
    head, *rows = page.tables["grid map"]
    [row] = [r for r in rows if r[0] == "Anbud på arbeidsmarkedstiltak"]
    cells = dict(zip(head, row))
    assert (cells["TF"], cells["NF"]) == ("-", "?")
