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
