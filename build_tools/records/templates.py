"""Annotated record templates, generated from the schema so they never drift from it."""

from __future__ import annotations

import json

from build_tools.paths import KINDS, modeline
from build_tools.records.schema import deref, raw_schemas

PLACEHOLDER = "TODO"


def _node(schema: dict) -> dict:
    """A schema node with its $ref followed."""
    return deref(schema, raw_schemas())


def _flow(value: object) -> str:
    """A value as one line of YAML flow style."""
    return json.dumps(value, ensure_ascii=False)


def _comment(name: str, node: dict, required: bool, indent: str) -> list[str]:
    """Comment lines explaining a field: need, title, meaning, allowed values, example."""
    need = "required" if required else "optional"
    lines = [f"{indent}# {name} ({need}) - {node.get('title', name)}: {node.get('description', '')}"]
    values = [b["const"] for b in node.get("oneOf", []) if isinstance(b, dict) and "const" in b]
    if values:
        lines.append(f"{indent}#   allowed: {', '.join(values)}")
    examples = node.get("examples")
    if examples:
        lines.append(f"{indent}#   example: {_flow(examples[0])}")
    return lines


def _emit(props: dict, required: list[str], indent: str, given: dict) -> list[str]:
    """Lines for a mapping: required fields as placeholders, optional ones commented out."""
    lines: list[str] = []
    for name, raw in props.items():
        node = _node(raw)
        is_required = name in required
        lines += _comment(name, node, is_required, indent)
        if name in given:
            lines.append(f"{indent}{name}: {given[name]}")
        elif not is_required:
            example = (node.get("examples") or [PLACEHOLDER])[0]
            lines.append(f"{indent}# {name}: {_flow(example)}")
        elif node.get("type") == "object":
            lines.append(f"{indent}{name}:")
            lines += _emit(node.get("properties", {}), node.get("required", []), indent + "  ", {})
        elif node.get("type") == "array":
            item = _node(node.get("items", {}))
            if item.get("type") == "object" and not item.get("required"):
                example = (node.get("examples") or [[{}]])[0][0]
                filled = {key: PLACEHOLDER for key in example}
                lines.append(f"{indent}{name}:")
                lines.append(f"{indent}  - {_flow(filled)}")
            elif item.get("type") == "object":
                sub = _emit(item.get("properties", {}), item.get("required", []), indent + "    ",
                            {})
                first = next(i for i, s in enumerate(sub) if not s.lstrip().startswith("#"))
                sub[first] = indent + "  - " + sub[first].lstrip()
                lines.append(f"{indent}{name}:")
                lines += sub
            else:
                lines.append(f"{indent}{name}: [{PLACEHOLDER}]")
        else:
            lines.append(f"{indent}{name}: {PLACEHOLDER}")
        lines.append("")
    return lines


def template(kind: str, record_id: str) -> str:
    """The annotated YAML template for a new record of a kind, with its id filled in."""
    schema = raw_schemas()[KINDS[kind][1]]
    header = [modeline(kind),
              f"# New {kind} record. Replace every {PLACEHOLDER}; uncomment optional fields you "
              "can fill from a source.",
              "# Every number needs a source (verified_from + cite); what the source does not "
              "give goes in not_reported.",
              "# Check it with: evidence check " + f"evidence/{KINDS[kind][0]}/{record_id}.yaml",
              ""]
    # Fields required in the usual case (an "else" branch: a claim's question) are shown too.
    usual = [name for rule in schema.get("allOf", []) for name in rule.get("else", {}).get(
        "required", [])]
    body = _emit(schema["properties"], schema.get("required", []) + usual, "", {"id": record_id})
    return "\n".join(header + body).rstrip() + "\n"
