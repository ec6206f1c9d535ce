"""`claims add-source`: a new source document, its text copied byte for byte and pinned by
its SHA-256, with a metadata skeleton for the curator to complete.

The text is never normalised: odd spaces, look-alike letters and line ends stay exactly as
received, since every span's offsets count the characters of the text as stored.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import attrs

from builder.canonical import canonical_text
from builder.errors import UsageError
from builder.layout import MAX_SOURCE_BYTES, Kind, Layout
from builder.writing import FileWrite, read_regular, write_files


@attrs.frozen
class SourceDraft:
    id: str
    title: str = ""
    publisher: str = ""
    published: str = ""
    languages: tuple[str, ...] = ()
    url: str | None = None
    license: str = ""
    redistribution: str = ""
    rights: str = ""


def add_source(layout: Layout, text_file: Path, draft: SourceDraft) -> list[str]:
    """Copy `text_file` to claims/sources/<id>.txt and write <id>.yaml, both or neither;
    return their paths from the root."""
    files = layout.new_source(draft.id)
    assert files.text is not None and files.metadata is not None
    try:
        raw = read_regular(text_file, MAX_SOURCE_BYTES, follow=True)
    except OSError as error:
        raise UsageError(f"cannot read {text_file}: {error.strerror}") from error
    except ValueError as error:
        raise UsageError(
            f"{error}: a source text is a regular file of at most {MAX_SOURCE_BYTES:,} bytes"
        ) from error
    if not raw.strip():
        raise UsageError(f"{text_file} is empty")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{text_file} is not UTF-8 (byte {error.start} is 0x{raw[error.start]:02x}); "
            "convert it first, for example with iconv -f WINDOWS-1252 -t UTF-8"
        ) from error
    for relative in (files.text, files.metadata):
        if layout.path(relative).exists():
            raise UsageError(
                f"{relative} already exists and is never overwritten; choose another --id, "
                "or use `claims reanchor` to replace a source's text"
            )
    metadata = {
        "id": draft.id,
        "title": draft.title,
        "publisher": draft.publisher,
        "published": draft.published,
        "languages": list(draft.languages),
        "sha256": hashlib.sha256(raw).hexdigest(),
        **({"url": draft.url} if draft.url else {}),
        # Left empty when not given, for `claims validate` to ask for: the licence is the
        # curator's decision, never a default.
        "license": draft.license,
        "redistribution": draft.redistribution,
        "rights": draft.rights,
    }
    write_files(
        [
            FileWrite(layout.path(files.text), raw, new=True),
            FileWrite(
                layout.path(files.metadata),
                canonical_text(Kind.SOURCE, metadata).encode("utf-8"),
                new=True,
            ),
        ],
        layout.state,
    )
    return [files.text, files.metadata]
