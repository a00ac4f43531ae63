"""Everyday command lines of the read commands, run without importing Typer.

Importing Typer and building a command costs more than most read commands do themselves (about
two thirds of a `stancecli matrix` in a pipe). The commands below keep their bodies here, free of
Typer; their Typer commands (cli/<command>.py) call the same bodies. The console script first
offers a command line to `run`, which parses it with the command's `PARAMS` and runs the body; a
line it does not fully understand (help, an unknown or misspelt option, a value out of range, a
missing argument, anything click would read differently) goes to Typer unchanged, which answers
as it always has. tests/test_cli_direct.py holds every command's PARAMS to its Typer command: the
same arguments reach the body both ways, and where Typer refuses a line, this parser leaves it.

Only the subset of click's syntax listed in `parse` is understood.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from stancecli.cli.plain import LANG_ENV, Color, Format, Lang

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import Any

# command -> (module under stancecli.cli.direct, body function)
COMMANDS: dict[str, tuple[str, str]] = {
    "search": ("search", "search"),
    "matrix": ("matrix", "matrix"),
    "compare": ("compare", "compare"),
    "who-supports": ("sides", "who_supports"),
    "who-opposes": ("sides", "who_opposes"),
    "validate": ("validate", "validate"),
}

TEXT, INT, FLOAT, PATH, FLAG, CHOICE = "text", "int", "float", "path", "flag", "choice"
_DIGITS = frozenset("0123456789")
MAX_DIGITS = 18  # longer numbers go to Typer (Python's int() refuses over 4,300 digits)


class Param:
    """One argument (no flags) or option of a command, as Typer declares it."""

    __slots__ = ("dest", "flags", "kind", "default", "many", "required", "low", "high", "choices", "off",
                 "envvar")

    def __init__(self, dest: str, *flags: str, kind: str = TEXT, default: Any = None, many: bool = False,
                 required: bool = False, low: float | None = None, high: float | None = None,
                 choices: type[Enum] | None = None, off: tuple[str, ...] = (), envvar: str | None = None):
        self.dest, self.flags, self.kind, self.default, self.many = dest, flags, kind, default, many
        self.required, self.low, self.high, self.choices = required, low, high, choices
        self.off, self.envvar = off, envvar

    def __repr__(self) -> str:
        return f"Param({self.dest!r}, {', '.join(map(repr, self.flags))})"


# --data, --format, --color and --lang, as cli.common's DataOpt, FormatOpt, ColorOpt and LangOpt.
DATA = Param("data", "--data", kind=PATH)
FORMAT = Param("fmt", "--format", "-f", kind=CHOICE, choices=Format)
COLOR = Param("color", "--color", kind=CHOICE, choices=Color, default=Color.auto)
LANG = Param("lang", "--lang", kind=CHOICE, choices=Lang, default=Lang.nb, envvar=LANG_ENV)


class Refused(Exception):
    """The command line is not one this parser is sure of: Typer gets it."""


def run(argv: Sequence[str]) -> int | None:
    """Run a command line that names a direct command and parses here; its exit status.
    None when the line is Typer's to run."""
    target = COMMANDS.get(argv[0]) if argv else None
    if target is None:
        return None
    module = importlib.import_module(f"stancecli.cli.direct.{target[0]}")
    try:
        kwargs = parse(argv[1:], module.PARAMS)
    except Refused:
        return None
    from stancecli.cli.failure import settle

    try:
        getattr(module, target[1])(**kwargs)
        sys.stdout.flush()  # a closed pipe shows here, inside the one place that handles it
    except BaseException as exc:  # noqa: B036 - SystemExit passes; the rest are decided in settle
        if isinstance(exc, SystemExit):
            raise
        return settle(exc, argv[0])
    return 0


def parse(args: Sequence[str], params: Sequence[Param]) -> dict[str, Any]:
    """The body's keyword arguments for `args` (what follows the command's name), as Typer would
    pass them. Understood: `--name value`, `--name=value`, `-x value`, `-xvalue`, flags and their
    `--no-` forms, repeated options, arguments anywhere, and `--`. Raises Refused for anything
    else, and for every value it does not accept as plainly as click does."""
    by_flag = {flag: p for p in params for flag in p.flags}
    off = {flag: p for p in params for flag in p.off}
    values: dict[str, Any] = {}
    positional: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            positional += rest
        elif not arg.startswith("-") or arg == "-":
            positional.append(arg)
        else:
            name, value = arg.partition("=")[::2] if arg.startswith("--") else (arg[:2], arg[2:])
            attached = value or "=" in arg
            if name in off and not attached:
                values[off[name].dest] = False
                continue
            param = by_flag.get(name)
            if param is None:
                raise Refused
            if param.kind == FLAG:
                if attached:
                    raise Refused
                values[param.dest] = True
                continue
            if not attached:
                value = next(rest, "")
            if not value or value.startswith("-"):
                raise Refused  # missing, or click would read it differently than it looks
            converted = _convert(param, value)
            if param.many:
                values.setdefault(param.dest, []).append(converted)
            else:
                values[param.dest] = converted
    _place(positional, [p for p in params if not p.flags], values)
    for param in params:
        if param.dest not in values:
            values[param.dest] = _unset(param)
    return values


def _place(positional: list[str], arguments: list[Param], values: dict[str, Any]) -> None:
    """Hand the positional words to the arguments in order; one argument may take the rest."""
    for i, param in enumerate(arguments):
        if param.many:
            after = len(arguments) - i - 1
            taken, positional = positional[:len(positional) - after], positional[len(positional) - after:]
        else:
            taken, positional = positional[:1], positional[1:]
        if not taken:
            if param.required:
                raise Refused
            continue
        converted = [_convert(param, word) for word in taken]
        values[param.dest] = converted if param.many else converted[0]
    if positional:
        raise Refused


def _unset(param: Param) -> Any:
    """The value of a parameter not on the command line: its environment variable, or its default."""
    if param.envvar:
        import os

        value = os.environ.get(param.envvar, "")
        if value:
            return _convert(param, value)
    if param.required:
        raise Refused
    return param.default


def _convert(param: Param, value: str) -> Any:
    kind = param.kind
    if kind == TEXT:
        return value
    if kind == PATH:
        return Path(value)
    if kind == CHOICE:
        return _choice(param, value)
    if kind == INT and len(value) <= MAX_DIGITS and value.isascii() and set(value) <= _DIGITS:
        return _in_range(param, int(value))
    if kind == FLOAT and len(value) <= MAX_DIGITS and value.isascii() and set(value.replace(".", "", 1)) <= _DIGITS \
            and value != ".":
        return _in_range(param, float(value))
    raise Refused


def _in_range(param: Param, number: float) -> float:
    if (param.low is not None and number < param.low) or (param.high is not None and number > param.high):
        raise Refused
    return number


def _choice(param: Param, value: str) -> Enum:
    assert param.choices is not None
    if value.isascii():
        wanted = value.lower()
        for member in param.choices:
            if member.value == wanted:
                return member
    raise Refused
