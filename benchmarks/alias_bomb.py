"""How long the loader takes to refuse an alias bomb (a "billion laughs" document).

Expanded, the document below would hold 9**30 strings. The loader refuses anchors and aliases
from the event stream, so the cost is that of reading the 2 KB file once.

    python benchmarks/alias_bomb.py
"""

from __future__ import annotations

import time

from builder.loader import ParseFailure, parse_text


def alias_bomb(levels: int = 30) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def main() -> None:
    text = alias_bomb()
    runs = 20
    started = time.perf_counter()
    for _ in range(runs):
        result = parse_text(text, "bomb.yaml")
    elapsed = (time.perf_counter() - started) / runs
    assert isinstance(result, ParseFailure)
    print(
        f"alias bomb ({len(text)} bytes, 9**30 strings if expanded): refused in "
        f"{elapsed * 1000:.2f} ms with {len(result.problems)} problems "
        f"({result.problems[0].code})"
    )


if __name__ == "__main__":
    main()
