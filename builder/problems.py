"""Problems are values: every check yields them, the report sorts and prints them.

One table holds every code the tool can report, with its severity and a one-line explanation;
the README's table of codes is generated from it, so a code never means two things.
"""

from __future__ import annotations

import enum

import attrs


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Code:
    """A stable problem code: once published, a code keeps its meaning."""

    code: str
    severity: Severity
    summary: str


_E, _W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {
    code.code: code
    for code in [
        # Reading files: the strict YAML loader and the repository layout.
        Code("L001", _E, "file is not valid UTF-8"),
        Code("L002", _E, "file is larger than 1 MiB"),
        Code("L003", _E, "file is empty or holds only comments"),
        Code("L004", _E, "YAML syntax error"),
        Code("L005", _E, "duplicate key in a mapping"),
        Code("L006", _E, "YAML anchor or alias (not allowed: every value is written out)"),
        Code("L007", _E, "YAML tag (not allowed: values are plain data)"),
        Code("L008", _E, "more than one YAML document in a file"),
        Code("L009", _E, "top-level value is not a mapping"),
        Code("L010", _E, "mapping key is not a plain string"),
        Code("L011", _E, "file cannot be read, or leaves the repository through a symlink"),
        Code("L012", _E, "file in claims/ that the tool would ignore (wrong name or extension)"),
        Code("L013", _E, "required repository file is missing"),
        Code("L014", _E, "values nested too deeply (more than 100 levels)"),
        # The JSON Schemas.
        Code("S001", _E, "required field is missing"),
        Code("S002", _E, "unknown field (a typo, or a field the format does not have)"),
        Code("S003", _E, "value has the wrong type"),
        Code("S004", _E, "value does not have the required form (slug, language tag, digest, ...)"),
        Code("S005", _E, "not a real date at day, month or year precision"),
        Code("S006", _E, "value is not one of the allowed choices"),
        Code("S007", _E, "translation required: the quote's language is not English"),
        Code("S008", _E, "evidence required: the verdict is not not-enough-evidence"),
        Code("S009", _E, "value breaks a schema rule (length, count, uniqueness, range)"),
        Code("S010", _E, "text is empty or badly spaced"),
        # References between files.
        Code("R001", _E, "id differs from the file name"),
        Code("R002", _E, "the same claim id is used by two records"),
        Code("R003", _E, "span points at a source that does not exist"),
        Code("R004", _E, "topic is not in claims/topics.yaml"),
        Code("R005", _E, "related claim does not exist"),
        Code("R006", _E, "claim is related to itself"),
        Code("R007", _E, "source metadata without its text, or text without metadata"),
        # Spans and source texts.
        Code("A001", _E, "span offsets are outside the source text or in the wrong order"),
        Code("A002", _E, "quote differs from the source text at the span's offsets"),
        Code("A003", _E, "source text does not match its sha256"),
        Code("A004", _E, "source text is not valid UTF-8"),
        Code("A101", _W, "span starts or ends inside a word"),
        Code("A102", _W, "quote starts or ends with whitespace"),
        # Dates.
        Code("D001", _E, "date is in the future"),
        Code("D002", _E, "review date is before the claim was made"),
        # Formatting.
        Code("F001", _E, "comment inside a document, which formatting cannot keep"),
        Code("F002", _E, "value that formatting cannot write back unchanged"),
    ]
}


@attrs.frozen(order=True)
class Problem:
    """One thing wrong with the repository, at a place a curator can open in an editor.

    `file` is relative to the repository root, with forward slashes; `line` and `column` count
    from 1 (1:1 when the problem concerns the whole file).
    """

    file: str
    line: int
    column: int
    code: str = attrs.field(validator=attrs.validators.in_(CODES))
    message: str

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    def as_dict(self) -> dict[str, str | int]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }
