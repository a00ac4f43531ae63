"""`suggest --doc DOC`: proposed stances with verbatim quotes, in a terminal and in a pipe."""

from __future__ import annotations

import json

import pytest
import yaml

import minidata
from minidata import YAML
from stancecli.corpus import read_source
from stancecli.suggest import yaml_quote

# A second document for the small dataset: own views, a reported view, a verdict after naming.
REPORTING = (
    "Høringssvar fra Testforbundet.\n"
    "\n"
    "NHO mener at anbud på arbeidsmarkedstiltak bør innføres raskt.\n"
    "\n"
    "Vi er imot anbudsutsetting av arbeidsmarkeds-\n"
    "tiltak. Anbud gir dårligere kvalitet for brukerne.\n"
    "\n"
    "NAV bør gjøre mer i egenregi, med egne ansatte og egne tiltak.\n"
)


@pytest.fixture
def mini(tmp_path):
    """The small dataset, with tf-2020's source replaced by REPORTING; its positions stay."""
    return minidata.make(tmp_path, source=REPORTING)


def tsv_rows(stdout: str) -> list[list[str]]:
    return [line.split("\t") for line in stdout.splitlines()]


def test_every_codebook_issue_by_default_and_pipe_rows_carry_every_field(cli, mini):
    result = cli("suggest", "--doc", "tf-2020", "--data", str(mini))
    assert result.exit_code == 0, result.stderr
    rows = tsv_rows(result.stdout)
    assert {len(r) for r in rows} == {11}
    assert {r[0] for r in rows} == {"anbud"}  # the only codebook issue of the small dataset
    own = [r for r in rows if r[3] == "quote"]
    assert own[0][1] == "against" and own[0][8] == "Vi er imot anbudsutsetting av arbeidsmarkedstiltak."
    assert own[0][7].endswith("seeds/tf.txt:5-6")
    reported = [r for r in rows if r[3] == "reported"]
    assert reported and reported[0][5] == "NHO" and reported[0][8].startswith("NHO mener")


def test_every_quote_offered_is_verbatim_in_the_source(cli, mini):
    result = cli("suggest", "--doc", "tf-2020", "--issue", "anbud", "--issue", "egenregi", "--data", str(mini),
                 "--format", "json")
    source = read_source(mini.parent.parent / "seeds" / "tf.txt")
    records = json.loads(result.stdout)
    assert [r["issue"] for r in records] == ["anbud", "egenregi"]
    quotes = [q for r in records for q in [*r["quotes"], *r["reported"]]]
    assert quotes
    for q in quotes:
        span = source.find(q["text"])
        assert span and (span.line_start, span.line_end) == (q["line_start"], q["line_end"])


def test_json_records_say_the_proposal_is_unconfirmed_and_name_the_reported_speaker(cli, mini):
    result = cli("suggest", "--doc", "tf-2020", "--data", str(mini), "--format", "jsonl")
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["confirmed"] is False and record["document"] == "tf-2020"
    assert record["stance"] == "against" and 0 <= record["confidence"] <= 1 and record["reasons"]
    assert record["reported"][0]["speaker"] == "NHO"
    assert record["reported"][0]["speaker_organisations"] == []  # the small dataset has no NHO
    assert all(q["text"] != record["reported"][0]["text"] for q in record["quotes"])


def test_terminal_view_says_these_are_proposals_to_confirm(cli, mini, terminal):
    result = cli("suggest", "--doc", "tf-2020", "--data", str(mini), "--color", "never")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Proposals for a person to confirm" in out and "nothing has been written" in out
    assert "proposed: - against" in out and "confidence" in out
    assert "«Vi er imot anbudsutsetting av arbeidsmarkedstiltak.»" in out
    assert "reported, NHO says" in out
    assert "seeds/tf.txt:5-6" in out


def test_the_older_positional_form_still_prints_stubs(cli, mini):
    result = cli("suggest", "anbud", "--doc", "tf-2020", "--data", str(mini), "-n", "1")
    assert result.exit_code == 0
    (position,) = yaml.safe_load(result.stdout)
    assert position["issue"] == "anbud" and position["quotes"] == ["Vi er imot anbudsutsetting av arbeidsmarkedstiltak."]


def test_issue_and_document_may_be_named_loosely(cli, mini):
    result = cli("suggest", "--issue", "Anbud på arbeidsmarkedstiltak", "--doc", "Høringssvar: test",
                 "--data", str(mini))
    assert result.exit_code == 0, result.stderr
    assert tsv_rows(result.stdout)[0][0] == "anbud"


def test_suggest_changes_no_file(cli, mini):
    before = mini.read_bytes()
    cli("suggest", "--doc", "tf-2020", "--data", str(mini), "--yaml")
    assert mini.read_bytes() == before


def test_yaml_stubs_paste_as_positions_but_do_not_validate_unconfirmed(cli, mini):
    result = cli("suggest", "--doc", "tf-2020", "--data", str(mini), "--yaml", "-n", "1")
    assert result.exit_code == 0, result.stderr
    (position,) = yaml.safe_load(result.stdout)
    assert position["issue"] == "anbud" and position["document"] == "tf-2020"
    assert position["stance"] == "TODO" and "proposed: against" in result.stdout
    assert read_source(mini.parent.parent / "seeds" / "tf.txt").find(position["quotes"][0])
    pasted = YAML.replace("\nnot_addressed:\n", "\n" + result.stdout.split("\n- issue:", 1)[1].join(["- issue:", ""])
                          + "\nnot_addressed:\n")
    mini.write_text(pasted, encoding="utf-8")
    checked = cli("validate", "--data", str(mini))
    assert checked.exit_code == 2
    assert "'TODO' is not one of strongly-for, for, mixed, against, strongly-against" in checked.stderr


UNCODED = YAML[:YAML.index("positions:")] + "positions: []\n\nnot_addressed:\n  tf-2020: []\n"


@pytest.mark.parametrize("args, named", [((), "any of the issues"), (("-i", "anbud"), "'anbud'")])
def test_no_passage_exits_1_like_grep(cli, tmp_path, args, named):
    path = minidata.make(tmp_path, UNCODED, source="Høringssvar.\n\nVi har ingen merknader til saken.\n")
    result = cli("suggest", "--doc", "tf-2020", "--data", str(path), *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"stancecli: no passage in tf-2020 names {named}\n"


def test_without_a_document(cli, mini):
    result = cli("suggest", "--data", str(mini))
    assert result.exit_code == 2
    assert "--doc" in result.stderr


def test_unknown_issue(cli, mini):
    result = cli("suggest", "--issue", "anbudd", "--doc", "tf-2020", "--data", str(mini))
    assert result.exit_code == 2
    assert result.stderr.startswith("stancecli: unknown issue 'anbudd'; did you mean anbud")


def test_unknown_document(cli, mini):
    result = cli("suggest", "--doc", "tf-2099", "--data", str(mini))
    assert result.exit_code == 2
    assert result.stderr.startswith("stancecli: unknown document 'tf-2099'; did you mean tf-2020")


def test_unreadable_source_is_named_without_escape_sequences(cli, tmp_path):
    path = minidata.make(tmp_path, YAML.replace("../seeds/tf.txt", '"../seeds/\\e[31mgone.txt"'))
    result = cli("suggest", "--doc", "tf-2020", "--data", str(path))
    assert result.exit_code == 2
    message = result.stderr.splitlines()[-1]
    assert "\x1b" not in message and message.endswith("seeds/\\x1b[31mgone.txt: source file not found")


@pytest.mark.parametrize("text", ['Sier "nei" til \\ anbud', "tab\there", "esc \x1b[31m", "bidi \u202e x", "«NAV»"])
def test_quotes_are_yaml_that_reads_back_exactly(text):
    assert yaml.safe_load(yaml_quote(text)) == text
    assert "\x1b" not in yaml_quote(text) and "\u202e" not in yaml_quote(text)
