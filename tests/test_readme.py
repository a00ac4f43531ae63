"""The README's examples are the tool's real output: every `$ command` in a ```console block runs
here and must print what the README shows, and a block introduced by
`<!-- output of: COMMAND -->` must be exactly COMMAND's output. So the README cannot go stale.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
BIN = Path(sys.executable).parent
OUTPUT_OF = re.compile(r"^<!-- output of: (.+?) -->$")
# Commands that write files are run in a scratch folder; tools the machine lacks skip their example.
TOOLS = ("jq", "sqlite3", "datasette", "sqlite-utils")


@dataclass
class Example:
    line: int
    command: str
    expected: str


def examples(text: str) -> list[Example]:
    out: list[Example] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        marker = OUTPUT_OF.match(lines[i].strip())
        if lines[i].startswith("```console"):
            i = _console_block(lines, i + 1, out)
        elif marker and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            end = lines.index("```", i + 2)
            out.append(Example(i + 1, marker.group(1), "\n".join(lines[i + 2:end])))
            i = end + 1
        else:
            i += 1
    return out


def _console_block(lines: list[str], i: int, out: list[Example]) -> int:
    current: Example | None = None
    while lines[i] != "```":
        if lines[i].startswith("$ "):
            current = Example(i + 1, lines[i][2:], "")
            out.append(current)
        elif current is not None:
            current.expected += ("\n" if current.expected else "") + lines[i]
        i += 1
    return i + 1


# The size of a written file, and the line a new entry lands on in stances.yaml, follow every
# edit of the curated data; what the example shows is the rest.
_FILE_SIZE = re.compile(r"\(\d+ KiB\)")
_DATASET_LINE = re.compile(r"stances\.yaml:\d+")


def _normalised(text: str) -> str:
    text = _DATASET_LINE.sub("stances.yaml:…", _FILE_SIZE.sub("(… KiB)", text))
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


EXAMPLES = examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples_to_check():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"README.md:{e.line}")
def test_readme_example_prints_what_the_readme_shows(example: Example, tmp_path):
    missing = [tool for tool in TOOLS if re.search(rf"(^|\|\s*){re.escape(tool)}\b", example.command)
               and not shutil.which(tool, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")]
    if missing:
        pytest.skip(f"{', '.join(missing)} is not installed here")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCECLI_") and k != "NO_COLOR"}
    env.update(PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", COLUMNS="100", STANCECLI_DATA="data")
    # As from a clone's top folder, but in a scratch copy, so examples that write files write there.
    for name in ("data", "seeds"):
        shutil.copytree(REPO / name, tmp_path / name)
    # What a terminal shows: stdout and stderr as they come.
    result = subprocess.run(["bash", "-c", example.command], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=120)
    assert "Traceback" not in result.stdout, f"README.md:{example.line}: {example.command}\n{result.stdout}"
    assert _normalised(result.stdout) == _normalised(example.expected), f"README.md:{example.line}"
