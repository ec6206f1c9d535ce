"""`claims new`: a record skeleton with its span already found, so nobody counts characters.

The skeleton leaves the fields only a curator can fill empty; `claims validate` names each of
them. An existing record is never overwritten.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import attrs

from builder import anchoring
from builder.loader import Document, load_file
from builder.repository import CLAIMS_DIR, record_path, source_text_path
from builder.schemas import Kind
from builder.writer import canonical_text


class NewRecordError(Exception):
    """The record cannot be written as asked; the message says why and what to do."""


@attrs.frozen
class Draft:
    """What the curator already knows about the claim; everything else is left to fill."""

    source: str
    quote: str
    claim_id: str | None = None
    folder: str | None = None
    start: int | None = None
    claim: str = ""
    claimant: str = ""
    kind: str = ""
    role: str | None = None
    date: str = ""
    topics: tuple[str, ...] = ()
    language: str | None = None
    translation: str = ""


def create_record(root: Path, draft: Draft) -> Path:
    """Write the skeleton of `draft` under claims/records/ and return its path."""
    text_path = source_text_path(root, draft.source)
    if text_path is None:
        raise NewRecordError(f"no source {draft.source!r} in claims/sources")
    text = text_path.read_bytes().decode("utf-8")  # as stored: no newline translation
    match = _the_match(text, draft)
    language = draft.language or _language_of(text_path.with_suffix(".yaml"))
    claim_id = draft.claim_id or slug(draft.claim or text[match.start : match.end])
    if not claim_id:
        raise NewRecordError("cannot make an id from the quote: pass --id")
    existing = record_path(root, claim_id)
    if existing is not None:
        raise NewRecordError(
            f"{existing.relative_to(root).as_posix()} already exists and is never overwritten; "
            "choose another --id"
        )
    appearance: dict[str, object] = {
        "source": draft.source,
        "start": match.start,
        "end": match.end,
        "quote": text[match.start : match.end],
        "language": language,
    }
    if language != "en":
        appearance["translation"] = draft.translation
    claimant: dict[str, object] = {"name": draft.claimant, "kind": draft.kind}
    if draft.role:
        claimant["role"] = draft.role
    record = {
        "id": claim_id,
        "claim": draft.claim,
        "claimant": claimant,
        "claim_date": draft.date,
        "appearances": [appearance],
        "topics": list(draft.topics),
    }
    folder = root / CLAIMS_DIR / "records" / (draft.folder or "")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{claim_id}.yaml"
    with path.open("x", encoding="utf-8") as stream:  # "x": fail rather than overwrite
        stream.write(canonical_text(Kind.CLAIM, record))
    return path


def _the_match(text: str, draft: Draft) -> anchoring.Match:
    matches = anchoring.locate(text, draft.quote)
    if draft.start is not None:
        matches = [m for m in matches if m.start == draft.start]
    if not matches:
        where = f" at {draft.start}" if draft.start is not None else ""
        raise NewRecordError(
            f"the quote does not occur in {draft.source}{where}, even allowing for whitespace "
            "and look-alike letters; copy it from the source text"
        )
    exact = [m for m in matches if m.exact]
    candidates = exact or matches
    if len(candidates) > 1:
        listed = "\n".join(
            f"  --start {m.start}: ...{_context(text, m)}..." for m in candidates[:10]
        )
        raise NewRecordError(
            f"the quote occurs {len(candidates)} times in {draft.source}; lengthen it, or pick "
            f"one with --start:\n{listed}"
        )
    return candidates[0]


def _context(text: str, match: anchoring.Match, width: int = 30) -> str:
    before = text[max(0, match.start - width) : match.start]
    after = text[match.end : match.end + width]
    return " ".join(f"{before}[{text[match.start : match.end]}]{after}".split())


def _language_of(metadata: Path) -> str:
    loaded = load_file(metadata, metadata.name)
    languages = loaded.data.get("languages") if isinstance(loaded, Document) else None
    if isinstance(languages, list) and len(languages) == 1 and isinstance(languages[0], str):
        return languages[0]
    shown = ", ".join(map(str, languages)) if isinstance(languages, list) else "unknown"
    raise NewRecordError(
        f"the source's languages are {shown}: say which one the quote is in with --language"
    )


def slug(text: str, words: int = 8) -> str:
    """A claim id from a sentence: its first words, in ASCII, lowercase, joined by hyphens.

    Look-alike letters count as the letters they imitate: a Cyrillic C in "Claus" gives claus.
    """
    folded = anchoring.fold(text).text
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    return "-".join(parts)[:100].strip("-")
