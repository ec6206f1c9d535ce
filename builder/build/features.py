"""The typed columns of each config, as `datasets.Features`.

Parquet files are written with `FEATURES[config].arrow_schema`, whose metadata carries these
features, so `datasets.load_dataset` gives back ClassLabels and int32 offsets, not plain ints.
"""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from builder.model import STANCES, VERDICTS

CONFIGS = ("claims", "sources", "evidence")
DEFAULT_CONFIG = "claims"

VERDICT = ClassLabel(names=list(VERDICTS))
STANCE = ClassLabel(names=list(STANCES))

_string = Value("string")
_offset = Value("int32")

SPAN = {
    "source": _string,
    "start": _offset,
    "end": _offset,
    "quote": _string,
    "start_utf8": _offset,
    "end_utf8": _offset,
    "start_utf16": _offset,
    "end_utf16": _offset,
    "prefix": _string,
    "suffix": _string,
}

FEATURES = {
    "claims": Features(
        {
            "id": _string,
            "claim": _string,
            "claimant": {"name": _string, "kind": _string, "role": _string},
            "claim_date": _string,
            "appearances": List({**SPAN, "language": _string, "translation": _string}),
            "topics": List(_string),
            "verdict": VERDICT,
            "rationale": _string,
            "reviewed": _string,
            "evidence": List({**SPAN, "stance": STANCE}),
            "related": List({"claim": _string, "relation": _string}),
            "notes": _string,
        }
    ),
    "sources": Features(
        {
            "id": _string,
            "title": _string,
            "publisher": _string,
            "published": _string,
            "languages": List(_string),
            "sha256": _string,
            "url": _string,
            "rights": _string,
            "revisions": List({"date": _string, "sha256": _string, "reason": _string}),
            "notes": _string,
            "text": _string,
        }
    ),
    "evidence": Features(
        {
            "claim_id": _string,
            "claim": _string,
            "verdict": VERDICT,
            **SPAN,
            "stance": STANCE,
        }
    ),
}

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
    "claim_id": "Id of the claim the evidence is for.",
    "text": "The full source text, exactly as stored (offsets count its code points).",
}
