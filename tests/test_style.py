"""The code stays ruff-clean and ruff-formatted; CI runs this as part of the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT

RUFF = str(Path(sys.executable).with_name("ruff"))


def passes(*command: str) -> None:
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check() -> None:
    passes(RUFF, "check", "builder", "tests")


def test_ruff_format() -> None:
    passes(RUFF, "format", "--check", "builder", "tests")


def test_mypy_strict() -> None:
    passes(sys.executable, "-m", "mypy")
