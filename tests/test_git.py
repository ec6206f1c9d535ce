"""Every git call goes through one module: a user's revision is checked to be one before git
sees it, and git's failures are errors of one kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import git
from builder.errors import ExternalError, UsageError
from tests.conftest import git as run_git


@pytest.mark.parametrize(
    "revision",
    ["--output=/tmp/x", "-p", "--end-of-options", "no-such-branch", "", "HEAD:claims", "HEAD~99"],
)
def test_anything_but_a_commit_is_refused_before_git_runs_it(
    history: Path, tmp_path: Path, revision: str
) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(UsageError, match="is not a git revision"):
        git.commit_of(history, revision)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_revision_resolves_to_its_commit(history: Path) -> None:
    head = run_git(history, "rev-parse", "HEAD")
    assert git.commit_of(history, "HEAD") == head
    assert git.commit_of(history, "main") == head


def test_a_folder_outside_git_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is not inside a git repository"):
        git.commit_of(tmp_path, "HEAD")


def test_file_names_come_back_whole(history: Path) -> None:
    odd = history / "claims" / "records" / "naïve name\twith tab.yaml"
    odd.write_text("id: x\n")
    head = git.commit_of(history, "HEAD")
    assert "claims/records/naïve name\twith tab.yaml" in git.changed_files(history, head, "claims")
    assert git.files_mentioning(history, ["x"], "claims/records") == [
        "claims/records/naïve name\twith tab.yaml"
    ]


def test_a_failing_git_command_is_an_external_error(tmp_path: Path) -> None:
    with pytest.raises(ExternalError, match="git clone failed"):
        git.clone(str(tmp_path / "nothing-here"), tmp_path / "clone")
