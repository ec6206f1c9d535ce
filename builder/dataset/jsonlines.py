"""One JSON document per line (annotations.jsonl, claimreview.jsonl), safe wherever a line goes.

`json.dumps` escapes the C0 controls, so a line never holds a raw line feed; but it keeps U+0085,
U+2028 and U+2029, which end a line for JavaScript's line terminators and for Python's
`str.splitlines`, and a reader that splits there sees a document cut in two. Those three are
written as JSON escapes, and so are `<`, `>` and `&`, so that a line can go into a web page's
`<script>` element as it is (no `</script>` or `<!--` can end it early). Every other character
is written as `json.dumps` writes it: a line without these characters keeps its bytes.
"""

from __future__ import annotations

import json
from typing import Any

_ESCAPES = str.maketrans(
    {char: f"\\u{ord(char):04x}" for char in ("<", ">", "&", "\x85", "\u2028", "\u2029")}
)


def line(document: Any) -> str:
    """`document` as one line of JSON (keys sorted, so that a build is reproducible), with `\\n`."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True).translate(_ESCAPES) + "\n"
