"""Where the tool keeps its own state: never in the working tree.

A pull request can put any file into the working tree, so nothing the tool reads back about
itself (the recovery journal of a write, the locks, the validation cache, the record of a
folder being replaced) may live there. A repository's state lives in its git directory
(`.git/claims/`, which no commit can reach); for a folder that is not a git repository, and for
output folders, in the user's cache folder. A state folder that lies inside the repository is
refused, as is one that is a symlink.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import attrs

from builder import git
from builder.errors import UsageError


@attrs.frozen
class State:
    """The state folder of the repository at `root` (its real path)."""

    root: Path
    folder: Path

    @property
    def journal(self) -> Path:
        return self.folder / "journal.json"

    @property
    def lock(self) -> Path:
        return self.folder / "lock"


def user_folder() -> Path:
    """The user's cache folder for claims: `CLAIMS_CACHE_DIR`, else `$XDG_CACHE_HOME/claims`,
    else `~/.cache/claims`."""
    if folder := os.environ.get("CLAIMS_CACHE_DIR"):
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "claims"


def of_repository(root: Path) -> State:
    """The state folder of the repository at `root`: in the git directory of the work tree it
    is in (no commit can put a file there; each worktree has its own), else in the user's
    cache folder. Inside git it is named by the root's place in the work tree, so that it
    moves with the repository and nested roots keep apart."""
    real = root.resolve()
    top = git.query(real, "rev-parse", "--path-format=absolute", "--show-toplevel")
    git_dir = git.query(real, "rev-parse", "--path-format=absolute", "--git-dir")
    if top and git_dir:
        top_real, git_real = Path(top).resolve(), Path(git_dir).resolve()
        if inside(git_real, real) and git_real != real / ".git":
            raise UsageError(
                f"the git directory {git_dir} lies inside the repository {root} but is not "
                "its .git: a pull request could have committed it; run claims at the top of "
                "the work tree or outside this folder"
            )
        place = real.relative_to(top_real) if real.is_relative_to(top_real) else real
        return State(real, _not_linked(git_real / "claims" / key(place)))
    return State(real, _outside(user_folder() / "repositories" / key(real), real))


def of_output(target: Path, root: Path) -> Path:
    """The state folder of an output folder (a build, a site): in the user's cache folder,
    keyed by the output's real path, since the output may be anywhere."""
    return _outside(user_folder() / "outputs" / key(target.resolve()), root.resolve())


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, every symlink followed, is `root` or lies below it."""
    return path.resolve().is_relative_to(root.resolve())


def key(path: Path) -> str:
    """A file name for `path`: the same path always gives the same name."""
    return hashlib.sha256(os.fsencode(path)).hexdigest()[:32]


def _outside(folder: Path, root: Path) -> Path:
    if inside(folder, root):
        raise UsageError(
            f"the state folder {folder} lies inside the repository, where a pull request could "
            "plant files: set CLAIMS_CACHE_DIR (or XDG_CACHE_HOME) to a folder outside it"
        )
    return _not_linked(folder)


def _not_linked(folder: Path) -> Path:
    for part in (folder, folder.parent):
        if part.is_symlink():
            raise UsageError(f"the state folder {part} is a symlink: remove it")
    return folder
