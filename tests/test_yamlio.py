"""The strict loader: round trips with positions, and only our error type for any input."""

from __future__ import annotations

import string

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.records.yamlio import YamlError, load_text

keys = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=12)
scalars = st.one_of(
    st.integers(min_value=-10**9, max_value=10**9),
    st.booleans(),
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=20)
documents = st.dictionaries(keys, values, min_size=1, max_size=6)


def _paths(value, path=()):
    """Every JSON path in a value."""
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


@settings(max_examples=200, deadline=None)
@given(documents)
def test_dump_then_load_gives_the_data_back_with_a_position_for_every_value(doc):
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    loaded = load_text(text)
    assert loaded.data == doc
    lines = text.splitlines()
    for path in _paths(doc):
        line, col = loaded.positions[path]
        assert 1 <= line <= max(len(lines), 1) and col >= 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_input_raises_only_our_error(raw):
    try:
        loaded = load_text(raw)
    except YamlError as exc:
        assert exc.code.startswith("E1") and exc.line >= 1 and exc.col >= 1
    else:
        assert isinstance(loaded.data, dict)


def test_yaml_11_booleans_and_dates_stay_text():
    data = load_text("a: no\nb: NO\nc: yes\nd: on\ne: 2026-11-22\nf: true\ng: false\n").data
    assert data == {"a": "no", "b": "NO", "c": "yes", "d": "on", "e": "2026-11-22",
                    "f": True, "g": False}


def test_positions_are_one_based_line_and_column():
    loaded = load_text("top:\n  inner: [1, 22]\n")
    assert loaded.positions[("top", "inner", 1)] == (2, 14)
    assert loaded.key_positions[("top", "inner")] == (2, 3)


def test_billion_laughs_is_refused_before_expansion():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    try:
        load_text(bomb)
    except YamlError as exc:
        assert (exc.code, exc.line, exc.col) == ("E106", 1, 4)
    else:
        raise AssertionError("alias bomb was accepted")
