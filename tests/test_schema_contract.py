"""The schema files are the contract: documented everywhere, and the Python model matches them."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from build_tools.check.schema_rules import validator
from build_tools.records.model import MODEL_CLASSES, schema_fields
from build_tools.records.schema import raw_schemas
from build_tools.records.templates import PLACEHOLDER, template
from build_tools.records.yamlio import load_text


def _property_nodes(node, path="$"):
    """Every schema node that describes a property or an array item."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{path}.{name}", sub
            yield from _property_nodes(sub, f"{path}.{name}")
        if isinstance(node.get("items"), dict):
            yield from _property_nodes(node["items"], f"{path}[]")
        for name, sub in node.get("definitions", {}).items():
            yield f"{path}#{name}", sub
            yield from _property_nodes(sub, f"{path}#{name}")


@pytest.mark.parametrize("name", sorted(raw_schemas()))
def test_schema_is_valid_draft7(name):
    jsonschema.Draft7Validator.check_schema(raw_schemas()[name])


@pytest.mark.parametrize("name", sorted(raw_schemas()))
def test_every_property_has_title_description_and_examples(name):
    for path, node in _property_nodes(raw_schemas()[name]):
        assert node.get("title") and node.get("description"), path
        assert node.get("examples"), path
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, path
        for branch in node.get("oneOf", []):
            if "const" in branch:
                assert branch.get("description"), f"{path} = {branch['const']}"


@pytest.mark.parametrize("kind", sorted(MODEL_CLASSES))
def test_model_fields_match_schema_top_level(kind):
    schema = raw_schemas()[f"{kind}.schema.json"]
    assert schema_fields(MODEL_CLASSES[kind]) == set(schema["properties"])


def _fill(value, node, schemas):
    """Replace every placeholder with the schema's first example for that place."""
    from build_tools.records.schema import deref as _deref
    node = _deref(node, schemas)
    if value == PLACEHOLDER:
        return node["examples"][0]
    if isinstance(value, dict):
        props = node.get("properties", {})
        return {k: _fill(v, props.get(k, {}), schemas) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, node.get("items", {}), schemas) for v in value]
    return value


@pytest.mark.parametrize("kind", sorted(MODEL_CLASSES))
def test_new_template_validates_once_placeholders_are_filled(kind):
    text = template(kind, "example-2024")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../schema/{kind}.schema.json"
    data = load_text(text).data
    assert list(validator(kind).iter_errors(data)), "unfilled template should not validate"
    schemas = raw_schemas()
    filled = _fill(data, schemas[f"{kind}.schema.json"], schemas)
    errors = [e.message for e in validator(kind).iter_errors(filled)]
    assert errors == []
    assert yaml.safe_load(text)["id"] == "example-2024"
