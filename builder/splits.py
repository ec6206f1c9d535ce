"""Which split a claim belongs to: a pure function of its id and the declared weights.

A claim never moves between splits as the dataset grows, so a model never sees in training a
claim that an earlier version held out for testing. Changing the weights does move claims; that
is a breaking change and `claims release` treats it as one (the split is part of each claim).
"""

from __future__ import annotations

import hashlib

# 2**64 buckets: weights up to millions still divide it with negligible bias.
_BUCKETS = 1 << 64


def split_of(claim_id: str, weights: tuple[tuple[str, int], ...]) -> str:
    """The split for `claim_id`, chosen by the first 8 bytes of its SHA-256 in proportion to
    `weights` (in their declared order)."""
    digest = hashlib.sha256(claim_id.encode("utf-8")).digest()
    point = int.from_bytes(digest[:8], "big") * sum(weight for _, weight in weights) // _BUCKETS
    for name, weight in weights:
        if point < weight:
            return name
        point -= weight
    raise AssertionError("unreachable: point is below the total weight")
