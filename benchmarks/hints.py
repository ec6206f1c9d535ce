"""Time `claims validate` when many spans have wrong offsets for a quote that occurs very often.

Each such span gets a hint saying where the quote really is. The repository is the test
fixture plus one source whose text is one word, WORD, OCCURRENCES times (under the 1 MiB a
source may have), and RECORDS claims quoting that word at offsets that read something else.
The hint's work must not grow with the number of occurrences.

    python benchmarks/hints.py                         # 200 records, 200,000 occurrences
    python benchmarks/hints.py --records 50 --occurrences 10000
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE = HERE.parent / "tests" / "cases" / "dataset" / "claims"
CLAIMS = str(Path(sys.executable).parent / "claims")
WORD = "the"
SOURCE = "common-word-2024"

METADATA = """\
id: {id}
title: One word, many times
publisher: Benchmark
published: "2024"
languages: [en]
sha256: {sha256}
license: CC-BY-4.0
redistribution: full-text
rights: Generated for a benchmark.
"""

RECORD = """\
id: {id}
claim: Claim number {number}.
claimant:
  name: Benchmark
  kind: organization
claim_date: "2024"
appearances:
  - source: {source}
    start: {start}
    end: {end}
    quote: {quote}
    language: en
topics: [political-prisoners]
"""


def repository(root: Path, records: int, occurrences: int) -> None:
    """The fixture, one source of `WORD ` `occurrences` times, and `records` claims quoting
    WORD one character after where it is (so that each reads a different text)."""
    shutil.copytree(FIXTURE, root / "claims")
    text = f"{WORD} " * occurrences
    sources = root / "claims" / "sources"
    (sources / f"{SOURCE}.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    (sources / f"{SOURCE}.yaml").write_text(METADATA.format(id=SOURCE, sha256=digest))
    folder = root / "claims" / "records" / "2024"
    step = len(WORD) + 1
    for number in range(records):
        start = (number * occurrences // max(records, 1)) * step + 1
        claim_id = f"hint-{number:04d}-2024"
        (folder / f"{claim_id}.yaml").write_text(
            RECORD.format(
                id=claim_id,
                number=number,
                source=SOURCE,
                start=start,
                end=start + len(WORD),
                quote=WORD,
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--occurrences", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claims-hints-") as scratch:
        root = Path(scratch) / "repo"
        repository(root, args.records, args.occurrences)
        env = {**os.environ, "CLAIMS_CACHE_DIR": str(Path(scratch) / "cache")}
        started = time.perf_counter()
        done = subprocess.run(
            [CLAIMS, "validate", "--root", str(root)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        elapsed = time.perf_counter() - started
    hints = [line for line in done.stdout.splitlines() if " A002 " in line]
    if done.returncode != 1 or len(hints) != args.records:
        raise SystemExit(f"unexpected result ({done.returncode}):\n{done.stdout}{done.stderr}")
    print(f"{args.records} wrong spans, {args.occurrences:,} occurrences: {elapsed:.1f} s")
    print(f"  e.g. {hints[0]}")


if __name__ == "__main__":
    main()
