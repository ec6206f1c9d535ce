"""`claims build`: a validated repository as a Hugging Face dataset folder, `OUT/<version>/`.

One pass: claim rows stream from the repository (`rows`) into every config's parquet shards
(`configs`, `parquet`), written in record batches so memory stays bounded, while the card's
statistics are counted and ClaimReview JSON-LD (`claimreview`) written; then source rows; then
the files that describe them: the dataset card (`card`), Croissant metadata (`croissant`) and
SHA256SUMS (`checksums`). The folder appears only once complete (`writing.atomic_folder`). The
same inputs give byte-identical files: rows are sorted, and nothing reads the clock, the time
zone or the output path.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from builder import changelog, state
from builder.dataset.about import licensing
from builder.dataset.annotations import annotation_lines
from builder.dataset.card import Stats, card_licence, citation, render_card
from builder.dataset.checksums import CHECKSUMS, sha256_file, write_checksums
from builder.dataset.claimreview import claim_review_line, publishable
from builder.dataset.configs import CONFIGS, Config
from builder.dataset.croissant import render_croissant
from builder.dataset.parquet import SplitFiles, SplitWriter
from builder.errors import InvalidDataError, UsageError
from builder.layout import CHANGELOG, DATASET, RECORDS, Layout
from builder.model import Repository
from builder.progress import Tick, silent
from builder.rows import Row, claim_rows, source_rows
from builder.writing import atomic_folder


def build(
    layout: Layout,
    repository: Repository,
    out: Path,
    say: Callable[[str], None] = lambda _: None,
    tick: Tick = silent,
) -> Path:
    """Write the dataset for a repository that passed validation; return `OUT/<version>`.
    `say` is told of the remains of an interrupted build, cleaned up first."""
    assert repository.dataset is not None, "the build runs on validated repositories only"
    metadata = repository.dataset
    if not repository.claims:
        raise InvalidDataError(f"{RECORDS}/ holds no claims: there is nothing to build")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder: choose a folder")
    entries = changelog.read(layout.path(CHANGELOG))
    target = layout.output(out / metadata.version)
    with atomic_folder(target, CHECKSUMS, state.of_output(target, layout.root), say) as folder:
        stats = Stats()
        written = _write_tables(folder, repository, stats, say, tick)
        shards = {
            path: sha256_file(folder / path)
            for splits in written.values()
            for split in splits
            for path in split.paths
        }
        _write(folder / "README.md", render_card(repository, stats, written, entries))
        if card_licence(repository, metadata)["license"] == "other":
            _write(folder / "LICENSE.md", licensing(repository, metadata) + "\n")
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
    folder: Path,
    repository: Repository,
    stats: Stats,
    say: Callable[[str], None],
    tick: Tick,
) -> dict[str, list[SplitFiles]]:
    """Every config's parquet shards, claimreview.jsonl and annotations.jsonl, in one pass over
    the claims.

    Splits and configs without rows are left out (an empty parquet file does not load), such
    as `evidence` before the first review.
    """
    metadata = repository.dataset
    assert metadata is not None
    writers: dict[tuple[str, str], SplitWriter] = {}

    def write(config: Config, row: Row) -> None:
        for name, out in config.rows(row, metadata):
            if (config.name, name) not in writers:
                writers[config.name, name] = SplitWriter(folder, config.name, name, config.features)
            writers[config.name, name].add(out)

    with contextlib.ExitStack() as files:
        annotations = files.enter_context((folder / "annotations.jsonl").open("wb"))
        reviews = (
            files.enter_context((folder / "claimreview.jsonl").open("wb"))
            if publishable(metadata)
            else None
        )
        for claim in claim_rows(repository):
            tick()
            stats.add(claim)
            for config in CONFIGS:
                if config.over == "claims":
                    write(config, claim)
            if reviews is not None and claim["verdict"] is not None:
                reviews.write(claim_review_line(repository, claim).encode("utf-8"))
            for line in annotation_lines(repository, claim):
                annotations.write(line.encode("utf-8"))
    if not publishable(metadata):
        say(
            "claimreview.jsonl left out: ClaimReview needs a url for each review; set homepage "
            f"and claim_url (https://.../{{id}}.html) in {DATASET}"
        )
    for source in source_rows(repository):
        for config in CONFIGS:
            if config.over == "sources":
                write(config, source)
    weights = (*metadata.split_weights, *metadata.labelled_split_weights)
    order = list(dict.fromkeys([name for name, _ in weights] + ["train"]))
    written = {
        config.name: [writers[config.name, s].close() for s in order if (config.name, s) in writers]
        for config in CONFIGS
    }
    return {name: splits for name, splits in written.items() if splits}


def _write(path: Path, text: str) -> None:
    """UTF-8 with `\n` line ends on every platform, for byte-identical builds."""
    path.write_bytes(text.encode("utf-8"))
