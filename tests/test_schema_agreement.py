"""The fast yes/no validator and the full error-reporting validator must agree."""

from __future__ import annotations

import fastjsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.check.schema_rules import _fast_validator, validator

dates = st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
texts = st.text(max_size=12)
values = st.one_of(texts, st.integers(-5, 3000), st.none(), st.booleans(), dates)


def _agree(kind: str, data: dict) -> None:
    full_ok = not list(validator(kind).iter_errors(data))
    try:
        _fast_validator(kind)(data)
        fast_ok = True
    except fastjsonschema.JsonSchemaException:
        fast_ok = False
    assert fast_ok == full_ok, data


BASE = {"id": "web-one", "kind": "clinic-page", "title": "A page",
        "url": "https://example.org/page", "summary": "A page.", "reviewed": "2026-11-22"}


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(BASE) + ["date", "seed_file", "authors", "x"]),
                       values, max_size=8))
def test_validators_agree_on_mutated_sources(changes):
    _agree("source", {**BASE, **changes})


@pytest.mark.parametrize("date", ["2026-02-30", "2026-13-01", "2024-02-29", "2026-11-22"])
def test_validators_agree_on_calendar_dates(date):
    _agree("source", {**BASE, "reviewed": date})
