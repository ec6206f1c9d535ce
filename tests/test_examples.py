"""The README's and CONTRIBUTING's examples marked `<!-- runnable -->` run as written, in order,
in a fresh copy of the repository, with `claims` on the PATH as after the set-up command: a
`sh` block must succeed, a `console` block must print what it shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT, git

RUNNABLE = re.compile(r"^( *)<!-- runnable -->\n\1```(sh|console)\n(.*?)^\1```$", re.M | re.S)


def blocks(document: str) -> list[tuple[str, str]]:
    """(kind, body) of each runnable block, its list indentation removed."""
    text = (PROJECT / document).read_text(encoding="utf-8")
    return [
        (kind, "".join(line.removeprefix(indent) for line in body.splitlines(keepends=True)))
        for indent, kind, body in RUNNABLE.findall(text)
    ]


def fresh_copy(target: Path) -> Path:
    """The repository's files as a contributor's clone has them: one commit on `main`."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "--quiet", "--initial-branch=main")
    git(target, "add", "--all")
    git(target, "commit", "--quiet", "-m", "The repository as cloned")
    return target


def shell(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONUNBUFFERED": "1",  # standard output and error interleave as they are written
        "NO_COLOR": "1",
    }
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def sessions(body: str) -> list[tuple[str, str]]:
    """A console block as (command, expected output) pairs."""
    pairs: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        else:
            pairs[-1][1].append(line)
    return [(command, "".join(f"{line}\n" for line in output)) for command, output in pairs]


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md"])
def test_the_runnable_examples_run_as_written(document: str, tmp_path: Path) -> None:
    examples = blocks(document)
    assert examples, f"{document} marks no example as runnable"
    repository = fresh_copy(tmp_path)
    for kind, body in examples:
        if kind == "sh":
            result = shell(body, repository)
            assert result.returncode == 0, f"{body}\n{result.stdout}{result.stderr}"
            continue
        for command, expected in sessions(body):
            result = shell(f"{command} 2>&1", repository)
            assert result.stdout == expected, command
