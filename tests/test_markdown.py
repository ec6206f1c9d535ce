"""Text from the data in Markdown: shown as written, never run as markup, never a new line."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder import markdown

HOSTILE = [
    "[a link](https://evil.example)",
    "![an image](https://evil.example/pixel.png)",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<https://evil.example>",
    "# a heading",
    "x\n## [9.9.9] - 2030-01-01",
    "x\r\n## [9.9.9] - 2030-01-01",
    "x\u2028# heading\u2029# another",
    "- a list item",
    "+ a list item",
    "* a list item",
    "1. a numbered item",
    "7) a numbered item",
    "> a quote",
    "---",
    "===",
    "*emphasis* and _emphasis_ and **strong**",
    "`code` and ```fence",
    "~~struck~~",
    "a | table | row",
    "[a]: https://evil.example",
    "&lt;script&gt;",
    "$x^2$",
    "back\\slash\\[a](b)",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_is_one_line_with_every_markup_character_escaped(value: str) -> None:
    escaped = markdown.text(value)
    assert len(escaped.splitlines()) == 1
    # Each of these, wherever it is, follows a backslash that is not itself escaped.
    for match in re.finditer(r"[\[\]<>#`*_|~&$]", escaped):
        before = escaped[: match.start()]
        assert (len(before) - len(before.rstrip("\\"))) % 2 == 1, escaped


def test_text_escapes_links_images_and_html() -> None:
    assert markdown.text("[a](b)") == "\\[a\\](b)"
    assert markdown.text("![a](b)") == "!\\[a\\](b)"
    assert markdown.text("<script>") == "\\<script\\>"


def test_text_writes_a_line_break_as_one_space() -> None:
    assert markdown.text("x\n## [9.9.9] - 2030-01-01") == "x \\#\\# \\[9.9.9\\] - 2030-01-01"
    assert markdown.text("a \r\n\n  b\u2028c\x85d") == "a b c d"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("12. item", "12\\. item"),
        ("3) item", "3\\) item"),
        ("  - item", "  \\- item"),
        ("a - b", "a - b"),
        ("2024. A year", "2024\\. A year"),
        ("1.2.2 (2024-03-20)", "1.2.2 (2024-03-20)"),
        ("-5 degrees", "-5 degrees"),
        ("#hashtag", "\\#hashtag"),
    ],
)
def test_text_escapes_the_marker_a_line_would_start_with(value: str, expected: str) -> None:
    assert markdown.text(value) == expected


def test_plain_text_is_left_alone() -> None:
    text = "The Café Europa talks will continue (said on 12 March 2024), he said."
    assert markdown.text(text) == text


@given(st.text())
def test_text_never_spans_lines(value: str) -> None:
    assert len(markdown.text(value).splitlines()) <= 1


def test_nested_keeps_the_blocks_and_nests_the_headings() -> None:
    body = "### Added\n\n- A claim (`an-id`)\n  1. a point\n\n# Top\n###### Deep"
    assert markdown.nested(body, 3) == (
        "#### Added\n\n- A claim (`an-id`)\n  1. a point\n\n#### Top\n###### Deep"
    )


def test_nested_escapes_html_links_images_and_tables_outside_code_spans() -> None:
    body = "- <b>x</b> [l](u) ![i](p) a|b `<kept>`\n| a | b |\n> quote\n```\n---"
    assert markdown.nested(body, 3) == (
        "- \\<b\\>x\\</b\\> \\[l\\](u) !\\[i\\](p) a\\|b `<kept>`\n"
        "\\| a \\| b \\|\n\\> quote\n\\`\\`\\`\n\\---"
    )


def test_nested_forges_no_line_and_no_heading_above_its_level() -> None:
    body = "x\r## [9.9.9] - 2030-01-01\n- # heading in an item"
    assert markdown.nested(body, 3) == (
        "x\n#### \\[9.9.9\\] - 2030-01-01\n- \\# heading in an item"
    )


@pytest.mark.parametrize("value", HOSTILE)
def test_text_inside_nested_markdown_is_shown_as_written(value: str) -> None:
    """The changelog's body, written with `text`, reaches the card unchanged but for headings."""
    line = f"- {markdown.text(value)} (`an-id`)"
    assert markdown.nested(line, 3) == line


def _rendered(source: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return str(parser.render(source))


@pytest.mark.parametrize("value", HOSTILE)
def test_a_commonmark_renderer_shows_the_text_and_nothing_else(value: str) -> None:
    escaped = markdown.text(value)
    source = f"Para\n{escaped}\n\n- {escaped}\n\n| a |\n|---|\n| {escaped} |\n"
    html = _rendered(source)
    for tag in ("<a ", "<img", "<script", "<h1", "<h2", "<em", "<strong", "<code", "<s>", "<ol"):
        assert tag not in html, html
    assert html.count("<li>") == 1 and html.count("<td>") == 1 and html.count("<p>") == 1, html
    assert html.count("<blockquote") == 0 and html.count("<hr") == 0, html
