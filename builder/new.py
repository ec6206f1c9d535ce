"""`claims new`: a record skeleton with its span already found, so nobody counts characters.

The skeleton leaves the fields only a curator can fill empty; `claims validate` names each of
them. An existing record is never overwritten.
"""

from __future__ import annotations

import re
import unicodedata

import attrs

from builder import anchoring
from builder.canonical import canonical_text
from builder.errors import NotFoundError, UsageError
from builder.layout import Kind, Layout
from builder.loader import Document, load_file
from builder.writing import FileWrite, write_files


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


def create_record(layout: Layout, draft: Draft) -> str:
    """Write the skeleton of `draft` under claims/records/; return its path from the root."""
    text = layout.source_text(draft.source)
    match = _the_match(text, draft)
    language = draft.language or _language_of(layout, draft.source)
    claim_id = draft.claim_id or slug(draft.claim or text[match.start : match.end])
    if not claim_id:
        raise UsageError("cannot make an id from the quote: pass --id")
    existing = layout.find_record(claim_id)
    if existing is not None:
        raise UsageError(f"{existing} already exists and is never overwritten; choose another --id")
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
    relative = layout.new_record(claim_id, draft.folder)
    content = canonical_text(Kind.CLAIM, record).encode("utf-8")
    write_files([FileWrite(layout.path(relative), content, new=True)], layout.state)
    return relative


def _the_match(text: str, draft: Draft) -> anchoring.Match:
    matches = anchoring.locate(text, draft.quote)
    if draft.start is not None:
        matches = [m for m in matches if m.start == draft.start]
    if not matches:
        where = f" at {draft.start}" if draft.start is not None else ""
        raise NotFoundError(
            f"the quote does not occur in {draft.source}{where}, even allowing for whitespace "
            "and look-alike letters; copy it from the source text"
        )
    exact = [m for m in matches if m.exact]
    candidates = exact or matches
    if len(candidates) > 1:
        listed = "; ".join(f"--start {m.start}: ...{_context(text, m)}..." for m in candidates[:10])
        raise UsageError(
            f"the quote occurs {len(candidates)} times in {draft.source}; lengthen it, or pick "
            f"one with --start: {listed}"
        )
    return candidates[0]


def _context(text: str, match: anchoring.Match, width: int = 30) -> str:
    before = text[max(0, match.start - width) : match.start]
    after = text[match.end : match.end + width]
    return " ".join(f"{before}[{text[match.start : match.end]}]{after}".split())


def _language_of(layout: Layout, source_id: str) -> str:
    metadata = layout.source(source_id).metadata
    loaded = load_file(layout.path(metadata), metadata) if metadata else None
    languages = loaded.data.get("languages") if isinstance(loaded, Document) else None
    if isinstance(languages, list) and len(languages) == 1 and isinstance(languages[0], str):
        return languages[0]
    shown = ", ".join(map(str, languages)) if isinstance(languages, list) else "unknown"
    raise UsageError(
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
