"""The long campaign for one reading of YAML, run by hand: EXAMPLES texts built from the pieces
YAML readers disagree on, each read by the loader's entry and by the careful reading, which
must give the same data or both refuse. CI runs the same property with a fixed set of a few
thousand examples (tests/test_yaml_agreement.py); a text found here becomes one of its
`@example`s.

    .venv/bin/python benchmarks/yaml_agreement.py 100000
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.test_yaml_agreement import TEXTS, check_one_reading


def campaign(examples: int) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(TEXTS)
    def one_reading(text: str) -> None:
        check_one_reading(text)

    started = time.perf_counter()
    one_reading()
    seconds = time.perf_counter() - started
    print(f"one reading of YAML: {examples:,} examples, nothing found, {seconds:.0f} s", flush=True)


if __name__ == "__main__":
    campaign(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
