"""`stancecli validate`: every check of the dataset, the problems on stderr and a summary."""

from __future__ import annotations

import sys
from pathlib import Path

from stancecli.cli.direct import DATA, FLAG, Param

PARAMS = (
    DATA,
    Param("warnings", "--warnings", kind=FLAG, off=("--no-warnings",), default=True),
)


def validate(data: Path | None, warnings: bool) -> None:
    from stancecli.datapath import display_path, resolve_data_path
    from stancecli.opening import validate_dataset

    path = resolve_data_path(data)
    report = validate_dataset(path)
    shown = report.problems if warnings else report.errors
    for problem in shown:
        sys.stderr.write(f"{problem}\n")
    ds = report.dataset
    assert ds is not None  # validate_path raises DataError when the file cannot be read at all
    summary = (
        f"{display_path(path)}: {len(ds.organisations)} organisations, {len(ds.documents)} documents, "
        f"{len(ds.issues)} issues ({sum(i.codebook for i in ds.issues.values())} codebook), "
        f"{len(ds.positions)} positions ({sum(p.is_reported for p in ds.positions)} reported); "
        f"quotes located {report.quotes_located}/{report.quotes}; "
        f"codebook pairs decided {report.pairs_decided}/{report.pairs_total}; "
        f"{len(report.errors)} errors, {len(report.warnings)} warnings"
    )
    print(summary)
    if not report.ok:
        from stancecli.errors import DatasetInvalid

        raise DatasetInvalid()
