"""Text from the data in Markdown: the dataset card, CHANGELOG.md and `claims diff`'s review.

CommonMark makes any ASCII punctuation character literal when a backslash precedes it. `text`
escapes every character that could start markup (a link, an image, HTML, emphasis, a code span,
a table cell, strike-through, math) and writes each line break as a space, so text from the data
stays inline where it is put: it starts no heading, list, quote, table row, HTML block or
release heading of its own, however it begins. A reader sees the text as it is written.

`nested` is for Markdown from the data that keeps its blocks: a changelog entry's body, shown
in the card. Its paragraphs, lists and headings stay (the headings nested below the entry's
own), its code spans stay as they are (their content is literal anyway), and whatever else
could start HTML, a link, an image or a table is escaped unless it already is; escaping twice
changes nothing, so the body `claims release` wrote (with `text`) is shown as written.
"""

from __future__ import annotations

import re

# Line boundaries as Python's str.splitlines knows them: CommonMark ends a line at \n and \r
# only, but a reader that splits at the others must not see a new line either.
_BREAK = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]\s*")
_ACTIVE = re.compile(r"([\\`*_\[\]<>#|~&$])")
# What starts a block when it opens a line: a list item, a setext underline, a numbered item,
# a heading (escaped already by `text`, not always in Markdown from the data).
_BLOCK_START = re.compile(r"^(\s*)(?:([-+=#])(?=[-+=#]|[ \t]|$)|(\d{1,9})([.)])(?=[ \t]|$))")
# In Markdown from the data: an escape already made, a code span, or a character to escape.
_IN_MARKDOWN = re.compile(
    r"(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<code>(?<!`)(?P<run>`+)(?!`).+?(?<!`)(?P=run)(?!`))"
    r"|[<>\[\]|`]"
)
_LINE_END = re.compile(r"\r\n|\r|\n")
_MARKER = re.compile(r"^( {0,3})(?:(#{1,6})|([-*+]|\d{1,9}[.)]))(?=[ \t]|$)[ \t]*")


def text(value: str) -> str:
    """`value` as inline Markdown that shows exactly `value`, on one line."""
    one_line = _BREAK.sub(" ", value)
    return _block_start(_ACTIVE.sub(r"\\\1", one_line))


def nested(body: str, level: int) -> str:
    """Markdown from the data placed below a heading of `level`: its headings are nested
    below that one (never above `######`), and nothing in it runs as HTML, links, shows an
    image, opens a table or a fenced block, or forges a line of its own."""
    return "\n".join(_nested_line(line, level) for line in _LINE_END.split(body))


def _nested_line(line: str, level: int) -> str:
    marker = _MARKER.match(line)
    if marker is None:
        return _block_start(_sanitised(line))
    indent, hashes, item = marker.group(1, 2, 3)
    rest = _block_start(_sanitised(line[marker.end() :]))
    if hashes:
        depth = min(6, max(level + 1, len(hashes) + 1))
        return f"{'#' * depth} {rest}".rstrip()
    return f"{indent}{item} {rest}".rstrip()


def _sanitised(markdown: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match["escape"] or match["code"]:
            return match[0]
        return "\\" + match[0]

    return _IN_MARKDOWN.sub(one, markdown)


def _block_start(escaped: str) -> str:
    """`escaped` with the marker it begins with (if any) escaped: `-`, `+`, `=`, `#`, `1.`, `1)`.
    The other markers (`#`, `>`, `*`, backticks, `|`) are escaped wherever they are."""

    def one(match: re.Match[str]) -> str:
        spaces, sign, digits, point = match.groups()
        return f"{spaces}\\{sign}" if sign else f"{spaces}{digits}\\{point}"

    return _BLOCK_START.sub(one, escaped, count=1)
