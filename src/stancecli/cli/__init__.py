"""The Typer command line: one module per command, on top of the stancecli library."""
