"""Every bad input the issue lists, through the CLI: the exact message on stderr, exit 2, no traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

import minidata
from minidata import YAML, line_of

STANCES = "strongly-for, for, mixed, against, strongly-against"
DATA = "data/stances.yaml"


@pytest.fixture
def here(tmp_path, monkeypatch):
    """Work in tmp_path, so messages name data/stances.yaml as a user there would type it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def broken(root: Path, yaml_text: str = YAML, **kw) -> Path:
    return minidata.make(root, yaml_text, **kw)


def errors(result) -> list[str]:
    return result.stderr.splitlines()


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr + result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit)


# ---------------------------------------------------------------- YAML


def test_malformed_yaml_names_file_line_and_column(cli, here):
    text = YAML.replace("  short: TF\n", "  short: TF\n   bad: indentation\n")
    broken(here, text)
    line = line_of(text, "   bad: indentation")
    for command, hint in ((["validate"], "stancecli: the dataset cannot be read; fix this first, then validate again"),
                          (["compare", "anbud"], "stancecli: the dataset has errors; run 'stancecli validate' for all of them")):
        result = cli(*command, "--data", DATA)
        assert result.exit_code == 2
        assert errors(result) == [f"{DATA}:{line}:7: malformed YAML: mapping values are not allowed in this context",
                                  hint]
        no_traceback(result)


def test_unclosed_quote_names_the_line_that_opened_it(cli, here):
    text = YAML.replace('title: "Høringssvar: test"', 'title: "Høringssvar: test')
    broken(here, text)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    first = errors(result)[0]
    assert re.fullmatch(rf"{DATA}:\d+:\d+: malformed YAML: while parsing a block mapping "
                        rf"\(from line {line_of(text, '- id: tf-2020')}\) did not find expected key; "
                        rf"is the quote opened on line {line_of(text, 'title:')} closed\?", first), first


def test_empty_file(cli, here):
    broken(here, "")
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert errors(result)[0] == (f"{DATA}:1: the file is empty; expected a mapping with organisations, "
                                 "documents, issues and positions")


def test_file_of_only_comments_counts_as_empty(cli, here):
    broken(here, "# nothing here yet\n\n")
    result = cli("issues", "--data", DATA)
    assert result.exit_code == 2
    assert f"{DATA}:1: the file is empty" in result.stderr


@pytest.mark.parametrize("text, kind", [("- anbud\n- egenregi\n", "a list"), ("just words\n", "text 'just words'"),
                                        ("42\n", "'42'")])
def test_wrong_top_level_type(cli, here, text, kind):
    broken(here, text)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert errors(result)[0] == f"{DATA}:1: expected a mapping at the top level, got {kind}"


def test_bad_stance_label(cli, here):
    text = YAML.replace("stance: against", "stance: support")
    broken(here, text)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    line = line_of(text, "stance: support")
    assert f"{DATA}:{line}: positions[0].stance: 'support' is not one of {STANCES}" in errors(result)


def test_bad_stance_stops_read_commands_too(cli, here):
    broken(here, YAML.replace("stance: against", "stance: support"))
    result = cli("compare", "anbud", "--data", DATA)
    assert result.exit_code == 2
    assert "positions[0].stance: 'support' is not one of" in result.stderr
    assert result.stdout == ""


# ---------------------------------------------------------------- duplicates


def test_duplicate_organisation_id(cli, here):
    text = YAML.replace("documents:\n", "- id: tf\n  name: Again\n  kind: union\n\ndocuments:\n")
    broken(here, text)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    first, second = [n for n, line in enumerate(text.splitlines(), 1) if line == "- id: tf"]
    assert f"{DATA}:{second}: organisations[1].id: duplicate organisation id 'tf' (first at line {first})" \
        in errors(result)


def test_duplicate_document_id(cli, here):
    entry = "- id: tf-2020\n  organisation: tf\n  title: Again\n  year: 2020\n  source: ../seeds/tf.txt\n"
    text = YAML.replace("\nissues:\n", f"{entry}\nissues:\n")
    broken(here, text)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line == "- id: tf-2020"]
    assert f"{DATA}:{lines[1]}: documents[1].id: duplicate document id 'tf-2020' (first at line {lines[0]})" \
        in errors(result)


def test_duplicate_issue_key(cli, here):
    text = YAML.replace("- key: egenregi", "- key: anbud")
    broken(here, text)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line == "- key: anbud"]
    assert f"{DATA}:{lines[1]}: issues[1].key: duplicate issue key 'anbud' (first at line {lines[0]})" \
        in errors(result)


def test_duplicate_position(cli, here):
    text = YAML.replace("- issue: egenregi", "- issue: anbud")
    broken(here, text)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line == "- issue: anbud"]
    assert (f"{DATA}:{lines[1]}: positions[1]: duplicate position on 'anbud' for tf-2020 "
            f"(first at line {lines[0]})") in errors(result)


def test_duplicate_yaml_key_is_not_silently_dropped(cli, here):
    text = YAML.replace("  short: TF\n", "  short: TF\n  name: Someone else\n")
    broken(here, text)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert (f"{DATA}:{line_of(text, 'name: Someone else')}: organisations[0].name: duplicate key "
            f"(first at line {line_of(text, 'name: Testforbundet')}); YAML keeps only the last one") in errors(result)


# ---------------------------------------------------------------- sources


def test_missing_source_file(cli, here):
    broken(here, YAML.replace("../seeds/tf.txt", "../seeds/gone.txt"))
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    line = line_of(YAML, "- id: tf-2020")
    # The path as the user would type it (relative to where they stand), never an absolute one.
    assert f"{DATA}:{line}: documents[tf-2020].source: seeds/gone.txt: source file not found" in errors(result)


@pytest.mark.parametrize("source", ["../../etc/passwd", "/etc/passwd"])
def test_source_that_leaves_the_dataset_folder_is_refused_and_not_read(cli, here, source):
    broken(here, YAML.replace("../seeds/tf.txt", source))
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    line = line_of(YAML, "  source: ../seeds/tf.txt")
    assert (f"{DATA}:{line}: documents[0].source: '{source}' leaves the dataset's folder; sources must be "
            f"inside {here.resolve()}") in errors(result)
    assert "root:" not in result.stderr + result.stdout  # nothing of /etc/passwd is shown
    assert "quote not found" not in result.stderr  # it was not searched either


def test_symlink_out_of_the_dataset_folder_is_refused(cli, here):
    broken(here)
    (here / "seeds" / "link.txt").symlink_to("/etc/passwd")
    broken(here, YAML.replace("../seeds/tf.txt", "../seeds/link.txt"))
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert "'../seeds/link.txt' leaves the dataset's folder" in result.stderr
    assert "root:" not in result.stderr


def test_source_that_is_not_utf8_is_named_with_the_byte_offset(cli, here):
    latin1 = minidata.SOURCE.encode("latin-1")
    offset = latin1.index("ø".encode("latin-1"))
    broken(here, source=latin1)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert (f"{DATA}:{line_of(YAML, '- id: tf-2020')}: documents[tf-2020].source: seeds/tf.txt: not UTF-8 text "
            f"(byte 0xf8 at offset {offset}); convert it, e.g. iconv -f latin1 -t utf-8") in errors(result)


def test_dataset_file_that_is_not_utf8(cli, here):
    path = broken(here)
    raw = YAML.encode("latin-1", "replace")
    path.write_bytes(raw)
    offset = raw.index("ø".encode("latin-1"))
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    line = raw.count(b"\n", 0, offset) + 1
    assert errors(result)[0] == f"{DATA}:{line}: not UTF-8 (byte 0xf8 at offset {offset})"


def test_bom_crlf_and_nfd_sources_work_and_their_quotes_match(cli, here):
    nfd = unicodedata.normalize("NFD", minidata.SOURCE).replace("\n", "\r\n")
    assert nfd != minidata.SOURCE
    broken(here, source=b"\xef\xbb\xbf" + nfd.encode("utf-8"))
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 0, result.stderr
    assert "quotes located 2/2" in result.stdout
    shown = cli("evidence", "anbud", "--data", DATA, "--format", "tsv")
    assert shown.exit_code == 0
    assert "Vi er imot anbudsutsetting av arbeidsmarkedstiltak." in shown.stdout
    assert "seeds/tf.txt:3-4" in shown.stdout


def test_bom_and_crlf_in_the_dataset_file_work(cli, here):
    path = broken(here)
    path.write_bytes(b"\xef\xbb\xbf" + YAML.replace("\n", "\r\n").encode("utf-8"))
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 0, result.stderr
    assert "0 errors, 0 warnings" in result.stdout


def _big_source(root: Path, megabytes: int) -> None:
    line = "Arbeidsmarkedstiltak og oppfølging i NAV-kontorene er viktig for brukerne i kommunene.\n"
    with (root / "seeds" / "tf.txt").open("w", encoding="utf-8") as out:
        out.write(minidata.SOURCE)
        block = line * 10_000
        for _ in range(megabytes * 1024 * 1024 // len(block.encode("utf-8")) + 1):
            out.write(block)
        out.write("Denne setningen står helt til slutt.\n")


def test_50_mb_source_in_bounded_time_and_memory(here):
    text = YAML.replace('  - "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak."',
                        '  - "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak."\n'
                        '  - "Denne setningen står helt til slutt."\n'
                        '  - "Denne setningen finnes ikke i kilden i det hele tatt."')
    broken(here, text)
    _big_source(here, 50)
    assert (here / "seeds" / "tf.txt").stat().st_size >= 50 * 1024 * 1024
    wrapper = ("import resource, subprocess, sys;"
               "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
               "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr);"
               "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "stancecli", "validate",
                             "--data", DATA], capture_output=True, text=True, timeout=180, cwd=here)
    elapsed = time.monotonic() - started
    maxrss_mb = int(result.stdout.rsplit("MAXRSS", 1)[1]) / 1024
    assert "quotes located 3/4" in result.stdout
    assert "quote not found in ../seeds/tf.txt: “Denne setningen finnes ikke i kilden i det hele tatt.”" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert elapsed < 90, f"validate took {elapsed:.0f} s on a 50 MB source"
    assert maxrss_mb < 2560, f"validate used {maxrss_mb:.0f} MB on a 50 MB source"


def test_source_over_the_size_limit_is_refused_without_reading_it(cli, here):
    broken(here)
    with (here / "seeds" / "tf.txt").open("wb") as out:
        out.truncate(70 * 1024 * 1024)  # sparse: costs no disk and is never read
    started = time.monotonic()
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert "tf.txt: source is 70 MiB, over the limit of 64 MiB" in result.stderr
    assert time.monotonic() - started < 10


# ---------------------------------------------------------------- alias bombs and other YAML tricks

BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_yaml_alias_bomb_is_refused_at_once(cli, here):
    broken(here, BOMB)
    started = time.monotonic()
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert errors(result)[0] == f"{DATA}:1:4: YAML anchors and aliases (&, *, <<) are not allowed in a dataset"
    assert time.monotonic() - started < 5


def test_merge_key_and_alias_are_refused(cli, here):
    text = YAML.replace("- id: tf\n", "- &org\n  id: tf\n").replace("documents:\n", "- <<: *org\n\ndocuments:\n")
    broken(here, text)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert errors(result)[0] == (f"{DATA}:{line_of(text, '- &org')}:3: YAML anchors and aliases (&, *, <<) are "
                                 "not allowed in a dataset")


def test_python_tags_are_refused(cli, here):
    broken(here, YAML.replace("version: 1", "version: !!python/object/apply:os.system ['echo hi']"))
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert errors(result)[0] == (f"{DATA}:{line_of(YAML, 'version: 1')}:10: YAML tags "
                                 "(!!python/object/apply:os.system) are not allowed in a dataset")


def test_deep_nesting_is_refused_not_a_crash(cli, here):
    broken(here, "positions: " + "[" * 5000 + "]" * 5000 + "\n")
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    # Which layer refuses it (our depth check or the YAML parser's own) is not the user's concern:
    # one located message, exit 2, no traceback.
    assert re.match(rf"{re.escape(DATA)}:1:\d+: \S", errors(result)[0])
    no_traceback(result)


def test_impossible_date_is_a_problem_not_a_crash(cli, here):
    text = YAML.replace("date: 2020-05-04", "date: 2020-02-30")
    broken(here, text)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert f"{DATA}:{line_of(text, 'date: 2020-02-30')}: documents[0].date: '2020-02-30' is not a date " \
           "(YYYY-MM-DD)" in errors(result)
    no_traceback(result)


def test_control_character_in_the_yaml(cli, here):
    broken(here, YAML.replace("name: Testforbundet", "name: Test\x07forbundet"))
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert errors(result)[0] == (f"{DATA}:{line_of(YAML, 'name: Testforbundet')}:13: malformed YAML: control "
                                 "characters are not allowed (character #x0007)")


# ---------------------------------------------------------------- markup and escape sequences

MARKUP_SOURCE = (
    "Høringssvar fra Testforbundet\n\n"
    "[bold]Vi er imot[/bold] anbudsutsetting av arbeidsmarkeds-\ntiltak.\n\n"
    "NAV bør gjøre mer i \x1b[31megenregi\x1b[0m, med egne ansatte og egne tiltak.\n"
)
MARKUP_YAML = YAML.replace('"Vi er imot anbudsutsetting av arbeidsmarkedstiltak."',
                           '"[bold]Vi er imot[/bold] anbudsutsetting av arbeidsmarkedstiltak."').replace(
    '"NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak."',
    '"NAV bør gjøre mer i \\e[31megenregi\\e[0m, med egne ansatte og egne tiltak."')


def test_rich_markup_in_quotes_is_shown_literally(cli, here, terminal):
    broken(here, MARKUP_YAML, source=MARKUP_SOURCE)
    assert cli("validate", "--data", DATA).exit_code == 0
    result = cli("evidence", "anbud", "--data", DATA, "--color", "never")
    assert result.exit_code == 0
    assert "[bold]Vi er imot[/bold]" in result.stdout


def test_escape_sequences_in_quotes_never_reach_the_terminal(cli, here, terminal):
    broken(here, MARKUP_YAML, source=MARKUP_SOURCE)
    for fmt in ("table", "tsv", "csv", "markdown", "json"):
        result = cli("evidence", "egenregi", "--data", DATA, "--color", "never", "--format", fmt)
        assert result.exit_code == 0, fmt
        assert "\x1b" not in result.stdout, fmt
        assert "egenregi" in result.stdout


def test_escape_sequences_in_validate_messages_are_shown_as_text(cli, here):
    text = MARKUP_YAML.replace("\\e[31megenregi", "\\e[31megen regi")
    broken(here, text, source=MARKUP_SOURCE)
    result = cli("validate", "--data", DATA)
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "quote not found in ../seeds/tf.txt: “NAV bør gjøre mer i \\x1b[31megen regi\\x1b[0m" in result.stderr


def test_escape_sequences_in_suggested_quotes_are_escaped_yaml(cli, here):
    broken(here, MARKUP_YAML.replace("- issue: egenregi", "- issue: anbud").replace(
        "  - \"NAV bør gjøre mer i \\e[31megenregi\\e[0m, med egne ansatte og egne tiltak.\"",
        "  - \"[bold]Vi er imot[/bold] anbudsutsetting av arbeidsmarkedstiltak.\""), source=MARKUP_SOURCE)
    result = cli("suggest", "egenregi", "--doc", "tf-2020", "--data", DATA)
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert '"NAV bør gjøre mer i \\x1b[31megenregi\\x1b[0m, med egne ansatte og egne tiltak."' in result.stdout


# ---------------------------------------------------------------- in real processes


@pytest.mark.parametrize("yaml_text", ["", "- a\n", BOMB, "a: [\n", "positions: " + "[" * 500 + "]" * 500])
def test_no_traceback_in_a_real_process(here, yaml_text):
    broken(here, yaml_text)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCECLI_")}
    result = subprocess.run([sys.executable, "-m", "stancecli", "validate", "--data", DATA], cwd=here, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{DATA}:")
    assert "Traceback" not in result.stderr
