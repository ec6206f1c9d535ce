"""Progress shows on a terminal only: a count and a rate on standard error while records are
read, never mixed into the problem lines on standard output, and nothing with --quiet or when
standard error is a file or a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CLAIMS_COMMAND, PROJECT


def _on_a_terminal(*args: str) -> tuple[str, str]:
    """Run claims with standard error on a pseudo-terminal; (stdout, what the terminal got)."""
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [CLAIMS_COMMAND, *args], stdout=subprocess.PIPE, stderr=follower, text=True
    ) as process:
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            shown += chunk
        out = process.stdout.read() if process.stdout else ""
    os.close(leader)
    return out, shown.decode("utf-8", "replace")


def test_validate_shows_a_count_and_a_rate_on_a_terminal_only() -> None:
    out, shown = _on_a_terminal("validate", "--root", str(PROJECT))
    assert "records" in shown and "/s" in shown
    assert out == "54 files checked: 0 errors, 0 warnings\n"  # the report is untouched
    quiet_out, quiet_shown = _on_a_terminal("validate", "--root", str(PROJECT), "--quiet")
    assert "records/s" not in quiet_shown and quiet_out == out


@pytest.mark.parametrize("command", ["validate", "fmt"])
def test_no_progress_when_standard_error_is_not_a_terminal(command: str, tmp_path: Path) -> None:
    args = [CLAIMS_COMMAND, command, "--root", str(PROJECT)]
    args += ["--check"] if command == "fmt" else []
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert "/s]" not in done.stderr and "\r" not in done.stderr
