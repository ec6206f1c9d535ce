"""The packaged JSON Schemas, and schema errors turned into problems a curator can act on.

The schemas are the documentation of the format: each field's `description` feeds the README and
the dataset card. Two annotations of our own steer the messages: `x-code` names the problem code
for a rule (a slug pattern, a real date, a conditional requirement) and `x-hint` says how to fix
it. Validators of other tools ignore both.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import jsonschema
import jsonschema_rs
import referencing
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing.jsonschema import DRAFT202012

from builder.layout import Kind
from builder.loader import Document, Pointer
from builder.problems import Problem

SCHEMA_FILES = ("common", "claim", "source", "dataset", "topics")
SCHEMA_SUFFIX = ".schema.json"


def _is_strict_integer(_checker: object, value: object) -> bool:
    # JSON Schema counts 3.0 as an integer; an offset written as 3.0 is a typo here.
    return isinstance(value, int) and not isinstance(value, bool)


@functools.cache
def python_regex(pattern: str) -> re.Pattern[str]:
    """An ECMA-262 `pattern`, as JSON Schema means it, compiled to mean the same in Python.

    The schemas stay portable (other validators read them as ECMA-262); the difference that
    matters is `$`, which in Python also matches before a final newline, so that `^[a-z]+$`
    would take `"evil\n"`. Outside a character class, an unescaped `$` becomes `\\Z`.
    """
    translated, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            translated.append(r"\Z")
            continue
        translated.append(char)
    return re.compile("".join(translated))


def _pattern(
    validator: jsonschema.protocols.Validator, pattern: str, instance: object, schema: object
) -> Iterator[ValidationError]:
    if isinstance(instance, str) and not python_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


StrictValidator = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_strict_integer),
)


@functools.cache
def load_schemas() -> dict[str, dict[str, Any]]:
    """Every packaged schema, by file stem (`claim`, `source`, ...)."""
    folder = resources.files("builder") / "schema"
    return {
        name: json.loads(folder.joinpath(name + SCHEMA_SUFFIX).read_text(encoding="utf-8"))
        for name in SCHEMA_FILES
    }


def resolve(spec: dict[str, Any], local: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """`spec` with its `$ref`s followed, and the schema its own references are relative to.

    A reference points into `local` (`#/$defs/start`) or into a sibling file of `schema/`
    (`common.schema.json#/$defs/slug`), as any other validator reads it. Keys written beside a
    `$ref` (a field's own
    description) win over the target's. This is the one reader of references: the validator,
    the canonical writer, the README's field tables and the dataset card all use it.
    """
    while "$ref" in spec:
        base, _, pointer = spec["$ref"].partition("#")
        if base:
            local = load_schemas()[base.removesuffix(SCHEMA_SUFFIX)]
        target: Any = local
        for part in pointer.strip("/").split("/"):
            target = target[part] if part else target
        spec = {**target, **{k: v for k, v in spec.items() if k != "$ref"}}
    return spec, local


def field_rows(kind: Kind | str) -> list[tuple[str, bool, str]]:
    """(field path, required, description) for every field of a kind's schema, nested
    objects flattened (`claimant.name`, `appearances[].start`)."""
    schema = load_schemas()[str(kind)]
    return _field_rows(schema, schema, "")


def _field_rows(
    schema: dict[str, Any], local: dict[str, Any], prefix: str
) -> list[tuple[str, bool, str]]:
    rows: list[tuple[str, bool, str]] = []
    required = set(schema.get("required", ()))
    for name, spec in schema.get("properties", {}).items():
        resolved, scope = resolve(spec, local)
        rows.append((f"{prefix}{name}", name in required, resolved.get("description", "")))
        array = resolved.get("type") == "array"
        nested, scope = resolve(resolved.get("items", {}), scope) if array else (resolved, scope)
        if "properties" in nested:
            rows += _field_rows(nested, scope, f"{prefix}{name}{'[].' if array else '.'}")
    return rows


@functools.cache
def validator(kind: Kind) -> jsonschema.protocols.Validator:
    schemas = load_schemas()
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (name + SCHEMA_SUFFIX, DRAFT202012.create_resource(schema))
        for name, schema in schemas.items()
    )
    validator: jsonschema.protocols.Validator = StrictValidator(
        _inlined(schemas[kind.value], schemas[kind.value]),
        registry=registry,
        format_checker=FormatChecker(formats=["date"]),
    )
    return validator


def _inlined(spec: Any, local: dict[str, Any]) -> Any:
    """`spec` with every `$ref` replaced by its target, as `resolve` reads it.

    Following a reference costs jsonschema a URL join and a registry lookup each time it is
    met, which at 100,000 records is most of the validation time; the schemas hold no
    recursion, so they can be inlined once. Messages are unchanged: the only keys beside a
    `$ref` are descriptions.
    """
    if isinstance(spec, list):
        return [_inlined(item, local) for item in spec]
    if not isinstance(spec, dict):
        return spec
    spec, local = resolve(spec, local)
    return {k: v if k == "$defs" else _inlined(v, local) for k, v in spec.items()}


STRICT_INTEGER = "x-strict-integer"


class _StrictInteger:
    """jsonschema-rs's keyword for what `_is_strict_integer` says: JSON Schema counts 3.0 as
    an integer, an offset written as 3.0 is a typo."""

    def __init__(self, parent_schema: object, value: object, schema_path: object) -> None:
        pass

    def validate(self, instance: object) -> None:
        if isinstance(instance, float):
            raise ValueError(f"{instance!r} is not an integer")


@functools.cache
def fast_validator(kind: Kind) -> jsonschema_rs.Validator:
    """The same schema compiled by jsonschema-rs: it only says whether a document is valid.

    The schema is the inlined one, its `$defs` dropped (nothing refers to them any more) and
    each integer made strict. Both libraries read `pattern` as ECMA-262 and `date` as RFC 3339,
    so a document valid here is valid for `validator` too: tests/test_schemas.py holds the
    differential test over every corpus and generated documents.
    """
    schema = _for_rust(_inlined(load_schemas()[kind.value], load_schemas()[kind.value]))
    return jsonschema_rs.Draft202012Validator(
        schema, validate_formats=True, keywords={STRICT_INTEGER: _StrictInteger}
    )


def _for_rust(spec: Any) -> Any:
    if isinstance(spec, list):
        return [_for_rust(item) for item in spec]
    if not isinstance(spec, dict):
        return spec
    converted = {k: _for_rust(v) for k, v in spec.items() if k != "$defs"}
    if spec.get("type") == "integer":
        converted[STRICT_INTEGER] = True
    return converted


def schema_problems(document: Document, kind: Kind) -> Iterator[Problem]:
    """Every way the document breaks its schema, each at the key or value concerned.

    Most documents are valid: jsonschema-rs says so quickly, and only the others are
    validated again by python-jsonschema, whose errors carry what the messages need.
    """
    if fast_validator(kind).is_valid(document.data):
        return
    errors = list(validator(kind).iter_errors(document.data))
    typed = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
    seen: set[Problem] = set()
    for error in errors:
        pointer: Pointer = tuple(error.absolute_path)
        if error.validator != "type" and pointer in typed:
            continue  # the wrong type explains every other rule the value breaks
        for problem in _translate(document, pointer, error):
            if problem not in seen:
                seen.add(problem)
                yield problem


_KEYWORD_CODES = {
    "required": "S001",
    "additionalProperties": "S002",
    "type": "S003",
    "pattern": "S004",
    "propertyNames": "S004",
    "format": "S005",
    "enum": "S006",
    "const": "S006",
}


def _translate(document: Document, pointer: Pointer, error: ValidationError) -> Iterator[Problem]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = str(error.validator)
    code = _KEYWORD_CODES.get(keyword, "S009")
    if keyword != "type" and "x-code" in schema:
        code = schema["x-code"]
    hint = schema.get("x-hint")
    where = _field_name(pointer)
    instance: Any = error.instance  # the stubs allow "unset"; an error always has both
    rule: Any = error.validator_value

    if keyword == "required":
        for name in _missing(error):
            about = hint or _describe_property(schema, name)
            yield document.problem(
                pointer, code, f"missing required field `{name}`{where}" + _suffix(about)
            )
    elif keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for name in sorted(set(instance) - set(allowed)):
            yield document.problem(
                (*pointer, name),
                code,
                f"unknown field `{name}`{where}; " + _suggest(name, allowed),
                key=True,
            )
    elif "propertyNames" in error.relative_schema_path:
        yield document.problem(
            (*pointer, instance),
            code,
            f"{instance!r} is not a valid name here" + _suffix(hint),
            key=True,
        )
    elif keyword == "type":
        yield document.problem(pointer, code, _type_message(error, where))
    elif keyword in ("enum", "const"):
        choices = [str(c) for c in (rule if keyword == "enum" else [rule])]
        suggestion = _suggest(str(instance), choices, label="one of")
        yield document.problem(pointer, code, f"{instance!r}{where} is not allowed; {suggestion}")
    elif hint:
        yield document.problem(pointer, code, f"{_show(instance)}{where} is not valid: {hint}")
    else:
        yield document.problem(
            pointer, code, f"{where.removeprefix(' in ') or 'value'}: {_rule(error)}"
        )


def _missing(error: ValidationError) -> list[str]:
    present: Any = error.instance if isinstance(error.instance, dict) else {}
    required: Any = error.validator_value
    return [name for name in required if name not in present]


def _field_name(pointer: Pointer) -> str:
    if not pointer:
        return ""
    return (
        " in `"
        + "".join(
            f"[{part}]" if isinstance(part, int) else (f".{part}" if index else str(part))
            for index, part in enumerate(pointer)
        )
        + "`"
    )


def _describe_property(schema: dict[str, Any], name: str) -> str | None:
    description = schema.get("properties", {}).get(name, {}).get("description")
    return description.rstrip(".").lower() if description else None


def _suffix(text: str | None) -> str:
    return f": {text}" if text else ""


def _suggest(word: str, choices: list[str], *, label: str = "allowed fields are") -> str:
    close = [c for c in choices if word and c.startswith(word)] or difflib.get_close_matches(
        word, choices, n=1
    )
    listed = ", ".join(choices)
    if close:
        return f"did you mean `{close[0]}`? ({label}: {listed})"
    return f"{label}: {listed}"


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "nothing",
}


def _type_message(error: ValidationError, where: str) -> str:
    expected: Any = error.validator_value
    wanted = " or ".join(
        _TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
    )
    message = f"expected {wanted}{where}, found {_kind_of(error.instance)}"
    if expected == "string" and isinstance(error.instance, bool | int | float):
        message += "; put the value in quotes so YAML keeps it as text"
    return message


def _kind_of(value: object) -> str:
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _rule(error: ValidationError) -> str:
    keyword, limit = error.validator, error.validator_value
    rules = {
        "minItems": f"needs at least {limit} item{'s' if limit != 1 else ''}",
        "maxItems": f"takes at most {limit} items",
        "uniqueItems": "has the same item twice; remove the repeat",
        "minLength": f"needs at least {limit} character{'s' if limit != 1 else ''}",
        "maxLength": f"is longer than {limit} characters",
        "minimum": f"must be at least {limit}",
        "maximum": f"must be at most {limit}",
        "minProperties": f"needs at least {limit} entr{'ies' if limit != 1 else 'y'}",
    }
    return rules.get(str(keyword), str(error.message))
