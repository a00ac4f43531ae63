"""`code DOC`: one key per decision, each written at once; scripted with --keys, and in a real terminal."""

from __future__ import annotations

import codecs
import os
import pty
import re
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from minidata import make
from stancecli.loading import load_or_fail
from stancecli.validation import validate_path
from test_coding import CODING_YAML, QUOTE, fake_propose

SECOND = "Anbud gir dårligere kvalitet for brukerne."


@pytest.fixture
def data(tmp_path) -> Path:
    return make(tmp_path, CODING_YAML)


@pytest.fixture
def coded(cli, data, tmp_path, monkeypatch):
    """Run `code tf-2020` on the fixture with the given key lines (the proposals are a fake's)."""
    monkeypatch.setattr("stancecli.suggest.propose", fake_propose, raising=False)

    def run(*lines: str):
        keys = tmp_path / "keys.txt"
        keys.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        return cli("code", "tf-2020", "--data", str(data), "--keys", str(keys))

    return run


def own(path: Path, issue: str):
    return [p for p in load_or_fail(path).positions if p.issue == issue and p.document == "tf-2020"]


def test_without_a_terminal_or_keys_it_refuses_and_changes_nothing(cli, data):
    before = data.read_bytes()
    result = cli("code", "tf-2020", "--data", str(data))
    assert result.exit_code == 2
    assert "terminal" in result.stderr and "--keys" in result.stderr
    assert data.read_bytes() == before


def test_a_scripted_session_writes_exactly_the_decisions_made(cli, coded, data):
    # utbytte: not addressed; anbud: accept the proposed 'against' with a summary of one's own.
    result = coded("n", "", "Testforbundet er imot anbud.")
    assert result.exit_code == 0, result.output
    assert load_or_fail(data).not_addressed["tf-2020"] == ["utbytte"]
    [anbud] = own(data, "anbud")
    assert (anbud.stance, [q.text for q in anbud.quotes]) == ("against", [QUOTE])
    assert (anbud.summary.nb, anbud.summary.en) == ("Testforbundet er imot anbud.", "")
    assert cli("validate", "--data", str(data)).exit_code == 0


def test_a_norwegian_only_summary_is_shown_marked_under_lang_en(cli, coded, data):
    coded("n", "", "Testforbundet er imot anbud.")
    result = cli("compare", "anbud", "--data", str(data), "--lang", "en")
    assert "[nb] Testforbundet er imot anbud." in result.stdout
    assert "Testforbundet wants more in-house work." in cli("compare", "egenregi", "--data", str(data),
                                                            "--lang", "en").stdout


def test_changing_the_label_and_the_quote_writes_the_choice_not_the_proposal(coded, data):
    result = coded("s", "F", "2", "y", "")  # skip utbytte; anbud strongly-for with quote 2, default summary
    assert result.exit_code == 0, result.output
    [anbud] = own(data, "anbud")
    assert (anbud.stance, [q.text for q in anbud.quotes]) == ("strongly-for", [SECOND])
    assert anbud.summary.nb == f"TF: «{SECOND}»"
    assert load_or_fail(data).undecided_issues("tf-2020") == ["utbytte"]
    assert "resume: stancecli code tf-2020" in result.stdout


def test_a_position_may_quote_more_than_one_candidate(coded, data):
    result = coded("s", "+", "", "")
    assert result.exit_code == 0, result.output
    [anbud] = own(data, "anbud")
    assert [q.text for q in anbud.quotes] == [QUOTE, SECOND]
    assert anbud.summary.nb == f"TF: «{QUOTE}»"


def test_terminal_sequences_in_a_keys_file_are_shown_escaped_and_never_written(coded, data):
    result = coded("x\x1b[2Jy", "n", "", "Imot \x1b[31manbud\x1b[0m \u202eher.")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "'x\\x1b[2Jy' is not a key here" in result.stdout
    [anbud] = own(data, "anbud")
    assert anbud.summary.nb == "Imot anbud her."


def test_quit_keeps_what_was_written_and_the_next_session_resumes(cli, coded, data):
    coded("n", "q")
    result = coded("q")
    assert "1 undecided codebook issue(s)" in result.stdout
    assert "── 1/1 · anbud" in result.stdout
    assert load_or_fail(data).not_addressed["tf-2020"] == ["utbytte"]


def test_proposals_that_nobody_confirmed_are_never_written(coded, data):
    before = data.read_bytes()
    result = coded("s", "m", "o")  # skip, change label and quote, then the keys run out
    assert result.exit_code == 0
    assert "proposal: confirm or change" in result.stdout
    assert data.read_bytes() == before


def test_a_position_needs_a_quote_so_accept_without_one_asks_again(coded, data):
    result = coded("f", "", "s", "s")  # utbytte has no candidate quote
    assert "no candidate quote backs a position" in result.stdout
    assert load_or_fail(data).undecided_issues("tf-2020") == ["utbytte", "anbud"]


def test_help_and_unknown_keys_explain_themselves(coded):
    result = coded("?", "x", "q")
    assert "not addressed by the document" in result.stdout
    assert "'x' is not a key here" in result.stdout


def test_help_lists_one_key_per_line(coded):
    lines = coded("?", "q").stdout.splitlines()
    assert "  n          not addressed by the document (written at once)" in lines
    assert "  q          quit (what is written stays written)" in lines


def test_the_commands_suggested_at_the_end_name_the_dataset_given(coded, data):
    result = coded("s", "q")
    assert f"resume: stancecli code tf-2020 --data {data}" in result.stdout
    assert f"check: stancecli validate --data {data}" in result.stdout


def test_a_quote_typed_by_the_person_backs_a_position_where_the_proposer_found_none(cli, coded, data):
    # utbytte has no candidate quote: type one (as laid out in the source: hyphenated across lines).
    result = coded("t", "Vi er imot anbudsutsetting av arbeidsmarkeds-tiltak.", "a", "", "TF er imot.", "n")
    assert result.exit_code == 0, result.output
    [utbytte] = own(data, "utbytte")
    assert (utbytte.stance, [q.text for q in utbytte.quotes]) == (
        "against", ["Vi er imot anbudsutsetting av arbeidsmarkeds-tiltak."])
    assert cli("validate", "--data", str(data)).exit_code == 0


def test_a_typed_quote_the_document_does_not_hold_is_refused(coded, data):
    before = data.read_bytes()
    result = coded("t", "Vi elsker anbud.", "f", "", "q")
    assert "«Vi elsker anbud.» is not in ../seeds/tf.txt word for word" in result.stdout
    assert "no candidate quote backs a position here: t to type one" in result.stdout
    assert data.read_bytes() == before


def test_the_bundled_dataset_of_an_installed_package_is_not_coded(coded, data, tmp_path, monkeypatch):
    monkeypatch.setattr("stancecli.adding.BUNDLED", tmp_path)
    before = data.read_bytes()
    result = coded("n", "", "TF er imot anbud.")
    assert result.exit_code == 2 and "--data PATH" in result.stderr
    assert "proposing" not in result.stdout
    assert data.read_bytes() == before


def test_an_unreadable_keys_file_is_a_clear_error(cli, data, tmp_path):
    result = cli("code", "tf-2020", "--data", str(data), "--keys", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2 and "cannot read the keys" in result.stderr


def test_unknown_document_and_fully_decided_document(cli, coded, data):
    result = coded()
    assert result.exit_code == 0
    unknown = cli("code", "tf-2021", "--data", str(data), "--keys", "-")
    assert unknown.exit_code == 2 and "tf-2020" in unknown.stderr
    coded("n", "", "Imot anbud.")
    done = coded()
    assert done.exit_code == 0 and "every codebook issue is decided" in done.stdout


# ---------------------------------------------------------------- a real terminal, the real proposer

PROMPT_WAIT = 30.0  # seconds: a guard against a hung child, never a measure of speed
CTRL_C_PATIENCE = 5.0  # seconds before Ctrl-C is pressed a second time


class Terminal:
    """A child process on a pseudo-terminal; waits for text, never sleeps."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        self.seen = ""
        # A character may arrive split across two reads: decode the stream, not each read.
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def expect(self, text: str) -> str:
        deadline = time.monotonic() + PROMPT_WAIT
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} in:\n{self.seen}"
            if select.select([self.fd], [], [], left)[0]:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                assert chunk, f"the program ended before {text!r}:\n{self.seen}"
                self.seen += self.decoder.decode(chunk)
        found, self.seen = self.seen.split(text, 1)[0] + text, self.seen.split(text, 1)[1]
        return found

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode("utf-8"))

    def ends_within(self, seconds: float) -> bool:
        """Whether the child closes the terminal (ends) within `seconds`, reading what it writes."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if select.select([self.fd], [], [], left)[0]:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    return True
                if not chunk:
                    return True
                self.seen += self.decoder.decode(chunk)
        return False

    def close(self) -> int:
        """The exit status; a child still running after PROMPT_WAIT is killed (the test fails)."""
        deadline = time.monotonic() + PROMPT_WAIT
        try:
            while select.select([self.fd], [], [], max(deadline - time.monotonic(), 0))[0]:
                chunk = os.read(self.fd, 4096)
                if not chunk:
                    break
                self.seen += self.decoder.decode(chunk)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except OSError:  # the child closed the terminal: it has ended
            pass
        os.close(self.fd)
        return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])


def coding_session(data, tmp_path) -> Terminal:
    """`stancecli code tf-2020` started in a pseudo-terminal, with a cache of its own."""
    env = {**os.environ, "STANCECLI_CACHE_DIR": str(tmp_path / "cache"), "TERM": "dumb", "PYTHONUTF8": "1"}
    return Terminal([sys.executable, "-m", "stancecli", "code", "tf-2020", "--data", str(data)], env)


def test_a_session_in_a_real_terminal(data, tmp_path):
    term = coding_session(data, tmp_path)
    try:
        term.expect("1/2 · utbytte")
        term.expect("decide [")
        term.send("n")  # not addressed: written at once
        term.expect("wrote utbytte")
        screen = term.expect("decide [")
        assert "2/2 · anbud" in screen and "proposal: confirm or change" in screen
        shown = re.findall(r"1  line [\d-]+  «(.+?)»", screen.replace("\r", ""))
        term.send("a")  # against, whatever was proposed
        term.expect("decide [")
        term.send("\r")
        term.expect("Summary in Norwegian")
        term.expect("»")  # the default summary, drawn once the line editor is ready
        term.send("\x15Testforbundet er imot anbud.\r")  # Ctrl-U clears the default, then a summary
        term.expect("wrote anbud")
    finally:
        status = term.close()
    assert status == 0
    [anbud] = own(data, "anbud")
    assert anbud.stance == "against" and anbud.summary.nb == "Testforbundet er imot anbud."
    assert [q.text for q in anbud.quotes] == [" ".join(shown[0].split())]
    after = load_or_fail(data)
    assert [(p.issue, p.document) for p in after.positions] == [("egenregi", "tf-2020"), ("anbud", "tf-2020")]
    assert after.not_addressed == {"tf-2020": ["utbytte"]}
    assert validate_path(data).errors == []


def test_ctrl_c_in_a_session_ends_quietly_and_keeps_what_was_written(data, tmp_path):
    term = coding_session(data, tmp_path)
    try:
        term.expect("decide [")
        term.send("n")
        term.expect("wrote utbytte")
        term.expect("decide [")
        written = data.read_bytes()
        term.send("\x03")
        if not term.ends_within(CTRL_C_PATIENCE):  # on a very busy machine: as a user would, press it again
            term.send("\x03")
    finally:
        status = term.close()
    assert status == 130
    assert "Traceback" not in term.seen
    assert data.read_bytes() == written


# ---------------------------------------------------------------- views the document reports of others

REPORTED = "NHO mener at anbud gir bedre tiltak."
NHO = "- id: nho\n  name: Næringslivets Hovedorganisasjon\n  short: NHO\n  kind: employer-organisation\n"


@pytest.fixture
def reporting(cli, tmp_path, monkeypatch):
    """Run `code tf-2020` on a response that reports NHO's view on anbud (with the given key lines)."""
    from minidata import SOURCE
    from test_coding import FakeCandidate, FakeProposal

    data = make(tmp_path, CODING_YAML.replace("\ndocuments:\n", NHO + "\ndocuments:\n", 1),
                SOURCE + "\n" + REPORTED + "\n")

    def propose(ds, doc_id, source, issues=None, limit=3):
        view = FakeCandidate(REPORTED, 8, 8, speaker="NHO")
        view.speaker_ids, view.stance = list(run.speaker_ids), "for"  # type: ignore[attr-defined]
        out = {"utbytte": FakeProposal("utbytte", "not-addressed", 0.6, []),
               "anbud": FakeProposal("anbud", "against", 0.8, [FakeCandidate(QUOTE, 3, 4)], [view])}
        return [out[k] for k in issues or out]

    monkeypatch.setattr("stancecli.suggest.propose", propose, raising=False)

    def run(*lines: str):
        keys = tmp_path / "keys.txt"
        keys.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        return cli("code", "tf-2020", "--data", str(data), "--keys", str(keys))

    run.data = data  # type: ignore[attr-defined]
    run.speaker_ids = ["nho"]  # type: ignore[attr-defined]  # the organisations the proposer saw speak
    return run


def test_a_reported_view_is_recorded_as_that_organisations_position_and_the_own_one_is_still_decided(cli, reporting):
    result = reporting("n", "r", "m", "", "", "TF er imot anbud.")
    assert result.exit_code == 0, result.output
    assert "r1 [NHO] line 8" in result.stdout
    ds = load_or_fail(reporting.data)
    [nho] = [p for p in ds.positions if p.organisation == "nho"]
    assert (nho.issue, nho.reported_by, nho.stance) == ("anbud", "tf-2020", "mixed")
    assert [(q.text, q.speaker) for q in nho.quotes] == [(REPORTED, "NHO")]
    assert nho.summary.nb == f"Ifølge TF: «{REPORTED}»"
    [anbud] = own(reporting.data, "anbud")
    assert (anbud.organisation, anbud.stance) == ("tf", "against")  # the document's own position, decided after
    assert "wrote 1 position(s), 1 reported view(s) of others and 1 not-addressed" in result.stdout
    assert cli("validate", "--data", str(reporting.data)).exit_code == 0


def test_a_reported_view_is_recorded_once(reporting):
    result = reporting("s", "r", "", "", "r", "", "", "q")  # Enter keeps the proposed 'for'
    assert "is already recorded; nothing was written" in result.stdout
    assert [p.stance for p in load_or_fail(reporting.data).positions if p.organisation == "nho"] == ["for"]


def test_a_reported_view_needs_a_stance_and_an_organisation_of_the_dataset(reporting):
    before = reporting.data.read_bytes()
    result = reporting("s", "r", "x", "q")  # 'x' is no stance key
    assert "no stance chosen; nothing was recorded" in result.stdout
    reporting.speaker_ids = []  # the proposer could not tell who speaks: the person is asked
    result = reporting("s", "r", "Arbeidsgiverforeningen", "q")
    assert "unknown organisation 'Arbeidsgiverforeningen'" in result.stdout and "nothing was recorded" in result.stdout
    result = reporting("s", "r", "tf", "q")
    assert "wrote tf-2020: its view is the document's own position; nothing was recorded" in result.stdout
    assert reporting.data.read_bytes() == before


def test_a_reported_view_typed_as_a_name_is_resolved(reporting):
    reporting.speaker_ids = []
    result = reporting("s", "r", "Næringslivets hovedorganisasjon", "a", "", "q")
    assert result.exit_code == 0, result.output
    assert [(p.organisation, p.stance) for p in load_or_fail(reporting.data).positions
            if p.reported_by == "tf-2020"] == [("nho", "against")]
