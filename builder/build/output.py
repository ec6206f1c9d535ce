"""Writing a build folder atomically: everything goes into a hidden folder beside the target,
which replaces the target only once complete.

A failed build removes its folder; an interrupted one (killed outright) leaves only a hidden
`.VERSION.partial-*` folder, which the next build sweeps away. The previous output stays whole
throughout. Between the two renames of a replacement, the old output waits as
`.VERSION.previous-*`, and is put back by the next build if the process died right there.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

CHECKSUMS = "SHA256SUMS"


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield an empty folder; on success it becomes `target`, on any error it disappears."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover(target)
    partial = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
    partial.mkdir()
    try:
        yield partial
        _replace(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(folder: Path) -> dict[str, str]:
    """Write SHA256SUMS (in `sha256sum -c` form) for every other file; return the digests."""
    digests = {
        path.relative_to(folder).as_posix(): sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != CHECKSUMS
    }
    lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items()))
    (folder / CHECKSUMS).write_bytes(lines.encode("utf-8"))
    return digests


def _replace(partial: Path, target: Path) -> None:
    if not target.exists():
        partial.rename(target)
        return
    previous = target.with_name(f".{target.name}.previous-{secrets.token_hex(4)}")
    target.rename(previous)
    partial.rename(target)
    shutil.rmtree(previous)


def _recover(target: Path) -> None:
    """Undo what an interrupted build left: restore a displaced output, drop partial folders."""
    for leftover in sorted(target.parent.glob(f".{target.name}.previous-*")):
        if target.exists():
            shutil.rmtree(leftover)
        else:
            leftover.rename(target)
    for leftover in target.parent.glob(f".{target.name}.partial-*"):
        shutil.rmtree(leftover)
