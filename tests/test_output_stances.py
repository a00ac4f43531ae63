"""Undecided is not "not addressed": in every format of every command that can show a pair, a pair
nobody has coded yet is shown apart from one a document did not address.

The fixture: i1 is a codebook issue; m-2011 (Kommune, m1) is coded as not addressing it; e-2011
(Arbeidsgivere, e1) is not coded for it at all (undecided).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

FORMATS = ("table", "markdown", "tsv", "csv", "json", "jsonl")


@pytest.fixture
def coded(small_data):
    text = small_data.read_text(encoding="utf-8").replace("- {key: i1, ", "- {key: i1, codebook: true, ")
    small_data.write_text(text + "not_addressed:\n  m-2011: [i1]\n", encoding="utf-8")
    return str(small_data)


def run(cli, coded, fmt, *args):
    result = cli(*args, "--data", coded, "--format", fmt, "--color", "never", env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def records(out: str, fmt: str) -> list[dict]:
    return json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]


def line_of(out: str, *needles: str) -> str:
    found = [line for line in out.splitlines() if all(n in line for n in needles)]
    assert len(found) == 1, (needles, out)
    return found[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_compare(cli, coded, fmt):
    out = run(cli, coded, fmt, "compare", "i1", "--absent")
    if fmt in ("json", "jsonl"):
        status = {r["document"]: r["status"] for r in records(out, fmt)}
        assert (status["e-2011"], status["m-2011"]) == ("undecided", "not-addressed")
    elif fmt == "csv":
        stance = {r["document"]: r["stance"] for r in csv.DictReader(io.StringIO(out))}
        assert (stance["e-2011"], stance["m-2011"]) == ("undecided", "not-addressed")
    else:
        assert "undecided" in line_of(out, "e-2011") and "undecided" not in line_of(out, "m-2011")
        assert "not" in line_of(out, "m-2011")


@pytest.mark.parametrize("fmt", FORMATS)
def test_map(cli, coded, fmt):
    if fmt in ("table", "markdown"):
        out = run(cli, coded, fmt, "map")
        row = line_of(out, "i1 ")
        # Columns: Gamma (r1, no document), Kommune (m1), A&B, Beta, Arbeidsgivere (e1, undecided).
        cells = row.split()[1:6] if fmt == "table" else [c.strip() for c in row.split("|")[2:7]]
        assert cells == ["·", "·", "+", "--", "?"]
        assert "? undecided" in out
        return
    out = run(cli, coded, fmt, "map", "--absent")
    if fmt in ("json", "jsonl"):
        cells = next(r["cells"] for r in records(out, fmt) if r["issue"] == "i1")
        status = {c["organisation"]: c["status"] for c in cells}
        assert (status["e1"], status["m1"]) == ("undecided", "not-addressed")
    else:
        sep = "," if fmt == "csv" else "\t"
        assert line_of(out, f"i1{sep}e1").split(sep)[2] == "undecided"
        assert line_of(out, f"i1{sep}m1").split(sep)[2] == "not-addressed"


@pytest.mark.parametrize("fmt", FORMATS)
def test_compare_by_kind(cli, coded, fmt):
    out = run(cli, coded, fmt, "compare", "i1", "--by", "kind")
    if fmt in ("json", "jsonl"):
        by_kind = {r["kind"]: r for r in records(out, fmt)}
        assert (by_kind["employer-organisation"]["stance"], by_kind["employer-organisation"]["undecided"]) == \
            ("undecided", ["e1"])
        assert (by_kind["municipality"]["stance"], by_kind["municipality"]["not_addressed"]) == \
            ("not-addressed", ["m1"])
    else:
        assert "undecided" in line_of(out, "employer-organisation")
        assert "undecided" not in line_of(out, "municipality")


@pytest.mark.parametrize("fmt", FORMATS)
def test_diff(cli, coded, fmt):
    out = run(cli, coded, fmt, "diff", "b-2011", "e-2011")
    if fmt in ("json", "jsonl"):
        rec = next(r for r in records(out, fmt) if r["issue"] == "i1")
        assert (rec["change"], rec["after"], rec["after_status"]) == ("undecided", None, "undecided")
    elif fmt == "table":
        assert "? undecided" in line_of(out, " i1 ")
    else:
        sep = {"csv": ",", "tsv": "\t", "markdown": " | "}[fmt]
        assert f"{sep}undecided" in line_of(out, f"{sep}i1{sep}")


def cells_by_header(out: str, fmt: str, header_line: str, key: str) -> dict[str, str]:
    """The cells of the row whose first cell is `key`, by column header (table, markdown, tsv)."""
    if fmt == "tsv":
        rows = [line.split("\t") for line in out.splitlines()]
        headers = header_line.split(",")
    elif fmt == "markdown":
        rows = [[c.strip() for c in line.strip("|").split("|")] for line in out.splitlines() if line.startswith("|")]
        headers = rows[0]
    else:  # a terminal table: a number stands right-aligned under its header
        lines = out.splitlines()
        head = next(line for line in lines if line.split()[:1] in (["Key"], ["Id"]))
        row_line = next(line for line in lines if line.split()[:1] == [key])
        return {h: row_line[head.index(h):head.index(h) + len(h)].strip() for h in head.split()}
    row = next(r for r in rows if r[:1] == [key])
    return dict(zip(headers, row))


@pytest.mark.parametrize("fmt", FORMATS)
def test_docs_and_issues_count_undecided_apart(cli, coded, fmt):
    docs, issues = run(cli, coded, fmt, "docs"), run(cli, coded, fmt, "issues")
    if fmt in ("json", "jsonl"):
        undecided = {r["id"]: r["undecided"] for r in records(docs, fmt)}
        assert (undecided["e-2011"], undecided["m-2011"]) == (1, 0)
        i1 = next(r for r in records(issues, fmt) if r["key"] == "i1")
        assert (i1["undecided"], i1["not_addressed"]) == (1, 1)
    elif fmt == "csv":
        undecided = {r["id"]: r["undecided"] for r in csv.DictReader(io.StringIO(docs))}
        assert (undecided["e-2011"], undecided["m-2011"]) == ("1", "0")
        i1 = next(r for r in csv.DictReader(io.StringIO(issues)) if r["key"] == "i1")
        assert (i1["undecided"], i1["not_addressed"]) == ("1", "1")
    else:
        doc_header = run(cli, coded, "csv", "docs").splitlines()[0]
        undecided = "undecided" if fmt == "tsv" else "Undecided"
        assert cells_by_header(docs, fmt, doc_header, "e-2011")[undecided] == "1"
        assert cells_by_header(docs, fmt, doc_header, "m-2011")[undecided] == "0"
        if fmt != "table":  # the table of issues hides no column but wraps its headers
            issue_header = run(cli, coded, "csv", "issues").splitlines()[0]
            assert cells_by_header(issues, fmt, issue_header, "i1")[undecided] == "1"


@pytest.mark.parametrize("fmt", ("html", "markdown"))
def test_report(cli, coded, fmt):
    out = cli("report", "--data", coded, "--format", fmt, "-o", "-")
    assert out.exit_code == 0, out.stderr
    text = out.stdout
    if fmt == "markdown":
        assert "| i1 | · | · | + | -- | ? |" in text
        assert "Undecided (not yet coded): e-2011" in text and "Not addressed in: m-2011" in text
    else:
        assert 'class="cell ud" title="Arbeidsgivere: undecided (not yet coded)">?</td>' in text
        assert "Undecided (not yet coded): e-2011" in text
    assert "Not addressed in: m-2011, e-2011" not in text
