"""The processes a command starts to check records end with it, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = """
import os, sys
from builder import workers

def pid(_):
    return os.getpid()

if __name__ == "__main__":
    pool = workers.pool(2)
    print(" ".join(map(str, sorted(set(pool.map(pid, range(16)))))), flush=True)
    sys.stdin.read()  # wait here until killed
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended: only its parent (gone) would reap it, which init now does.
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # noqa: PTH123
        return stat.read().split(") ")[-1][:1] != "Z"


def test_workers_end_when_their_command_is_killed(tmp_path: Path) -> None:
    (tmp_path / "child.py").write_text(SCRIPT)
    with subprocess.Popen(
        [sys.executable, str(tmp_path / "child.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as command:
        assert command.stdout is not None
        workers = [int(pid) for pid in command.stdout.readline().split()]
        assert workers and all(_alive(pid) for pid in workers)
        command.send_signal(signal.SIGKILL)
        command.wait(timeout=30)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
