"""Parquet shards of one config, written with pyarrow from the config's `Features`.

Shards are named as the Hub names them (`claims/train-00000-of-00001.parquet`), and carry the
features in their schema metadata.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from builder.build.rows import Row

SHARD_ROWS = 100_000


@attrs.frozen
class SplitFiles:
    """What was written for one split: its shards (relative paths), rows, size in memory
    (Arrow) and on disk (parquet), as the card's `dataset_info` reports them."""

    name: str
    paths: tuple[str, ...]
    num_examples: int
    num_bytes: int
    file_bytes: int


def write_split(
    out: Path, config: str, split: str, rows: list[Row], features: Features
) -> SplitFiles:
    """Write `rows` as `SHARD_ROWS`-row shards; an empty split still gets one (empty) shard,
    so that every split declared in the card loads."""
    schema = features.arrow_schema
    chunks = [rows[i : i + SHARD_ROWS] for i in range(0, len(rows), SHARD_ROWS)] or [[]]
    paths = []
    num_bytes = file_bytes = 0
    (out / config).mkdir(parents=True, exist_ok=True)
    for index, chunk in enumerate(chunks):
        table = pa.Table.from_pylist(_encoded(chunk, features), schema=schema)
        relative = f"{config}/{split}-{index:05d}-of-{len(chunks):05d}.parquet"
        pq.write_table(table, out / relative, compression="zstd")
        paths.append(relative)
        num_bytes += table.nbytes
        file_bytes += (out / relative).stat().st_size
    return SplitFiles(split, tuple(paths), len(rows), num_bytes, file_bytes)


def _encoded(rows: Iterable[Row], features: Features) -> list[Row]:
    return [features.encode_example(row) for row in rows]
