"""Shared fixtures: a scratch copy of the shipped repository, and the `claims` command, run in
the test's own process (fast) or as the installed program (for the few tests that need one)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from builder.cli import main
from builder.validation import Result

PROJECT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "cases"
CLAIMS_COMMAND = str(Path(sys.executable).with_name("claims"))


class Ran(NamedTuple):
    """How a command ended, as `subprocess.CompletedProcess` says it."""

    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Ran]

# `datasets` and `huggingface_hub` read these when first imported: the tests load built folders
# offline, with caches of their own rather than the user's.
_HF_HOME = tempfile.mkdtemp(prefix="claims-tests-hf-")
atexit.register(shutil.rmtree, _HF_HOME, ignore_errors=True)
os.environ["HF_HOME"] = _HF_HOME
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_DATASETS_DISABLE_PROGRESS_BARS"] = "1"


@pytest.fixture(autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own validation cache, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CLAIMS_CACHE_DIR", str(folder))
    return folder


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
def claims(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `claims ARGS` through `main()` in this process; how it ended (never raises)."""

    def run(*args: str | Path, cwd: Path | None = None) -> Ran:
        capsys.readouterr()
        here = Path.cwd()
        os.chdir(cwd or here)
        try:
            code = main([str(arg) for arg in args])
        finally:
            os.chdir(here)
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run


@pytest.fixture
def claims_process() -> Run:
    """Run the installed `claims` program as its own process; how it ended (never raises)."""

    def run(*args: str | Path, cwd: Path | None = None) -> Ran:
        done = subprocess.run(
            [CLAIMS_COMMAND, *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            check=False,
            timeout=120,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    return run


MINI = CASES / "dataset"
RECORDS_2024 = Path("claims") / "records" / "2024"

# A text as received: CRLF line ends, a no-break space, a Cyrillic look-alike, an emoji and a
# decomposed accent. add-source must keep every byte.
RECEIVED = (
    "Statement, 5\u00a0May 2024\r\n"
    "The minister \u0421laus Petrov said the Cafe\u0301 talks had failed 👎.\r\n"
    "He said that 18 people are political prisoners.\r\n"
).encode()


@pytest.fixture
def branch(history: Path, tmp_path: Path) -> Path:
    """A clone of a claims repository, on a branch off main, as a contributor has it."""
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "--quiet", str(history), str(fork))
    git(fork, "switch", "--quiet", "-c", "new-claims")
    return fork


def add_received_source(claims: Run, root: Path, text: Path) -> Ran:
    """`claims add-source` for the received statement, with its metadata."""
    return claims(
        "add-source", text, "--root", root, "--id", "mfa-2024-05", "--title",
        "Statement of 5 May 2024", "--publisher", "Ministry", "--published", "2024-05-05",
        "--language", "en", "--license", "other", "--redistribution", "quotes-only",
        "--rights", "The ministry's; quotation allowed.",
    )  # fmt: skip


def copy_claim(root: Path, claim_id: str) -> None:
    """A new record in the fixture repository: a copy of one claim under another id."""
    source = root / RECORDS_2024 / "death-penalty-abolished-2024.yaml"
    text = source.read_text(encoding="utf-8").replace(
        "id: death-penalty-abolished-2024", f"id: {claim_id}"
    )
    (root / RECORDS_2024 / f"{claim_id}.yaml").write_text(text, encoding="utf-8")


def edit_record(root: Path, claim_id: str, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in a record of the fixture repository."""
    path = root / RECORDS_2024 / f"{claim_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def released(root: Path, claims: Run, *args: str) -> Ran:
    """The curator's changes committed, then `claims release` dated 2026-11-22 (which commits
    the release and tags it)."""
    if git(root, "status", "--porcelain"):
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "-m", "Changes")
    return claims("release", "--root", root, "--date", "2026-11-22", *args)


def found(result: Result) -> list[tuple[str, str, int]]:
    """A validation run's problems as (file, code, line), for comparing."""
    return [(p.file, p.code, p.line) for p in result.problems]


def files_below(folder: Path, skip: Path | None = None) -> dict[str, bytes | str]:
    """Every file below `folder` with its bytes, and every link with its target, but for the
    folder `skip`, which is not entered at all."""
    found: dict[str, bytes | str] = {}
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if Path(parent, name) != skip]
        for name in sorted(folders + files):
            path = Path(parent, name)
            if path.is_symlink():
                found[str(path)] = f"-> {path.readlink()}"
            elif path.is_file():
                found[str(path)] = path.read_bytes()
    return found
