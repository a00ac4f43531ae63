"""Opening a dataset for reading: loaded, validated, quotes located; from the snapshot when fresh.

One core call, so the CLI, tests and other programs get the same dataset the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from stancecli.model import Dataset

if TYPE_CHECKING:
    from stancecli.validation import Report

# The counts of a validation report, kept with the snapshot beside its problems.
REPORT_COUNTS = ("quotes", "quotes_located", "pairs_total", "pairs_decided")


@dataclass
class Opened:
    """A dataset opened for reading, with what went wrong locating its quotes."""

    dataset: Dataset
    # One line per source whose quotes could not be found, naming the source and the cause.
    warnings: list[str] = field(default_factory=list)


def open_dataset(path: Path) -> Opened:
    """The dataset at `path` with every quote's line span resolved (None where not found)."""
    from stancecli import cache

    dataset = cache.load(path)
    if dataset is None:
        from stancecli.loading import collector_paused, load_or_fail

        with collector_paused():
            stamps = cache.Stamps(path)
            dataset = load_or_fail(path)
            stamps.add_sources(dataset)
            _locate_all(dataset)
            cache.store(path, dataset, stamps)
    return Opened(dataset, unlocated_warnings(dataset))


def validate_dataset(path: Path) -> Report:
    """Every check of the dataset at `path`. A validation that finds no error is kept with the
    snapshot, and given again as long as neither the dataset nor any source has changed."""
    import dataclasses

    from stancecli import cache
    from stancecli.loading import Problem, collector_paused
    from stancecli.validation import Report, validate_path

    context = _validation_context(path)
    kept = cache.load_validated(path)
    if kept is not None and kept[1].get("context") == context:
        dataset, counts, problems = kept
        try:
            return Report(dataset, [Problem(*row) for row in problems],
                          **{name: int(counts[name]) for name in REPORT_COUNTS})
        except (TypeError, KeyError, ValueError):
            pass  # kept by another edition of the report: validate again
    with collector_paused():
        stamps = cache.Stamps(path)
        report = validate_path(path, stamps)
        if report.ok and report.dataset is not None:
            _locate_all(report.dataset)  # the quotes validation could not read stay unfound, as on reading
            cache.store(path, report.dataset, stamps, {
                "counts": {"context": context, **{name: getattr(report, name) for name in REPORT_COUNTS}},
                "problems": [dataclasses.astuple(problem) for problem in report.problems],
            })
    return report


def _validation_context(path: Path) -> list[str]:
    """What a validation's findings depend on besides the files: the messages name files as seen
    from the working folder, and the folder sources may lie in can be set in the environment."""
    import os

    from stancecli.datapath import ENV_SOURCE_ROOT

    return [os.getcwd(), str(path), os.environ.get(ENV_SOURCE_ROOT, "")]


def _locate_all(dataset: Dataset) -> None:
    from stancecli.corpus import Sources
    from stancecli.queries import locate

    sources = Sources()
    for position in dataset.positions:
        locate(dataset, position, sources)


def unlocated_warnings(ds: Dataset) -> list[str]:
    """'N quote(s) not found in SOURCE: cause' for each source with quotes that were not found."""
    from stancecli.cache import missing_quotes

    missing = missing_quotes(ds)
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
