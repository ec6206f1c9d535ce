"""Strict, safe YAML: plain data with the position of every key and value.

PyYAML's constructors follow YAML 1.1 (`no` becomes False, `2021-02-13` a date) and build
whatever a tag asks for. This loader uses only libyaml's parser (the C loader's event stream)
and builds the data itself, so that:

- plain scalars are typed as in YAML 1.2's core schema: dates and `yes`/`no`/`on`/`off` stay
  strings; only `true`/`false`, `null`/`~`, integers and floats are typed;
- tags, anchors and aliases are refused, never constructed or expanded, so an alias bomb costs
  no more than reading the file;
- duplicate keys, extra documents, empty files and non-mapping documents are errors;
- nesting deeper than MAX_DEPTH levels is refused from the event stream, before anything is
  built (a record is 4 levels deep; 100,000 `[` would crash the C parser's recursion);
- a carriage return alone, NEL, LS and PS are refused: YAML readers disagree on whether they
  end a line, and a file has one reading or none.

A failed parse is a value (`ParseFailure`) to report, not an exception that stops the run.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import yaml
from yaml.cyaml import CParser  # type: ignore[attr-defined]

from builder import rapidyaml
from builder.problems import Problem

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 100

Pointer = tuple[str | int, ...]
"""Where a value sits in a document: the keys and indices leading to it."""


@attrs.frozen
class Position:
    """A 1-based line and column, as editors show them."""

    line: int
    column: int


@attrs.frozen
class Document:
    """A parsed YAML file: its data, and where each value and key was written.

    Most files are valid, and nobody asks where their values are: the positions are worked
    out from the text the first time a problem needs one.
    """

    path: str
    data: dict[str, Any]
    # Where to read the text again when a position is asked for: the text itself, or for a
    # file, the file (100,000 records need not keep their texts in memory).
    text: str | Path = attrs.field(repr=False, eq=False)
    _places: list[tuple[dict[Pointer, Position], dict[Pointer, Position]]] = attrs.field(
        factory=list, repr=False, eq=False, alias="places"
    )

    @property
    def values(self) -> dict[Pointer, Position]:
        return self._located()[0]

    @property
    def keys(self) -> dict[Pointer, Position]:
        return self._located()[1]

    def _located(self) -> tuple[dict[Pointer, Position], dict[Pointer, Position]]:
        if not self._places:
            text = self.text if isinstance(self.text, str) else self.text.read_text("utf-8")
            self._places.append(places(text, self.data))
        return self._places[0]

    def position(self, pointer: Pointer) -> Position:
        """Where the value at `pointer` is, or the nearest enclosing value that exists."""
        values = self.values
        while pointer not in values:
            pointer = pointer[:-1]
        return values[pointer]

    def key_position(self, pointer: Pointer) -> Position:
        """Where the key naming the value at `pointer` is (the value itself for list items)."""
        return self.keys.get(pointer) or self.position(pointer)

    def problem(self, pointer: Pointer, code: str, message: str, *, key: bool = False) -> Problem:
        """A problem at the value (or key) at `pointer`. While positions are deferred (see
        `builder.positions`), it is placed at 0:0 and its place is worked out later."""
        pending = DEFERRED.get()
        if pending is not None and not self._places:
            problem = Problem(self.path, 0, 0, code, message)
            pending.append((problem, self, pointer, key))
            return problem
        where = self.key_position(pointer) if key else self.position(pointer)
        return Problem(self.path, where.line, where.column, code, message)


# Problems whose place is still to be worked out: (problem, document, pointer, at the key).
Pending = list[tuple[Problem, "Document", Pointer, bool]]
DEFERRED: contextvars.ContextVar[Pending | None] = contextvars.ContextVar("deferred", default=None)


Places = tuple[dict[Pointer, Position], dict[Pointer, Position]]


def places(text: str, data: dict[str, Any]) -> Places:
    """Where every value and key of a document is, read again from its text."""
    try:
        return _lean_places(text)
    except _UnusualError:  # an alias or a key that is not text: the careful reading places it
        builder = _DocumentBuilder("")
        builder.consume(yaml.parse(text, Loader=yaml.CSafeLoader))
        return builder.values, builder.keys
    except yaml.YAMLError:  # valid YAML that only rapidyaml reads
        return _approximate_places(text, data)


_VALUE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_END_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _lean_places(text: str) -> Places:
    """`places` for a plain document, from libyaml's events and nothing else: what the
    careful loader records, for less (a warning on every record needs them all)."""
    values: dict[Pointer, Position] = {}
    keys: dict[Pointer, Position] = {}
    stack: list[list[Any]] = []  # [pointer, is a mapping, key awaiting its value, next index]
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, _VALUE_EVENTS):
            here = _position(event)
            if not stack:
                pointer: Pointer = ()
            elif stack[-1][1] and stack[-1][2] is None:
                if not isinstance(event, yaml.ScalarEvent):
                    raise _UnusualError
                stack[-1][2] = event.value
                keys.setdefault((*stack[-1][0], event.value), here)
                continue
            elif stack[-1][1]:
                pointer, stack[-1][2] = (*stack[-1][0], stack[-1][2]), None
            else:
                pointer = (*stack[-1][0], stack[-1][3])
                stack[-1][3] += 1
            values.setdefault(pointer, here)
            if not isinstance(event, yaml.ScalarEvent):
                stack.append([pointer, isinstance(event, yaml.MappingStartEvent), None, 0])
        elif isinstance(event, _END_EVENTS):
            stack.pop()
        elif isinstance(event, yaml.AliasEvent):
            raise _UnusualError
    return values, keys


@attrs.frozen
class ParseFailure:
    """A file that could not be read as a document; its problems say why."""

    path: str
    problems: tuple[Problem, ...]


Loaded = Document | ParseFailure


def load_file(path: Path, display_path: str) -> Loaded:
    """Read and parse one YAML file; `display_path` is how problems name it."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return _failure(display_path, 1, 1, "L011", f"cannot read the file: {error.strerror}")
    loaded = load_bytes(raw, display_path)
    if isinstance(loaded, Document) and not loaded._places:
        return attrs.evolve(loaded, text=path)
    return loaded


def load_bytes(raw: bytes, display_path: str) -> Loaded:
    """Parse the bytes of a YAML file: size, encoding and YAML checked in that order."""
    if len(raw) > MAX_FILE_BYTES:
        return _failure(
            display_path,
            1,
            1,
            "L002",
            f"file is larger than {MAX_FILE_BYTES} bytes; split it or shorten it",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(raw, error.start)
        return _failure(
            display_path,
            line,
            column,
            "L001",
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )
    return parse_text(text, display_path)


def parse_text(text: str, display_path: str) -> Loaded:
    """Parse YAML text into a `Document`, or the reasons it is not one.

    One reading, whichever way a text is read: a line break the YAML readers disagree on is
    refused first. An ordinary file is read by rapidyaml's JSON; one with nothing unusual (no
    anchor, alias, tag or directive character, one mapping, no duplicate or complex key) by
    libyaml's C loader, typed the same way; any other goes through the event stream, which
    finds and places each of its problems. Each fast path takes only the texts it reads as the
    careful reading (`read_carefully`) does.
    """
    refused = _disputed_break(text, display_path)
    if refused is not None:
        return refused
    if _depth_bound(text) > MAX_DEPTH:
        return _second_opinion(parse_events(text, display_path), text)
    data = _json_data(text)
    if data is not None:  # rapidyaml read it: its opinion is given
        return Document(display_path, data, text)
    data = _plain_data(text)
    loaded = Document(display_path, data, text) if data is not None else None
    return _second_opinion(loaded or parse_events(text, display_path), text)


def read_carefully(text: str, display_path: str) -> Loaded:
    """`parse_text` without its fast paths: the reading every fast path must agree with
    (tests/test_yaml_agreement.py holds them to it)."""
    refused = _disputed_break(text, display_path)
    if refused is not None:
        return refused
    return _second_opinion(parse_events(text, display_path), text)


# Line breaks the YAML readers disagree on: rapidyaml does not end a line at a carriage return
# without a line feed (YAML 1.2 and libyaml do), and libyaml follows YAML 1.1 in ending lines
# at NEL, LS and PS (YAML 1.2 does not). A text with one could be read two ways, so it is
# refused; a double-quoted string may still hold any of them as an escape.
_DISPUTED_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_BREAK_NAMES = {
    "\x85": ("U+0085 (next line)", "\\N"),
    "\u2028": ("U+2028 (line separator)", "\\L"),
    "\u2029": ("U+2029 (paragraph separator)", "\\P"),
}


def _disputed_break(text: str, display_path: str) -> ParseFailure | None:
    found = _DISPUTED_BREAK.search(text)
    if found is None:
        return None
    line, column = _text_position(text, found.start())
    if found.group() == "\r":
        message = (
            "YAML syntax error: a carriage return without a line feed after it, which YAML "
            "readers disagree on as a line break; save the file with LF (or CRLF) line endings"
        )
    else:
        name, escape = _BREAK_NAMES[found.group()]
        message = (
            f"YAML syntax error: the character {name} is a line break in YAML 1.1 and not in "
            f"YAML 1.2, so YAML readers disagree on it; write it as {escape} in a "
            "double-quoted string, or remove it"
        )
    return _failure(display_path, line, column, "L004", message)


def _second_opinion(loaded: Loaded, text: str) -> Loaded:
    """libyaml's reading checked against rapidyaml's (see `builder.rapidyaml`): a document is
    refused if rapidyaml finds a syntax error; one libyaml refused for its syntax alone is read
    from rapidyaml's tree if rapidyaml finds none."""
    raw = text.encode("utf-8")
    if isinstance(loaded, Document):
        error = rapidyaml.syntax_error(raw)
        if error is None:
            return _as_rapidyaml_reads(loaded, raw) if _may_be_misread(text) else loaded
        line, column = _byte_position(raw, error[0])
        return _failure(loaded.path, line, column, "L004", error[1])
    if any(problem.code != "L004" for problem in loaded.problems) or _NOT_PRINTABLE.search(text):
        return loaded  # rapidyaml would take characters YAML forbids, such as NUL
    try:
        data = rapidyaml.read(raw, MAX_DEPTH, resolve_plain)
    except rapidyaml.Refused as refused:
        if refused.code == "L004":
            return loaded  # both parsers refuse it: libyaml's message says where
        return _failure(loaded.path, 1, 1, refused.code, refused.message)
    if data is None:
        return _failure(loaded.path, 1, 1, "L003", "the file is empty; write the record's fields")
    if not isinstance(data, dict) or not data:
        kind = "an empty mapping" if data == {} else f"a {type(data).__name__}"
        message = f"the document is {kind}, not a mapping of field names to values"
        return _failure(loaded.path, 1, 1, "L009", message)
    return Document(loaded.path, data, text, places=[_approximate_places(text, data)])


# Characters outside YAML's c-printable set (a BOM is allowed, and taken care of by libyaml).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _may_be_misread(text: str) -> bool:
    """Whether `text` has what libyaml reads against YAML 1.2 without an error: `?` glued to a
    key in a flow mapping (`{?foo: bar}` is the key `?foo`), or a block scalar at the end of a
    file with no final newline (libyaml drops its last line break)."""
    return ("?" in text and ("{" in text or "[" in text)) or (
        not text.endswith("\n") and ("|" in text or ">" in text)
    )


def _as_rapidyaml_reads(loaded: Document, raw: bytes) -> Loaded:
    """The document as rapidyaml reads it, where the two readings differ."""
    try:
        data = rapidyaml.read(raw, MAX_DEPTH, resolve_plain)
    except rapidyaml.Refused:
        return loaded
    if data == loaded.data or not isinstance(data, dict) or not data:
        return loaded
    text = raw.decode("utf-8")
    return Document(loaded.path, data, text, places=[_approximate_places(text, data)])


def _approximate_places(
    text: str, data: dict[str, Any]
) -> tuple[dict[Pointer, Position], dict[Pointer, Position]]:
    """Positions for a document only rapidyaml reads (libyaml's events cannot place it): each
    top-level key where its line starts, everything under it at its key, the rest at 1:1."""
    values: dict[Pointer, Position] = {(): Position(1, 1)}
    keys: dict[Pointer, Position] = {}
    for key in data:
        found = re.search(rf"^[\"']?{re.escape(key)}[\"']?[ \t]*:", text, re.MULTILINE)
        if found:
            line, column = _text_position(text, found.start())
            keys[(key,)] = values[(key,)] = Position(line, column)
    return values, keys


def _depth_bound(text: str) -> int:
    """More than the nesting depth `text` can have, cheaply: every level opens with a new line,
    a `- ` or `? ` entry, or a `[` or `{`. Most files are far below MAX_DEPTH; only the others
    have their real depth measured, by the event stream."""
    return (
        text.count("\n")
        + text.count("- ")
        + text.count("? ")
        + text.count("[")
        + text.count("{")
        + 2
    )


_TOO_DEEP = (
    f"values are nested more than {MAX_DEPTH} levels deep here; "
    "a record needs a handful: flatten the structure"
)


def parse_events(text: str, display_path: str) -> Loaded:
    """Parse YAML text from libyaml's event stream, placing every value and every problem."""
    builder = _DocumentBuilder(display_path, text)
    try:
        builder.consume(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.reader.ReaderError as error:
        line, column = _text_position(text, error.position)
        builder.problems.append(
            Problem(
                display_path,
                line,
                column,
                "L004",
                f"YAML syntax error: the character U+{error.character:04X} is not allowed in "
                "YAML; remove it (a double-quoted string may write it as an escape)",
            )
        )
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (error.problem, error.context) if part)
        context = error.context_mark
        if context is not None and mark is not None and context.line != mark.line:
            what += f" (started at line {context.line + 1}, column {context.column + 1})"
        what = " ".join(what.split())
        if "maximum nesting depth" in what:  # libyaml 0.2.6 and later stop at 1,000 levels
            builder.problems.append(Problem(display_path, line, column, "L014", _TOO_DEEP))
        else:
            builder.problems.append(
                Problem(display_path, line, column, "L004", f"YAML syntax error: {what}")
            )
    except yaml.YAMLError as error:
        said = " ".join(str(error).split())
        builder.problems.append(Problem(display_path, 1, 1, "L004", f"YAML error: {said}"))
    except _StopReadingError:
        pass
    return builder.result()


class _StopReadingError(Exception):
    """Raised inside the builder when the rest of the file cannot be read meaningfully."""


@attrs.define
class _Frame:
    container: dict[str, Any] | list[Any]
    pointer: Pointer
    key: str | None = None
    skip_value: bool = False


@attrs.define
class _DocumentBuilder:
    """Turns libyaml events into plain data, recording positions and problems."""

    path: str
    text: str = ""
    problems: list[Problem] = attrs.Factory(list)
    values: dict[Pointer, Position] = attrs.Factory(dict)
    keys: dict[Pointer, Position] = attrs.Factory(dict)
    root: Any = None
    documents: int = 0
    stack: list[_Frame] = attrs.Factory(list)
    reported: set[str] = attrs.Factory(set)

    def consume(self, events: Iterator[yaml.Event]) -> None:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    self._fatal(
                        event,
                        "L008",
                        "a second YAML document starts here; "
                        "a file holds exactly one, so remove the `---` and what follows",
                    )
            elif isinstance(event, yaml.NodeEvent):
                self._node(event)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = self.stack.pop()
                self._place(frame.container)

    def result(self) -> Loaded:
        if not self.problems:
            if self.documents == 0:
                self.problems.append(
                    Problem(self.path, 1, 1, "L003", "the file is empty; write the record's fields")
                )
            elif not isinstance(self.root, dict):
                kind = "empty" if self.root is None else f"a {type(self.root).__name__}"
                where = self.values.get((), Position(1, 1))
                self.problems.append(
                    Problem(
                        self.path,
                        where.line,
                        where.column,
                        "L009",
                        f"the document is {kind}, not a mapping of field names to values",
                    )
                )
        if self.problems:
            return ParseFailure(self.path, tuple(self.problems))
        return Document(self.path, self.root, self.text, places=[(self.values, self.keys)])

    def _node(self, event: yaml.NodeEvent) -> None:
        mark = _position(event)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.container, dict) and parent.key is None:
            self._key(parent, event, mark)
            return
        pointer = self._slot(parent)
        self.values.setdefault(pointer, mark)
        if isinstance(event, yaml.AliasEvent):
            self._once(mark, "L006", f"alias *{event.anchor}: write the value out in full")
            self._place(None)
            return
        if event.anchor is not None:
            self._once(mark, "L006", f"anchor &{event.anchor}: write the value out in full")
        assert isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent)
        tag = event.tag
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
            self._problem(
                mark,
                "L007",
                f"tag {tag} is not allowed: remove it, values are "
                "plain strings, numbers, lists and mappings",
            )
        if isinstance(event, yaml.CollectionStartEvent) and len(self.stack) >= MAX_DEPTH:
            self._fatal(
                event,
                "L014",
                _TOO_DEEP,
            )
        if isinstance(event, yaml.MappingStartEvent):
            self.stack.append(_Frame({}, pointer))
        elif isinstance(event, yaml.SequenceStartEvent):
            self.stack.append(_Frame([], pointer))
        else:
            assert isinstance(event, yaml.ScalarEvent)
            plain = event.style in ("", None) and tag is None
            self._place(resolve_plain(event.value) if plain else event.value)

    def _key(self, frame: _Frame, event: yaml.NodeEvent, mark: Position) -> None:
        if not isinstance(event, yaml.ScalarEvent) or event.tag not in (None, "!"):
            self._fatal(event, "L010", "a mapping key must be a plain string")
        assert isinstance(event, yaml.ScalarEvent) and isinstance(frame.container, dict)
        if event.anchor is not None:
            self._once(mark, "L006", f"anchor &{event.anchor}: remove it")
        key = event.value
        pointer = (*frame.pointer, key)
        frame.key = key
        frame.skip_value = key in frame.container
        if frame.skip_value:
            first = self.keys[pointer]
            self._problem(
                mark,
                "L005",
                f"duplicate key {key!r}: it is already set on line "
                f"{first.line}; keep one of the two",
            )
        else:
            self.keys[pointer] = mark

    def _slot(self, parent: _Frame | None) -> Pointer:
        if parent is None:
            return ()
        if isinstance(parent.container, list):
            return (*parent.pointer, len(parent.container))
        assert parent.key is not None
        return (*parent.pointer, parent.key)

    def _place(self, value: Any) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is None:
            self.root = value
        elif isinstance(parent.container, list):
            parent.container.append(value)
        else:
            assert parent.key is not None
            if not parent.skip_value:
                parent.container[parent.key] = value
            parent.key = None

    def _problem(self, mark: Position, code: str, message: str) -> None:
        self.problems.append(Problem(self.path, mark.line, mark.column, code, message))

    def _once(self, mark: Position, code: str, message: str) -> None:
        """Report a message the first time only: a thousand uses of one alias are one problem."""
        if message not in self.reported:
            self.reported.add(message)
            self._problem(mark, code, message)

    def _fatal(self, event: yaml.Event, code: str, message: str) -> None:
        self._problem(_position(event), code, message)
        raise _StopReadingError


_CORE_INT = re.compile(r"[-+]?[0-9]+")
_CORE_OCT = re.compile(r"0o[0-7]+")
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_CORE_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_CORE_NAN = re.compile(r"\.(nan|NaN|NAN)")


def resolve_plain(text: str) -> Any:
    """Type a plain (unquoted) scalar as YAML 1.2's core schema does."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _CORE_INT.fullmatch(text):
        return int(text)
    if _CORE_OCT.fullmatch(text):
        return int(text[2:], 8)
    if _CORE_HEX.fullmatch(text):
        return int(text[2:], 16)
    if _CORE_FLOAT.fullmatch(text):
        return float(text)
    if _CORE_INF.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _CORE_NAN.fullmatch(text):
        return float("nan")
    return text


# Characters that only anchors, aliases, tags and directives need; a file with none of them can
# take the C loader's fast path. (In a quoted value they merely send the file the slow way.)
_UNUSUAL = re.compile(r"[&*!%]|^(---|\.\.\.)", re.MULTILINE)


class _UnusualError(Exception):
    """The fast path met something only the event stream reports properly."""


class _PlainConstructor(yaml.constructor.SafeConstructor):
    """Plain scalars typed as YAML 1.2's core schema, keys as written, duplicates refused."""

    def construct_yaml_str(self, node: yaml.ScalarNode) -> Any:
        value = node.value
        return resolve_plain(value) if node.style in (None, "") else value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value in mapping:
                raise _UnusualError
            mapping[key_node.value] = self.construct_object(value_node, deep=True)
        return mapping


for _tag, _construct in (
    ("tag:yaml.org,2002:str", _PlainConstructor.construct_yaml_str),
    ("tag:yaml.org,2002:map", _PlainConstructor.construct_mapping),
):
    _PlainConstructor.add_constructor(_tag, _construct)  # type: ignore[type-var]


class _PlainLoader(CParser, _PlainConstructor, yaml.resolver.BaseResolver):
    """libyaml's parser; no implicit types, so every scalar reaches `construct_yaml_str`."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _PlainConstructor.__init__(self)
        yaml.resolver.BaseResolver.__init__(self)


# What rapidyaml's JSON is not trusted with, whatever surrounds it: tabs (rapidyaml takes one
# after an indicator as a space) and backslashes (the escapes of a double-quoted string, where
# it writes a lone surrogate as bytes that are not UTF-8). A text with any is read by libyaml.
_NOT_FOR_RAPIDYAML = re.compile(r"[\t\\]")
# First characters of the plain scalars rapidyaml's JSON keeps as text but the core schema
# types (`~`, `Null`, `True`, `FALSE`, `0x1F`, `0o17`, `012`, `+1`, `.inf`, `.NaN`).
_TYPED_FIRST = frozenset("~NTF0123456789+-.")
# First characters no plain scalar may have (YAML 1.2's c-indicator, and white space), which
# rapidyaml still reads as one in places (`claim: ]`, `` `key: ``), and those it may misread
# when followed by a space (`?`, `:`, `-`). A string starting with one may well have been
# quoted: JSON does not tell, so libyaml reads the text.
_NEVER_PLAIN_FIRST = frozenset(",[]{}#&*!|>'\"%@` \t")
_INDICATOR_FIRST = frozenset("?:-")


def _json_data(text: str) -> dict[str, Any] | None:
    """The data of an ordinary file, read fastest: rapidyaml parses it and emits JSON, which
    `json` loads, all in C. None for a text rapidyaml may read otherwise than libyaml (see
    tests/test_yaml_agreement.py), or whose keys or text values may have been typed otherwise
    by the core schema had they been plain, or were not valid plain scalars (quoted or not,
    JSON does not tell): those go to libyaml."""
    if _UNUSUAL.search(text) or _NOT_PRINTABLE.search(text) or _NOT_FOR_RAPIDYAML.search(text):
        return None
    raw = text.encode("utf-8")
    if ("|" in text or ">" in text) and rapidyaml.block_header_error(raw):
        return None
    data = rapidyaml.json_data(raw)
    if not isinstance(data, dict) or not data or _may_be_misread_plain(data):
        return None
    return data


def _may_be_misread_plain(value: Any) -> bool:
    if isinstance(value, str):
        first = value[:1]
        return (
            first in _NEVER_PLAIN_FIRST
            or (first in _INDICATOR_FIRST and value[1:2] in ("", " "))
            or (first in _TYPED_FIRST and not isinstance(resolve_plain(value), str))
        )
    if isinstance(value, dict):
        return any(
            _may_be_misread_plain(key) or _may_be_misread_plain(item) for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_may_be_misread_plain(item) for item in value)
    return False


def _plain_data(text: str) -> dict[str, Any] | None:
    """The data of an ordinary file, read by libyaml's C loader; None if it needs the careful
    reading."""
    if _UNUSUAL.search(text):
        return None
    loader = _PlainLoader(text)
    try:
        data = loader.get_single_data()
    except (yaml.YAMLError, _UnusualError):
        return None
    finally:
        loader.dispose()
    return data if isinstance(data, dict) and data else None


def _position(event: yaml.Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)


def _text_position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _failure(path: str, line: int, column: int, code: str, message: str) -> ParseFailure:
    return ParseFailure(path, (Problem(path, line, column, code, message),))
