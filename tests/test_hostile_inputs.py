"""Hostile values the check itself must refuse, each with an error at the value's position.

Ids that climb out of their folder (`../../etc`) and addresses with a javascript:, data: or
vbscript: scheme never reach the renderer: the schema patterns stop them, and `evidence check`
points at the line and column of the offending value. Also the escaping regressions the hostile
corpus found, pinned at the function level.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from build_tools.check.runner import check
from build_tools.paths import KINDS
from build_tools.site.markup import code_block, yaml_value
from build_tools.site.writer import UnsafePath, check_path
from tests.hostile_corpus import BAD_IDS, BAD_URLS, corpus, dump, write_corpus

# (kind, record id in the packed corpus, path to the value, key as written in the file)
ID_FIELDS = [
    ("study", "hostile-000", ("id",), "id"),
    ("study", "hostile-000", ("participants", "cite", "from"), "from"),
    ("study", "hostile-000", ("outcomes", 0, "id"), "id"),
    ("study", "hostile-000", ("critiques", 0, "by_source"), "by_source"),
    ("study", "hostile-000", ("critiques", 1, "by_study"), "by_study"),
    ("study", "hostile-000", ("verified_from", 0, "key"), "key"),
    ("claim", "hostile-claim-000", ("evidence", 0, "study"), "study"),
    ("claim", "hostile-claim-000", ("asserted_by", 0, "source"), "source"),
    ("claim", "hostile-attribution-000", ("attribution", "study"), "study"),
    ("search", "hostile-search-000", ("candidates", 0, "study"), "study"),
]
URL_FIELDS = [
    ("study", "hostile-000", ("verified_from", 0, "url"), "url"),
    ("study", "hostile-000", ("critiques", 2, "by_url"), "by_url"),
    ("source", "hostile-source-000", ("url",), "url"),
    ("source", "hostile-source-000", ("archived_url",), "archived_url"),
    ("search", "hostile-search-000", ("candidates", 0, "url"), "url"),
]


@pytest.fixture(scope="module")
def packed(tmp_path_factory) -> tuple[Path, dict]:
    """The packed hostile corpus on disk, and its records by id."""
    root = tmp_path_factory.mktemp("hostile-inputs")
    write_corpus(root / "evidence", packed=True)
    return root, {rid: (kind, data) for kind, rid, data, _ in corpus(packed=True)}


def _set(data: dict, path: tuple, value: object) -> None:
    """Put value at path inside nested dicts and lists."""
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def _value_position(text: str, key: str, value: str) -> tuple[int, int]:
    """Line and column where value, written after `key:`, starts in the file text."""
    written = yaml.safe_dump({key: value}, width=10_000).strip()[len(key) + 2:]
    for number, line in enumerate(text.splitlines(), start=1):
        found = re.search(rf"(?:^|[\s{{,-]){re.escape(key)}: ", line)
        if found and line[found.end():].startswith(written):
            return number, found.end() + 1
    raise AssertionError(f"{key}: {written} not in the file")


def _check_one(root: Path, kind: str, data: dict, key: str, value: str) -> tuple[list, tuple]:
    """Write one broken record into the tree, check just it; (errors, expected position)."""
    stem = "broken" if data["id"] == value else data["id"]
    path = root / "evidence" / KINDS[kind][0] / f"{stem}.yaml"
    text = dump(kind, data)
    path.write_text(text, encoding="utf-8")
    try:
        result = check([path], evidence_dir=root / "evidence", root=root)
    finally:
        path.unlink()
    errors = [(p.code, p.line, p.col) for p in result.problems if p.severity == "error"]
    return errors, _value_position(text, key, value)


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(("kind", "rid", "where", "key"), ID_FIELDS,
                         ids=[".".join(map(str, f[2])) + "@" + f[0] for f in ID_FIELDS])
def test_ids_that_leave_their_folder_are_refused_where_they_stand(packed, kind, rid, where, key,
                                                                  bad):
    root, records = packed
    data = yaml.safe_load(yaml.safe_dump(records[rid][1]))
    _set(data, where, bad)
    errors, (line, col) = _check_one(root, kind, data, key, bad)
    assert ("E205", line, col) in errors, (errors, line, col)
    # nothing else is blamed: every error sits on the value's line (an id also differs from
    # the file name, E303, at the same place)
    assert {(ln, c) for _, ln, c in errors} == {(line, col)}, errors


@pytest.mark.parametrize("bad", BAD_URLS)
@pytest.mark.parametrize(("kind", "rid", "where", "key"), URL_FIELDS,
                         ids=[".".join(map(str, f[2])) + "@" + f[0] for f in URL_FIELDS])
def test_unsafe_addresses_are_refused_where_they_stand(packed, kind, rid, where, key, bad):
    root, records = packed
    data = yaml.safe_load(yaml.safe_dump(records[rid][1]))
    _set(data, where, bad)
    errors, (line, col) = _check_one(root, kind, data, key, bad)
    assert errors == [("E205", line, col)], (errors, line, col)


@pytest.mark.parametrize("rel", ["studies/../../etc/passwd.md", "../evidence/x.md",
                                 "/etc/passwd", "studies/..\\..\\x.md", "docs/x.md",
                                 "studies/../studies/x.md"])
def test_the_writer_refuses_pages_outside_the_generated_folders(rel):
    with pytest.raises(UnsafePath):
        check_path(rel)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\r", "\r\n", "\x0b", "\x0c"])
def test_a_snippet_line_after_any_line_separator_is_escaped_in_code_blocks(separator):
    """Regression: U+2028 let `--8<--` start a line after the escape had looked."""
    block = code_block(f'Title{separator}--8<-- "/etc/passwd"{separator}  --8<-- x.md')
    lines = block.split("\n")
    assert lines[2] == ';--8<-- "/etc/passwd"' and lines[3] == "  ;--8<-- x.md", block
    assert block.splitlines() == lines  # nothing left for the renderer to split differently


@pytest.mark.parametrize("text", ["a\u2028b", "a\u2029b", "a\x85b", "a\ufeffb", "a\x7fb\x9f",
                                  'quote " and \\ back', "emoji \U0001f600 ok", "line\nbreak"])
def test_front_matter_values_read_back_exactly_and_stay_on_one_line(text):
    """Regression: a raw U+2028 in front matter broke Zensical's YAML reader."""
    written = yaml_value(text)
    assert len(written.splitlines()) == 1
    assert yaml.safe_load(f"title: {written}\n")["title"] == text
