"""Hinge claims: the verdicts of the real evidence base agree with the published syntheses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from build_tools.check.runner import check
from build_tools.grade.rules import grade_all
from build_tools.records.model import build_corpus

TABLE = yaml.safe_load((Path(__file__).parent / "data" / "hinge_claims.yaml").read_text())


@pytest.fixture(scope="module")
def base():
    """The repository's own evidence base, checked and graded once."""
    result = check()
    assert result.ok
    corpus = build_corpus(result.records)
    return corpus, grade_all(corpus)


def test_the_table_is_large_enough_and_cites_its_sources():
    assert len(TABLE) >= 8
    assert all(row["because"] for row in TABLE)


@pytest.mark.parametrize("row", TABLE, ids=[row["claim"] for row in TABLE])
def test_hinge_claim_has_the_syntheses_verdict(base, row):
    corpus, grades = base
    grade = grades[row["claim"]]
    assert (grade.verdict, grade.certainty) == (row["verdict"], row["certainty"]), grade.trail
    for source in row["because"]:  # every citation resolves to a record and its field
        study = corpus.studies[source["study"]]
        kind, _, name = source["at"].partition(".")
        assert kind == "outcomes" and study.outcome(name) is not None, source
