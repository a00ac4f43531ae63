"""The `stancecli` command: a thin Typer layer over the library.

Typer inspects every registered command's signature when it runs, which costs about a
millisecond and a half per command. A run names one command, so `build_app` registers only
that command's module (click's documented "lazy subcommands" idea); help, completion and
anything unrecognised get every command.

Annotations are evaluated when the module is imported (no `from __future__ import annotations`):
Typer reads the root callback's signature on every run, and would compile each annotation kept as text.
"""

import importlib
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from stancecli import __version__
from stancecli.cli.overview import COMMANDS as OVERVIEW
from stancecli.cli.overview import EXIT_CODES, PROGRAM, TRACEBACK_HELP, VERSION_HELP

# command name -> the module under stancecli.cli that registers it
COMMANDS: dict[str, str] = {name: module for name, (module, _) in OVERVIEW.items()}


def _version(value: bool) -> None:
    if value:
        print(f"stancecli {__version__}")
        raise typer.Exit()


def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=VERSION_HELP)] = False,
    show_traceback: Annotated[bool, typer.Option("--traceback",
                                                 help=TRACEBACK_HELP)] = False,
) -> None:
    from stancecli.cli.failure import TRACEBACK_META

    ctx.meta[TRACEBACK_META] = show_traceback


# Exits, aborts and usage errors belong to click (vendored by newer Typer): let them through.
_CLICK_OWN: tuple[type[BaseException], ...] = (
    typer.Exit, typer.Abort, *(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"))


class StanceGroup(TyperGroup):
    """Typer's group, with every command's failures turned into exit statuses in cli.failure."""

    def invoke(self, ctx: Any) -> Any:
        from stancecli.cli.failure import TRACEBACK_META, settle

        try:
            return super().invoke(ctx)
        except _CLICK_OWN:
            raise
        except BaseException as exc:  # noqa: B036 - KeyboardInterrupt and SystemExit are decided below
            if isinstance(exc, SystemExit):
                raise
            status = settle(exc, ctx.invoked_subcommand, bool(ctx.meta.get(TRACEBACK_META)))
            raise typer.Exit(status) from None


def build_app(modules: Iterable[str] | None = None) -> typer.Typer:
    """A Typer app with the commands of `modules` (all of them when None)."""
    app = typer.Typer(
        cls=StanceGroup,
        name="stancecli",
        help=f"{PROGRAM}\n\n{EXIT_CODES}",
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_root)
    for name in dict.fromkeys(COMMANDS.values()) if modules is None else dict.fromkeys(modules):
        importlib.import_module(f"stancecli.cli.{name}").register(app)
    return app


def app_for(argv: Sequence[str]) -> typer.Typer:
    """Only the named command's module when argv names one; everything otherwise."""
    from stancecli.cli import completing

    first = next((arg for arg in argv if not arg.startswith("-")), None)
    if completing() or first not in COMMANDS:
        return build_app()
    return build_app([COMMANDS[first]])


def __getattr__(name: str):
    # `from stancecli.cli.app import app` (tests, embedding) gets the full application.
    if name == "app":
        return build_app()
    raise AttributeError(name)


def main() -> None:
    from stancecli.entry import main as run

    run()
