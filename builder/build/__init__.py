"""`claims build`: the validated repository as a Hugging Face dataset folder, `OUT/<version>/`.

The pipeline is one pass: rows stream from the repository (`rows`) into parquet shards per
config and split (`parquet`), written in record batches so memory stays bounded, while the
card's statistics are counted and ClaimReview JSON-LD (`claimreview`) written; then the files
that describe them: the dataset card (`card`), Croissant metadata (`croissant`) and SHA256SUMS
(`output`). The same inputs give byte-identical files: rows are sorted, and nothing reads
the clock, the time zone or the output path.
"""

from __future__ import annotations

import collections
from pathlib import Path

from builder import changelog
from builder.build.card import Stats, citation, render_card
from builder.build.claimreview import claim_review_line
from builder.build.croissant import render_croissant
from builder.build.features import FEATURES
from builder.build.output import atomic_folder, sha256_file, write_checksums
from builder.build.parquet import SplitFiles, SplitWriter
from builder.build.rows import claim_rows, evidence_rows, source_rows
from builder.build.splits import split_of
from builder.model import Repository


class NothingToBuildError(Exception):
    """The repository holds no claims: there is no dataset to write."""


def build(root: Path, repository: Repository, out: Path) -> Path:
    """Write the dataset for a repository that passed validation; return `OUT/<version>`."""
    assert repository.dataset is not None, "the build runs on validated repositories only"
    metadata = repository.dataset
    if not repository.claims:
        raise NothingToBuildError("claims/records/ holds no claims: there is nothing to build")
    entries = changelog.read(root)
    target = out / metadata.version
    with atomic_folder(target) as folder:
        stats = Stats()
        written = _write_tables(folder, repository, stats)
        shards = {
            path: sha256_file(folder / path)
            for splits in written.values()
            for split in splits
            for path in split.paths
        }
        _write(folder / "README.md", render_card(repository, stats, written, entries))
        _write(
            folder / "croissant.json",
            render_croissant(
                metadata,
                citation(metadata, entries),
                changelog.release_date(entries, metadata.version),
                written,
                shards,
            ),
        )
        write_checksums(folder)
    return target


def _write_tables(
    folder: Path, repository: Repository, stats: Stats
) -> dict[str, list[SplitFiles]]:
    """Every config's parquet shards, and claimreview.jsonl, in one pass over the claims.

    Splits and configs without rows are left out (an empty parquet file does not load), such
    as `evidence` before the first review.
    """
    assert repository.dataset is not None
    weights = repository.dataset.splits
    split = {claim.id: split_of(claim.id, weights) for claim in repository.claims}
    counts = {"claims": collections.Counter(split.values()), "evidence": collections.Counter()}
    for claim in repository.claims:
        counts["evidence"][split[claim.id]] += len(claim.review.evidence) if claim.review else 0
    writers = {
        (config, name): SplitWriter(folder, config, name, counts[config][name], FEATURES[config])
        for config in ("claims", "evidence")
        for name, _ in weights
        if counts[config][name]
    }
    with (folder / "claimreview.jsonl").open("wb") as reviews:
        for row in claim_rows(repository):
            stats.add(row)
            writers["claims", split[row["id"]]].add(row)
            for evidence in evidence_rows([row]):
                writers["evidence", split[row["id"]]].add(evidence)
            if row["verdict"] != -1:
                reviews.write(claim_review_line(repository, row).encode("utf-8"))
    sources = list(source_rows(repository))
    writers["sources", "train"] = SplitWriter(
        folder, "sources", "train", len(sources), FEATURES["sources"]
    )
    for row in sources:
        writers["sources", "train"].add(row)
    written: dict[str, list[SplitFiles]] = {}
    for (config, _), writer in writers.items():
        written.setdefault(config, []).append(writer.close())
    return {name: written[name] for name in ("claims", "sources", "evidence") if name in written}


def _write(path: Path, text: str) -> None:
    """UTF-8 with `\n` line ends on every platform, for byte-identical builds."""
    path.write_bytes(text.encode("utf-8"))
