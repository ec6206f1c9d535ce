"""Parquet shards of one config and split, written with pyarrow from the config's `Features`.

Rows stream in and are written in record batches, so memory stays bounded however many rows
there are. Shards are named as the Hub names them (`claims/train-00000-of-00001.parquet`) and
carry the features in their schema metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from builder.dataset.features import encoder
from builder.rows import Row

SHARD_ROWS = 100_000
BATCH_ROWS = 5_000


@attrs.frozen
class SplitFiles:
    """What was written for one split: its shards (relative paths), rows, size in memory
    (Arrow) and on disk (parquet), as the card's `dataset_info` reports them."""

    name: str
    paths: tuple[str, ...]
    num_examples: int
    num_bytes: int
    file_bytes: int


class SplitWriter:
    """Writes the rows of one split into shards of at most SHARD_ROWS rows. Shards are named
    for their final count only when the split is closed (`-of-NNNNN`), so rows can stream in
    without being counted first."""

    def __init__(self, out: Path, config: str, split: str, features: Features) -> None:
        self._out, self._encode, self._schema = out, encoder(features), features.arrow_schema
        self._config, self._name = config, split
        self._batch: list[dict[str, Any]] = []
        self._written = self._num_bytes = 0
        self._shards: list[Path] = []
        self._writer: pq.ParquetWriter | None = None
        (out / config).mkdir(parents=True, exist_ok=True)

    def add(self, row: Row) -> None:
        self._batch.append(self._encode(row))
        shard_full = (self._written + len(self._batch)) % SHARD_ROWS == 0
        if len(self._batch) == BATCH_ROWS or shard_full:
            self._flush()

    def close(self) -> SplitFiles:
        self._flush()
        if self._writer is not None:
            self._writer.close()
        count = len(self._shards)
        paths = []
        for index, shard in enumerate(self._shards):
            path = f"{self._config}/{self._name}-{index:05d}-of-{count:05d}.parquet"
            shard.rename(self._out / path)
            paths.append(path)
        size = sum((self._out / path).stat().st_size for path in paths)
        return SplitFiles(self._name, tuple(paths), self._written, self._num_bytes, size)

    def _flush(self) -> None:
        if not self._batch:
            return
        if self._writer is None or self._written % SHARD_ROWS == 0:
            if self._writer is not None:
                self._writer.close()
            shard = self._out / self._config / f".{self._name}-{len(self._shards):05d}.partial"
            self._shards.append(shard)
            self._writer = pq.ParquetWriter(shard, self._schema, compression="zstd")
        table = pa.Table.from_pylist(self._batch, schema=self._schema)
        self._writer.write_table(table)
        self._written += len(self._batch)
        self._num_bytes += table.nbytes
        self._batch = []
