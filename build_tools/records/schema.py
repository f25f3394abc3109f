"""The JSON Schema files as data: the one place that reads and walks them.

Editors, validation, the field reference, the templates, the display words and the model all
take the record definition from here, so the schema is the only definition of a record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from build_tools.paths import KINDS, SCHEMA_DIR


@cache
def raw_schemas(schema_dir: Path = SCHEMA_DIR) -> dict[str, dict]:
    """The schema files as written: file name -> JSON object."""
    return {p.name: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(schema_dir.glob("*.schema.json"))}


def record_schema(kind: str) -> dict:
    """The top-level schema of one record kind (study, claim, source, search)."""
    return raw_schemas()[KINDS[kind][1]]


def deref(node: dict, schemas: dict | None = None) -> dict:
    """Follow a cross-file $ref of our schema files (every $ref points into defs.schema.json)."""
    schemas = schemas if schemas is not None else raw_schemas()
    while isinstance(node, dict) and "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        doc = schemas.get(target or "defs.schema.json", {})
        for part in pointer.strip("/").split("/") if pointer else []:
            doc = doc.get(part, {})
        node = {**doc, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def node_at(kind: str, path: tuple) -> dict:
    """The schema node that describes the value at path (list indexes step into items)."""
    schemas = raw_schemas()
    node = deref(schemas[KINDS[kind][1]], schemas)
    for step in path:
        node = deref(node.get("items", {}) if isinstance(step, int)
                     else node.get("properties", {}).get(step, {}), schemas)
    return node


def properties_at(kind: str, path: tuple) -> dict:
    """The `properties` of the schema object that describes the value at path (best effort)."""
    return node_at(kind, path).get("properties", {})


def choices(node: dict) -> list[dict]:
    """A documented enum's values ({const, title, description}), or [] for other nodes."""
    return [b for b in node.get("oneOf", []) if isinstance(b, dict) and "const" in b]


def walk(node: dict, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """(path, node) for every node below node, refs followed; list items are marked []."""
    node = deref(node)
    yield path, node
    for branch in node.get("oneOf", []) + node.get("anyOf", []) + node.get("allOf", []):
        if isinstance(branch, dict) and "const" not in branch:
            yield from walk(branch, path)
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        yield from walk(node["items"], path + ("[]",))
    for name, sub in node.get("properties", {}).items():
        yield from walk(sub, path + (name,))


@cache
def enum_titles() -> dict[str, str]:
    """Every documented enum value of every schema with its title (the display words)."""
    titles: dict[str, str] = {}
    for _, schema in sorted(raw_schemas().items()):
        roots = [schema] + list(schema.get("definitions", {}).values())
        for root in roots:
            for _, node in walk(root):
                for value in choices(node):
                    titles.setdefault(str(value["const"]), value.get("title", str(value["const"])))
    return titles


def definition(name: str) -> dict:
    """A shared definition of defs.schema.json (identifier patterns, vocabularies)."""
    return raw_schemas()["defs.schema.json"]["definitions"][name]


def pattern(name: str) -> re.Pattern[str]:
    """The compiled pattern of an identifier definition (doi, pmid, pmcid, nct, id, ...)."""
    return re.compile(definition(name)["pattern"])
