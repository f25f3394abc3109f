"""benchmarks/citation_gaps.py: which fields each journal article's citation lacks."""

from __future__ import annotations

from benchmarks.citation_gaps import gaps, main, table
from tests.test_citations import make_study, people


def _article(sid: str, **fields):
    """A journal article with volume, issue, pages, DOI, PMID and month, overridable."""
    base = {"id": sid, "title": "T", "authors": people("X A"), "year": 2020, "month": 3,
            "volume": "1", "issue": "2", "pages": "3-4", "ids": {"doi": "10.1000/x", "pmid": "1"}}
    return make_study(**(base | fields))


def test_gaps_name_missing_and_not_reported_fields_and_skip_other_types():
    rows = gaps([
        _article("b-2020", issue=None, ids={"doi": "10.1000/x"}, not_reported=("ids.pmid",)),
        _article("a-2020"),
        _article("c-2021", volume=None, issue=None, pages=None, month=None,
                 online_date="2021-07-07", online_ahead_of_print=True),
        _article("d-2020", publication_type="report", volume=None)])
    assert [(r.study, r.missing) for r in rows] == [
        ("a-2020", {}), ("b-2020", {"issue": "missing", "pmid": "not_reported"}), ("c-2021", {})]
    text = table(rows)
    assert "| b-2020 |  | - |  |  | nr |  |" in text and "a-2020" not in text
    assert "journal articles: 3; complete: 2; with a gap: 1; gaps: 2" in text


def test_the_script_reads_the_base(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| study | volume | issue | pages | doi | pmid | month |")
    assert "journal articles: " in out and "mangnus-2021" not in out  # online ahead of print
