"""Stance proposals with evidence for a document, and position stubs to paste.

`propose` gives, per issue, a proposed stance (or not-addressed) with a confidence,
the document's own sentences that carry it and the views of other actors it
reports. Proposals are for a person to confirm; nothing here writes the dataset.
"""

from stancecli.suggest.propose import Candidate, Proposal, Proposer, issue_terms, propose
from stancecli.suggest.stubs import stub, yaml_quote
from stancecli.suggest.text import sentence_spans

__all__ = ["Candidate", "Proposal", "Proposer", "issue_terms", "propose", "sentence_spans", "stub", "yaml_quote"]
