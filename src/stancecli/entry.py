"""The console script: Ctrl-C and a closed pipe end quietly, even while the CLI is still importing."""

from __future__ import annotations

import os
import sys


def main() -> None:
    try:
        from stancecli.cli.app import app_for

        app_for(sys.argv[1:])()
    except BrokenPipeError:
        # The reader (head, less) went away: end quietly, like grep does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
