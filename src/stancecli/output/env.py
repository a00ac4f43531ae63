"""The one picture of where output goes: built once per run (or by a test) and passed to renderers."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import TextIO

PIPE_WIDTH = 80  # a table asked for in a pipe, without $COLUMNS
WIDE_PIPE_WIDTH = 160  # search hits and suggest blocks asked for in a pipe: long sentences, few breaks
MIN_WIDTH = 40  # narrower than this, tables are laid out as if this wide
ENV_BOM = "STANCECLI_CSV_BOM"


class Environment:
    """Whether stdout is a terminal, how wide it is, whether to colour, and the environment.

    A plain class: a dataclass would cost every command half a millisecond to define.
    """

    def __init__(self, is_terminal: bool = False, width: int = PIPE_WIDTH, color: bool = False,
                 environ: Mapping[str, str] | None = None, stdout: TextIO | None = None,
                 stderr: TextIO | None = None):
        self.is_terminal = is_terminal
        self.width = width
        self.color = color
        self.environ: Mapping[str, str] = {} if environ is None else environ
        self.stdout = stdout  # None: sys.stdout at the time of writing
        self.stderr = stderr

    @property
    def out(self) -> TextIO:
        return self.stdout or sys.stdout

    @property
    def err(self) -> TextIO:
        return self.stderr or sys.stderr

    @property
    def csv_bom(self) -> bool:
        return self.environ.get(ENV_BOM, "") not in ("", "0")

    def note(self, message: str) -> None:
        """One line on stderr, in a pipe too."""
        from stancecli.output.safe import escape

        self.err.write(f"stancecli: {escape(message)}\n")

    def wide(self) -> Environment:
        """This environment, or in a pipe without $COLUMNS one WIDE_PIPE_WIDTH wide."""
        if self.is_terminal or _columns(self.environ):
            return self
        return Environment(self.is_terminal, WIDE_PIPE_WIDTH, self.color, self.environ, self.stdout, self.stderr)

    @classmethod
    def from_system(cls, color: str = "auto", is_terminal: bool | None = None,
                    environ: Mapping[str, str] | None = None) -> Environment:
        """color is 'auto', 'always' or 'never'; NO_COLOR is honoured under 'auto'."""
        environ = dict(os.environ if environ is None else environ)
        if is_terminal is None:
            is_terminal = _isatty(sys.stdout)
        colored = color == "always" or (color == "auto" and is_terminal and not environ.get("NO_COLOR"))
        return cls(is_terminal, terminal_width(environ, is_terminal), colored, environ)


def terminal_width(environ: Mapping[str, str], is_terminal: bool) -> int:
    """$COLUMNS wins; else the terminal's width; in a pipe 80."""
    given = _columns(environ)
    if given:
        return given
    if is_terminal:
        import shutil  # here: a pipe needs no terminal size, nor shutil's imports

        return shutil.get_terminal_size((PIPE_WIDTH, 24)).columns
    return PIPE_WIDTH


def _columns(environ: Mapping[str, str]) -> int:
    """$COLUMNS when it is a positive number, else 0."""
    given = environ.get("COLUMNS", "")
    return int(given) if given.isdigit() and int(given) > 0 else 0


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
