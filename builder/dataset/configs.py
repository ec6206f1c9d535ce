"""The configurations of the built dataset, one object each: its columns, what it holds, and
how its rows and their splits follow from the claims or the sources.

Adding a config is adding one `Config` to `CONFIGS`: the pipeline writes it, the card and the
Croissant metadata describe it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

import attrs
from datasets import Features

from builder.dataset import features
from builder.model import DatasetMetadata
from builder.rows import Row
from builder.splits import split_of

Split = str
RowsOf = Callable[[Row, DatasetMetadata], Iterable[tuple[Split, Row]]]


@attrs.frozen
class Config:
    """One configuration. `rows` turns one claim row (or source row, as `over` says) into this
    config's rows, each with its split, which the config chooses (`splits.split_of` with the
    dataset's declared weights)."""

    name: str
    features: Features
    about: str
    over: Literal["claims", "sources"]
    rows: RowsOf


def _claims(claim: Row, metadata: DatasetMetadata) -> Iterable[tuple[Split, Row]]:
    yield split_of(claim["id"], metadata.split_weights), claim


def _labelled(claim: Row, metadata: DatasetMetadata) -> Iterable[tuple[Split, Row]]:
    """The reviewed claims only, in their own hash-stable splits."""
    if claim["verdict"] is not None:
        yield split_of(claim["id"], metadata.labelled_split_weights), claim


def _evidence(claim: Row, metadata: DatasetMetadata) -> Iterable[tuple[Split, Row]]:
    """One row per (claim, evidence span); it stays in its claim's split."""
    split = split_of(claim["id"], metadata.split_weights)
    for evidence in claim["evidence"]:
        yield (
            split,
            {
                "claim_id": claim["id"],
                "claim": claim["claim"],
                "verdict": claim["verdict"],
                **evidence,
            },
        )


def _sources(source: Row, _metadata: DatasetMetadata) -> Iterable[tuple[Split, Row]]:
    yield "train", source


CLAIMS = Config("claims", features.CLAIM, "the default, one row per claim", "claims", _claims)
SOURCES = Config(
    "sources",
    features.SOURCE,
    "one row per source document, with its full text where its rights allow",
    "sources",
    _sources,
)
EVIDENCE = Config(
    "evidence",
    features.EVIDENCE,
    "one row per claim and evidence span, ready for training claim-verification models",
    "claims",
    _evidence,
)
LABELLED = Config(
    "labelled",
    features.CLAIM,
    "the reviewed claims only, their verdict always set, in hash-stable train and test splits",
    "claims",
    _labelled,
)

CONFIGS = (CLAIMS, SOURCES, EVIDENCE, LABELLED)
DEFAULT = CLAIMS
BY_NAME = {config.name: config for config in CONFIGS}
