"""`claims add-source`: a new source document, its text copied byte for byte and pinned by
its SHA-256, with a metadata skeleton for the curator to complete.

The text is never normalised: odd spaces, look-alike letters and line ends stay exactly as
received, since every span's offsets count the characters of the text as stored.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import attrs

from builder.repository import CLAIMS_DIR
from builder.schemas import Kind
from builder.writer import canonical_text

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class AddSourceError(Exception):
    """The source cannot be added as asked; the message says why and what to do."""


@attrs.frozen
class SourceDraft:
    id: str
    title: str = ""
    publisher: str = ""
    published: str = ""
    languages: tuple[str, ...] = ()
    url: str | None = None
    rights: str | None = None


def add_source(root: Path, text_file: Path, draft: SourceDraft) -> tuple[Path, Path]:
    """Copy `text_file` to claims/sources/<id>.txt and write <id>.yaml; return both paths."""
    if not SLUG.match(draft.id) or len(draft.id) > 100:
        raise AddSourceError(
            f"{draft.id!r} is not a source id: use lowercase letters a-z, digits and single "
            "hyphens, such as publisher-2024-03"
        )
    try:
        raw = text_file.read_bytes()
    except OSError as error:
        raise AddSourceError(f"cannot read {text_file}: {error.strerror}") from error
    if not raw.strip():
        raise AddSourceError(f"{text_file} is empty")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise AddSourceError(
            f"{text_file} is not UTF-8 (byte {error.start} is 0x{raw[error.start]:02x}); "
            "convert it first, for example with iconv -f WINDOWS-1252 -t UTF-8"
        ) from error
    folder = root / CLAIMS_DIR / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    text_path, metadata_path = folder / f"{draft.id}.txt", folder / f"{draft.id}.yaml"
    for path in (text_path, metadata_path):
        if path.exists():
            raise AddSourceError(
                f"{path.relative_to(root).as_posix()} already exists and is never overwritten; "
                "choose another --id, or use `claims reanchor` to replace a source's text"
            )
    metadata = {
        "id": draft.id,
        "title": draft.title,
        "publisher": draft.publisher,
        "published": draft.published,
        "languages": list(draft.languages),
        "sha256": hashlib.sha256(raw).hexdigest(),
        **({"url": draft.url} if draft.url else {}),
        **({"rights": draft.rights} if draft.rights else {}),
    }
    with text_path.open("xb") as stream:  # "x": fail rather than overwrite
        stream.write(raw)
    try:
        with metadata_path.open("x", encoding="utf-8") as stream:
            stream.write(canonical_text(Kind.SOURCE, metadata))
    except BaseException:
        text_path.unlink()  # leave no text without its metadata
        raise
    return text_path, metadata_path
