"""Every git call of the tool, in one place and one error style.

What a user types is never passed to git as it is: a revision is checked to be one and resolved
to a commit id (`rev-parse --verify --end-of-options`), and only that id reaches other commands,
so that `--changed-since=--output=FILE` is an unknown revision, not an option git obeys. Paths
come back NUL-separated (`-z`), so that no file name is quoted or split. A failure is a
`GitError` saying what git said; a folder that is not a git repository is a usage error.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from builder.errors import ExternalError, UsageError

# No prompt for credentials, no pager, no editor: git runs unattended, as in CI. A repository
# is found as a work tree's .git only, never as a bare repository a pull request committed into
# a folder (whose config could name programs to run), and no file monitor is started.
_ENVIRONMENT = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "GIT_EDITOR": "true",
    "GIT_CONFIG_COUNT": "2",
    "GIT_CONFIG_KEY_0": "safe.bareRepository",
    "GIT_CONFIG_VALUE_0": "explicit",
    "GIT_CONFIG_KEY_1": "core.fsmonitor",
    "GIT_CONFIG_VALUE_1": "false",
}
# A committer for commits and tags when git has no identity configured (as on a CI runner).
_IDENTITY = ("-c", "user.name=claims", "-c", "user.email=claims@localhost")


class GitError(ExternalError):
    """git failed; the message is git's own last line."""


def run(cwd: Path, *args: str, allowed: tuple[int, ...] = (0,), stdin: str | None = None) -> str:
    """git ARGS in `cwd`, given `stdin`; its standard output. Exit codes outside `allowed` are
    a GitError."""
    result = _git(cwd, args, stdin)
    if result.returncode not in allowed:
        said = (result.stderr.strip() or result.stdout.strip()).splitlines()
        raise GitError(f"git {args[0]} failed: {said[-1] if said else result.returncode}")
    return result.stdout


def query(cwd: Path, *args: str) -> str | None:
    """The answer of a git question (`rev-parse`, `config`), or None when git answers no."""
    result = _git(cwd, args)
    return result.stdout.strip() if result.returncode == 0 else None


def _git(
    cwd: Path, args: tuple[str, ...], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            encoding="utf-8",
            errors="surrogateescape",
            env={**os.environ, **_ENVIRONMENT},
            check=False,
        )
    except FileNotFoundError as error:
        raise ExternalError("git is not installed: install git and try again") from error


def require_repository(root: Path) -> None:
    """A usage error unless `root` is inside a git repository."""
    if query(root, "rev-parse", "--git-dir") is None:
        raise UsageError(f"{root} is not inside a git repository")


def commit_of(root: Path, revision: str) -> str:
    """The commit id that `revision` names in the repository holding `root`.

    Anything that is not a revision there (an option such as `--output=x`, a typo, a folder
    outside git) is a usage error, raised before git does anything else.
    """
    require_repository(root)
    commit = None
    if revision and not revision.startswith("-"):
        commit = query(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        )
    if not commit:
        raise UsageError(f"{revision!r} is not a git revision in {root}")
    return commit


def changed_files(root: Path, commit: str, folder: str) -> list[str]:
    """Files under `folder` (relative to `root`) that differ from `commit`: committed since,
    staged, unstaged or untracked."""
    changed = _names(
        run(root, "diff", "--relative", "--name-only", "--no-renames", "-z", commit, "--", folder)
    )
    changed += _names(run(root, "ls-files", "-z", "--others", "--exclude-standard", "--", folder))
    return changed


def files_mentioning(root: Path, words: list[str], folder: str) -> list[str]:
    """Files under `folder`, tracked or not, that contain any of `words` as a whole word."""
    if not words:
        return []
    patterns = [argument for word in words for argument in ("-e", word)]
    return _names(
        run(
            root,
            "grep",
            "--untracked",
            "-l",
            "-z",
            "-F",
            "-w",
            *patterns,
            "--",
            folder,
            allowed=(0, 1),  # 1: no file matched
        )
    )


def last_commit_adding(root: Path, text: str, path: str) -> str | None:
    """The newest commit that added or removed `text` in `path`, if any."""
    found = query(root, "log", "-1", "--format=%H", "-S", text, "--", path)
    return found or None


def export(root: Path, commit: str, folder: str, into: Path) -> None:
    """Write `folder` as it is at `commit` under `into` (an empty scratch folder): each file
    byte for byte as committed, each symlink as the link it is (the layout's walker judges
    where it leads).

    The tree is read with `ls-tree` and `cat-file`, to which no attribute applies: `git
    archive` would obey the .gitattributes of the revision and of the machine, and let a
    commit drop files from what is compared (`export-ignore`), rewrite them
    (`export-subst`), or convert their line ends and run filters on them.
    """
    listing = run(root, "ls-tree", "-r", "-z", "--end-of-options", commit, "--", folder)
    files: list[tuple[str, Path]] = []
    links: list[tuple[str, Path]] = []
    for entry in _names(listing):
        info, _, name = entry.partition("\t")
        mode, kind, blob = info.split(" ")
        if kind == "blob":  # not a submodule's commit: nothing of this repository
            (links if mode == "120000" else files).append((blob, _inside(into, name, folder)))
    # Files first, links last, and every folder checked to be inside `into`: nothing is
    # written through a link, even from a tree crafted to list one name twice.
    with _cat_file(root, [blob for blob, _ in [*files, *links]]) as objects:
        try:
            for blob, path in files:
                _make_folder(into, path.parent)
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                with os.fdopen(os.open(path, flags, 0o644), "wb") as stream:
                    objects.copy(blob, stream)
            for blob, path in links:
                _make_folder(into, path.parent)
                target = io.BytesIO()
                objects.copy(blob, target)
                if b"\0" in target.getvalue():
                    raise GitError(f"the symlink {path.relative_to(into)} at {commit} is damaged")
                path.symlink_to(os.fsdecode(target.getvalue()))
        except FileExistsError as error:
            twice = Path(error.filename2 or error.filename).relative_to(into).as_posix()
            raise GitError(f"the tree at {commit} lists {twice} twice") from error


def _inside(into: Path, name: str, folder: str) -> Path:
    """Where the tree's entry `name` goes under `into`; a name that could lead elsewhere (as
    only a damaged or crafted tree holds) is refused."""
    parts = name.split("/")
    if parts[0] != folder or any(part in ("", ".", "..", ".git") for part in parts):
        raise GitError(f"git ls-tree listed the path {name!r}, which no tree may hold")
    return into.joinpath(*parts)


def _make_folder(into: Path, folder: Path) -> None:
    """`folder` and its parents, once sure that no link leads them out of `into`."""
    if not folder.resolve().is_relative_to(into.resolve()):
        raise GitError(f"the tree leads {folder.relative_to(into)} out of the export")
    folder.mkdir(parents=True, exist_ok=True)


class _Objects:
    """The objects a `git cat-file --batch` prints, in the order they were asked for."""

    def __init__(self, stdout: IO[bytes]) -> None:
        self._stdout = stdout

    def copy(self, blob: str, into: IO[bytes]) -> None:
        """The next object, which must be `blob`, into `into`, a block at a time."""
        header = self._stdout.readline().split()
        if len(header) != 3 or header[0] != blob.encode("ascii") or header[1] != b"blob":
            raise GitError(f"git cat-file failed: cannot read the blob {blob}")
        left = int(header[2])
        while left:
            block = self._stdout.read(min(left, 1 << 20))
            if not block:
                raise GitError(f"git cat-file failed: the blob {blob} ended early")
            into.write(block)
            left -= len(block)
        self._stdout.read(1)  # the newline after each object


@contextlib.contextmanager
def _cat_file(root: Path, blobs: list[str]) -> Iterator[_Objects]:
    """One `git cat-file --batch` for `blobs`; their ids come from a file (so that git never
    waits on a pipe the tool has not read yet), their contents as they are stored."""
    with tempfile.TemporaryFile() as ids, tempfile.TemporaryFile() as errors:
        ids.write("".join(f"{blob}\n" for blob in blobs).encode("ascii"))
        ids.seek(0)
        try:
            process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=root,
                stdin=ids,
                stdout=subprocess.PIPE,
                stderr=errors,
                env={**os.environ, **_ENVIRONMENT},
            )
        except FileNotFoundError as error:
            raise ExternalError("git is not installed: install git and try again") from error
        with process:
            assert process.stdout is not None  # stdout=PIPE
            try:
                yield _Objects(process.stdout)
            except BaseException:
                process.kill()
                raise
        if process.returncode != 0:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git cat-file failed: {said[-1] if said else process.returncode}")


def clone(remote: str, into: Path) -> None:
    """A clone of `remote` (a path or URL) at `into`, its files not checked out."""
    run(into.parent, "clone", "--quiet", "--no-checkout", "--", remote, str(into))


def init_bare(path: Path) -> None:
    """A new bare repository at `path`, its HEAD on main."""
    path.parent.mkdir(parents=True, exist_ok=True)
    run(path.parent, "init", "--quiet", "--bare", "--initial-branch=main", "--", str(path))


def uncommitted(root: Path, paths: list[str]) -> list[str]:
    """Files under `paths` whose changes are not committed (staged, unstaged or new)."""
    output = run(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths)
    return [entry[3:] for entry in _names(output)]


def commit_files(root: Path, paths: list[str], message: str) -> None:
    """Commit exactly `paths`, as they are in the working tree."""
    run(root, "add", "--", *paths)
    run(root, *_identity(root), "commit", "--quiet", "-m", message, "--", *paths)


def store_blob(work: Path, text: str) -> str:
    """The id of a blob holding `text` (UTF-8), stored as it is."""
    return run(work, "hash-object", "-w", "--no-filters", "--stdin", stdin=text).strip()


def store_tree(work: Path, files: dict[str, Path], blobs: dict[str, str]) -> str:
    """The id of a tree holding exactly `files` (name in the tree: file on disk) and `blobs`
    (name: id of a stored blob), each a plain file, stored byte for byte.

    `hash-object --no-filters` and `update-index` apply no attribute: a `.gitattributes` of
    the repository or of the machine (`text eol=crlf`, `filter=lfs` where git-lfs is set up,
    any clean filter) cannot change what is stored, as `git add` would let it."""
    names = sorted(files)
    stored = run(work, "hash-object", "-w", "--no-filters", "--", *(str(files[n]) for n in names))
    entries = {**dict(zip(names, stored.split(), strict=True)), **blobs}
    run(work, "read-tree", "--empty")
    run(
        work,
        "update-index",
        "--add",
        "-z",
        "--index-info",
        stdin="".join(f"100644 {blob}\t{name}\0" for name, blob in sorted(entries.items())),
    )
    return run(work, "write-tree").strip()


def tree_changes(work: Path, commit: str | None, tree: str) -> list[tuple[str, str]]:
    """(A, M or D, name) for each file that `tree` adds, changes or deletes after `commit`
    (all added when there is no commit yet), by name."""
    if commit is None:
        names = _names(run(work, "ls-tree", "-r", "-z", "--name-only", tree))
        return [("A", name) for name in names]
    fields = _names(
        run(work, "diff-tree", "-r", "-z", "--no-renames", "--name-status", commit, tree)
    )
    changes = zip(fields[0::2], fields[1::2], strict=True)
    return sorted(changes, key=lambda change: change[1])


def commit_tree(work: Path, tree: str, parent: str | None, message: str) -> str:
    """The id of a new commit of `tree` after `parent` (none: the first commit)."""
    parents = ("-p", parent) if parent else ()
    return run(work, *_identity(work), "commit-tree", *parents, "-m", message, tree).strip()


def is_ancestor(work: Path, older: str, newer: str) -> bool:
    """Whether commit `older` is `newer` or in its history."""
    return query(work, "merge-base", "--is-ancestor", older, newer) is not None


def push_atomic(work: Path, *refspecs: str) -> None:
    """Push `refspecs` to origin in one transaction: the remote updates all or none."""
    run(work, "push", "--quiet", "--atomic", "origin", *refspecs)


def tag(work: Path, name: str, message: str, commit: str = "HEAD") -> None:
    """An annotated tag `name` on `commit` (the current one unless given)."""
    run(work, *_identity(work), "tag", "--annotate", "-m", message, name, commit)


def tag_exists(root: Path, name: str) -> bool:
    """Whether the repository holding `root` has a tag `name`."""
    return query(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{name}") is not None


def _identity(work: Path) -> tuple[str, ...]:
    return () if query(work, "config", "user.email") else _IDENTITY


def _names(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]
