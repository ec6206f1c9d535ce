"""HTML from the data: everything escaped, spans marked where they are, the page shell.

Offsets are code points, as Python counts them; JavaScript counts UTF-16 units. So the spans are
marked here, when the page is written (`<mark data-start data-end>` with code-point offsets), and
the browser only shows them: an emoji or a combining accent before a span cannot move it.
"""

from __future__ import annotations

import html
import itertools
import unicodedata
from collections.abc import Iterable, Sequence

import attrs

# Characters a reader easily misses: spaces that are not spaces, zero-width ones, and letters
# of another script that look like Latin ones. The page can outline them (a button).
_ODD_SPACES = frozenset("\u00a0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007")
_ODD_SPACES |= frozenset("\u2008\u2009\u200a\u200b\u200c\u200d\u2060\u202f\u205f\u3000\ufeff")
_LOOK_ALIKE_SCRIPTS = ("CYRILLIC", "GREEK")


def e(text: object) -> str:
    """Text from the data, for an element's content or an attribute's value. Quotes are escaped
    too: in an attribute, a name such as `Jo" onfocus="...` would otherwise end the value and add
    an attribute of its own (tests/test_site.py parses every page to check that none does)."""
    return html.escape(str(text))  # quote=True is the default


@attrs.frozen
class Marked:
    """A span to mark in a text: where, and the attributes and class its `<mark>` gets."""

    start: int
    end: int
    css: str
    attributes: tuple[tuple[str, str], ...] = ()


def marked_text(text: str, start: int, end: int, marks: Sequence[Marked]) -> str:
    """`text[start:end]` as HTML, each of `marks` (inside that range, not overlapping one
    another) wrapped in its `<mark>`, odd characters wrapped so that they can be shown."""
    parts, at = [], start
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        parts.append(visible_text(text[at : mark.start]))
        attributes = "".join(f' {name}="{e(value)}"' for name, value in mark.attributes)
        parts.append(
            f'<mark class="{mark.css}" data-start="{mark.start}" data-end="{mark.end}"'
            f"{attributes}>{visible_text(text[mark.start : mark.end])}</mark>"
        )
        at = mark.end
    parts.append(visible_text(text[at:end]))
    return "".join(parts)


def segments(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int, frozenset[int]]]:
    """The text cut at every span boundary: (start, end, indices of the spans covering it),
    for the pieces at least one span covers. Overlapping spans become several marks each."""
    spans = list(spans)
    cuts = sorted({at for span in spans for at in span})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = frozenset(i for i, (a, b) in enumerate(spans) if a <= start and end <= b)
        if covering:
            pieces.append((start, end, covering))
    return pieces


def visible_text(text: str) -> str:
    """Escaped text, each odd character in a `<span class="odd">` named in its title."""
    out = []
    for index, char in enumerate(text):
        if char in _ODD_SPACES or _looks_alike(text, index):
            name = unicodedata.name(char)  # every odd space and letter has one
            out.append(f'<span class="odd" title="U+{ord(char):04X} {e(name)}">{e(char)}</span>')
        else:
            out.append(e(char))
    return "".join(out)


def _looks_alike(text: str, index: int) -> bool:
    char = text[index]
    if char.isascii() or not char.isalpha():
        return False
    if not unicodedata.name(char, "").startswith(_LOOK_ALIKE_SCRIPTS):  # some letters have none
        return False
    neighbours = text[max(0, index - 1) : index] + text[index + 1 : index + 2]
    return any(n.isascii() and n.isalpha() for n in neighbours)


def page(title: str, body: str, *, depth: int = 0, scripts: bool = False) -> str:
    """A whole page: the shell every page shares, `depth` folders below the site's root."""
    up = "../" * depth
    script = f'\n<script src="{up}site.js"></script>' if scripts else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n"
        f'<link rel="stylesheet" href="{up}site.css">\n</head>\n<body>\n'
        f'<header><nav aria-label="Site"><a href="{up}index.html">All claims</a></nav></header>\n'
        f"<main>\n{body}\n</main>{script}\n</body>\n</html>\n"
    )
