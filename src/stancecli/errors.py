"""One hierarchy for every failure a user can cause; the CLI turns it into exit codes in one place.

Messages speak of data (issues, documents, files), never of command-line flags: the library is
used without the CLI too.
"""

from __future__ import annotations

# Exit statuses, as grep uses them.
EXIT_OK = 0
EXIT_NO_RESULTS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


class StanceError(Exception):
    """Base of every expected failure: a one-line message and the exit status it ends with."""

    exit_status = EXIT_ERROR


class NoResults(StanceError):
    """Nothing matched: not an error, but the command ends with status 1 (like grep)."""

    exit_status = EXIT_NO_RESULTS


class DataProblemError(StanceError):
    """The dataset file cannot be used (the base of loading.DataError)."""


class NameError_(StanceError):
    """A name (issue, organisation, document) that resolves to nothing."""


class SourceProblem(StanceError):
    """A source file that cannot be read as text."""


class SearchProblem(StanceError):
    """A search that cannot run (bad query, unreadable paths, damaged index)."""


class CurationProblem(StanceError):
    """A change to the dataset that cannot be made as asked (nothing was changed)."""


class AnalysisProblem(StanceError):
    """An analysis that cannot be computed from what was asked (e.g. an unknown grouping)."""


class DatasetInvalid(DataProblemError):
    """`validate` found errors (already listed one per line): exit 2 with nothing more to say."""


class CacheUnavailable(OSError):
    """No safe cache directory: none can be derived, or it is open to other users.

    An OSError, not a StanceError: a command goes on without its cache."""
