"""Charts as inline SVG, drawn when the site is built: readable without JavaScript, each bar
labelled with its count in text, each part named in a `<title>`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from builder.site.html import e

# Verdict colours: each at least 4.5:1 against white, and every verdict is also written out.
VERDICT_COLOURS = {
    "supported": "#1a7f37",
    "refuted": "#b3261e",
    "conflicting": "#8a5300",
    "not-enough-evidence": "#4b5563",
    "not reviewed": "#6d28d9",
}
BAR = "#1d4ed8"
ROW, LABEL, WIDTH = 22, 250, 360


def bars(title: str, counts: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, one per (label, count), longest first as given."""
    top = max((count for _, count in counts), default=1) or 1
    rows = []
    for index, (label, count) in enumerate(counts):
        y = index * ROW
        width = round(WIDTH * count / top)
        rows.append(
            f"<g><title>{e(label)}: {count}</title>"
            f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end">{e(_short(label))}</text>'
            f'<rect x="{LABEL}" y="{y + 3}" width="{width}" height="{ROW - 6}" fill="{BAR}"/>'
            f'<text x="{LABEL + width + 4}" y="{y + 15}">{count}</text></g>'
        )
    return _svg(title, len(counts) * ROW, "".join(rows))


def stacked(title: str, rows: Sequence[tuple[str, Counter[str]]], order: Sequence[str]) -> str:
    """Horizontal stacked bars: per row label, the count of each of `order`, in its colour."""
    top = max((sum(counter.values()) for _, counter in rows), default=1) or 1
    drawn = []
    for index, (label, counter) in enumerate(rows):
        y, x = index * ROW, float(LABEL)
        parts = [f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end">{e(_short(label))}</text>']
        for name in order:
            if counter[name]:
                width = WIDTH * counter[name] / top
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW - 6}" '
                    f'fill="{VERDICT_COLOURS[name]}"><title>{e(label)}: {counter[name]} '
                    f"{e(name)}</title></rect>"
                )
                x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{sum(counter.values())}</text>')
        drawn.append(f"<g>{''.join(parts)}</g>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{VERDICT_COLOURS[name]}"></span>{e(name)}</li>'
        for name in order
    )
    return _svg(title, len(rows) * ROW, "".join(drawn)) + f'<ul class="legend">{legend}</ul>'


def _svg(title: str, height: int, content: str) -> str:
    return (
        f"<figure><figcaption>{e(title)}</figcaption>"
        f'<svg role="img" aria-label="{e(title)}" width="{LABEL + WIDTH + 40}" '
        f'height="{max(height, ROW)}" viewBox="0 0 {LABEL + WIDTH + 40} {max(height, ROW)}">'
        f"{content}</svg></figure>"
    )


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
