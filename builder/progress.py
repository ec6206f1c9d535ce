"""Signs of life on long work: a count and a rate on the terminal's standard error, drawn by
tqdm, and nothing at all when standard error is not a terminal or with --quiet, so progress
never mixes into problem lines, files or logs."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator

from tqdm import tqdm

Tick = Callable[[], None]


def silent() -> None:
    """The tick of a run that shows no progress."""


def _size() -> tuple[int, int]:
    """The terminal's columns and rows; 80 by 24 where it says 0 (a new pseudo-terminal does,
    and tqdm hides a bar on a terminal of no rows)."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except OSError:
        return 80, 24
    return size.columns or 80, size.lines or 24


@contextlib.contextmanager
def shown(what: str, total: int | None = None, *, quiet: bool = False) -> Iterator[Tick]:
    """A tick to call once per item; on a terminal, a line `what: N/TOTAL [rate]` meanwhile."""
    if quiet or not sys.stderr.isatty():
        yield silent
        return
    with tqdm(total=total, unit=f" {what}", desc=what, file=sys.stderr, mininterval=0.5,
              leave=False, ncols=_size()[0], nrows=_size()[1]) as bar:  # fmt: skip

        def tick() -> None:
            bar.update()

        yield tick
