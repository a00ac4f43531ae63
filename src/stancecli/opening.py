"""Opening a dataset for reading: loaded, validated, quotes located; from the snapshot when fresh.

One core call, so the CLI, tests and other programs get the same dataset the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from stancecli.model import Dataset


@dataclass
class Opened:
    dataset: Dataset
    # One line per source whose quotes could not be found, naming the source and the cause.
    warnings: list[str] = field(default_factory=list)


def open_dataset(path: Path) -> Opened:
    """The dataset at `path` with every quote's line span resolved (None where not found)."""
    from stancecli import cache

    dataset = cache.load(path)
    if dataset is None:
        from stancecli.corpus import Sources
        from stancecli.loading import load_or_fail
        from stancecli.queries import locate

        dataset = load_or_fail(path)
        sources = Sources()
        for position in dataset.positions:
            locate(dataset, position, sources)
        cache.store(path, dataset)
    return Opened(dataset, unlocated_warnings(dataset))


def unlocated_warnings(ds: Dataset) -> list[str]:
    """'N quote(s) not found in SOURCE: cause' for each source with quotes that were not found."""
    missing: Counter[str] = Counter()
    for p in ds.positions:
        missing[p.source_document] += sum(q.span is None for q in p.quotes)
    out = []
    for doc_id, count in sorted(missing.items()):
        if not count or doc_id not in ds.documents:
            continue
        doc = ds.documents[doc_id]
        out.append(f"{count} quote(s) of {doc_id} not found in {doc.source}: {_cause(doc.path)}")
    return out


def _cause(path: Path) -> str:
    from stancecli.corpus import SourceError, read_source

    try:
        read_source(path)
    except SourceError as exc:
        return str(exc)
    return "the source no longer holds them (run 'stancecli validate')"
