"""Process pools whose workers end with the command that started them.

A worker of `concurrent.futures` waits for work on a pipe that it shares with its siblings, so
when the command is killed (SIGKILL, an out-of-memory kill, CI's time limit) nobody closes that
pipe and the workers wait for ever. Each worker here watches its parent and ends when the
parent is gone.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
import time

# How often a worker looks at its parent: it ends at most this long after the command did.
WATCH_SECONDS = 0.5


def pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor:
    """A pool of `jobs` processes, each ending when this process ends, however it ends."""
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, initializer=_end_with, initargs=(os.getpid(),)
    )


def _end_with(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="claims-end-with-parent", daemon=True).start()
