"""`claims show`: a claim, its verdict, and every span inside its source, highlighted."""

from __future__ import annotations

from builder.model import Claim, Repository, Span
from builder.report import visible

CONTEXT = 100


def render_claim(repository: Repository, claim: Claim, *, color: bool) -> str:
    """The claim for a terminal; every text from the data is made `visible`, so only the
    highlight's own codes reach the terminal."""
    lines = [
        visible(f"{claim.id}  ({claim.origin.path})"),
        visible(f"claim:     {claim.claim}"),
        visible(
            f"claimant:  {claim.claimant.name} ({claim.claimant.kind}"
            + (f", {claim.claimant.role}" if claim.claimant.role else "")
            + f"), {claim.claim_date}"
        ),
        f"topics:    {', '.join(claim.topics)}",
    ]
    review = claim.review
    if review is None:
        lines.append("verdict:   not reviewed yet")
    else:
        lines.append(f"verdict:   {review.verdict} (reviewed {review.reviewed})")
        lines.append(visible(f"rationale: {review.rationale}"))
    for index, appearance in enumerate(claim.appearances, 1):
        span = appearance.span
        lines += ["", f"appearance {index}: {_where(span)}, {appearance.language}"]
        lines.append("  " + _in_context(repository, span, color))
        if appearance.translation:
            lines.append(visible(f"  translation: {appearance.translation}"))
    for index, evidence in enumerate(claim.evidence, 1):
        lines += ["", f"evidence {index}: {evidence.stance}, {_where(evidence.span)}"]
        lines.append("  " + _in_context(repository, evidence.span, color))
    if claim.related:
        lines += ["", "related:"]
        lines += [f"  {related.relation} {related.claim}" for related in claim.related]
    return "\n".join(lines) + "\n"


def _where(span: Span) -> str:
    return f"{span.source} [{span.start}:{span.end}]"


def _in_context(repository: Repository, span: Span, color: bool) -> str:
    source = repository.sources.get(span.source)
    if source is None:
        return f"(source {span.source} is missing or invalid)"
    text = source.text
    before = text[max(0, span.start - CONTEXT) : span.start]
    after = text[span.end : span.end + CONTEXT]
    opening, closing = ("\x1b[1;7m", "\x1b[0m") if color else ("[[", "]]")
    marked = f"{opening}{_flat(text[span.start : span.end])}{closing}"
    lead = "..." if span.start > CONTEXT else ""
    tail = "..." if span.end + CONTEXT < len(text) else ""
    return f"{lead}{_flat(before).lstrip()}{marked}{_flat(after).rstrip()}{tail}"


def _flat(text: str) -> str:
    """Line breaks shown as spaces, so a span reads as one paragraph; control characters from
    the data as escapes, so that only the highlight's own codes reach the terminal."""
    return visible(text.replace("\r", " ").replace("\n", " "))
