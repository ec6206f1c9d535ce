"""Shared fixtures: a scratch copy of the shipped repository, and the real `claims` command."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "cases"
CLAIMS_COMMAND = str(Path(sys.executable).with_name("claims"))

Run = Callable[..., subprocess.CompletedProcess[str]]

# `datasets` and `huggingface_hub` read these when first imported: the tests load built folders
# offline, with caches of their own rather than the user's.
_HF_HOME = tempfile.mkdtemp(prefix="claims-tests-hf-")
atexit.register(shutil.rmtree, _HF_HOME, ignore_errors=True)
os.environ["HF_HOME"] = _HF_HOME
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_DATASETS_DISABLE_PROGRESS_BARS"] = "1"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A writable copy of the shipped repository's data, outside the project tree."""
    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "claims", root / "claims")
    return root


@pytest.fixture
def bare_repo(repo: Path) -> Path:
    """The shipped sources, topics and metadata without the shipped records."""
    shutil.rmtree(repo / "claims" / "records")
    (repo / "claims" / "records").mkdir()
    return repo


def git(cwd: Path, *args: str) -> str:
    """Run git with a test identity; its output, stripped."""
    identity = ["-c", "user.name=Test Curator", "-c", "user.email=curator@example.org"]
    result = subprocess.run(
        ["git", *identity, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@pytest.fixture
def no_git_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """git as on a fresh CI runner: no user or system configuration, no identity."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def history(tmp_path: Path, no_git_config: None) -> Path:
    """A git repository on main holding the fixture dataset (tests/cases/dataset), committed."""
    root = tmp_path / "repo"
    shutil.copytree(CASES / "dataset" / "claims", root / "claims")
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(root))
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "The dataset as published")
    return root


@pytest.fixture
def claims() -> Run:
    """Run the installed `claims` command; returns the finished process (never raises)."""

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CLAIMS_COMMAND, *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            check=False,
            timeout=120,
        )

    return run
