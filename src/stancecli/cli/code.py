"""`code DOC`: walk one document's undecided codebook issues and decide each with one key."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from stancecli.cli.common import DataOpt, DocArg, fail
from stancecli.cli.overview import summary

if TYPE_CHECKING:
    from stancecli.coding import Step
    from stancecli.corpus import Source
    from stancecli.model import Dataset, Document

HELP = summary("code") + """

For each issue not yet decided for the document, shows the proposed stance
(a proposal only: confirm or change it), its confidence, the candidate
quotes with their source lines, and what the document reports of others.
Each decision is written to the dataset at once (comments and order kept);
quit any time and run it again to resume. Skipped issues come back next time.

Keys:

  Enter, y   accept: write the position as shown (then a one-line summary)
  f  F       stance: for / strongly for
  m          stance: mixed
  a  A       stance: against / strongly against
  n          not addressed by the document (written at once)
  1-9  o     quote candidate N / the next one instead
  +          also quote the next candidate (up to three)
  t          type or paste a quote of your own (kept only if found verbatim)
  r          record a reported view (r1, r2 ...) as that organisation's position,
             reported by this document; then decide the document's own
  s          skip for now
  q          quit (what is written stays written)
  ?  h       this list

Without a terminal, give the keys in a file with --keys (one key per line,
an empty line is Enter; after an accepted position the next line is its
summary, empty keeps the default; what t and r ask for comes on the lines
after them); --keys - reads them from stdin.

Examples:

  stancecli code ntl-2015

  printf 'a\\ny\\n\\nn\\nq\\n' | stancecli code ntl-2015 --keys -
"""

STANCE_KEYS = {"F": "strongly-for", "f": "for", "m": "mixed", "a": "against", "A": "strongly-against"}
ACCEPT_KEYS = ("", "y", "\r", "\n")
QUIT_KEYS = ("q", "\x04")  # q, Ctrl-D
HELP_KEYS = ("?", "h")
PROMPT = "decide [Enter f F m a A n 1-9 o + t r s q ?]: "
TYPED_PROMPT = "quote> "
SUMMARY_HELP = ("Summary in Norwegian, one line, saying no more than the quote (keep its kan, bør, må); "
                "edit it, Enter keeps it:")
SUMMARY_PROMPT = "> "
ESCAPE = "\x1b"
QUOTE_WIDTH_MIN = 40
KEY_SHOWN_MAX = 60  # a garbage line in a keys file is shown this far, not in full


# ---------------------------------------------------------------- input

class TerminalInput:
    """Keys one at a time (the terminal in cbreak mode for the whole session), lines with readline."""

    def __init__(self) -> None:
        import termios

        self.fd = sys.stdin.fileno()
        self.saved = termios.tcgetattr(self.fd)
        self._cbreak()

    def _cbreak(self) -> None:
        import termios
        import tty

        tty.setcbreak(self.fd, termios.TCSANOW)  # TCSANOW: keys typed ahead are kept, not flushed

    def restore(self) -> None:
        import termios

        termios.tcsetattr(self.fd, termios.TCSANOW, self.saved)

    def key(self) -> str:
        key = self._read_key()
        shown = {"\r": "Enter", "\n": "Enter", "\x04": "", ESCAPE: ""}.get(key, key)
        sys.stdout.write(f"{shown}\n" if key.isprintable() or shown else "\n")
        return key

    def _read_key(self) -> str:
        first = os.read(self.fd, 1)
        if not first:
            return "\x04"
        if first == ESCAPE.encode():
            self._drain()  # an arrow or function key: not one of ours
            return ESCAPE
        data = first
        while len(data) < 4:  # the rest of a UTF-8 character
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                data += os.read(self.fd, 1)
        return data.decode("utf-8", "replace")

    def _drain(self) -> None:
        import select

        while select.select([self.fd], [], [], 0.05)[0]:
            if not os.read(self.fd, 64):
                return

    def line(self, prompt: str, default: str) -> str:
        """A line typed after the prompt, the default already in it for editing (where readline is)."""
        try:
            import readline
        except ImportError:
            readline = None  # type: ignore[assignment]
            prompt = f"{prompt}[{default}] "
        else:
            readline.set_startup_hook(lambda: readline.insert_text(default))
        self.restore()
        try:
            typed = input(prompt)
        except EOFError:
            typed = ""
        finally:
            if readline is not None:
                readline.set_startup_hook(None)
            self._cbreak()
        return typed.strip() or default


class ScriptedInput:
    """Keys from a file, one per line (an empty line is Enter); summaries as whole lines."""

    def __init__(self, stream: TextIO, out: TextIO) -> None:
        self.stream = stream
        self.out = out

    def _next(self) -> str | None:
        line = self.stream.readline()
        return None if line == "" else line.rstrip("\r\n")

    def key(self) -> str:
        line = self._next()
        if line is None:
            return "\x04"
        self.out.write(f"{_echo(_clip(line.strip(), KEY_SHOWN_MAX)) or 'Enter'}\n")
        return line.strip()

    def line(self, prompt: str, default: str) -> str:
        line = self._next()
        typed = (line or "").strip()
        self.out.write(f"{prompt}{_echo(typed or default)}\n")
        return typed or default


def _echo(line: str) -> str:
    """A line read from a keys file as it is shown: control characters as escapes (a keys file can
    hold ESC sequences that would otherwise drive the terminal)."""
    from stancecli.loading import printable

    return printable(line)


# ---------------------------------------------------------------- the session

@dataclass
class Tally:
    positions: int = 0
    absent: int = 0
    reported: int = 0  # views of other organisations the document reports (they decide nothing of its own)
    skipped: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.positions + self.absent


@dataclass
class Session:
    ds: Dataset
    doc: Document
    source: Source
    path: Path
    keys: TerminalInput | ScriptedInput
    out: TextIO
    data_flag: str = ""  # " --data PATH" when the dataset was named, for the commands suggested
    tally: Tally = field(default_factory=Tally)

    def say(self, text: str = "") -> None:
        from stancecli.loading import printable

        self.out.write(printable(text) + "\n")
        self.out.flush()

    def prompt(self) -> str:
        self.out.write(PROMPT)
        self.out.flush()
        return self.keys.key()

    def run(self, steps: list[Step]) -> None:
        for n, step in enumerate(steps, 1):
            if not self.decide(step, n, len(steps)):
                return

    def decide(self, step: Step, n: int, total: int) -> bool:
        """Show one issue and act on keys until it is decided or skipped; False to quit."""
        self.show(step, n, total)
        while True:
            key = self.prompt()
            if key in QUIT_KEYS:
                self.say("" if key == "\x04" else "quit")
                return False
            if key == "s":
                self.tally.skipped.append(step.issue)
                self.say(f"skipped {step.issue}: it comes back next session")
                return True
            if key in HELP_KEYS:
                for line in HELP.split("Keys:")[1].split("Without a terminal")[0].strip("\n").splitlines():
                    self.say(line)
                continue
            if key in ACCEPT_KEYS or key == "n":
                if key == "n":
                    from stancecli.model import ABSENT

                    step.stance = ABSENT
                if self.accept(step):
                    return True
                continue
            if not self.change(step, key):
                self.say(f"'{_clip(key, KEY_SHOWN_MAX)}' is not a key here; ? lists the keys")

    def change(self, step: Step, key: str) -> bool:
        """Change the stance or the chosen quote and show the change; False for a key that does neither."""
        if key in STANCE_KEYS:
            step.stance = STANCE_KEYS[key]
            self._chosen(step, pressed=True)
        elif key == "+":
            if step.cite_another():
                self._quotes(step, _width())
            else:
                self.say("no further candidate quote (a position quotes one to three)")
        elif key == "o":
            if step.next_quote():
                self._quotes(step, _width())
            else:
                self.say("no other candidate quote")
        elif key == "t":
            self._typed(step)
        elif key == "r":
            self._reported_view(step)
        elif key.isdigit() and key != "0":
            if step.choose(int(key)):
                self._quotes(step, _width())
            else:
                self.say(f"there is no candidate quote {key}")
        else:
            return False
        return True

    def _typed(self, step: Step) -> None:
        """Take a quote typed or pasted by the person: kept only if the source holds it verbatim."""
        from stancecli.coding import typed_quote
        from stancecli.model import ABSENT

        self.say("Type or paste the quote, words exactly as in the document (line breaks may differ):")
        text = self.keys.line(TYPED_PROMPT, "")
        found = typed_quote(self.source, text)
        if found is None:
            what = f"«{' '.join(text.split())}» is not" if text.strip() else "nothing was typed, so nothing is"
            self.say(f"{what} in {self.doc.source} word for word; the quotes are as they were")
            return
        step.add_typed(found)
        self._quotes(step, _width())
        if step.stance in (None, ABSENT):
            self.say("now choose the stance this quote carries (f F m a A), then Enter")

    def _reported_view(self, step: Step) -> None:
        """Record one of the views the document reports as that organisation's (reported) position."""
        from stancecli.coding import AlreadyDecided, Decision, default_summary

        views = step.reported
        if not views:
            self.say("no view of another actor is reported here")
            return
        view = views[0]
        if len(views) > 1:
            self.say(f"which reported view (1-{len(views)})?")
            choice = self.keys.key()
            if not (choice.isdigit() and 1 <= int(choice) <= len(views)):
                self.say("no such reported view; nothing was recorded")
                return
            view = views[int(choice) - 1]
        holder = self._holder(view)
        stance = self._reported_stance(view, holder) if holder else None
        if holder is None or stance is None:
            return
        org = self.ds.organisations.get(self.doc.organisation)
        self.say(SUMMARY_HELP)
        summary = self.keys.line(SUMMARY_PROMPT, default_summary(f"Ifølge {org.short if org else self.doc.id}",
                                                                  view.quote))
        decision = Decision(step.issue, stance, [view.quote], summary, holder=holder, speaker=view.speaker)
        try:
            line = self._write(decision)
        except AlreadyDecided as exc:
            self.say(f"not written: {exc}")
            return
        self.tally.reported += 1
        self.say(f"wrote {self._name(holder)}'s view on {step.issue}, reported by {self.doc.id}: {_label(stance)} "
                 f"({self._where()}:{line}); now decide {self.doc.id}'s own position")

    def _name(self, org_id: str) -> str:
        org = self.ds.organisations.get(org_id)
        return org.short if org else org_id

    def _holder(self, view) -> str | None:
        """The dataset's organisation whose view it is: the one the proposer named, else as typed."""
        from stancecli.names import UnknownName, resolve_org

        known = [o for o in getattr(view, "speaker_ids", [])
                 if o in self.ds.organisations and o != self.doc.organisation]
        if len(known) == 1:
            return known[0]
        self.say(f"whose view is it? an organisation of the dataset (id or name; '{view.speaker or ''}' is not "
                 "one by that name):")
        typed = self.keys.line("organisation> ", "")
        try:
            holder = resolve_org(self.ds, typed)
        except UnknownName as exc:
            self.say(f"{exc}; nothing was recorded (a new organisation is added under organisations: first)")
            return None
        if holder == self.doc.organisation:
            self.say(f"{self._name(holder)} wrote {self.doc.id}: its view is the document's own position; "
                     "nothing was recorded")
            return None
        return holder

    def _reported_stance(self, view, holder: str) -> str | None:
        proposed: str = getattr(view, "stance", None) or ""
        keep = f"; Enter keeps {_label(proposed)}" if proposed in STANCE_KEYS.values() else ""
        self.say(f"{self._name(holder)}'s stance as {self.doc.id} reports it [f F m a A{keep}]:")
        key = self.keys.key()
        if key in STANCE_KEYS:
            return STANCE_KEYS[key]
        if key in ACCEPT_KEYS and keep:
            return proposed
        self.say("no stance chosen; nothing was recorded")
        return None

    def accept(self, step: Step) -> bool:
        """Write the step's decision; False when there is nothing writable yet."""
        from stancecli.coding import AlreadyDecided, decision_for, default_summary
        from stancecli.model import ABSENT

        if step.stance is None:
            self.say("no stance proposed: choose one (f F m a A) or n for not addressed")
            return False
        if step.stance != ABSENT and step.quote is None:
            self.say("no candidate quote backs a position here: t to type one from the document, "
                     "n for not addressed, or s to skip")
            return False
        summary = ""
        if step.stance != ABSENT and step.quote is not None:
            org = self.ds.organisations.get(self.doc.organisation)
            default = default_summary(org.short if org else self.doc.organisation, step.quotes[0])
            self.say(SUMMARY_HELP)
            summary = self.keys.line(SUMMARY_PROMPT, default)
        decision = decision_for(step, summary)
        try:
            line = self._write(decision)
        except AlreadyDecided as exc:
            self.tally.refused.append(step.issue)
            self.say(f"not written: {exc}")
            return True
        self._count(decision)
        self.say(f"wrote {step.issue}: {_label(decision.stance)} ({self._where()}:{line})")
        return True

    def _write(self, decision) -> int:
        from stancecli.coding import record

        return record(self.path, self.doc.id, decision, self.source,
                      on_wait=lambda message: self.say(message))

    def _count(self, decision) -> None:
        if decision.addressed:
            self.tally.positions += 1
        else:
            self.tally.absent += 1

    def _where(self) -> str:
        from stancecli.loading import display_path

        return display_path(self.path)

    # ------------------------------------------------------------ showing

    def show(self, step: Step, n: int, total: int) -> None:
        issue = self.ds.issues[step.issue]
        width = _width()
        self.say("")
        head = f"── {n}/{total} · {step.issue} · {self.doc.id} "
        self.say(head + "─" * max(0, width - len(head)))
        self.say(issue.title.nb)
        self._wrapped(f"Proposal under consultation: {issue.proposal.nb}", width, "  ")
        self.say("")
        self._proposal(step)
        self._quotes(step, width)
        self._reported(step, width)

    def _proposal(self, step: Step) -> None:
        p = step.proposal
        if p is None:
            self.say("No proposal for this issue: choose a stance (f F m a A) or n for not addressed.")
        else:
            self.say(f"Proposed: {_label(p.stance)} · confidence {p.confidence:.2f} — proposal: confirm or change")
            for reason in p.reasons[:3]:
                self.say(f"  why: {reason}")
        self._chosen(step)

    def _chosen(self, step: Step, pressed: bool = False) -> None:
        """The stance Enter would write, once it differs from the proposal or a stance key was pressed."""
        if step.stance is None or not (pressed or step.changed):
            return
        how = "changed" if step.changed else "as proposed"
        self.say(f"Chosen:   {_label(step.stance)} ({how}; Enter writes it)")

    def _quotes(self, step: Step, width: int) -> None:
        if not step.candidates:
            self.say("No candidate quote in the document's own words.")
            return
        self.say("Candidate quotes (the document's own words; ▸ quoted):")
        for i, cand in enumerate(step.candidates, 1):
            mark = "▸" if i - 1 in step.cited else " "
            self._wrapped(f"{mark} {i}  line {_lines(cand.line, cand.end_line)}  «{cand.quote}»", width, "       ")
        chosen = step.quote
        if chosen is not None:
            from stancecli.coding import context

            self.say(f"  {self.doc.source} around quote {step.chosen + 1}:")
            for number, text, inside in context(self.source, chosen.line, chosen.end_line):
                self.say(f"  {'>' if inside else ' '} {number:>5} │ {_clip(text.rstrip(), width - 12)}")

    def _reported(self, step: Step, width: int) -> None:
        if not step.reported:
            return
        self.say(f"Reported views of others (context, not {self.doc.id}'s own position; r records one):")
        for n, cand in enumerate(step.reported, 1):
            who = cand.speaker or "another actor"
            self._wrapped(f"r{n} [{who}] line {_lines(cand.line, cand.end_line)}  «{cand.quote}»", width, "       ")

    def _wrapped(self, text: str, width: int, indent: str) -> None:
        for line in textwrap.wrap(text, max(width, QUOTE_WIDTH_MIN), subsequent_indent=indent) or [""]:
            self.say(line)

    def farewell(self, left: int) -> None:
        t = self.tally
        self.say("")
        reported = f", {t.reported} reported view(s) of others" if t.reported else ""
        self.say(f"{self.doc.id}: wrote {t.positions} position(s){reported} and {t.absent} not-addressed; "
                 f"skipped {len(t.skipped)}; {left} codebook issue(s) still undecided.")
        if t.refused:
            self.say(f"not written, decided meanwhile by another writer: {', '.join(t.refused)}")
        if left:
            self.say(f"resume: stancecli code {self.doc.id}{self.data_flag}")
        self.say(f"check: stancecli validate{self.data_flag}")


def _label(stance: str) -> str:
    from stancecli.model import ABSENT, ABSENT_SYMBOL, SYMBOLS

    return f"{ABSENT_SYMBOL} not addressed" if stance == ABSENT else f"{SYMBOLS[stance]} {stance}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _lines(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first}-{last}"


def _width() -> int:
    return min(shutil.get_terminal_size((100, 24)).columns, 120)


# ---------------------------------------------------------------- the command

def code(
    doc: DocArg,
    keys: Annotated[Path | None, typer.Option(
        "--keys", help="Read keys from this file (one per line; '-' for stdin) instead of the terminal.",
        show_default=False, allow_dash=True)] = None,
    data: DataOpt = None,
) -> None:
    from stancecli.cli.add_document import data_option, refuse_bundled_dataset
    from stancecli.coding import steps
    from stancecli.corpus import read_source
    from stancecli.datapath import resolve_data_path
    from stancecli.loading import load_or_fail
    from stancecli.names import resolve_doc

    if keys is None and not _stdin_is_terminal():
        fail("code reads one key at a time from a terminal, and stdin is not one; to script a "
             "session give --keys FILE (one key per line, '-' for stdin)")
    path = resolve_data_path(data)
    refuse_bundled_dataset(path)
    ds = load_or_fail(path)
    doc_id = resolve_doc(ds, doc)
    document = ds.documents[doc_id]
    source = read_source(document.path)
    undecided = ds.undecided_issues(doc_id)
    data_flag = data_option(data)
    if not undecided:
        print(f"{doc_id}: every codebook issue is decided; check with: stancecli validate{data_flag}")
        return
    print(f"{doc_id}: {len(undecided)} undecided codebook issue(s); proposing stances ...", flush=True)
    with _key_source(keys) as reader:
        session = Session(ds, document, source, path, reader, sys.stdout, data_flag)
        session.run(steps(ds, doc_id, source))
        session.farewell(len(undecided) - session.tally.written - len(session.tally.refused))


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


class _key_source:
    """The input of a session: the terminal, or a keys file (closed afterwards)."""

    def __init__(self, keys: Path | None) -> None:
        self.keys = keys
        self.handle: TextIO | None = None
        self.terminal: TerminalInput | None = None

    def __enter__(self) -> TerminalInput | ScriptedInput:
        if self.keys is None:
            self.terminal = TerminalInput()
            return self.terminal
        if str(self.keys) == "-":
            return ScriptedInput(sys.stdin, sys.stdout)
        try:
            self.handle = open(self.keys, encoding="utf-8", errors="replace")
        except OSError as exc:
            fail(f"{self.keys}: cannot read the keys ({exc.strerror or exc})")
        return ScriptedInput(self.handle, sys.stdout)

    def __exit__(self, *exc: object) -> None:
        if self.terminal is not None:
            self.terminal.restore()
        if self.handle is not None:
            self.handle.close()


def register(app: typer.Typer) -> None:
    app.command("code", help=HELP)(code)
