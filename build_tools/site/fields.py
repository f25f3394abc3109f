"""Schema-driven display of record fields: titles, values and the field reference rows.

Record pages show fields through the schema's titles, so a field added to the schema appears
on every page without a template change, and its name reads the same as in editors.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from build_tools.grade.dosing import format_number
from build_tools.paths import KINDS
from build_tools.records.schema import deref, raw_schemas
from build_tools.site.markup import Md, md, trusted
from build_tools.site.words import word
from build_tools.text import person


@cache
def _schemas() -> dict[str, dict]:
    """The schema files, read once."""
    return raw_schemas()


def node_at(kind: str, path: tuple[str, ...]) -> dict:
    """The schema node (with $refs followed) describing the value at a path of field names."""
    schemas = _schemas()
    node = deref(schemas[KINDS[kind][1]], schemas)
    for step in path:
        node = deref(node, schemas)
        if node.get("type") == "array":
            node = deref(node.get("items", {}), schemas)
        node = deref(node.get("properties", {}).get(step, {}), schemas)
    return node


def title(kind: str, path: tuple[str, ...]) -> str:
    """The schema title of a field (its last name as a fallback)."""
    return node_at(kind, path).get("title") or path[-1].replace("_", " ")


def enum_values(node: Mapping) -> tuple[str, ...]:
    """The allowed values of an enum node documented as oneOf [{const, description}]."""
    return tuple(b["const"] for b in node.get("oneOf", []) if isinstance(b, dict) and "const" in b)


def value_text(kind: str, path: tuple[str, ...], value: object) -> Md:
    """One field's value as escaped Markdown, read through the schema (enum words, units)."""
    node = node_at(kind, path)
    if value is None:
        return Md("")
    if isinstance(value, bool):
        return trusted("yes" if value else "no")
    if isinstance(value, int | float):
        return md(format_number(float(value)))
    if isinstance(value, str):
        return md(word(value)) if value in enum_values(node) else md(value)
    if isinstance(value, Mapping):
        if set(value) <= {"from", "locator"}:
            return md(f"{value.get('locator', '')} ({value.get('from', '')})")
        if set(value) <= {"min", "max", "unit"}:
            return _range_text(value)
        parts = [f"{md(title(kind, path + (k,)))} {value_text(kind, path + (k,), v)}"
                 for k, v in value.items()]
        return trusted("; ".join(parts))
    items = list(value)  # type: ignore[call-overload]
    return trusted("; ".join(_item_text(kind, path, item) for item in items))


def _range_text(value: Mapping) -> Md:
    """'10–50 mg/h' from a {min, max, unit} mapping."""
    low, high = value.get("min"), value.get("max")
    if low is not None and high is not None:
        span = f"{format_number(low)}–{format_number(high)}"
    elif high is not None:
        span = f"up to {format_number(high)}"
    elif low is not None:
        span = f"from {format_number(low)}"
    else:
        span = "not stated"
    unit = value.get("unit")
    return md(f"{span} {word(unit) if unit in ('mg/h/70kg', 'ug/kg/min') else unit or ''}".strip())


def _item_text(kind: str, path: tuple[str, ...], item: object) -> Md:
    """One list item: a mapping reads as its first value with the others in parentheses."""
    if not isinstance(item, Mapping):
        return value_text(kind, path, item)
    if "family" in item or "literal" in item:
        return md(person(item))
    pairs = list(item.items())
    if not pairs:
        return Md("")
    head = value_text(kind, path + (pairs[0][0],), pairs[0][1])
    rest = [f"{md(title(kind, path + (k,)).lower())} {value_text(kind, path + (k,), v)}"
            for k, v in pairs[1:]]
    return trusted(f"{head} ({', '.join(rest)})" if rest else head)


def rows(kind: str, path: tuple[str, ...], mapping: Mapping | None,
         skip: tuple[str, ...] = ()) -> list[tuple[Md, Md]]:
    """(title, value) rows for a mapping's fields in schema order, skipping the named ones."""
    if not mapping:
        return []
    node = node_at(kind, path)
    order = list(node.get("properties", {})) + [k for k in mapping
                                                if k not in node.get("properties", {})]
    return [(md(title(kind, path + (k,))), value_text(kind, path + (k,), mapping[k]))
            for k in order if k in mapping and k not in skip]


@dataclass(frozen=True)
class FieldDoc:
    """One line of the field reference: where a field is, what it is and what it takes."""

    path: str
    title: str
    type: str
    required: bool
    description: str
    allowed: tuple[tuple[str, str], ...]
    example: str


def field_docs(kind: str) -> Iterator[FieldDoc]:
    """Every field of a record kind, depth first in schema order, for the field reference."""
    schemas = _schemas()

    def walk(node: dict, prefix: str, required: tuple[str, ...]) -> Iterator[FieldDoc]:
        """The fields of one object node, then those nested in it."""
        for name, raw in node.get("properties", {}).items():
            sub = deref(raw, schemas)
            kind_word = sub.get("type", "")
            inner = sub
            if kind_word == "array":
                inner = deref(sub.get("items", {}), schemas)
                kind_word = f"list of {inner.get('type', 'value')}s"
            allowed = tuple((b["const"], b.get("description", "")) for b in sub.get("oneOf", [])
                            if isinstance(b, dict) and "const" in b)
            example = (sub.get("examples") or [None])[0]
            yield FieldDoc(prefix + name, sub.get("title", name), kind_word, name in required,
                           sub.get("description", ""), allowed,
                           "" if example is None or isinstance(example, dict | list)
                           else str(example))
            child_prefix = prefix + name + ("[]." if inner is not sub else ".")
            if inner.get("type") == "object":
                yield from walk(inner, child_prefix, tuple(inner.get("required", ())))

    root = deref(schemas[KINDS[kind][1]], schemas)
    yield from walk(root, "", tuple(root.get("required", ())))
