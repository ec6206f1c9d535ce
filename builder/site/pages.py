"""The pages of the review site, each a string of HTML made from the validated model."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import attrs

from builder.diff import Diff, summary
from builder.model import VERDICTS, Claim, DatasetMetadata, Repository, Source, Span
from builder.site import charts
from builder.site.html import Marked, e, marked_text, page, segments

NOT_REVIEWED = "not reviewed"
CONTEXT = 400  # at most this many characters of a paragraph on either side of a span
STANCE_WORDS = {"supports": "Supports", "refutes": "Refutes", "context": "Context"}


def verdict_of(claim: Claim) -> str:
    return claim.review.verdict if claim.review else NOT_REVIEWED


def badge(verdict: str) -> str:
    css = verdict.replace(" ", "-")
    return f'<span class="badge verdict-{css}">{e(verdict)}</span>'


def year_of(claim: Claim) -> str:
    return claim.claim_date[:4]


def sources_of(claim: Claim) -> list[str]:
    return sorted({placed.span.source for placed in claim.spans()})


# The index -------------------------------------------------------------------------------------


def index_page(repository: Repository, title: str, version: str | None) -> str:
    claims = sorted(repository.claims, key=lambda c: (c.claim_date, c.id))
    rows = "\n".join(_index_row(claim) for claim in claims)
    filters = _filters(claims)
    heading = f"{e(title)}" + (
        f' <span class="version">version {e(version)}</span>' if version else ""
    )
    body = (
        f"<h1>{heading}</h1>\n"
        f"<p>{len(claims)} claims from {len(repository.sources)} sources; "
        f"{sum(1 for c in claims if c.review)} reviewed. "
        '<a href="#charts">Charts</a></p>\n'
        f"{filters}\n"
        '<p id="shown" aria-live="polite"></p>\n'
        '<table id="claims">\n<caption>Every claim, oldest first</caption>\n<thead><tr>'
        '<th scope="col">Claim</th><th scope="col">Claimant</th><th scope="col">Date</th>'
        '<th scope="col">Verdict</th><th scope="col">Topics</th><th scope="col">Sources</th>'
        f"</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n"
        f'<section id="charts" aria-labelledby="charts-heading">'
        f'<h2 id="charts-heading">Charts</h2>\n{_charts(claims)}\n</section>'
    )
    return page(title, body, scripts=True)


def _index_row(claim: Claim) -> str:
    verdict = verdict_of(claim)
    attributes = {
        "data-verdict": verdict,
        "data-topic": " ".join(claim.topics),
        "data-claimant": claim.claimant.name,
        "data-source": " ".join(sources_of(claim)),
        "data-year": year_of(claim),
        "data-reviewed": "yes" if claim.review else "no",
    }
    cells = [
        f'<a href="claims/{e(claim.id)}.html">{e(claim.claim)}</a>',
        e(claim.claimant.name),
        f"<time>{e(claim.claim_date)}</time>",
        badge(verdict),
        ", ".join(e(topic) for topic in claim.topics),
        ", ".join(f'<a href="sources/{e(s)}.html">{e(s)}</a>' for s in sources_of(claim)),
    ]
    data = "".join(f' {name}="{e(value)}"' for name, value in attributes.items())
    return (
        f'<tr id="{e(claim.id)}"{data}>' + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
    )


def _filters(claims: Sequence[Claim]) -> str:
    choices = {
        "verdict": [*VERDICTS, NOT_REVIEWED],
        "topic": sorted({topic for claim in claims for topic in claim.topics}),
        "claimant": sorted({claim.claimant.name for claim in claims}),
        "source": sorted({source for claim in claims for source in sources_of(claim)}),
        "year": sorted({year_of(claim) for claim in claims}),
        "reviewed": ["yes", "no"],
    }
    selects = []
    for name, values in choices.items():
        options = "".join(f'<option value="{e(v)}">{e(v)}</option>' for v in values)
        selects.append(
            f'<label>{name.capitalize()} <select name="{name}" id="filter-{name}">'
            f'<option value="">all</option>{options}</select></label>'
        )
    return (
        '<form id="filters" role="search" aria-label="Filter the claims">'
        + "".join(selects)
        + '<label>Search <input type="search" name="q" id="filter-q"></label>'
        '<button type="reset">Show all</button></form>'
    )


def _charts(claims: Sequence[Claim]) -> str:
    by_claimant: dict[str, Counter[str]] = defaultdict(Counter)
    for claim in claims:
        by_claimant[claim.claimant.name][verdict_of(claim)] += 1
    claimants = sorted(by_claimant.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    years = Counter(year_of(claim) for claim in claims)
    topics = Counter(topic for claim in claims for topic in claim.topics)
    return (
        charts.stacked("Verdicts by claimant", claimants, [*VERDICTS, NOT_REVIEWED])
        + charts.bars("Claims per year", sorted(years.items()))
        + charts.bars("Claims per topic", sorted(topics.items(), key=lambda i: (-i[1], i[0])))
    )


# A claim ---------------------------------------------------------------------------------------


def claim_page(claim: Claim, repository: Repository, by_id: dict[str, Claim]) -> str:
    verdict = verdict_of(claim)
    role = f", {e(claim.claimant.role)}" if claim.claimant.role else ""
    parts = [
        f"<h1>{e(claim.claim)}</h1>",
        '<dl class="facts">',
        f"<dt>Claimant</dt><dd>{e(claim.claimant.name)} ({e(claim.claimant.kind)}){role}</dd>",
        f"<dt>Date</dt><dd><time>{e(claim.claim_date)}</time></dd>",
        f"<dt>Verdict</dt><dd>{badge(verdict)}</dd>",
        f"<dt>Topics</dt><dd>{', '.join(e(t) for t in claim.topics)}</dd>",
        f"<dt>Id</dt><dd><code>{e(claim.id)}</code></dd>",
        "</dl>",
    ]
    if claim.review:
        parts += [
            "<h2>Review</h2>",
            f'<p class="rationale">{e(claim.review.rationale)}</p>',
            f"<p>Reviewed <time>{e(claim.review.reviewed)}</time>.</p>",
        ]
    parts.append("<h2>Where it was said</h2>")
    for appearance in claim.appearances:
        source = repository.sources[appearance.span.source]
        translation = (
            f'<p class="translation"><span class="label">In English:</span> '
            f"{e(appearance.translation)}</p>"
            if appearance.translation
            else ""
        )
        parts.append(
            _span_block(
                source, appearance.span, "appearance", appearance.language, claim.id, translation
            )
        )
    if claim.review and claim.review.evidence:
        parts.append("<h2>Evidence</h2>")
        for evidence in claim.review.evidence:
            source = repository.sources[evidence.span.source]
            label = f'<p class="stance {e(evidence.stance)}">{STANCE_WORDS[evidence.stance]}</p>'
            parts.append(
                _span_block(
                    source, evidence.span, f"stance-{evidence.stance}", None, claim.id, "", label
                )
            )
    parts.append(_timeline(claim, by_id))
    if claim.notes:
        parts += ["<h2>Notes</h2>", f"<p>{e(claim.notes)}</p>"]
    return page(claim.claim, "\n".join(parts), depth=1)


def _span_block(  # noqa: PLR0917 (one span's block: each argument says one thing of it)
    source: Source,
    span: Span,
    css: str,
    language: str | None,
    claim_id: str,
    after: str,
    before: str = "",
    up: str = "../",
) -> str:
    start, end = paragraph(source.text, span.start, span.end)
    mark = Marked(span.start, span.end, css, (("data-claim", claim_id),))
    lang = f' lang="{e(language)}"' if language else ""
    where = f"{up}sources/{e(source.id)}.html#at-{span.start}-{span.end}"
    ellipsis_before = "… " if start > 0 and source.text[start - 1] != "\n" else ""
    ellipsis_after = " …" if end < len(source.text) and source.text[end] != "\n" else ""
    return (
        f'<section class="span">{before}'
        f'<p class="where"><a href="{where}">{e(source.title)}</a>, {e(source.publisher)}, '
        f"<time>{e(source.published)}</time> (characters {span.start}-{span.end})</p>"
        f"<blockquote{lang}><p>{ellipsis_before}"
        f"{marked_text(source.text, start, end, [mark])}{ellipsis_after}</p></blockquote>"
        f"{after}</section>"
    )


def paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph around text[start:end] (between blank lines), at most CONTEXT characters
    on either side, cut at a space."""
    first = text.rfind("\n\n", 0, start)
    first = 0 if first == -1 else first + 2
    last = text.find("\n\n", end)
    last = len(text) if last == -1 else last
    if start - first > CONTEXT:
        space = text.find(" ", start - CONTEXT, start)
        first = space + 1 if space != -1 else start - CONTEXT
    if last - end > CONTEXT:
        space = text.rfind(" ", end, end + CONTEXT)
        last = space if space != -1 else end + CONTEXT
    return first, last


def _timeline(claim: Claim, by_id: dict[str, Claim]) -> str:
    linked = [(related.relation, by_id[related.claim]) for related in claim.related]
    linked += [
        (f"{related.relation} (from the other claim)", other)
        for other in by_id.values()
        for related in other.related
        if related.claim == claim.id
    ]
    if not linked:
        return ""
    items = [
        (claim.claim_date, claim.id, "this claim", claim),
        *[(other.claim_date, other.id, relation, other) for relation, other in linked],
    ]
    entries = []
    for date, claim_id, relation, other in sorted(items, key=lambda i: (i[0], i[1])):
        text = e(other.claim)
        link = text if claim_id == claim.id else f'<a href="{e(claim_id)}.html">{text}</a>'
        entries.append(
            f'<li><time>{e(date)}</time> <span class="relation">{e(relation)}</span> '
            f"{link} {badge(verdict_of(other))}</li>"
        )
    return '<h2>Related claims</h2>\n<ol class="timeline">' + "".join(entries) + "</ol>"


# A source --------------------------------------------------------------------------------------


@attrs.frozen
class _SourceSpan:
    span: Span
    claim: Claim
    kind: str  # "appearance" or a stance


def source_page(source: Source, repository: Repository) -> str:
    spans = [
        _SourceSpan(placed.span, claim, _kind(claim, placed.pointer))
        for claim in sorted(repository.claims, key=lambda c: c.id)
        for placed in claim.spans()
        if placed.span.source == source.id
    ]
    url = f'<a href="{e(source.url)}">{e(source.url)}</a>' if source.url else "none"
    facts = [
        ("Publisher", e(source.publisher)),
        ("Published", f"<time>{e(source.published)}</time>"),
        ("Languages", ", ".join(e(language) for language in source.languages)),
        ("Address", url),
        ("Licence", e(source.license)),
        ("What the dataset ships", "the whole text" if source.ships_text else "the quotes only"),
        ("Rights", e(source.rights)),
        ("SHA-256", f"<code>{e(source.sha256)}</code>"),
    ]
    body = [
        f"<h1>{e(source.title)}</h1>",
        '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>",
        '<p><button type="button" id="show-odd" aria-pressed="false">Show easily missed '
        "characters</button> (no-break spaces, look-alike letters from other scripts)</p>",
    ]
    if source.ships_text:
        body += [
            "<h2>Text</h2>",
            f'<div class="source-text">{_all_marked(source.text, spans)}</div>',
        ]
    else:
        body += [
            "<h2>Quoted passages</h2>",
            "<p>The rights to this text allow quotation only: the passages quoted by the claims "
            "are shown, each in its paragraph, never the whole text.</p>",
        ]
        for start, end in _passages(source.text, spans):
            inside = [s for s in spans if start <= s.span.start and s.span.end <= end]
            passage = _all_marked(source.text, inside, start, end)
            body.append(f'<blockquote class="passage"><p>{passage}</p></blockquote>')
    body += ["<h2>Spans</h2>", _span_list(spans)]
    return page(source.title, "\n".join(body), depth=1, scripts=True)


def _kind(claim: Claim, pointer: tuple[object, ...]) -> str:
    if pointer[0] == "appearances":
        return "appearance"
    assert claim.review is not None
    index = pointer[2]
    assert isinstance(index, int)
    return f"stance-{claim.review.evidence[index].stance}"


def _all_marked(
    text: str, spans: Sequence[_SourceSpan], start: int = 0, end: int | None = None
) -> str:
    """The text with every span marked; where spans overlap, the piece they share is one mark
    naming them all (`data-spans`), so each span is the pieces that name it."""
    end = len(text) if end is None else end
    keys = [f"{s.span.start}-{s.span.end}" for s in spans]
    marks, anchored = [], set()
    for piece_start, piece_end, covering in segments((s.span.start, s.span.end) for s in spans):
        named = sorted({keys[i] for i in covering})
        claims = sorted({spans[i].claim.id for i in covering})
        kinds = sorted({spans[i].kind for i in covering})
        attributes = [("data-spans", " ".join(named)), ("data-claims", " ".join(claims))]
        attributes += [("tabindex", "0"), ("title", "Quoted by " + ", ".join(claims))]
        fresh = [key for key in named if key.startswith(f"{piece_start}-") and key not in anchored]
        if fresh:
            attributes.append(("id", f"at-{fresh[0]}"))
            anchored.update(fresh)
        css = kinds[0] if len(kinds) == 1 else "mixed"
        marks.append(Marked(piece_start, piece_end, css, tuple(attributes)))
    return marked_text(text, start, end, marks)


def _passages(text: str, spans: Sequence[_SourceSpan]) -> list[tuple[int, int]]:
    """The paragraphs (cut as on claim pages) around the spans, merged where they overlap."""
    around = sorted(paragraph(text, s.span.start, s.span.end) for s in spans)
    merged: list[tuple[int, int]] = []
    for start, end in around:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _span_list(spans: Iterable[_SourceSpan]) -> str:
    items = [
        f'<li><a href="#at-{s.span.start}-{s.span.end}">{s.span.start}-{s.span.end}</a> '
        f'<a href="../claims/{e(s.claim.id)}.html">{e(s.claim.claim)}</a> '
        f'<span class="kind">({e(s.kind.removeprefix("stance-"))})</span></li>'
        for s in spans
    ]
    return "<ul>" + "".join(items) + "</ul>" if items else "<p>No claim quotes this source.</p>"


# Changes ---------------------------------------------------------------------------------------


def changes_page(result: Diff, revision: str, repository: Repository) -> str:
    """What changed since `revision`: the claims added, removed and changed, with their spans
    in context from the new version."""
    by_id = {claim.id: claim for claim in repository.claims}
    body = [f"<h1>Changes since {e(revision)}</h1>", f"<p>{e(summary(result))}</p>"]
    claims = result.claims
    if claims.added:
        body.append("<h2>Claims added</h2>")
        body += [_changed_claim(by_id[i], repository, ()) for i in claims.added if i in by_id]
    if claims.removed:
        body.append("<h2>Claims removed</h2><ul>")
        body += [f"<li><code>{e(i)}</code></li>" for i in claims.removed]
        body.append("</ul>")
    if claims.changed:
        body.append("<h2>Claims changed</h2>")
        for change in claims.changed:
            notes = "".join(
                f"<li><code>{e(f.field)}</code>: {e(_value(f.old))} → {e(_value(f.new))}</li>"
                for f in change.fields
            )
            if change.id in by_id:
                body.append(_changed_claim(by_id[change.id], repository, notes))
    sources = result.sources
    if not sources.empty:
        body.append("<h2>Sources</h2><ul>")
        body += [f'<li>added <a href="sources/{e(i)}.html">{e(i)}</a></li>' for i in sources.added]
        body += [f"<li>removed <code>{e(i)}</code></li>" for i in sources.removed]
        body += [
            f'<li>changed <a href="sources/{e(c.id)}.html">{e(c.id)}</a>: '
            + ", ".join(e(f.field) for f in c.fields)
            + "</li>"
            for c in sources.changed
        ]
        body.append("</ul>")
    return page(f"Changes since {revision}", "\n".join(body), scripts=False)


def _changed_claim(claim: Claim, repository: Repository, notes: str | tuple[()]) -> str:
    fields = f'<ul class="fields">{notes}</ul>' if notes else ""
    spans = "".join(
        _span_block(
            repository.sources[placed.span.source],
            placed.span,
            _kind(claim, placed.pointer),
            None,
            claim.id,
            "",
            up="",
        )
        for placed in claim.spans()
        if placed.span.source in repository.sources
    )
    return (
        f'<article class="change" id="{e(claim.id)}"><h3><a href="claims/{e(claim.id)}.html">'
        f"{e(claim.claim)}</a> {badge(verdict_of(claim))}</h3>{fields}{spans}</article>"
    )


def _value(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, str | int | float):
        return str(value)
    return "changed"


def site_title(metadata: DatasetMetadata | None) -> tuple[str, str | None]:
    if metadata is None:
        return "Claims", None
    return metadata.pretty_name, metadata.version
