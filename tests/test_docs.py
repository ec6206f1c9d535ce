"""The README's tables are generated from the schemas and code table; its example is real."""

from __future__ import annotations

from builder.docs import render
from tests.conftest import CASES, PROJECT

README = PROJECT / "README.md"


def test_generated_sections_are_up_to_date() -> None:
    text = README.read_text(encoding="utf-8")
    assert render(text) == text, "run: python -m builder.docs README.md"


def test_every_code_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    for code in ("L001", "S008", "R007", "A101", "D002"):
        assert f"| `{code}` |" in text


def test_the_example_record_is_a_valid_record() -> None:
    """The README shows the record that tests/test_checks.py validates against the real sources."""
    example = (CASES / "good" / "death-penalty-removed.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in README.read_text(encoding="utf-8")
