"""The claims of one version of the dataset, from wherever that version is: a built folder, a
claims repository on disk, or a git revision of one.

All three give the same shape, the rows of the `claims` config (verdict and stance as names)
plus each claim's split, so that `claims diff` and `claims release` compare like with like.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow.parquet as pq

from builder.build.rows import Row, SpanRows, claim_row
from builder.build.splits import split_of
from builder.model import STANCES, VERDICTS
from builder.validation import validate

Snapshot = dict[str, Row]


class SnapshotError(Exception):
    """A version that cannot be read: not a build, not a repository, not a git revision."""


def snapshot(where: str, root: Path) -> Snapshot:
    """Claims by id: `where` is a built folder, a repository folder, or a git revision of the
    repository at `root`."""
    path = Path(where)
    if (path / "claims").is_dir() and any((path / "claims").glob("*.parquet")):
        return from_build(path)
    if (path / "claims" / "dataset.yaml").is_file():
        return from_repository(path)
    return from_git(root, where)


def from_build(folder: Path) -> Snapshot:
    claims: Snapshot = {}
    for shard in sorted((folder / "claims").glob("*.parquet")):
        split = shard.name.split("-", 1)[0]
        for row in pq.read_table(shard).to_pylist():
            claims[row["id"]] = {**_names(row), "split": split}
    return claims


def from_repository(root: Path, label: str | None = None, *, valid: bool = False) -> Snapshot:
    """The claims of the repository at `root`. With `valid`, a repository with errors is
    refused (a release); without, a record that does not load still shows, as its problems."""
    result = validate(root)
    if valid and not result.success():
        raise SnapshotError(
            f"{label or root} has {result.errors} errors: run `claims validate` on it first"
        )
    repository = result.repository
    weights = repository.dataset.splits if repository.dataset else (("train", 1),)
    spans = SpanRows(repository.sources)
    claims: Snapshot = {
        claim.id: {**claim_row(claim, spans), "split": split_of(claim.id, weights)}
        for claim in repository.claims
    }
    loaded = {claim.origin.path for claim in repository.claims if claim.origin is not None}
    for problem in result.problems:
        stem = PurePosixPath(problem.file).stem
        if problem.file.startswith("claims/records/") and problem.file not in loaded:
            claims.setdefault(stem, {"id": stem, "problems": []})["problems"].append(
                f"{problem.code} {problem.message}"
            )
    return claims


def from_git(root: Path, revision: str, *, valid: bool = False) -> Snapshot:
    """The repository as it was at `revision`, read from `git archive` into a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="claims-snapshot-") as scratch:
        archive = Path(scratch) / "archive.tar"
        result = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "archive",
                "--format=tar",
                f"--output={archive}",
                revision,
                "claims",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            message = result.stderr.strip().splitlines()[-1:] or ["git archive failed"]
            raise SnapshotError(
                f"{revision!r} is neither a built dataset folder, a claims repository, nor a git "
                f"revision with a claims/ folder in {root} ({message[0]})"
            )
        with tarfile.open(archive) as tar:
            tar.extractall(Path(scratch) / "tree", filter="data")
        return from_repository(Path(scratch) / "tree", label=f"revision {revision}", valid=valid)


def _names(row: dict[str, Any]) -> Row:
    """A parquet row with class labels as names, as the repository's rows have them."""
    verdict = row["verdict"]
    return {
        **row,
        "verdict": VERDICTS[verdict] if verdict is not None and verdict >= 0 else -1,
        "evidence": [{**e, "stance": STANCES[e["stance"]]} for e in row["evidence"]],
    }
