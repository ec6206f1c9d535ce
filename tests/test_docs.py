"""The README's tables are generated from the schemas and code table; its example is real."""

from __future__ import annotations

import argparse
import re

from builder.cli import parser
from builder.docs import render
from tests.conftest import PROJECT

README = PROJECT / "README.md"


def test_generated_sections_are_up_to_date() -> None:
    text = README.read_text(encoding="utf-8")
    assert render(text) == text, "run: python -m builder.docs README.md"


def test_every_code_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    for code in ("L001", "S008", "R007", "A101", "D002"):
        assert f"| `{code}` |" in text


def test_the_example_record_is_a_shipped_record() -> None:
    """The README shows a record of the dataset as it is, so it validates and its id exists."""
    path = PROJECT / "claims" / "records" / "2022" / "death-penalty-removed-2022.yaml"
    text = README.read_text(encoding="utf-8")
    assert f"`{path.relative_to(PROJECT).as_posix()}`" in text
    assert f"```yaml\n{path.read_text(encoding='utf-8')}```" in text


def test_every_option_of_every_command_is_documented() -> None:
    """Each command's section of the README names each of its options; `--debug` and `--help`,
    which every command takes, are named once before the sections."""
    text = README.read_text(encoding="utf-8")
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    intro = text[text.index("## Command line") : text.index("### Exit codes")]
    assert "`--debug`" in intro and "`--help`" in intro
    for name, command in commands.choices.items():
        section = re.search(rf"^### `claims {name} .*?(?=^##)", text, re.M | re.S)
        assert section, f"no section for claims {name}"
        options = {o for a in command._actions for o in a.option_strings if o.startswith("--")}
        missing = sorted(o for o in options - {"--debug", "--help"} if o not in section.group())
        assert not missing, f"claims {name}: {missing} not in its README section"
