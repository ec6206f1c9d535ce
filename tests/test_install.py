"""The curator's install is light: `pip install .` gives validate, fmt, diff and the other
curator's commands without datasets, pyarrow or huggingface_hub, and the commands that need
them name the extra to install."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT

LEFT_OUT = ("datasets", "pyarrow", "pandas", "huggingface_hub")


def _run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=600,
    )


@pytest.mark.slow
def test_the_curators_install_has_no_dataset_libraries_and_says_what_build_needs(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    shutil.copytree(
        PROJECT,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(".git", ".venv", "dist", "build", "*.egg-info", ".*cache"),
    )
    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", venv).returncode == 0
    installed = _run(venv / "bin" / "pip", "install", "-q", source)
    assert installed.returncode == 0, installed.stderr
    for package in LEFT_OUT:
        assert _run(venv / "bin" / "python", "-c", f"import {package}").returncode != 0, package
    claims = venv / "bin" / "claims"
    assert _run(claims, "validate", "--root", PROJECT).returncode == 0
    assert _run(claims, "fmt", "--check", "--root", PROJECT).returncode == 0
    built = _run(claims, "build", "--root", PROJECT, "--out", tmp_path / "out")
    assert built.returncode == 2
    assert "needs the 'dataset' extra" in built.stderr and "claims[dataset]" in built.stderr
    assert "Traceback" not in built.stderr
    published = _run(claims, "publish", tmp_path, "--git", tmp_path / "target")
    assert published.returncode == 2 and "claims[dataset]" in published.stderr
