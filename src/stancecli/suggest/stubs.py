"""Position stubs to paste under `positions:` and the YAML quoting they need."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stancecli.model import STANCES

if TYPE_CHECKING:
    from stancecli.suggest.propose import Candidate, Proposal

def stub(cand: Candidate, issue_key: str, doc_id: str, proposal: Proposal | None = None) -> str:
    """A position ready to paste under `positions:`; stance and summary are left to decide.

    The proposed stance, if any, is only a comment: an unconfirmed proposal must not validate.
    """
    hint = f"proposed: {proposal.stance}, confidence {proposal.confidence:.2f}; " if proposal else ""
    return "\n".join([
        f"- issue: {issue_key}",
        f"  document: {doc_id}",
        f"  stance: TODO  # {hint}{' | '.join(STANCES)}",
        "  summary:",
        '    nb: ""',
        '    en: ""',
        "  quotes:",
        f"  - {yaml_quote(cand.quote)}",
    ])


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
# Backslash, double quote, C0/C1 controls, line separators, BOM and bidi controls.
_NEEDS_ESCAPE = re.compile("[\\\\\"\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff"
                           "\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]")


def yaml_quote(text: str) -> str:
    """A double-quoted YAML scalar: control and bidi characters escaped, never raw."""
    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        if ch in _ESCAPES:
            return _ESCAPES[ch]
        return f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"

    return '"' + _NEEDS_ESCAPE.sub(escape, text) + '"'

