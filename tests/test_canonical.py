"""The canonical YAML form: keys in the schema's order, and data that reads back unchanged."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.canonical import canonical_text
from builder.layout import Kind
from builder.loader import Document, parse_text

texts = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], include_characters="\n"), max_size=40
)


@settings(max_examples=200)
@given(claim=texts, name=texts, notes=texts, quote=texts, topics=st.lists(texts, max_size=3))
def test_canonical_form_never_changes_data(
    claim: str, name: str, notes: str, quote: str, topics: list[str]
) -> None:
    data = {
        "notes": notes,
        "topics": topics,
        "id": "x",
        "claim": claim,
        "extra": {"b": 1, "a": [quote]},
        "claimant": {"kind": "person", "name": name},
        "appearances": [{"quote": quote, "start": 0, "source": "s", "end": 1}],
    }
    text = canonical_text(Kind.CLAIM, data)
    again = parse_text(text, "r")
    assert isinstance(again, Document) and again.data == data
    assert list(again.data) == [
        "id",
        "claim",
        "claimant",
        "appearances",
        "topics",
        "notes",
        "extra",
    ]
