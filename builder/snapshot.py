"""The claims of one version of the dataset, from wherever that version is: a built folder, a
claims repository on disk, or a git revision of one.

All three give the same shape: claim rows (`rows.claim_row`, verdict and stance as names, None
for a claim not reviewed) with each claim's splits, source rows without their texts (the
sha256 stands for the text), and the dataset metadata (a repository's only: a build does not
keep dataset.yaml), so that `claims diff` and `claims release` compare like with like.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from builder import extras, git
from builder.dataset.checksums import CHECKSUMS
from builder.errors import InvalidDataError, UsageError
from builder.layout import CLAIMS, RECORDS, Layout
from builder.loader import Document, load_file
from builder.model import STANCES, VERDICTS
from builder.rows import Row, SpanRows, claim_row, source_rows
from builder.splits import split_of
from builder.validation import Result, validate

Rows = dict[str, Row]


@attrs.frozen
class Snapshot:
    claims: Rows
    sources: Rows = attrs.Factory(dict)
    metadata: dict[str, Any] | None = None


def snapshot(where: str, root: Path) -> Snapshot:
    """Claims by id: `where` is a built folder, a repository folder, or a git revision of the
    repository at `root`."""
    path = Path(where)
    built, layout = (path / CHECKSUMS).is_file(), Layout(path)
    if (built or layout.is_repository()) and _also_a_revision(root, where):
        raise UsageError(
            f"{where!r} is both a folder and a git revision of {root}: write ./{where} for the "
            f"folder, or {where}^{{commit}} for the revision"
        )
    if built:
        return from_build(path)
    if layout.is_repository():
        return from_repository(layout)
    try:
        return from_git(root, where)
    except UsageError as error:
        raise UsageError(
            f"{where!r} is neither a built dataset folder, a claims repository, nor a git "
            f"revision with a {CLAIMS}/ folder in {root} ({error.message})"
        ) from error


def _also_a_revision(root: Path, where: str) -> bool:
    """Whether `where`, a folder's name as given, also names a commit of the repository at
    `root`, unless it is written as a path (`.`, `./x`, `../x`, `/x`), which no revision is.
    A pull request can commit a folder named like a branch: the folder must not win."""
    if where in (".", "..") or where.startswith(("./", "../", "/")):
        return False
    try:
        git.commit_of(root, where)
    except UsageError:
        return False
    return True


def from_build(folder: Path) -> Snapshot:
    # pyarrow only for a built folder: comparing repositories and revisions does without it.
    pq = extras.require("pyarrow.parquet", "claims diff of a built folder")

    def shards(config: str) -> list[tuple[str, list[dict[str, Any]]]]:
        return [
            (shard.name.split("-", 1)[0], pq.read_table(shard).to_pylist())
            for shard in sorted((folder / config).glob("*.parquet"))
        ]

    labelled = {row["id"]: split for split, rows in shards("labelled") for row in rows}
    claims = {
        row["id"]: {**_names(row), "split": split, "labelled_split": labelled.get(row["id"])}
        for split, rows in shards("claims")
        for row in rows
    }
    sources = {
        row["id"]: {k: v for k, v in row.items() if k != "text"}
        for _, rows in shards("sources")
        for row in rows
    }
    return Snapshot(claims, sources)


def from_repository(layout: Layout, label: str | None = None, *, valid: bool = False) -> Snapshot:
    """The claims of the repository. With `valid`, a repository with errors is refused (a
    release); without, a record that does not load still shows, as its problems."""
    result = validate(layout)
    if valid and not result.success():
        raise InvalidDataError(
            f"{label or layout.root} has {result.errors} errors: run `claims validate` on it first"
        )
    return claims_of(result, layout)


def claims_of(result: Result, layout: Layout | None = None) -> Snapshot:
    """The claims of a validation run; a record that did not load shows as its problems.

    With `layout`, a source whose metadata does not pass today's schema (an older release,
    written before a field became required) still gives its text to the spans that quote it
    and its metadata as written, so that comparing with it shows what changed, not noise.
    """
    repository = result.repository
    metadata = repository.dataset
    weights = metadata.split_weights if metadata else (("train", 1),)
    labelled = metadata.labelled_split_weights if metadata else (("train", 1),)
    unread = _unread_sources(layout, repository.unreadable_sources) if layout else {}
    spans = SpanRows(repository.sources, {i: text for i, (_, text) in unread.items()})
    claims: Rows = {
        claim.id: {
            **claim_row(claim, spans),
            "split": split_of(claim.id, weights),
            "labelled_split": split_of(claim.id, labelled) if claim.review else None,
        }
        for claim in repository.claims
    }
    loaded = {claim.origin.path for claim in repository.claims}
    for problem in result.problems:
        stem = PurePosixPath(problem.file).stem
        if problem.file.startswith(f"{RECORDS}/") and problem.file not in loaded:
            claims.setdefault(stem, {"id": stem, "problems": []})["problems"].append(
                f"{problem.code} {problem.message}"
            )
    sources = {
        row["id"]: {k: v for k, v in row.items() if k != "text"} for row in source_rows(repository)
    }
    sources |= {source_id: written for source_id, (written, _) in unread.items()}
    data = None if metadata is None else metadata.to_data()
    return Snapshot(claims, sources, data)


def _unread_sources(layout: Layout, ids: Iterable[str]) -> dict[str, tuple[Row, str]]:
    """Metadata as written and text of each source in `ids`, where both can be read."""
    found = {}
    listing = layout.list()
    for source_id in sorted(ids):
        files = listing.sources.get(source_id)
        if files is None or files.metadata is None or files.text is None:
            continue
        loaded = load_file(layout.path(files.metadata), files.metadata)
        text = layout.read_source_text(files.text)
        if isinstance(loaded, Document) and isinstance(text, str):
            found[source_id] = ({"id": source_id, "revisions": [], **loaded.data}, text)
    return found


def from_git(root: Path, revision: str, *, valid: bool = False) -> Snapshot:
    """The repository as it was at `revision`, exported from git into a scratch folder."""
    commit = git.commit_of(root, revision)
    with tempfile.TemporaryDirectory(prefix="claims-snapshot-") as scratch:
        tree = Path(scratch) / "tree"
        git.export(root, commit, CLAIMS, tree)
        return from_repository(Layout(tree), label=f"revision {revision}", valid=valid)


def _names(row: dict[str, Any]) -> Row:
    """A parquet row with class labels as names, as the repository's rows have them."""
    verdict = row["verdict"]
    return {
        **row,
        "verdict": VERDICTS[verdict] if verdict is not None and verdict >= 0 else None,
        "evidence": [{**e, "stance": STANCES[e["stance"]]} for e in row["evidence"]],
    }
