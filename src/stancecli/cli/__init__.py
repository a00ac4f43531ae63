"""The Typer command line: one module per command, on top of the stancecli library."""


def completing() -> bool:
    """Whether the shell asked for completions (click sets _<PROG>_COMPLETE)."""
    import os

    return any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ)
