"""The real program in real processes: pipes closing early, other folders, the entry point."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

BIN = Path(sys.executable).parent
STANCECLI = shutil.which("stancecli", path=str(BIN)) or shutil.which("stancecli")


def run(cmd: str, cwd=None, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STANCECLI_")}
    environ.update(env)
    environ["PATH"] = f"{BIN}{os.pathsep}{environ.get('PATH', '')}"
    return subprocess.run(["bash", "-c", cmd], cwd=cwd, env=environ, capture_output=True, text=True,
                          timeout=120)


def test_head_closing_the_pipe_ends_quietly():
    result = run("set -o pipefail; stancecli compare anbud egenregi ordinaert-arbeidsliv --quotes | head -1")
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr == ""


def test_json_through_a_pipe_is_valid(tmp_path):
    result = run(f"stancecli compare anbud --format json | {sys.executable} -c "
                 "'import json,sys; print(len(json.load(sys.stdin)))'")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 1


def test_entry_point_works_outside_the_repository(tmp_path):
    assert STANCECLI, "the stancecli console script is not installed"
    result = run("stancecli compare anbud", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    in_repo = run("stancecli compare anbud", cwd=REPO)
    assert len(result.stdout.splitlines()) == len(in_repo.stdout.splitlines())
    assert "Ingen anbudsutsetting av oppfølgings-, avklarings- og arbeidstreningstiltak." in result.stdout


def test_python_dash_m_and_version():
    result = run(f"{sys.executable} -m stancecli --version")
    assert result.returncode == 0
    assert result.stdout.startswith("stancecli ")


def test_unknown_issue_has_no_traceback():
    result = run("stancecli compare anbd")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "did you mean anbud" in result.stderr


def test_shell_completion_offers_issue_keys():
    result = run("stancecli compare anb", _STANCECLI_COMPLETE="complete_bash", COMP_WORDS="stancecli compare anb",
                 COMP_CWORD="2")
    assert "anbud" in result.stdout.split()
    assert "anbudskriterier" in result.stdout.split()


def test_shell_completion_offers_organisation_ids():
    result = run("stancecli show n", _STANCECLI_COMPLETE="complete_bash", COMP_WORDS="stancecli show n",
                 COMP_CWORD="2")
    from stancecli.loading import load_or_fail

    organisations = load_or_fail(REPO / "data" / "stances.yaml").organisations
    assert set(result.stdout.split()) == {key for key in organisations if key.startswith("n")}
    assert "ntl" in result.stdout.split()


def test_wheel_carries_the_dataset_and_sources(tmp_path):
    # Build from a copy of what a clean clone holds, so the build leaves nothing in the checkout.
    tree = tmp_path / "tree"
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, tree / name)
    for folder in ("src", "data", "seeds"):
        shutil.copytree(REPO / folder, tree / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path / "dist"),
                             str(tree)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("stancecli-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "stancecli/bundled/data/stances.yaml" in names
    assert "stancecli/schema/stances.schema.json" in names
    assert {f"stancecli/bundled/seeds/{p.name}" for p in (REPO / "seeds").glob("*.txt")} <= names


def test_ctrl_c_ends_quietly_with_130(monkeypatch, capsys):
    from stancecli import entry, queries

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(queries, "compare", interrupted)
    monkeypatch.setattr(sys, "argv", ["stancecli", "compare", "anbud"])
    with pytest.raises(SystemExit) as exit_:
        entry.main()
    assert exit_.value.code == 130
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.out == ""


def test_sigint_to_a_running_process_ends_quietly(tmp_path):
    import signal

    # The entry point says on a descriptor when its Ctrl-C handling is in place; from then on a
    # Ctrl-C, wherever it lands (importing, loading, checking), ends quietly with 130.
    for _ in range(3):
        ready_r, ready_w = os.pipe()
        env = {k: v for k, v in os.environ.items() if not k.startswith("STANCECLI_")}
        env["STANCECLI_READY_FD"] = str(ready_w)
        proc = subprocess.Popen([STANCECLI, "validate"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env, pass_fds=(ready_w,))
        os.close(ready_w)
        with os.fdopen(ready_r, "rb") as ready:
            assert ready.readline() == b"ready\n"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in err
        assert proc.returncode in (0, 130), err


def test_closed_pipe_always_ends_with_the_same_status():
    statuses = {run("set -o pipefail; stancecli map | head -1 >/dev/null; echo ${PIPESTATUS[0]}").stdout.strip()
                for _ in range(5)}
    assert statuses == {"0"}


def test_ascii_output_encoding_gives_output_not_a_traceback():
    result = run("stancecli compare anbud --format tsv", PYTHONIOENCODING="ascii")
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert "\\xf8" in result.stdout or "\\u" in result.stdout  # ø and friends, escaped, not lost


def test_traceback_option_shows_the_traceback_of_a_failure():
    quiet = run("stancecli compare no-such-issue")
    loud = run("stancecli --traceback compare no-such-issue")
    debug = run("stancecli compare no-such-issue", STANCECLI_DEBUG="1")
    assert quiet.returncode == loud.returncode == debug.returncode == 2
    assert "Traceback" not in quiet.stderr
    assert "Traceback" in loud.stderr and "Traceback" in debug.stderr
