"""The long fuzzing campaign, run by hand: the loader's promise (a document, or problems with a
known code at a real place, in one line each) checked for EXAMPLES arbitrary byte strings and
EXAMPLES YAML texts built from events, cut and spliced. CI runs the same properties with a few
hundred examples (tests/test_fuzz.py).

    .venv/bin/python benchmarks/fuzz.py 100000
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.test_fuzz import _emitted, check_loaded, nodes


def campaign(examples: int) -> None:
    quiet = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )

    @quiet
    @given(st.binary(max_size=3000))
    def any_bytes(raw: bytes) -> None:
        check_loaded(raw)

    @quiet
    @given(nodes(), st.integers(0, 200), st.text(max_size=3))
    def any_events(events: list[yaml.Event], cut: int, inserted: str) -> None:
        text = _emitted(events)
        assume(text is not None)
        assert text is not None
        check_loaded(text.encode("utf-8"))
        check_loaded((text[:cut] + inserted + text[cut:]).encode("utf-8", "surrogatepass"))

    for name, run in (("arbitrary bytes", any_bytes), ("YAML built from events", any_events)):
        started = time.perf_counter()
        run()
        print(
            f"{name}: {examples:,} examples, nothing found, {time.perf_counter() - started:.0f} s"
        )


if __name__ == "__main__":
    campaign(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
