"""The typed columns of each config, as `datasets.Features`, and the one place where a row
becomes what parquet stores.

Parquet files are written with a config's `features.arrow_schema`, whose metadata carries these
features, so `datasets.load_dataset` gives back ClassLabels and int32 offsets, not plain ints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from datasets import ClassLabel, Features, List, Value

from builder.model import CLAIM_TYPES, STANCES, VERDICTS
from builder.rows import SPAN_COLUMNS, Row

VERDICT = ClassLabel(names=list(VERDICTS))
STANCE = ClassLabel(names=list(STANCES))
CLAIM_TYPE = ClassLabel(names=list(CLAIM_TYPES))
NO_LABEL = -1  # a ClassLabel's "no label": the verdict of a claim not reviewed yet

_string = Value("string")
_offset = Value("int32")

SPAN = {name: _offset if name.startswith(("start", "end")) else _string for name in SPAN_COLUMNS}

CLAIM = Features(
    {
        "id": _string,
        "claim": _string,
        "claim_short": _string,
        "claimant": {"name": _string, "kind": _string, "role": _string},
        "claim_date": _string,
        "appearances": List({**SPAN, "language": _string, "translation": _string}),
        "topics": List(_string),
        "claim_types": List(CLAIM_TYPE),
        "verdict": VERDICT,
        "rationale": _string,
        "reviewed": _string,
        "evidence": List({**SPAN, "stance": STANCE}),
        "related": List({"claim": _string, "relation": _string}),
        "notes": _string,
    }
)

SOURCE = Features(
    {
        "id": _string,
        "title": _string,
        "publisher": _string,
        "published": _string,
        "languages": List(_string),
        "sha256": _string,
        "url": _string,
        "license": _string,
        "redistribution": _string,
        "rights": _string,
        "revisions": List({"date": _string, "sha256": _string, "reason": _string}),
        "notes": _string,
        "text": _string,
    }
)

EVIDENCE = Features(
    {
        "claim_id": _string,
        "claim": _string,
        "verdict": VERDICT,
        **SPAN,
        "stance": STANCE,
    }
)

# What the columns that are not record fields mean; record fields are described by the schemas.
DERIVED_COLUMNS = {
    "start_utf8": "UTF-8 byte offset of `start` (for Rust, Arrow and other byte-indexed readers).",
    "end_utf8": "UTF-8 byte offset of `end`.",
    "start_utf16": "UTF-16 code unit offset of `start` (what JavaScript strings count).",
    "end_utf16": "UTF-16 code unit offset of `end`.",
    "prefix": "Up to 32 characters of source text just before the span.",
    "suffix": "Up to 32 characters of source text just after the span.",
    "verdict": "The review's verdict as a class label: "
    + ", ".join(f"{i} {name}" for i, name in enumerate(VERDICTS))
    + "; -1 when the claim is not reviewed yet.",
    "stance": "How the evidence bears on the claim, as a class label: "
    + ", ".join(f"{i} {name}" for i, name in enumerate(STANCES))
    + ".",
    "claim_types": "What kind of claim it is, in AVeriTeC's types, as class labels: "
    + ", ".join(f"{i} {name}" for i, name in enumerate(CLAIM_TYPES))
    + "; empty where the curator has not said.",
    "claim_id": "Id of the claim the evidence is for.",
    "text": "The full source text, exactly as stored (offsets count its code points); null "
    "where the source's rights allow quotes only.",
}


Encode = Callable[[Any], Any]


def encoder(features: Features) -> Callable[[Row], dict[str, Any]]:
    """How a row of these features becomes what parquet stores: class labels as numbers, a
    missing one as -1, everything else as it is.

    The same result as `Features.encode_example`, which walks the features again for every
    value and was most of a build's time; this walk is made once per split, and a column with
    no class label in it is passed through whole.
    """
    columns = {name: _encoder(feature) for name, feature in features.items()}
    return lambda row: {name: encode(row[name]) for name, encode in columns.items()}


def _encoder(feature: Any) -> Encode:
    if not _has_label(feature):
        return _same
    if isinstance(feature, ClassLabel):
        index = {name: number for number, name in enumerate(feature.names)}
        return lambda value: NO_LABEL if value is None else index[value]
    if isinstance(feature, List):
        item = _encoder(feature.feature)
        return lambda value: None if value is None else [item(v) for v in value]
    fields = {name: _encoder(inner) for name, inner in feature.items()}
    return lambda value: None if value is None else {n: f(value.get(n)) for n, f in fields.items()}


def _has_label(feature: Any) -> bool:
    if isinstance(feature, ClassLabel):
        return True
    if isinstance(feature, List):
        return _has_label(feature.feature)
    return isinstance(feature, dict) and any(_has_label(inner) for inner in feature.values())


def _same(value: Any) -> Any:
    return value
