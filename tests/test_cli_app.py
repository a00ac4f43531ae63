"""The application registers only the command a run names, and everything when it must."""

from stancecli.cli.app import COMMANDS, app_for, build_app


def names(app) -> set[str]:
    return {info.name for info in app.registered_commands} | {info.name for info in app.registered_groups}


def test_every_command_is_registered_in_the_full_app():
    assert names(build_app()) == set(COMMANDS)


def test_a_run_naming_a_command_registers_only_its_module():
    assert names(app_for(["who-supports", "egenregi"])) == {"who-supports", "who-opposes"}
    assert names(app_for(["compare", "anbud", "--format", "json"])) == {"compare"}


def test_help_and_unknown_commands_get_every_command():
    assert names(app_for(["--help"])) == set(COMMANDS)
    assert names(app_for(["comprae", "anbud"])) == set(COMMANDS)
    assert names(app_for([])) == set(COMMANDS)


def test_completion_gets_every_command(monkeypatch):
    monkeypatch.setenv("_STANCECLI_COMPLETE", "complete_bash")
    assert names(app_for(["compare"])) == set(COMMANDS)


def test_a_misspelt_command_is_suggested(cli):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app_for(["comprae"]), ["comprae", "anbud"])
    assert result.exit_code == 2
    assert "Did you mean 'compare'?" in result.output


def test_top_level_help_lists_every_command_with_its_own_summary():
    from typer.main import get_command

    from stancecli.cli.overview import summary, top_help

    group = get_command(build_app())
    shown = top_help(width=200)
    for name in COMMANDS:
        help_text = group.commands[name].help or ""
        assert help_text.splitlines()[0] == summary(name), name
        assert f"  {name}  " in shown and summary(name) in shown


def test_top_level_help_keeps_every_word_at_any_width():
    from stancecli.cli.overview import top_help

    wide = top_help(width=200).split()
    for width in (40, 60, 80, 100):
        assert top_help(width=width).split() == wide
        assert max(len(line) for line in top_help(width=width).splitlines()) <= width


def test_help_from_the_console_script_matches_the_overview():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "stancecli"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, env={"COLUMNS": "100"},
                            timeout=60)
    assert result.returncode == 0
    assert "Commands:" in result.stdout and "who-supports" in result.stdout
