"""Every git call goes through one module: a user's revision is checked to be one before git
sees it, and git's failures are errors of one kind."""

from __future__ import annotations

import subprocess
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


def test_an_export_holds_every_file_as_committed_whatever_the_attributes(
    history: Path, tmp_path: Path
) -> None:
    """No attribute of the revision or of the repository applies to an export: nothing is
    left out, substituted, filtered or given other line ends; a symlink stays a symlink."""
    (history / ".gitattributes").write_text(
        "claims/records/** export-ignore\nclaims/** export-subst ident text eol=crlf\n"
    )
    (history / ".git" / "info" / "attributes").write_text("claims/sources/** export-ignore\n")
    (history / "claims" / "sources" / "format.txt").write_bytes(b"$Format:%H$ $Id$\nline\r\n")
    (history / "claims" / "records" / "link.yaml").symlink_to("2024/cafe-talks-continue-2024.yaml")
    run_git(history, "add", "--all")
    run_git(history, "commit", "--quiet", "-m", "Attributes")
    head = git.commit_of(history, "HEAD")
    git.export(history, head, "claims", tmp_path / "tree")
    committed = run_git(history, "ls-tree", "-r", "--name-only", "HEAD", "--", "claims")
    exported = tmp_path / "tree"
    assert sorted(
        p.relative_to(exported).as_posix()
        for p in exported.rglob("*")
        if p.is_file() or p.is_symlink()
    ) == sorted(committed.splitlines())
    for name in committed.splitlines():
        path = exported / name
        if path.is_symlink():
            assert str(path.readlink()) == "2024/cafe-talks-continue-2024.yaml"
            continue
        blob = subprocess.run(
            ["git", "cat-file", "blob", f"HEAD:{name}"],
            cwd=history,
            capture_output=True,
            check=True,
        ).stdout
        assert path.read_bytes() == blob, name
    # As committed: `git add` normalised the line end, nothing was expanded.
    assert (exported / "claims/sources/format.txt").read_bytes() == b"$Format:%H$ $Id$\nline\n"


def test_an_export_never_writes_through_a_link_of_a_crafted_tree(
    history: Path, tmp_path: Path
) -> None:
    """A tree made by hand to hold `claims/out` twice, once as a symlink out of the export
    and once as a folder, cannot make the export write outside its folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    blob = run_git(history, "hash-object", "-w", "--stdin")  # empty
    link = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"],
        cwd=history,
        input=str(outside),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    inner = _mktree(history, f"100644 blob {blob}\tx.yaml\n")
    claims_tree = _mktree(history, f"120000 blob {link}\tout\n040000 tree {inner}\tout\n")
    root_tree = _mktree(history, f"040000 tree {claims_tree}\tclaims\n")
    commit = run_git(history, "commit-tree", root_tree, "-m", "Crafted")
    with pytest.raises(ExternalError, match="lists claims/out twice"):
        git.export(history, commit, "claims", tmp_path / "tree")
    assert list(outside.iterdir()) == []


def _mktree(repository: Path, entries: str) -> str:
    return subprocess.run(
        ["git", "mktree", "--missing"],
        cwd=repository,
        input=entries,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
