"""How well `evidence scan` matches sentences to claims, on the labelled texts in tests/data/scan.

    .venv/bin/python benchmarks/scan_eval.py [--errors]

Prints a Markdown table for the tuning split (texts whose file name sorts before "m"), the
held-out rest and all texts. Each text is scored against an index built without the paraphrases
of its own source, so no text is matched against a paraphrase of itself. A sentence counts as
covered when its label names a claim that exists now (`claim`, `also_claims`, or a `proposed_as`
id that has since become a claim), so claims the lead adds are picked up without code changes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from build_tools.scan.index import build_index  # noqa: E402
from build_tools.scan.lexicon import Lexicon  # noqa: E402
from build_tools.scan.matcher import AGAINST, MATCHED, NOT_CHECKABLE, Match, match  # noqa: E402

TEXTS_DIR = REPO / "tests" / "data" / "scan" / "texts"
SPLIT_BEFORE = "m"  # texts named before this tune the lexicon; the rest are held out
TUNE, HELD_OUT, ALL = "tuning (a-l)", "held-out (m-z)", "all texts"


@dataclass(frozen=True)
class Labelled:
    """One labelled sentence."""

    text: str
    checkable: bool
    expected: frozenset[str]  # claims it asserts (any one of them is a right answer)
    contradicts: str | None


@dataclass
class Figures:
    """Counts for one split; the rates are properties."""

    sentences: int = 0
    covered: int = 0  # sentences that assert an existing claim
    hits: int = 0  # covered sentences whose named claim is one they assert
    named: int = 0  # sentences for which the matcher named a claim
    right: int = 0  # named claims that were right (or a contradiction correctly called)
    non_claim: int = 0  # sentences that assert no existing claim
    false_matches: int = 0
    checkable_right: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Top-1 recall on covered sentences."""
        return self.hits / self.covered if self.covered else 0.0

    @property
    def precision(self) -> float:
        """Top-1 precision over every claim the matcher named."""
        return self.right / self.named if self.named else 0.0

    @property
    def false_match_rate(self) -> float:
        """Share of non-claim sentences for which a claim was named."""
        return self.false_matches / self.non_claim if self.non_claim else 0.0


def load_texts(claims: Iterable[str], folder: Path = TEXTS_DIR) -> dict[str, list[Labelled]]:
    """Every labelled text by file stem, with expectations limited to claims that exist."""
    known = set(claims)
    texts = {}
    for path in sorted(folder.glob("*.yaml")):
        items = []
        for s in yaml.safe_load(path.read_text(encoding="utf-8"))["sentences"]:
            ids = {s.get("claim"), *(s.get("also_claims") or ()), *(s.get("proposed_as") or ())}
            items.append(Labelled(s["text"], bool(s["checkable"]), frozenset(ids & known),
                                  s.get("contradicts")))
        texts[path.stem] = items
    return texts


def score(figures: Figures, item: Labelled, found: Match) -> None:
    """Add one sentence's outcome to the counts."""
    named = found.claim.id if found.claim else None
    right = (found.status == MATCHED and named in item.expected) or (
        found.status == AGAINST and named == item.contradicts)
    figures.sentences += 1
    figures.checkable_right += (found.status != NOT_CHECKABLE) == item.checkable
    if named:
        figures.named += 1
        figures.right += right
    if item.expected:
        figures.covered += 1
        figures.hits += found.status == MATCHED and named in item.expected
    else:
        figures.non_claim += 1
        figures.false_matches += bool(named) and not right
    if (item.expected and not (found.status == MATCHED and named in item.expected)) or (
            not item.expected and named and not right):
        want = ",".join(sorted(item.expected)) or "none"
        figures.errors.append(f"want {want}, got {found.status} {named or found.best} "
                              f"({found.score:.2f}): {item.text}")


def evaluate(corpus, grades: Mapping, lexicon: Lexicon) -> dict[str, Figures]:
    """Figures for the tuning split, the held-out split and all texts."""
    texts = load_texts(corpus.claims)
    result = {TUNE: Figures(), HELD_OUT: Figures(), ALL: Figures()}
    for slug, items in texts.items():
        index = build_index(corpus, grades, lexicon, exclude_sources={slug})
        split = TUNE if slug < SPLIT_BEFORE else HELD_OUT
        for item in items:
            found = match(item.text, index)
            score(result[split], item, found)
            score(result[ALL], item, found)
    return result


def paraphrase_figures(corpus, grades: Mapping, lexicon: Lexicon) -> tuple[int, int]:
    """(right, total): each source's paraphrases under asserted_by, matched against an index
    built without that source's paraphrases, top-1 counted right when it names the claim."""
    by_source: dict[str, list[tuple[str, str]]] = {}
    for cid, claim in corpus.claims.items():
        for item in claim.asserted_by:
            if item.get("source") and item.get("paraphrase"):
                by_source.setdefault(item["source"], []).append((cid, str(item["paraphrase"])))
    right = total = 0
    for source, items in sorted(by_source.items()):
        index = build_index(corpus, grades, lexicon, exclude_sources={source})
        for cid, text in items:
            found = match(text, index)
            total += 1
            right += bool(found.claim) and found.claim.id == cid
    return right, total


def table(result: Mapping[str, Figures]) -> str:
    """The figures as a Markdown table."""
    lines = ["| texts | sentences | asserting a claim | top-1 recall | top-1 precision | "
             "non-claim sentences | false matches | checkable right |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, f in result.items():
        lines.append(f"| {name} | {f.sentences} | {f.covered} | {f.hits}/{f.covered} = "
                     f"{f.recall:.0%} | {f.right}/{f.named} = {f.precision:.0%} | {f.non_claim} | "
                     f"{f.false_matches}/{f.non_claim} = {f.false_match_rate:.0%} | "
                     f"{f.checkable_right}/{f.sentences} = "
                     f"{f.checkable_right / max(1, f.sentences):.0%} |")
    return "\n".join(lines)


def with_proposed(corpus, path: Path):
    """The corpus with the claims proposed in a notes file added (statement and paraphrases
    only, no evidence): what the figures become once the lead adds them."""
    from dataclasses import replace

    from build_tools.records.model import Claim

    extra = {}
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["new_claims"]:
        if item["id"] not in corpus.claims:
            extra[item["id"]] = Claim(id=item["id"], statement=item["statement"],
                                      type=item["type"], question=item.get("question"),
                                      asserted_by=tuple(item.get("asserted_by") or ()),
                                      evidence=(), reviewed="2026-12-07")
    return replace(corpus, claims=dict(sorted({**corpus.claims, **extra}.items())))


def main() -> int:
    """Print the table (and with --errors every miss and false match)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every miss and false match")
    parser.add_argument("--with-proposed", type=Path, metavar="NOTES_YAML",
                        help="add the new_claims of a proposals file first (a simulation)")
    args = parser.parse_args()
    from build_tools.check.runner import check
    from build_tools.grade.rules import grade_all
    from build_tools.records.model import build_corpus
    from build_tools.scan import lexicon

    checked = check()
    if not checked.ok:
        sys.stderr.write("scan_eval: the evidence records have errors; run evidence check\n")
        return 1
    corpus = build_corpus(checked.records)
    if args.with_proposed:
        corpus = with_proposed(corpus, args.with_proposed)
    result = evaluate(corpus, grade_all(corpus), lexicon.load())
    print(table(result))
    right, total = paraphrase_figures(corpus, grade_all(corpus), lexicon.load())
    print(f"\nThe base's own paraphrases (asserted_by), each source left out of the index in "
          f"turn: {right}/{total} = {right / total:.0%} named their claim first.")
    if args.errors:
        for name in (TUNE, HELD_OUT):
            print(f"\n## {name}\n")
            print("\n".join(f"- {e}" for e in result[name].errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
