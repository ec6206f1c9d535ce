"""Which files a change touches: `claims validate --changed-since REF`.

The files under claims/ that differ from a git revision (committed, staged, unstaged or new),
plus every record that mentions a changed claim or source by id, since a renamed, removed or
re-anchored target breaks the records pointing at it. A change to dataset.yaml or topics.yaml
concerns every record, so it selects the whole repository.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from builder.repository import CLAIMS_DIR, Selection

REPOSITORY_WIDE = frozenset({f"{CLAIMS_DIR}/dataset.yaml", f"{CLAIMS_DIR}/topics.yaml"})


class ChangesError(Exception):
    """git could not say what changed (not a git repository, unknown revision)."""


def changed_since(root: Path, revision: str) -> Selection:
    try:
        return _changed_since(root, revision)
    except ChangesError as error:
        raise ChangesError(f"cannot list the changes since {revision!r}: {error}") from error


def _changed_since(root: Path, revision: str) -> Selection:
    changed = set(
        _git_lines(
            root, "diff", "--relative", "--name-only", "--no-renames", revision, "--", CLAIMS_DIR
        )
    )
    changed |= set(_git_lines(root, "ls-files", "--others", "--exclude-standard", "--", CLAIMS_DIR))
    if changed & REPOSITORY_WIDE:
        return Selection(folders=frozenset({f"{CLAIMS_DIR}/"}))
    ids = sorted({PurePosixPath(path).stem for path in changed if _is_record_or_source(path)})
    mentioning: list[str] = []
    if ids:
        patterns = [argument for claim_id in ids for argument in ("-e", claim_id)]
        mentioning = _git_lines(
            root,
            "grep",
            "--untracked",
            "-l",
            "-F",
            "-w",
            *patterns,
            "--",
            f"{CLAIMS_DIR}/records",
            allow_no_match=True,
        )
    # A source is its two files: a changed text is checked against its metadata, and back.
    pairs = {
        f"{CLAIMS_DIR}/sources/{PurePosixPath(path).stem}{suffix}"
        for path in changed
        if path.startswith(f"{CLAIMS_DIR}/sources/")
        for suffix in (".txt", ".yaml")
    }
    present = {path for path in changed | pairs | set(mentioning) if (root / path).is_file()}
    return Selection(files=frozenset(present))


def _is_record_or_source(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return len(parts) > 2 and parts[1] in {"records", "sources"}


def _git_lines(root: Path, *args: str, allow_no_match: bool = False) -> list[str]:
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
    )
    if result.returncode == 1 and allow_no_match and not result.stderr:
        return []
    if result.returncode != 0:
        raise ChangesError((result.stderr.strip().splitlines() or [f"git {args[0]} failed"])[-1])
    return [line for line in result.stdout.splitlines() if line]
