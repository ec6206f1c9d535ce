"""How long re-anchoring takes for 10,000 spans into one revised source.

The source is the shipped elkz-2023-03-11 text, repeated to about 100,000 characters (a long
article); the revision removes its first lines, corrects every Cyrillic look-alike Es (U+0421) to a
Latin C and edits one word in every tenth paragraph. 10,000 spans are placed on whole words.

    python benchmarks/reanchor.py
"""

from __future__ import annotations

import collections
import random
import re
import time
from pathlib import Path

from builder.reanchoring import Reanchorer

SOURCE = Path(__file__).resolve().parents[1] / "claims" / "sources" / "elkz-2023-03-11.txt"
SPANS = 10_000


def main() -> None:
    base = SOURCE.read_bytes().decode("utf-8")
    old = "\n".join(f"{i}. {base}" for i in range(40))
    paragraphs = old.split("\n")
    for i in range(0, len(paragraphs), 10):
        paragraphs[i] = paragraphs[i].replace("human", "humane", 1)
    new = "\n".join(paragraphs[3:]).replace("\u0421", "C")
    words = [m.span() for m in re.finditer(r"\S+", old)]
    rng = random.Random(7)
    spans = []
    for _ in range(SPANS):
        first = rng.randrange(len(words) - 8)
        spans.append((words[first][0], words[first + rng.randrange(1, 8)][1]))

    started = time.perf_counter()
    reanchorer = Reanchorer(old, new)
    prepared = time.perf_counter()
    outcomes = collections.Counter(
        reanchorer.find(start, end).outcome.value for start, end in spans
    )
    finished = time.perf_counter()
    print(
        f"{SPANS} spans into a {len(old)}-character source: diff {prepared - started:.2f} s, "
        f"spans {finished - prepared:.2f} s ({(finished - prepared) / SPANS * 1e6:.0f} µs each)"
    )
    print(", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())))


if __name__ == "__main__":
    main()
