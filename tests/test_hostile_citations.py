"""The hardening table's citation rows count real cases, and every one of them is caught."""

from tests.hostile_citations import citation_rows
from tests.hostile_corpus import _measure


def test_every_citation_forging_case_of_the_hardening_table_is_caught():
    rows = citation_rows(_measure)
    assert [label.split(":")[0] for label, *_ in rows] == ["citations"] * 3
    for label, cases, caught, seconds, peak in rows:
        assert cases >= 8 and caught == cases, label
        assert seconds > 0 and peak > 0, label
