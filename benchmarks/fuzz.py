"""The long fuzzing campaign, run by hand: the loader's promise (a document, or problems with a
known code at a real place, in one line each) checked for BYTES arbitrary byte strings and
EVENTS YAML texts built from events, cut and spliced. CI runs the same properties with a few
hundred examples (tests/test_fuzz.py).

    .venv/bin/python benchmarks/fuzz.py 100000 5000
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


def campaign(byte_examples: int, event_examples: int) -> None:
    def quiet(examples: int) -> settings:
        return settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )

    @quiet(byte_examples)
    @given(st.binary(max_size=3000))
    def any_bytes(raw: bytes) -> None:
        check_loaded(raw)

    @quiet(event_examples)
    @given(nodes(), st.integers(0, 200), st.text(max_size=3))
    def any_events(events: list[yaml.Event], cut: int, inserted: str) -> None:
        text = _emitted(events)
        assume(text is not None)
        assert text is not None
        check_loaded(text.encode("utf-8"))
        check_loaded((text[:cut] + inserted + text[cut:]).encode("utf-8", "surrogatepass"))

    for name, examples, run in (
        ("arbitrary bytes", byte_examples, any_bytes),
        ("YAML built from events", event_examples, any_events),
    ):
        started = time.perf_counter()
        run()
        seconds = time.perf_counter() - started
        print(f"{name}: {examples:,} examples, nothing found, {seconds:.0f} s", flush=True)


if __name__ == "__main__":
    counts = [int(arg) for arg in sys.argv[1:3]]
    campaign(*(counts + [100_000, 5_000][len(counts) :]))
