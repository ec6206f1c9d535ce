"""`claims build`: the validated repository as a Hugging Face dataset folder, `OUT/<version>/`.

The pipeline is one pass: rows from the repository (`rows`), parquet shards per config and
split (`parquet`), then the files that describe them: the dataset card (`card`), Croissant
metadata (`croissant`), ClaimReview JSON-LD (`claimreview`) and SHA256SUMS (`output`). The
same inputs give byte-identical files: rows are sorted, and nothing reads the clock, the time
zone or the output path.
"""

from __future__ import annotations

from pathlib import Path

from builder import changelog
from builder.build.card import citation, render_card
from builder.build.claimreview import render_claimreviews
from builder.build.croissant import render_croissant
from builder.build.features import FEATURES
from builder.build.output import atomic_folder, sha256_file, write_checksums
from builder.build.parquet import write_split
from builder.build.rows import Row, claim_rows, evidence_rows, source_rows
from builder.build.splits import split_of
from builder.model import Repository


class NothingToBuildError(Exception):
    """The repository holds no claims: there is no dataset to write."""


def build(root: Path, repository: Repository, out: Path) -> Path:
    """Write the dataset for a repository that passed validation; return `OUT/<version>`."""
    assert repository.dataset is not None, "the build runs on validated repositories only"
    metadata = repository.dataset
    claims = list(claim_rows(repository))
    if not claims:
        raise NothingToBuildError("claims/records/ holds no claims: there is nothing to build")
    entries = changelog.read(root)
    target = out / metadata.version
    with atomic_folder(target) as folder:
        written = {
            config: [
                write_split(folder, config, split, rows, FEATURES[config])
                for split, rows in splits.items()
            ]
            for config, splits in _tables(repository, claims).items()
        }
        shards = {
            path: sha256_file(folder / path)
            for splits in written.values()
            for split in splits
            for path in split.paths
        }
        _write(folder / "claimreview.jsonl", render_claimreviews(repository, claims))
        _write(folder / "README.md", render_card(repository, claims, written, entries))
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


def _tables(repository: Repository, claims: list[Row]) -> dict[str, dict[str, list[Row]]]:
    """Rows by config and split. Splits without rows are left out (an empty parquet file does
    not load), and so is a config without any, such as `evidence` before the first review."""
    assert repository.dataset is not None
    weights = repository.dataset.splits
    by_split: dict[str, list[Row]] = {name: [] for name, _ in weights}
    for claim in claims:
        by_split[split_of(claim["id"], weights)].append(claim)
    tables = {
        "claims": by_split,
        "sources": {"train": list(source_rows(repository))},
        "evidence": {name: list(evidence_rows(rows)) for name, rows in by_split.items()},
    }
    kept = {
        config: {split: rows for split, rows in splits.items() if rows}
        for config, splits in tables.items()
    }
    return {config: splits for config, splits in kept.items() if splits}


def _write(path: Path, text: str) -> None:
    """UTF-8 with `\n` line ends on every platform, for byte-identical builds."""
    path.write_bytes(text.encode("utf-8"))
