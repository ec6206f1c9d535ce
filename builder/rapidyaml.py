"""The second YAML parser, rapidyaml: a stricter judge of syntax than libyaml, and the reader of
the valid YAML that libyaml refuses.

Measured on the YAML test suite, libyaml accepts a few documents YAML 1.2 calls invalid (a
comment glued to a quoted value, `key: "value"# comment`; a quoted value continued without
indentation) and refuses some valid ones (`{x: :x}`, tabs after the indentation of a block
scalar). rapidyaml gets both right, so a file is valid YAML only if both parsers agree that it
is, and a file libyaml refuses for its syntax alone is read from rapidyaml's tree, with the same
typing and the same refusals as the careful loader (`builder.loader`).

rapidyaml reports a parse error on the process's standard error as well as raising it; that
copy is silenced, since the problem is reported as ours.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import ryml

Located = tuple[int, str]  # a byte offset into the text's UTF-8, and what is wrong there


# The errors rapidyaml is right about where libyaml sees none, as the YAML test suite shows;
# it also refuses valid YAML (tabs after a value, complex keys, `:0` as a key after a list),
# with other messages, and there libyaml's reading stands.
TRUSTED = (
    "bad indentation",
    "comment not preceded by whitespace",
    "invalid scalar",
    "need document footer before directives",
    "parse error: first non-empty block line should have at least the original indentation",
    "parse error: invalid comment after comma",
    "parse error: invalid token",
)


def syntax_error(raw: bytes) -> Located | None:
    """Where rapidyaml finds `raw` not to be YAML, for the errors it is trusted with."""
    try:
        with _quiet_stderr():
            ryml.parse_in_arena(raw)
    except ryml.ExceptionBasic as error:
        return _located(error) if str(error.msg) in TRUSTED else None
    return None


def json_data(raw: bytes) -> Any:
    """The data of `raw` by way of rapidyaml's JSON, all of it in C: None if rapidyaml cannot
    parse it, its JSON is not JSON (`+1`, `00.5`), or a mapping repeats a key.

    rapidyaml types plain scalars as JSON does, not quite as YAML 1.2's core schema does
    (`~`, `True`, `0x1F`, `.inf` stay text), so it is for texts without such values only:
    the loader decides which (`builder.loader._plain_data`).
    """
    try:
        with _quiet_stderr():
            emitted = ryml.emit_json(ryml.parse_in_arena(raw))
        return None if emitted is None else json.loads(emitted, object_pairs_hook=_unique_keys)
    except (ryml.ExceptionBasic, ValueError, _RepeatedKeyError):
        return None


class _RepeatedKeyError(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _RepeatedKeyError
    return mapping


class Refused(Exception):  # noqa: N818 (a value the loader turns into a problem)
    """What makes a document unacceptable, at the byte offset of the nearest place known."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def read(raw: bytes, max_depth: int, resolve_plain: Callable[[str], Any]) -> Any:
    """The data of the one document in `raw`, its plain scalars typed by `resolve_plain` (the
    loader's YAML 1.2 core schema); `Refused` if it has what the loader refuses (tags, anchors,
    aliases, keys that are not plain strings, duplicate keys, more than one document, too deep
    a nesting)."""
    try:
        with _quiet_stderr():
            tree = ryml.parse_in_arena(raw)
    except ryml.ExceptionBasic as error:
        if "maximum nesting depth" in str(error.msg):  # rapidyaml 0.15 has a limit of its own
            raise Refused("L014", f"values are nested more than {max_depth} levels deep") from error
        raise Refused("L004", f"YAML syntax error: {error.msg}") from error
    root = tree.root_id()
    if tree.is_stream(root):
        documents = list(ryml.children(tree, root))
        if len(documents) > 1:
            raise Refused("L008", "a second YAML document starts here; a file holds exactly one")
        if not documents:
            return None
        root = documents[0]
    elif tree.type_str(root) == "NOTYPE":
        return None

    def value(node: int, depth: int) -> Any:
        if tree.has_val_tag(node) or tree.has_key_tag(node):
            raise Refused("L007", "a tag is not allowed: values are plain data")
        if tree.has_val_anchor(node) or tree.has_key_anchor(node) or tree.is_val_ref(node):
            raise Refused("L006", "an anchor or alias is not allowed: write the value out")
        if tree.is_map(node) or tree.is_seq(node):
            if depth >= max_depth:
                raise Refused("L014", f"values are nested more than {max_depth} levels deep")
            if tree.is_seq(node):
                return [value(child, depth + 1) for child in ryml.children(tree, node)]
            mapping: dict[str, Any] = {}
            for child in ryml.children(tree, node):
                key = _text(tree.key(child))  # keys stay text, as the careful loader keeps them
                if tree.is_key_plain(child):
                    _plain_first(key)
                if tree.is_key_ref(child):
                    raise Refused("L006", "an alias is not allowed as a key")
                if key in mapping:
                    raise Refused("L005", f"duplicate key {key!r}: keep one of the two")
                mapping[key] = value(child, depth + 1)
            return mapping
        if tree.val_is_null(node):
            return None
        if tree.is_val_literal(node) or tree.is_val_folded(node):
            blocks.append(node)
        text = _text(tree.val(node))
        return plain(text) if tree.is_val_plain(node) else text

    def plain(text: str) -> Any:
        _plain_first(text)
        return resolve_plain(text)

    blocks: list[int] = []
    data = value(root, 0)
    header = block_header_error(raw) if blocks else None
    if header is not None:
        raise Refused("L004", header)
    return data


# Where a block scalar's header may be (a line's start, after `- `, `? ` or `: `), and what
# follows its `|` or `>` to the end of the line.
_HEADER = re.compile(rb"(?:^[ \t]*(?:[-?:][ \t]+)*|:[ \t]+)[|>]([^ \t\r\n]*)([^\r\n]*)", re.M)
_INDICATORS = re.compile(rb"([1-9][-+]?|[-+][1-9]?)?")
_AFTER_HEADER = re.compile(rb"([ \t]+#.*)?[ \t]*")


def block_header_error(raw: bytes) -> str | None:
    """What is wrong with the first block scalar header that has more than its indicators
    (`|1e`, `>x`), which rapidyaml reads as if it had none; YAML 1.2 allows only the
    indicators, then a comment. (A `|` or `>` starting a line of a quoted or plain scalar may
    look like a header too: such a text is merely read by libyaml alone.)"""
    for header in _HEADER.finditer(raw):
        if not (
            _INDICATORS.fullmatch(header.group(1)) and _AFTER_HEADER.fullmatch(header.group(2))
        ):
            shown = header.group(0).strip().decode("utf-8", "replace")
            return (
                f"YAML syntax error: {shown!r} is not a block scalar header (| or >, "
                "then an indentation digit and a chomping - or +)"
            )
    return None


def _plain_first(text: str) -> None:
    """An indicator cannot start a plain scalar (YAML 1.2's ns-plain-first), nor can `?`, `:`
    or `-` unless a character other than a space follows, yet rapidyaml lets `]`, `` ` `` or
    `?<tab>key` start one."""
    first, second = text[:1], text[1:2]
    if first in _NEVER_FIRST or (first in ("?", ":", "-") and second in ("", " ", "\t")):
        raise Refused("L004", f"YAML syntax error: {text[:2]!r} cannot start a plain value")


# YAML 1.2's c-indicator, but for `?`, `:` and `-`.
_NEVER_FIRST = frozenset(",[]{}#&*!|>'\"%@`")


def _text(data: Any) -> str:
    """A scalar's text; rapidyaml writes the escape of a lone surrogate (`"\\ud800"`) as bytes
    that are not UTF-8, which YAML (and libyaml) refuses."""
    try:
        return "" if data is None else bytes(data).decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(
            "L004", "YAML syntax error: an escape names a character that is not Unicode text"
        ) from error


def _located(error: Any) -> Located:
    where = getattr(getattr(error, "errdata_parse", None), "ymlloc", None)
    offset = getattr(where, "offset", 0) if where is not None else 0
    return max(0, int(offset)), f"YAML syntax error: {error.msg}"


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """File descriptor 2 sent to /dev/null for the duration (rapidyaml prints its errors)."""
    saved = os.dup(2)
    try:
        os.dup2(_devnull(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@functools.cache
def _devnull() -> int:
    return os.open(os.devnull, os.O_WRONLY)
