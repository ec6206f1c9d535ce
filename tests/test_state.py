"""The tool's own state (journal, locks, cache, the record of an output being replaced) never
comes from the working tree: whatever a pull request plants there, under any name, as a file or
a symlink, no command changes anything outside the repository, and commands that only read
write nothing at all."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from builder import state
from builder.layout import Layout
from tests.conftest import MINI, Run, files_below, git

PLANTED_LINKS = {
    ".claims-lock": "victim.txt",
    "lock": "victim.txt",
    "dist/.1.2.3.lock": "victim.txt",
    "dist/.1.2.3.partial-0000abcd": "folder",
    "dist/.1.2.3.previous-0000abcd": "folder",
    "dist/.site.partial-0000abcd": "folder",
    "dist/.site.previous-0000abcd": "folder",
    ".git-claims": "folder",
}

COMMANDS = [
    "validate --root {root}",
    "validate --root {root} --format github --changed-since HEAD",
    "fmt --root {root}",
    "fmt --check --root {root}",
    "locate --root {root} mini-report-2024 Report",
    "show --root {root} cafe-talks-continue-2024",
    "new --root {root} --source mini-report-2024 --quote Report --id planted-state",
    "add-source {outside}/text.txt --root {root} --id planted-source --title T --publisher P "
    "--published 2024 --language en",
    "reanchor --root {root} mini-report-2024 {outside}/text.txt --date 2026-11-22",
    "diff --root {root} HEAD {root}",
    "release --root {root} --date 2026-11-22",
    "build --root {root}",
    "site --root {root}",
    "publish {root}/dist/1.2.3 --git {target} --init",
]


def _plant(root: Path, outside: Path) -> None:
    """What a pull request could commit: journals under the tool's old name and others, lock
    files and hidden output folders as links to a victim file and folder outside."""
    journal = {
        "state": "committed",
        "files": [
            ["../outside/victim.txt", "claims/sources/stolen.txt"],
            ["claims/records/2024/cafe-talks-continue-2024.yaml", ".git/hooks/pre-commit"],
            [str(outside / "folder" / "keep.txt"), str(outside / "moved.txt")],
        ],
    }
    for name in (".claims-journal.json", "journal.json", "dist/journal.json"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(json.dumps(journal))
    prepared = {"state": "prepared", "files": [["../outside/victim.txt", "x"]]}
    (root / ".claims-journal.json.prepared").write_text(json.dumps(prepared))
    for name, target in PLANTED_LINKS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(outside / target)
    (root / ".cache" / "claims").mkdir(parents=True)
    (root / ".cache" / "claims" / "forged.json").write_text('{"format": "forged"}')


@pytest.fixture
def planted(tmp_path: Path, no_git_config: None) -> dict[str, Path]:
    root, outside = tmp_path / "root", tmp_path / "outside"
    shutil.copytree(MINI, root)
    (outside / "folder").mkdir(parents=True)
    (outside / "folder" / "keep.txt").write_text("kept\n")
    (outside / "victim.txt").write_text("victim\n")
    source = root / "claims" / "sources" / "mini-report-2024.txt"
    (outside / "text.txt").write_bytes(b"Preface. " + source.read_bytes())
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(root))
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Release 1.2.3")
    _plant(root, outside)
    record = root / "claims" / "records" / "2024" / "talks-outcome-unknown-2024.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "notes: Checked again.\n")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "A pull request")
    return {"root": root, "outside": outside, "target": tmp_path / "target.git"}


@pytest.mark.parametrize("line", COMMANDS, ids=[line.split()[0] for line in COMMANDS])
def test_planted_state_changes_nothing_outside_the_repository(
    planted: dict[str, Path], claims: Run, line: str
) -> None:
    root, outside = planted["root"], planted["outside"]
    if line.startswith("publish"):
        assert claims("build", "--root", root).returncode == 0
    hooks = files_below(root / ".git" / "hooks")
    around = files_below(outside)
    links = {name: (root / name).readlink() for name in PLANTED_LINKS}

    words = [word.format(**{k: str(v) for k, v in planted.items()}) for word in line.split()]
    result = claims(*words)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "interrupted write" not in result.stderr
    assert files_below(outside) == around
    assert files_below(root / ".git" / "hooks") == hooks
    assert {name: (root / name).readlink() for name in PLANTED_LINKS} == links
    assert not (root / "claims" / "sources" / "stolen.txt").exists()


def test_the_state_of_a_repository_lives_in_its_git_directory(
    planted: dict[str, Path], tmp_path: Path
) -> None:
    root = planted["root"]
    assert state.of_repository(root).folder.is_relative_to(root / ".git")
    plain = tmp_path / "plain"
    shutil.copytree(MINI, plain)
    assert state.of_repository(plain).folder.is_relative_to(state.user_folder())


def test_a_state_folder_inside_the_repository_is_refused(
    tmp_path: Path, claims: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside git the state lives in the user's cache folder: not if that is in the checkout."""
    root = tmp_path / "plain"
    shutil.copytree(MINI, root)
    monkeypatch.setenv("CLAIMS_CACHE_DIR", str(root / ".cache"))
    result = claims("new", "--root", root, "--source", "mini-report-2024", "--quote", "Report")
    assert result.returncode == 2
    assert "lies inside the repository" in result.stderr
    assert not (root / ".cache").exists()
    assert claims("validate", "--root", root).returncode == 0  # reading needs no state folder


def test_fmt_reads_nothing_while_another_command_writes(
    planted: dict[str, Path], claims: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fmt takes the lock before it reads, so it never writes back what another command (a
    reanchor) changed meanwhile."""
    from builder.writing import lock  # noqa: PLC0415

    def read(*args: object) -> None:
        raise AssertionError("fmt read the files without holding the lock")

    monkeypatch.setattr("builder.fmt.format_repository", read)
    with lock(Layout(planted["root"]).state.lock, "the repository"):
        result = claims("fmt", "--root", planted["root"])
    assert result.returncode == 2
    assert "another claims command is writing" in result.stderr


READERS = [
    "validate --root {root}",
    "fmt --check --root {root}",
    "locate --root {root} mini-report-2024 Report",
    "show --root {root} cafe-talks-continue-2024",
    "diff --root {root} HEAD {root}",
]


@pytest.mark.parametrize("line", READERS, ids=[line.split()[0] for line in READERS])
def test_commands_that_only_read_work_in_a_read_only_checkout(
    planted: dict[str, Path], claims: Run, monkeypatch: pytest.MonkeyPatch, line: str
) -> None:
    """Nothing is opened for writing inside the repository, its git directory included."""
    root = str(planted["root"].resolve())
    real_open = os.open

    def read_only(path: object, flags: int, *args: object, **kwargs: object) -> int:
        written = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if written and os.path.realpath(os.fspath(path)).startswith(root):  # type: ignore[arg-type]
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only)
    words = [word.format(root=root) for word in line.split()]
    result = claims(*words)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_site_never_replaces_the_folder_it_is_run_in(
    planted: dict[str, Path], claims: Run
) -> None:
    root = planted["root"]
    result = claims("site", "--out", ".", cwd=root)
    assert result.returncode == 2
    assert "is the repository or a folder above it" in result.stderr
    assert (root / ".git").is_dir() and (root / "claims" / "dataset.yaml").is_file()


def test_a_bare_repository_committed_into_the_root_is_never_taken_for_git(
    planted: dict[str, Path], claims: Run
) -> None:
    """A pull request can commit the files of a bare git repository (HEAD, objects/, refs/ and
    a config naming a program to run) into the folder given as --root: git must not find it
    there, so its config runs nothing and its folders are not the tool's state."""
    outer, outside = planted["root"], planted["outside"]
    root = outer / "examples" / "demo"
    shutil.copytree(MINI / "claims", root / "claims")
    monitor = root / "monitor.sh"
    monitor.write_text(f"#!/bin/sh\ntouch {outside}/ran\n")
    monitor.chmod(0o755)
    (root / "HEAD").write_text("ref: refs/heads/main\n")
    for folder in ("objects/info", "refs/heads", "claims/0000"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "keep").write_text("")
    (root / "config").write_text(
        f"[core]\n\trepositoryformatversion = 0\n\tbare = true\n\tfsmonitor = {monitor}\n"
    )
    git(outer, "add", "--all")
    git(outer, "commit", "--quiet", "-m", "A bare repository in a folder")
    changed = claims("validate", "--root", root, "--changed-since", "HEAD")
    assert changed.returncode == 2  # git refuses to read the folder as a repository at all
    assert "not inside a git repository" in changed.stderr
    written = claims("new", "--root", root, "--source", "mini-report-2024", "--quote", "Report")
    assert written.returncode == 0, written.stderr
    assert not (outside / "ran").exists()
    assert not state.of_repository(root).folder.is_relative_to(root)
    assert sorted(path.name for path in (root / "claims" / "0000").iterdir()) == ["keep"]
