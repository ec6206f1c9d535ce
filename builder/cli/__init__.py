"""The `claims` command: one module per subcommand, each its parser and its handler side by
side, wiring only; the work is done by the modules of `builder`.

Every error a user can act on is a `ClaimsError` carrying its exit code, caught here once:
0 success; 1 the data is invalid, or what was asked for is not in the data; 2 a usage or
environment error; 3 an internal error, printed as one line (the traceback with `--debug` or
`CLAIMS_DEBUG=1`).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Sequence

from builder import __version__, report
from builder.cli import (
    add_source,
    build,
    diff,
    fmt,
    locate,
    new,
    publish,
    reanchor,
    release,
    show,
    site,
    validate,
)
from builder.cli.common import add_debug
from builder.errors import ClaimsError, ExitCode, UsageError

COMMANDS = (
    validate,
    locate,
    new,
    fmt,
    show,
    build,
    site,
    diff,
    release,
    publish,
    add_source,
    reanchor,
)


# A run builds a large model of mostly acyclic objects, and the cycle collector's default
# thresholds rescan it again and again as it grows: a third of a 100,000-claim validation.
# Collecting less often, as mypy does, keeps memory the same and the time proportional.
GC_THRESHOLDS = (200_000, 30, 30)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        _require_utf8(argv)
        args = parser().parse_args(argv)
    except SystemExit as done:  # --help, --version, or a usage error argparse printed
        return done.code if isinstance(done.code, int) else ExitCode.USAGE
    except UsageError as error:
        print(f"claims: error: {_one_line(error.message)}", file=sys.stderr)
        return error.exit_code
    try:
        return int(args.run(args))
    except ClaimsError as error:
        sys.stderr.write(report.as_text(error.problems))
        print(f"claims: error: {_one_line(error.message)}", file=sys.stderr)
        return error.exit_code
    except OSError as error:  # the disk or the system, not the data: say which file
        where = f"{error.filename}: " if error.filename else ""
        print(f"claims: error: {_one_line(where + str(error.strerror))}", file=sys.stderr)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if args.debug or os.environ.get("CLAIMS_DEBUG"):
            traceback.print_exc()
        print(
            f"claims: internal error: {type(error).__name__}: {_one_line(str(error))} "
            "(run again with --debug or CLAIMS_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return ExitCode.INTERNAL


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="claims",
        description="Validate claim records against their sources and build the dataset.",
    )
    top.add_argument("--version", action="version", version=f"claims {__version__}")
    add_debug(top, default=False)
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        add_debug(command.add(commands), default=argparse.SUPPRESS)
    return top


def _require_utf8(argv: Sequence[str]) -> None:
    """An argument with bytes that are not UTF-8 (Python keeps them as lone surrogates) would
    be written into a record as they are, which no reader accepts; a NUL ends every path."""
    for argument in argv:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError as error:
            raise UsageError(
                f"the argument {argument!r} is not valid UTF-8: type it again in UTF-8"
            ) from error
        if "\0" in argument:
            raise UsageError(f"the argument {argument!r} holds a NUL character")


def _one_line(text: str) -> str:
    return report.visible(" ".join(text.split()))
