"""SHA256SUMS: the digest of every file of a build, in `sha256sum -c` form, so that what is
published can be checked to be what the build wrote."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHECKSUMS = "SHA256SUMS"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(folder: Path) -> dict[str, str]:
    """Write SHA256SUMS for every other file of `folder`; return the digests."""
    digests = {
        path.relative_to(folder).as_posix(): sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != CHECKSUMS
    }
    lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items()))
    (folder / CHECKSUMS).write_bytes(lines.encode("utf-8"))
    return digests
