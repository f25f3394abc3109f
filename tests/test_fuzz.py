"""Fuzzing `evidence check`: generated YAML text and mutated records never crash it.

The default run tries a few hundred cases; `make test` also runs the marked long run with
FUZZ_EXAMPLES=2000 cases per target, and the weekly workflow's `make fuzz` with 10,000.
"""

from __future__ import annotations

import os
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.check.runner import check
from build_tools.records.schema import raw_schemas

LONG = int(os.environ.get("FUZZ_EXAMPLES", "2000"))
SHORT = 200
STUDY_KEYS = sorted(raw_schemas()["study.schema.json"]["properties"])

tokens = st.sampled_from(STUDY_KEYS + [
    ": ", ":", "- ", "\n", "\n  ", "\n    ", "[", "]", "{", "}", ",", "'", '"', "&a ", "*a", "!!",
    "!tag ", "#", "---", "...", "|", ">", "? ", "~", "null", "true", "no", "2026-11-22", "1.5",
    "42", "\t", "\r\n", "\x00", "\ufeff", "é", "javascript:alert(1)", "<script>", "{{ x }}",
])
yaml_ish = st.lists(tokens | st.text(string.printable, max_size=6), max_size=60).map("".join)

base_study = {
    "id": "fuzz-2020", "title": "A trial", "authors": [{"family": "Fuzz", "given": "A"}],
    "year": 2020, "publication_type": "journal-article", "design": "rct", "summary": "S.",
    "verified_from": [{"key": "abstract", "url": "https://example.org/a", "basis": "abstract"}],
    "reviewed": "2026-11-22",
}
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(STUDY_KEYS + ["x"]), inner, max_size=3),
                      max_leaves=8)
mutations = st.dictionaries(st.sampled_from(STUDY_KEYS + ["unknown_field"]), values, max_size=5)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """One evidence tree per module; each case overwrites its one study file."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "evidence" / "studies").mkdir(parents=True)
    return root


def _run(tmp: Path, raw: bytes) -> None:
    """Check one file; every outcome must be a list of positioned problems."""
    path = tmp / "evidence" / "studies" / "fuzz-2020.yaml"
    path.write_bytes(raw)
    result = check(evidence_dir=tmp / "evidence", root=tmp)
    for p in result.problems:
        assert p.line >= 1 and p.col >= 1 and p.code[0] in "EW" and p.message


def _text_case(tmp: Path, text: str) -> None:
    _run(tmp, ("# yaml-language-server: $schema=../schema/study.schema.json\n" + text).encode(
        "utf-8", "surrogatepass"))


def _record_case(tmp: Path, changes: dict) -> None:
    record = {**base_study, **changes}
    text = "# yaml-language-server: $schema=../schema/study.schema.json\n" + yaml.safe_dump(
        record, allow_unicode=True, sort_keys=False)
    _run(tmp, text.encode("utf-8", "surrogatepass"))


FAST = settings(max_examples=SHORT, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
SLOW = settings(max_examples=LONG, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(yaml_ish)
def test_generated_yaml_text_never_crashes_check(tree, text):
    _text_case(tree, text)


@FAST
@given(mutations)
def test_mutated_records_never_crash_check(tree, changes):
    _record_case(tree, changes)


@pytest.mark.slow
@SLOW
@given(yaml_ish)
def test_long_fuzz_yaml_text(tree, text):
    _text_case(tree, text)


@pytest.mark.slow
@SLOW
@given(mutations)
def test_long_fuzz_records(tree, changes):
    _record_case(tree, changes)
