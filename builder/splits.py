"""Which split a claim belongs to: a pure function of its id and the declared weights.

A claim never moves between splits as the dataset grows, so a model never sees in training a
claim that an earlier version held out for testing. Changing the weights does move claims; that
is a breaking change and `claims release` treats it as one (the split is part of each claim).
"""

from __future__ import annotations

import hashlib


def split_of(claim_id: str, weights: tuple[tuple[str, int], ...]) -> str:
    """The split for `claim_id`, chosen in proportion to `weights` (in their declared order)
    by the first 8 bytes of its SHA-256: one of 2**64 buckets, which weights up to millions
    still divide with negligible bias."""
    digest = hashlib.sha256(claim_id.encode()).digest()
    point = (int.from_bytes(digest[:8]) * sum(weight for _, weight in weights)) >> 64
    for name, weight in weights[:-1]:
        if point < weight:
            return name
        point -= weight
    return weights[-1][0]
