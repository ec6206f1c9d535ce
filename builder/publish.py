"""`claims publish`: a built folder into a dataset repository, committed and tagged v<version>.

Two targets, one promise: the Hugging Face Hub (through huggingface_hub) or any git repository
(the Hub's own storage model, and what a mirror such as olah serves). A tag, once published,
never moves: publishing a version again with the same files does nothing, with other files it
is refused. The folder is checked against its SHA256SUMS first, so what is published is what
the build wrote.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

import attrs
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError, HFValidationError

from builder import git
from builder.dataset.checksums import CHECKSUMS, sha256_file
from builder.errors import ExternalError, InvalidDataError, UsageError

REPO_TYPE = "dataset"
# Files the Hub itself adds to a new dataset repository; they are not part of a build.
HUB_FILES = frozenset({".gitattributes"})


@attrs.frozen
class Built:
    """A verified build folder: its version and its files' SHA-256 digests."""

    folder: Path
    version: str
    files: dict[str, str]

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @classmethod
    def read(cls, folder: Path) -> Built:
        """The build at `folder`, if every file is exactly what SHA256SUMS lists: nothing
        more, nothing less, no symlink, every digest right."""
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder")
        sums = folder / CHECKSUMS
        if not sums.is_file() or sums.is_symlink():
            raise UsageError(f"{folder} has no {CHECKSUMS}: is it a folder `claims build` wrote?")
        links = sorted(
            p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_symlink()
        )
        if links:
            raise InvalidDataError(
                f"{folder} holds symlinks ({', '.join(links)}), which a build never does and "
                "publishing never follows: build it again"
            )
        listed = _listed(sums)
        present = {
            path.relative_to(folder).as_posix()
            for path in folder.rglob("*")
            if path.is_file() and path.name != CHECKSUMS
        }
        if present != set(listed):
            odd = sorted(present ^ set(listed))
            raise InvalidDataError(
                f"{folder} does not match its {CHECKSUMS} (files added or missing: "
                f"{', '.join(odd)}): build it again"
            )
        for name, digest in listed.items():
            if sha256_file(folder / name) != digest:
                raise InvalidDataError(f"{folder / name} changed after the build: build it again")
        return cls(folder, _version(folder), {**listed, CHECKSUMS: sha256_file(sums)})


def _listed(sums: Path) -> dict[str, str]:
    """SHA256SUMS as {file: digest}; anything but `DIGEST  FILE` lines is a damaged build."""
    try:
        lines = sums.read_bytes().decode("utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise InvalidDataError(f"{sums} is not UTF-8: build it again") from error
    listed = {}
    for number, line in enumerate(lines, 1):
        digest, _, name = line.partition("  ")
        parts = PurePosixPath(name).parts
        if not _DIGEST.fullmatch(digest) or not parts or ".." in parts or name.startswith("/"):
            raise InvalidDataError(
                f"line {number} of {sums} is not `SHA256  FILE` with a file of the build: "
                "build it again"
            )
        listed[name] = digest
    if not listed:
        raise InvalidDataError(f"{sums} lists no file: build it again")
    return listed


def _version(folder: Path) -> str:
    """The version the build declares (croissant.json), which names the tag."""
    try:
        version = json.loads((folder / "croissant.json").read_bytes())["version"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InvalidDataError(
            f"{folder}/croissant.json does not say the build's version: build it again"
        ) from error
    if not isinstance(version, str) or not _SEMVER.fullmatch(version):
        raise InvalidDataError(
            f"{folder}/croissant.json gives the version {version!r}, not MAJOR.MINOR.PATCH"
        )
    return version


_DIGEST = re.compile(r"[0-9a-f]{64}")
_SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


# Git -------------------------------------------------------------------------------------------


# What a new Hugging Face dataset repository stores with LFS; the first publish writes it.
GITATTRIBUTES = "".join(
    f"{pattern} filter=lfs diff=lfs merge=lfs -text\n"
    for pattern in ("*.parquet", "*.arrow", "*.jsonl", "*.json", "*.zst", "*.gz")
)


def publish_git(
    built: Built, remote: str, *, dry_run: bool = False, init: bool = False
) -> list[str]:
    """Commit the build into the git repository at `remote` and tag it; return what was done.
    A local `remote` that does not exist is made, as a bare repository on main, with `init`.

    The files are stored byte for byte (no .gitattributes of the target or of the machine
    converts or filters them), and the branch and the tag are pushed in one atomic push:
    both land or neither does, and publishing again after a failure finishes the job."""
    if dry_run and init and _missing(remote):
        return [
            f"would create the bare repository {remote} (on main)",
            *(f"would commit: A {name}" for name in sorted(built.files)),
            f"would tag {built.tag} on main of {remote}",
        ]
    done = _local_target(remote, init=init)
    with tempfile.TemporaryDirectory(prefix="claims-publish-") as scratch:
        work = Path(scratch) / "repo"
        git.clone(remote, work)
        head = git.query(work, "rev-parse", "--quiet", "--verify", "HEAD^{commit}")
        if head is None:
            # The remote's HEAD names no branch (a fresh bare repository says master): publish
            # on main, continuing its history if the remote has one.
            git.run(work, "symbolic-ref", "HEAD", "refs/heads/main")
            head = git.query(work, "rev-parse", "--quiet", "--verify", "origin/main^{commit}")
        branch = git.run(work, "symbolic-ref", "--short", "HEAD").strip()
        # The tree holds exactly the build, and the repository's own .gitattributes (written
        # the first time): files of the previous version that the build lacks are deleted.
        attributes = head and git.query(
            work, "rev-parse", "--quiet", "--verify", f"{head}:.gitattributes"
        )
        tree = git.store_tree(
            work,
            {name: built.folder / name for name in built.files},
            {".gitattributes": attributes or git.store_blob(work, GITATTRIBUTES)},
        )
        tagged = git.query(
            work, "rev-parse", "--quiet", "--verify", f"{_tag_ref(built)}^{{commit}}"
        )
        if tagged is not None:
            if git.query(work, "rev-parse", f"{tagged}^{{tree}}") != tree:
                return _already(built, False, remote)
            return _finish(
                work, built, tagged=tagged, head=head, branch=branch, remote=remote, dry_run=dry_run
            )
        plan = [f"{status} {name}" for status, name in git.tree_changes(work, head, tree)]
        if dry_run:
            return [
                *(f"would commit: {line}" for line in plan),
                f"would tag {built.tag} on {branch} of {remote}",
            ]
        message = f"Release {built.tag}"
        commit = (
            head if head is not None and not plan else git.commit_tree(work, tree, head, message)
        )
        git.tag(work, built.tag, message, commit)
        _push(work, remote, f"{commit}:refs/heads/{branch}", _tag_ref(built))
        _point_head_at(remote, branch)
        return [
            *done,
            *(f"committed: {line}" for line in plan),
            f"tagged {built.tag} = {commit[:12]}",
        ]


def _tag_ref(built: Built) -> str:
    return f"refs/tags/{built.tag}"


def _finish(
    work: Path,
    built: Built,
    *,
    tagged: str,
    head: str | None,
    branch: str,
    remote: str,
    dry_run: bool,
) -> list[str]:
    """The tag is published with these files. If its commit is not on the branch while the
    branch could move to it (a push that left the tag without the branch, as before pushes
    were atomic), move the branch there: that finishes the publish."""
    if head is not None and git.is_ancestor(work, tagged, head):
        return _already(built, True, remote)
    if head is not None and not git.is_ancestor(work, head, tagged):
        return [
            f"{built.tag} is already published in {remote} with these files, but {branch} has "
            f"moved on without it: nothing to do"
        ]
    if dry_run:
        return [f"would move {branch} of {remote} to {built.tag}, which is not on it yet"]
    _push(work, remote, f"{tagged}:refs/heads/{branch}")
    _point_head_at(remote, branch)
    return [f"{built.tag} was published without {branch}: moved {branch} to it ({tagged[:12]})"]


def _push(work: Path, remote: str, *refspecs: str) -> None:
    """One atomic push of `refspecs`: the remote takes all of them or none."""
    try:
        git.push_atomic(work, *refspecs)
    except git.GitError as error:
        raise git.GitError(
            f"{error.message}; nothing was published to {remote} (the branch and the tag are "
            "pushed together or not at all): publish again once that is fixed"
        ) from error


def _local_target(remote: str, *, init: bool) -> list[str]:
    """A local target that does not exist yet: made with `init`, else a usage error saying
    how to make it."""
    if not _missing(remote):
        return []
    if not init:
        raise UsageError(
            f"{remote} does not exist: create it with `git init --bare --initial-branch=main "
            f"{remote}`, or publish with --init"
        )
    git.init_bare(Path(remote))
    return [f"created the bare repository {remote} (on main)"]


def _missing(remote: str) -> bool:
    """Whether `remote` is a local path (not a URL) where nothing exists yet."""
    url = "://" in remote or re.match(r"^[\w.-]+@[\w.-]+:", remote)
    return not url and not Path(remote).exists()


def _point_head_at(remote: str, branch: str) -> None:
    """A local bare target whose HEAD names a branch that does not exist (a fresh repository
    says master) now names the one published, so a clone checks it out without a warning."""
    target = Path(remote)
    if (
        not target.is_dir()
        or git.query(target, f"--git-dir={target}", "rev-parse", "--verify", "--quiet", "HEAD")
        is not None
    ):
        return
    git.run(target, f"--git-dir={target}", "symbolic-ref", "HEAD", f"refs/heads/{branch}")


def _already(built: Built, same: bool, where: str) -> list[str]:
    if same:
        return [f"{built.tag} is already published in {where} with these files: nothing to do"]
    raise InvalidDataError(
        f"{where} already has a tag {built.tag} with different files, and a published tag "
        "never moves: release a new version (`claims release`) and publish that"
    )


# Hugging Face Hub -------------------------------------------------------------------------------


def publish_hub(
    built: Built, repo_id: str, *, token: str | None, dry_run: bool = False
) -> list[str]:
    """Upload the build to the Hub dataset repository `repo_id` and tag the commit. A dry
    run that cannot reach the Hub still says what the build would send."""
    try:
        return _publish_hub(HfApi(token=token), built, repo_id, dry_run=dry_run)
    except HFValidationError as error:
        raise UsageError(f"{repo_id!r} is not a Hub repository id: {error}") from error
    except (*_HUB_ERRORS,) as error:
        if dry_run:
            return [
                f"could not reach the Hub to see what {repo_id} holds ({error})",
                *_dry_plan(built, repo_id, exists=None),
            ]
        raise ExternalError(f"the Hub refused or could not be reached: {error}") from error


def _dry_plan(built: Built, repo_id: str, *, exists: bool | None) -> list[str]:
    create = (
        []
        if exists
        else [
            f"would create the dataset repository {repo_id}"
            + (" (if it does not exist)" if exists is None else "")
        ]
    )
    return [
        *create,
        *(f"would upload: {name}" for name in sorted(built.files)),
        "would delete parquet shards that are not in this build",
        f"would tag {built.tag}",
    ]


# What a Hub call raises, whatever HTTP client this huggingface_hub uses (httpx, httpx2): its
# own HTTP errors, the client's (the base of those), and the OS's (no network, offline mode).
_HUB_ERRORS: tuple[type[BaseException], ...] = (
    HfHubHTTPError,
    *(base for base in HfHubHTTPError.__mro__[1:] if base.__name__ == "HTTPError"),
    OSError,
)


def _publish_hub(api: HfApi, built: Built, repo_id: str, *, dry_run: bool) -> list[str]:
    exists = api.repo_exists(repo_id, repo_type=REPO_TYPE)
    if exists:
        tags = {ref.name for ref in api.list_repo_refs(repo_id, repo_type=REPO_TYPE).tags}
        if built.tag in tags:
            remote = api.list_repo_tree(
                repo_id, recursive=True, revision=built.tag, repo_type=REPO_TYPE
            )
            return _already(built, _same_files(built, remote), repo_id)
    if dry_run:
        return _dry_plan(built, repo_id, exists=exists)
    if not exists:
        api.create_repo(repo_id, repo_type=REPO_TYPE, exist_ok=True)
    commit = api.upload_folder(
        repo_id=repo_id,
        repo_type=REPO_TYPE,
        folder_path=built.folder,
        commit_message=f"Release {built.tag}",
        delete_patterns=["*.parquet"],
    )
    api.create_tag(
        repo_id,
        tag=built.tag,
        tag_message=f"Release {built.tag}",
        revision=commit.oid,
        repo_type=REPO_TYPE,
    )
    return [
        *([] if exists else [f"created the dataset repository {repo_id}"]),
        f"uploaded {len(built.files)} files",
        f"tagged {built.tag} = {commit.oid[:12]}",
    ]


def _same_files(built: Built, remote: Iterable[Any]) -> bool:
    """Whether the Hub's files at a tag are exactly the build's: LFS files by SHA-256, small
    ones by their git blob id."""
    seen = set()
    for item in remote:
        if not hasattr(item, "blob_id") or item.path in HUB_FILES:
            continue  # a folder, or a file the Hub adds by itself
        local = built.files.get(item.path)
        if local is None:
            return False
        lfs = getattr(item, "lfs", None)
        if lfs is not None:
            if lfs.sha256 != local:
                return False
        elif item.blob_id != _blob_id(built.folder / item.path):
            return False
        seen.add(item.path)
    return seen == set(built.files)


def _blob_id(path: Path) -> str:
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
