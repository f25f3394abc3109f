"""JSON Schema validation of loaded records, turned into positioned problems with hints."""

from __future__ import annotations

import copy
import datetime
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import fastjsonschema

from build_tools.paths import KINDS, SCHEMA_DIR
from build_tools.problems import Problem, problem
from build_tools.records.schema import choices, definition, deref, node_at, properties_at, raw_schemas
from build_tools.records.yamlio import Loaded
from build_tools.text import did_you_mean, json_path, line_col, shown

if TYPE_CHECKING:  # imported when first needed: a build of unchanged records validates nothing
    import jsonschema

TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number",
              "boolean": "true or false", "array": "a list", "object": "a mapping (field: value)",
              "null": "empty"}


def _enum_for_speed(node: object) -> object:
    """Copy of a schema with documented enums (oneOf of consts) turned into plain enums.

    The files document each allowed value as {const, description} for editors; validating
    oneOf tries every branch, so the validator gets the equivalent, much faster `enum`.
    """
    if isinstance(node, dict):
        one_of = node.get("oneOf")
        if isinstance(one_of, list) and one_of and all(
                isinstance(b, dict) and "const" in b for b in one_of):
            node = {k: v for k, v in node.items() if k != "oneOf"}
            node["enum"] = [b["const"] for b in one_of]
        return {k: _enum_for_speed(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_enum_for_speed(v) for v in node]
    return node


def _bundle(schema: dict, defs: dict) -> dict:
    """One self-contained schema: cross-file refs to defs.schema.json become local refs."""
    def local(node: object) -> object:
        if isinstance(node, dict):
            out = {k: local(v) for k, v in node.items()}
            ref = out.get("$ref")
            if isinstance(ref, str) and ref.startswith("defs.schema.json#"):
                out["$ref"] = ref[len("defs.schema.json"):]
            return out
        if isinstance(node, list):
            return [local(v) for v in node]
        return node
    bundled = local(schema)
    bundled["definitions"] = {**local(defs.get("definitions", {})), **bundled.get("definitions", {})}
    bundled.pop("$id", None)
    return bundled


@cache
def _validation_schema(kind: str, schema_dir: Path = SCHEMA_DIR) -> dict:
    """The kind's schema, bundled with the shared definitions and with fast enums."""
    schemas = raw_schemas(schema_dir)
    bundled = _bundle(copy.deepcopy(schemas[KINDS[kind][1]]), schemas["defs.schema.json"])
    return _enum_for_speed(bundled)


@cache
def validator(kind: str, schema_dir: Path = SCHEMA_DIR) -> jsonschema.Draft7Validator:
    """A Draft-07 validator that reports every error, for positioned problems."""
    import jsonschema

    return jsonschema.Draft7Validator(_validation_schema(kind, schema_dir),
                                      format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@cache
def _fast_validator(kind: str, schema_dir: Path = SCHEMA_DIR):
    """A compiled yes/no validator: valid records (the common case) skip the slow full report."""
    return fastjsonschema.compile(_validation_schema(kind, schema_dir),
                                  formats={"date": _is_calendar_date})


def _is_calendar_date(value: str) -> bool:
    """The same date check as jsonschema's format checker (a real day, not just the shape)."""
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _suggest(word: str, choices: list[str]) -> str:
    """'did you mean X?' text, or empty."""
    close = did_you_mean(word, choices)
    return f"did you mean '{close[0]}'? " if close else ""


def _allowed(values: list) -> str:
    """A short list of allowed values for a hint."""
    shown = ", ".join(str(v) for v in values[:12])
    return shown + (", ..." if len(values) > 12 else "")


def _describe(schema: dict) -> str:
    """A format hint from a schema node's title, description and first example."""
    title = schema.get("title", "value")
    example = (schema.get("examples") or [None])[0]
    text = f"{title}: {schema.get('description', '').rstrip('.')}"
    if schema.get("pattern") == definition("id")["pattern"] and title != "Record id":
        text += "; lower-case letters, digits and single hyphens"
    if example is not None and not isinstance(example, dict | list):
        text += f"; e.g. {example}"
    return text


def _field(kind: str, path: tuple, fallback: dict) -> dict:
    """The schema node of the field at path, with its own title and description (a $ref to a
    shared definition keeps them); the validator's node when the path is not a plain field."""
    node = node_at(kind, path) if path and isinstance(path[-1], str) else {}
    return node if node.get("title") else fallback


def _as_problem(kind: str, error: jsonschema.ValidationError, loaded: Loaded, file: str
                ) -> list[Problem]:
    """Translate one jsonschema error into positioned problems."""
    path = tuple(error.absolute_path)
    line, col = loaded.position(path)
    where = json_path(path) or "record"
    rule, schema, instance = error.validator, error.schema, error.instance

    if rule == "additionalProperties":
        return _unknown_fields(kind, error, loaded, file, where)
    if rule == "required":
        return _missing_fields(kind, error, file, where, line, col)
    if rule in ("enum", "const"):
        values = schema.get("enum", [schema.get("const")])
        return [problem(file, line, col, "E203", f"{where}: {shown(instance)} is not an allowed value",
                        hint=_suggest(str(instance), [str(v) for v in values])
                        + f"use one of: {_allowed(values)}")]
    if rule == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(TYPE_WORDS.get(t, t) for t in expected)
        got = TYPE_WORDS.get(_json_type(instance), type(instance).__name__)
        hint = f"expected {wanted}"
        if "string" in expected and isinstance(instance, int | float | bool):
            hint += f"; put it in quotes: '{shown(_yaml_scalar(instance))[1:-1]}'"
        return [problem(file, line, col, "E204", f"{where}: expected {wanted}, got {got}",
                        hint=hint)]
    if rule in ("pattern", "format"):
        field = _field(kind, path, schema)
        return [problem(file, line, col, "E205",
                        f"{where}: {shown(instance)} is not a valid {field.get('title', 'value')}",
                        hint=_describe(field))]
    if rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return [problem(file, line, col, "E206", f"{where}: {shown(instance)} is out of range",
                        hint=f"{rule} is {error.validator_value}")]
    if rule in ("minLength", "maxLength", "minItems", "maxItems"):
        size = f"{len(instance)} {'characters' if isinstance(instance, str) else 'items'}"
        return [problem(file, line, col, "E207", f"{where}: {size}, {_limit_words(rule)} "
                        f"{error.validator_value}", hint=f"{rule} is {error.validator_value}")]
    if rule == "uniqueItems":
        return [problem(file, line, col, "E208", f"{where}: repeated item")]
    if rule in ("oneOf", "anyOf", "not"):
        hint = ("give family and given, or literal alone" if "family" in str(schema)
                else _describe(schema))
        return [problem(file, line, col, "E209", f"{where}: fields do not fit together",
                        hint=hint)]
    # Any other rule: the schema's own words, as an invalid combination of values.
    return [problem(file, line, col, "E209", f"{where}: {error.message}", hint=_describe(schema))]


def _unknown_fields(kind: str, error: jsonschema.ValidationError, loaded: Loaded, file: str,
                    where: str) -> list[Problem]:
    """E201 for each field the schema does not know, at its key, with a did-you-mean."""
    path = tuple(error.absolute_path)
    known = sorted(properties_at(kind, path))
    out = []
    for name in sorted(k for k in error.instance if k not in error.schema.get("properties", {})):
        kl, kc = loaded.position(path + (name,), key=True)
        out.append(problem(file, kl, kc, "E201", f"{where}: unknown field '{name}'",
                           hint=_suggest(name, known) + f"allowed here: {_allowed(known)}"))
    return out


def _missing_fields(kind: str, error: jsonschema.ValidationError, file: str, where: str,
                    line: int, col: int) -> list[Problem]:
    """E202 for each missing required field, with its title."""
    # A conditional "required" (if/else) has no properties of its own: use the record's.
    props = error.schema.get("properties") or properties_at(kind, tuple(error.absolute_path))
    out = []
    for name in error.validator_value:
        if isinstance(error.instance, dict) and name not in error.instance:
            title = deref(props.get(name, {}), raw_schemas()).get("title", name)
            out.append(problem(file, line, col, "E202", f"{where}: missing required field '{name}'",
                               field=name, title=title))
    return out


def _json_type(value: object) -> str:
    """The JSON type name of a Python value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _yaml_scalar(value: object) -> str:
    """How a scalar looks in YAML."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _limit_words(rule: str) -> str:
    """'over the allowed' or 'under the required': how a length breaks its rule."""
    return "over the allowed" if rule.startswith("max") else "under the required"


# The template's placeholder, anywhere in a text as a word (a contributor's "TODO: check" too).
PLACEHOLDER = re.compile(r"\bTODO\b")


def _placeholders(value: object, path: tuple = ()) -> list[tuple]:
    """Paths of every text value that still holds a placeholder."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _placeholders(v, path + (k,))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _placeholders(v, path + (i,))]
    return [path] if isinstance(value, str) and "TODO" in value and PLACEHOLDER.search(value) \
        else []


def _word_at(loaded: Loaded, path: tuple, word: str) -> tuple[int, int]:
    """Where word first appears from the value at path on (a block scalar's text starts on the
    line after its key), or the value's position when the file does not spell it out."""
    line, col = loaded.position(path)
    start = sum(len(x) + 1 for x in loaded.text.split("\n")[:line - 1]) + col - 1
    found = loaded.text.find(word, start)
    return line_col(loaded.text, found) if found >= 0 else (line, col)


def _placeholder_problem(kind: str, path: tuple, loaded: Loaded, file: str) -> Problem:
    """E315 at a placeholder, with what the field wants in its place."""
    node = node_at(kind, path) if path else {}
    values = [c["const"] for c in choices(node)]
    wants = f"use one of: {_allowed(values)}" if values else (
        _describe(node) if node.get("title") else "write the value from the source")
    return problem(file, *_word_at(loaded, path, "TODO"), "E315",
                   f"{json_path(path)}: placeholder TODO left from the template",
                   hint=f"replace it ({wants}), or remove the line if the field is optional")


def validate(kind: str, loaded: Loaded, file: str) -> list[Problem]:
    """All schema problems of one loaded record, positioned; a placeholder gets E315 in place
    of whatever the schema says about its value."""
    holes = _placeholders(loaded.data)
    out = [_placeholder_problem(kind, path, loaded, file) for path in holes]
    try:
        _fast_validator(kind)(loaded.data)
        return out
    except fastjsonschema.JsonSchemaException:
        pass  # invalid: collect every error with its path from the full validator
    for error in validator(kind).iter_errors(loaded.data):
        if tuple(error.absolute_path) not in holes:
            out.extend(_as_problem(kind, error, loaded, file))
    return out
