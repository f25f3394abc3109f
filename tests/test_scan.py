"""`evidence scan`: words, sentences with offsets, the matcher on the real base, the command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from build_tools.check.runner import check
from build_tools.grade.rules import grade_all
from build_tools.paths import ROOT
from build_tools.records.model import build_corpus
from build_tools.scan import lexicon
from build_tools.scan.annotate import annotate
from build_tools.scan.export import INDEX_PAGE
from build_tools.scan.extract import HTML, extract, guess_format
from build_tools.scan.index import ClaimEntry, ScanIndex, build_index, direction
from build_tools.scan.matcher import AGAINST, CANDIDATE, MATCHED, NOT_CHECKABLE, claim_score, match
from build_tools.scan.sentences import split_sentences
from tests.conftest import FIXTURE_EVIDENCE

LEX = lexicon.load()


@cache
def real_index() -> ScanIndex:
    """The index of the repository's own evidence base."""
    result = check()
    assert result.ok
    corpus = build_corpus(result.records)
    return build_index(corpus, grade_all(corpus), LEX)


def sentences(raw: str, fmt: str = "text") -> list[tuple[str, str]]:
    """(sentence, the input between its offsets) for every sentence."""
    return [(s.text, raw[s.start:s.end]) for s in split_sentences(extract(raw, fmt),
                                                                   LEX.abbreviations)]


def test_stems_join_inflections_and_spellings():
    assert len({s for w in ("reduce", "reduces", "reduced", "reducing") for s in LEX.stems(w)}) == 1
    assert LEX.stems("sensitisation") == LEX.stems("sensitization")
    assert LEX.stems("four hours") == LEX.stems("4 hrs") == LEX.stems("4h")


def test_sentences_keep_abbreviations_and_offsets_into_the_input():
    raw = ("Dr. Smith treats patients in the U.S. with ketamine. It works, e.g. for pain! "
           "Next.\n\n## A heading\nA line long enough to have been wrapped by a text editor, so it\n"
           "goes on here.")
    found = sentences(raw)
    assert [t for t, _ in found] == [
        "Dr. Smith treats patients in the U.S. with ketamine.", "It works, e.g. for pain!",
        "Next.", "A heading",
        "A line long enough to have been wrapped by a text editor, so it goes on here."]
    for text, original in found:
        assert " ".join(original.split()) == text


def test_markdown_markers_and_link_targets_are_not_read():
    raw = "- **Ketamine** eases [pain](https://example.org/x).\n- Second item"
    # Offsets run from the first visible character to the last: the "**" before it is markup.
    assert sentences(raw) == [("Ketamine eases pain.", "Ketamine** eases [pain](https://"
                                                       "example.org/x)."),
                              ("Second item", "Second item")]


def test_html_is_read_as_text_with_offsets_into_the_markup():
    raw = ("<html><head><title>T</title><script>var a = 'Ketamine cures.';</script></head>"
           "<body><p>Ketamine &amp; pain.</p><p>Second <b>one</b> here</p></body></html>")
    assert guess_format(raw) == HTML
    assert sentences(raw, HTML) == [("Ketamine & pain.", "Ketamine &amp; pain."),
                                    ("Second one here", "Second <b>one</b> here")]


@pytest.mark.parametrize(("sentence", "status", "claim"), [
    ("Ketamine is the last resort for CRPS when all else fails.", MATCHED,
     "refractory-later-line-use"),
    ("The infusions reboot the pain system, so the relief lasts long after the drug has gone.",
     MATCHED, "nmda-blockade-resets-pain-processing"),
    ("Ketamine is not a cure for CRPS.", AGAINST, "cure-remission"),
    ("Patients are monitored throughout, with vital signs checked before they go home.", MATCHED,
     "monitoring-during-infusion"),
    ("CRPS is a chronic pain condition that usually affects one limb.", NOT_CHECKABLE, None),
    ("Call us today to book your free consultation.", NOT_CHECKABLE, None),
])
def test_matcher_on_the_real_base(sentence, status, claim):
    found = match(sentence, real_index())
    assert (found.status, found.claim.id if found.claim else None) == (status, claim), found


def test_a_checkable_sentence_without_a_claim_is_a_candidate():
    found = match("Ketamine infusions are given over six weeks in 12 sessions of 40 minutes.",
                  real_index())
    assert found.status == CANDIDATE and found.claim is None


def test_a_statement_is_negative_positive_or_mixed_by_its_clauses():
    assert direction("Ketamine relieves CRPS pain for months.", LEX) is False
    assert direction("Side effects rarely or never force patients to stop treatment.", LEX) is True
    assert direction("Ketamine does not cure CRPS.", LEX) is True
    assert direction("Ketamine is not FDA-approved; it is not a cure.", LEX) is True
    assert direction("Early ketamine can put CRPS into remission, whereas later ketamine does "
                     "not cure it.", LEX) is None


def _one_claim_index(negated: bool | None, core: tuple[str, ...] = ()) -> ScanIndex:
    """An index of one claim whose only phrasing is "ketamine cures CRPS"."""
    phrasing = {t: 0.5 for t in ("crp", "ketamin", "~cure")}
    claim = ClaimEntry("one", "Ketamine cures CRPS.", "not-supported", None, "plain", negated,
                       (phrasing,), phrasing, core)
    return ScanIndex(LEX, {}, LEX.settings.unknown_idf, (claim,))


def test_only_a_claim_of_one_direction_is_contradicted():
    sentence = "Ketamine is not a cure for CRPS."
    assert match(sentence, _one_claim_index(False)).status == AGAINST
    assert match(sentence, _one_claim_index(True)).status == MATCHED
    # Mixed: the "not" may deny either part, so the match stands without a contradiction.
    assert match(sentence, _one_claim_index(None)).status == MATCHED


def test_one_of_the_statements_concepts_is_enough_to_escape_the_focus_penalty():
    vector = {"ketamin": 0.5, "~cure": 0.5}
    plain = claim_score(vector, _one_claim_index(False).claims[0], LEX.settings)
    covered = claim_score(vector, _one_claim_index(False, ("~cure", "~long-lasting")).claims[0],
                          LEX.settings)
    missed = claim_score(vector, _one_claim_index(False, ("~coma",)).claims[0], LEX.settings)
    assert covered == plain > 0
    assert missed == pytest.approx(plain * (1 - LEX.settings.focus))


def test_a_claims_outcome_widens_its_centroid_but_is_no_phrasing_of_its_own(tmp_path):
    result = check(evidence_dir=_fixture_copy(tmp_path), root=tmp_path)
    corpus = build_corpus(result.records)
    claim = next(c for c in build_index(corpus, grade_all(corpus), LEX).claims
                 if c.id == "fixture-pain-short-term")
    # The statement and two paraphrases; the outcome "pain intensity (NRS) up to 12 weeks" is
    # a measure, not an assertion, so it is only in the centroid.
    assert len(claim.phrasings) == 3
    assert "nrs" in claim.centroid and not any("nrs" in p for p in claim.phrasings)


def _fixture_copy(tmp_path: Path) -> Path:
    """A writable copy of the site fixture's evidence tree."""
    evidence = tmp_path / "evidence"
    shutil.copytree(FIXTURE_EVIDENCE, evidence)
    return evidence


def test_a_new_claim_is_matched_without_any_code_change(tmp_path):
    evidence = _fixture_copy(tmp_path)
    claim = (evidence / "claims" / "fixture-no-evidence.yaml").read_text(encoding="utf-8")
    old_id = "id: fixture-no-evidence"
    assert old_id in claim
    new = claim.replace(old_id, "id: purple-hiccups")
    statement = next(line for line in new.splitlines() if line.startswith("statement:"))
    new = new.replace(statement, "statement: Ketamine infusions give CRPS patients purple "
                                 "hiccups that last for weeks.")
    (evidence / "claims" / "purple-hiccups.yaml").write_text(new, encoding="utf-8")
    result = check(evidence_dir=evidence, root=tmp_path)
    assert result.ok, [p for p in result.problems if p.severity == "error"]
    corpus = build_corpus(result.records)
    index = build_index(corpus, grade_all(corpus), LEX)
    found = annotate("Clinic news. After ketamine infusions many patients had purple hiccups "
                     "for weeks.", index)
    assert [a.match.claim.id if a.match.claim else None for a in found] == [None,
                                                                             "purple-hiccups"]


def test_the_build_writes_the_index_for_the_site(rendered):
    data = json.loads(rendered.pages[INDEX_PAGE])
    assert data["format"] == 2
    assert [c["id"] for c in data["claims"]] == sorted(rendered.corpus.claims)
    assert all(c["plain"] and c["phrasings"] for c in data["claims"])


def test_a_malformed_lexicon_is_reported(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text("version: 1\n", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match="must be a"):
        lexicon.load(path)


def scan(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`evidence scan ...` as a user runs it."""
    return subprocess.run([sys.executable, "-m", "build_tools", "scan", *args], cwd=ROOT,
                          input=stdin, capture_output=True, text=True, timeout=120)


def test_command_json_from_standard_input():
    raw = "CRPS is a rare pain condition.\nKetamine is a last resort when all else fails.\n"
    done = scan("-", "--format", "json", stdin=raw)
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert [i["claim"] for i in items] == [None, "refractory-later-line-use"]
    second = items[1]
    assert raw[second["start"]:second["end"]] == second["sentence"]
    assert {"sentence", "start", "end", "claim", "score", "verdict", "certainty"} <= set(second)
    assert second["verdict"] and 0 < second["score"] <= 1


def test_command_text_report_from_an_html_file(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>Ketamine is <em>not</em> a cure for CRPS.</p><p>Call us!</p>",
                    encoding="utf-8")
    done = scan(str(page))
    assert done.returncode == 0, done.stderr
    assert "runs against a claim" in done.stdout and "claim: cure-remission" in done.stdout
    assert "2 sentences:" in done.stdout


def test_command_refuses_unreadable_input_without_a_traceback(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Ketamine\nis caf\xe9".encode("latin-1"))
    done = scan(str(bad))
    assert done.returncode == 1 and f"{bad}:2:7: not UTF-8 text" in done.stderr
    missing = scan(str(tmp_path / "nowhere.txt"))
    assert missing.returncode == 1 and "nowhere.txt" in missing.stderr
    assert "Traceback" not in done.stderr + missing.stderr


def test_the_command_keeps_an_index_of_the_checked_base(tmp_path, monkeypatch):
    from build_tools.commands import scan as command

    evidence = _fixture_copy(tmp_path)
    folder = tmp_path / "cache"
    monkeypatch.setenv("EVIDENCE_CACHE", "on")
    monkeypatch.setenv("EVIDENCE_SCAN_CACHE_DIR", str(folder))
    first = command.load_index(evidence)
    kept = list(folder.glob("*.json"))
    assert first and len(kept) == 1
    again = command.load_index(evidence)
    assert again == first  # read back, the same index
    kept[0].write_text("{damaged", encoding="utf-8")
    assert command.load_index(evidence) == first  # rebuilt, not trusted
    claim = evidence / "claims" / "fixture-no-evidence.yaml"
    claim.write_text(claim.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert command.fingerprint(evidence) != kept[0].stem  # any edit makes a new key
