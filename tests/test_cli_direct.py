"""The direct path (cli/direct): everyday command lines run without Typer, exactly as Typer runs them.

For every direct command, any command line reaches the command's body with the same arguments
both ways, or the direct path leaves it to Typer; a line Typer refuses is never run directly.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from enum import Enum
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import SEEDS
from stancecli.cli import direct
from stancecli.cli.app import app_for, build_app

COMMON_LINES = [
    ["matrix"], ["matrix", "--by", "document", "--no-reported", "-i", "anbud,egenregi", "--format", "json"],
    ["compare", "anbud"], ["compare", "anbud", "egenregi", "--quotes", "--absent", "-f", "jsonl"],
    ["compare", "anbud", "--by=kind", "--lang", "en", "--color", "never"],
    ["who-supports", "egenregi"], ["who-opposes", "anbud", "--strong", "--format", "csv"],
    ["search", "anbud"], ["search", "tett oppfølging av brukere", "seeds", "-C", "1", "-n", "5"],
    ["search", "anbud", "a", "b", "--exact", "--limit=0", "--min-score", "50.5", "--index-dir", "ix"],
    ["search", "anbud", "--org", "ntl", "--org", "fo", "--doc", "fo-2016", "-f", "grep"],
    ["validate"], ["validate", "--no-warnings", "--data", "my-hearing/stances.yaml"],
]
# Lines Typer refuses (exit 2): the direct path must leave every one to it.
REFUSED_LINES = [
    ["matrix", "--by", "nobody"], ["matrix", "--reported=yes"], ["matrix", "extra"], ["compare"],
    ["compare", "anbud", "--format"], ["who-supports"], ["who-supports", "a", "b"],
    ["search"], ["search", "anbud", "-C", "51"], ["search", "anbud", "--limit", "-1"],
    ["search", "anbud", "--min-score", "101"], ["search", "anbud", "--bogus"],
    ["validate", "extra"], ["validate", "--warnings=no"],
    ["search", "anbud", "-n", "1" * 5000],  # more digits than Python's int() reads
]


def _body(command: str):
    module, name = direct.COMMANDS[command]
    return importlib.import_module(f"stancecli.cli.direct.{module}"), name


def _arguments(monkeypatch, argv: list[str]) -> tuple[dict | None, dict | None]:
    """What the body receives from the direct path and from Typer (None: it was not called)."""
    module, name = _body(argv[0])
    calls: list[dict] = []
    monkeypatch.setattr(module, name, lambda **kwargs: calls.append(kwargs))
    status = direct.run(argv)
    direct_got = calls.pop() if calls else None
    assert (status is None) == (direct_got is None)
    result = CliRunner().invoke(app_for(argv), argv)
    typer_got = calls.pop() if calls else None
    assert result.exit_code in (0, 2), result.output
    return direct_got, typer_got


@pytest.mark.parametrize("argv", COMMON_LINES, ids=" ".join)
def test_everyday_lines_run_directly_with_what_typer_would_pass(monkeypatch, argv):
    direct_got, typer_got = _arguments(monkeypatch, argv)
    assert direct_got is not None
    assert direct_got == typer_got


@pytest.mark.parametrize("argv", REFUSED_LINES, ids=" ".join)
def test_lines_typer_refuses_are_left_to_typer(monkeypatch, argv):
    direct_got, typer_got = _arguments(monkeypatch, argv)
    assert direct_got is None and typer_got is None


def test_help_is_always_typers():
    for command in direct.COMMANDS:
        assert direct.run([command, "--help"]) is None
        assert direct.run([command, "anbud", "-h"]) is None


def test_the_environment_sets_the_language_alike(monkeypatch):
    monkeypatch.setenv("STANCECLI_LANG", "en")
    direct_got, typer_got = _arguments(monkeypatch, ["compare", "anbud"])
    assert direct_got is not None and direct_got == typer_got and direct_got["lang"].value == "en"
    monkeypatch.setenv("STANCECLI_LANG", "fr")
    assert _arguments(monkeypatch, ["compare", "anbud"]) == (None, None)


def _tokens(command: str) -> list[str]:
    """Words a user might type after `command`: its flags, values good and bad, and plain words."""
    module, _ = _body(command)
    words = ["anbud", "tett oppfølging", "a,b", "seeds", "x.yaml", "-", "--", "-5", "--bogus", "-h", "", "=",
             "0", "1", "5", "50", "51", "100", "101", "0.5", "1e2", ".5", "5.", "07", "-1", " 5", "+5", "٣"]
    for param in module.PARAMS:
        words += [*param.flags, *param.off]
        words += [f"{flag}=5" for flag in param.flags if flag.startswith("--")]
        words += [f"{flag}7" for flag in param.flags if len(flag) == 2]
        if param.choices is not None:
            words += [m.value for m in param.choices] + [m.value.upper() for m in param.choices] + ["nope"]
            words += [f"{param.flags[0]}={m.value}" for m in param.choices]
    return words


@pytest.mark.parametrize("command", sorted(direct.COMMANDS))
def test_any_line_reaches_the_body_as_typer_would_pass_it_or_goes_to_typer(monkeypatch, command):
    app = app_for([command])
    module, name = _body(command)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.sampled_from(_tokens(command)), max_size=7))
    def check(words):
        calls: list[dict] = []
        monkeypatch.setattr(module, name, lambda **kwargs: calls.append(kwargs))
        argv = [command, *words]
        status = direct.run(argv)
        direct_got = calls.pop() if calls else None
        result = CliRunner().invoke(app, argv)
        typer_got = calls.pop() if calls else None
        if status is not None:
            assert direct_got == typer_got, (argv, result.output)

    check()


@pytest.mark.parametrize("command", sorted(direct.COMMANDS))
def test_every_option_of_the_typer_command_is_known_to_the_direct_path(command):
    click_command = typer.main.get_command(build_app()).commands[command]  # type: ignore[attr-defined]
    module, _ = _body(command)
    typer_names = {p.name: sorted(p.opts + p.secondary_opts) if p.param_type_name == "option" else []
                   for p in click_command.params}
    ours = {p.dest: p for p in module.PARAMS}
    assert {name: sorted(p.flags + p.off) for name, p in ours.items()} == typer_names
    for param in click_command.params:
        mine = ours[param.name]
        assert (param.envvar, param.required) == (mine.envvar, mine.required), param.name
        assert (param.multiple or param.nargs == -1) == mine.many, param.name
        assert (getattr(param.type, "min", None), getattr(param.type, "max", None)) == (mine.low, mine.high)
        choices = getattr(param.type, "choices", None)
        assert list(choices or []) == [m.value for m in mine.choices or []], param.name
        assert getattr(param.type, "case_sensitive", False) is False  # ignoring case, as the parser does
        if not param.required and not mine.many:
            default = param.default.value if isinstance(param.default, Enum) else param.default
            assert default == (mine.default.value if isinstance(mine.default, Enum) else mine.default), param.name


def _run_both(capsys, argv: list[str]) -> tuple[tuple, tuple]:
    status = direct.run(argv)
    assert status is not None
    out = capsys.readouterr()
    result = CliRunner().invoke(build_app(), argv)
    return (status, out.out, out.err), (result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("tail", [[], ["--format", "json"], ["--by", "document", "--format", "markdown"]])
def test_matrix_prints_the_same_directly(capsys, small_data, tail):
    ours, typers = _run_both(capsys, ["matrix", "--data", str(small_data), *tail])
    assert ours == typers and ours[0] == 0 and ours[1]


@pytest.mark.parametrize("argv, status", [
    (["compare", "i1", "i2", "--quotes"], 0), (["compare", "i1", "--absent", "--format", "jsonl"], 0),
    (["compare", "no-such-issue"], 2), (["who-supports", "i2"], 0), (["who-opposes", "i1", "--strong"], 0),
    (["who-supports", "i5"], 1), (["matrix", "--issues", "i4"], 1)])
def test_answers_and_failures_are_the_same_directly(capsys, small_data, argv, status):
    ours, typers = _run_both(capsys, [*argv, "--data", str(small_data)])
    assert ours == typers and ours[0] == status
    if status:
        assert ours[2].startswith("stancecli: ")


@pytest.mark.parametrize("query, status", [("anbud", 0), ("tett oppfølging av brukere", 0), ("qzxv", 1)])
def test_search_prints_the_same_directly(capsys, tmp_path, query, status):
    ours, typers = _run_both(capsys, ["search", query, str(SEEDS), "--index-dir", str(tmp_path), "-C", "1"])
    assert ours == typers and ours[0] == status


def test_a_closed_pipe_ends_a_direct_command_quietly(small_data):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: every write fails
    try:
        process = subprocess.run([str(Path(sys.executable).parent / "stancecli"), "matrix", "--data",
                                  str(small_data), "--format", "json"], stdout=write_end, stderr=subprocess.PIPE,
                                 text=True)
    finally:
        os.close(write_end)
    assert process.returncode == 0 and process.stderr == ""


@pytest.mark.parametrize("argv", [["who-supports", "egenregi"], ["matrix", "--format", "json"],
                                  ["search", "anbud", str(SEEDS)], ["validate"]])
def test_everyday_lines_do_not_load_typer(argv, tmp_path):
    code = ("import sys; sys.argv = ['stancecli', *sys.argv[1:]]\n"
            "from stancecli.entry import main\n"
            "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'click'}), file=sys.stderr)\n")
    process = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                             env={**os.environ, "STANCECLI_CACHE_DIR": str(tmp_path)})
    assert process.stderr.strip().splitlines()[-1] == "[]"


def test_validate_says_the_same_directly(capsys, small_data, tmp_path):
    ours, typers = _run_both(capsys, ["validate", "--data", str(small_data)])
    assert ours == typers and ours[0] == 0 and "0 errors" in ours[1]
    broken = tmp_path / "broken.yaml"
    broken.write_text(small_data.read_text(encoding="utf-8").replace("stance: for", "stance: fore", 1),
                      encoding="utf-8")
    for flags in ([], ["--no-warnings"]):
        ours, typers = _run_both(capsys, ["validate", "--data", str(broken), *flags])
        assert ours == typers and ours[0] == 2 and "fore" in ours[2]
