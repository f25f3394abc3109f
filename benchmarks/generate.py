"""Generate a synthetic but valid evidence base of N studies (with proportional claims, sources)."""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from build_tools.paths import SCHEMA_DIR, modeline

DESIGNS = ["rct", "prospective-cohort", "retrospective-cohort", "case-series", "case-report"]
WORDS = ("ketamine", "infusion", "pain", "relief", "placebo", "function", "allodynia",
         "outpatient", "inpatient", "dose", "titration", "midazolam", "clonidine", "week",
         "month", "response", "remission", "analgesia", "esketamine", "racemic", "tolerability",
         "psychomimetic", "nausea", "follow-up", "registry", "cohort", "trial")


def _words(rng: random.Random, n: int) -> str:
    """n pseudo-words, for realistic-sized free text."""
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _arms(design: str, n: int) -> str:
    """A trial's two arms (the names its effect refers to)."""
    half = max(1, n // 2)
    return (f"  arms:\n    - {{name: ketamine, n: {half}}}\n    - {{name: placebo, n: {half}}}\n"
            if design == "rct" else "")


def _effect(design: str, n: int, rng: random.Random) -> str:
    """A trial's pain result as per-arm means with SDs (so effects, pooling and forest plots
    run at scale as they do on the real base); other designs give none."""
    if design != "rct":
        return ""
    half = max(1, n // 2)
    arms = [("ketamine", "intervention", round(rng.uniform(2.0, 5.5), 1)),
            ("placebo", "comparator", round(rng.uniform(4.5, 7.5), 1))]
    lines = "".join(f"        - {{arm: {arm}, role: {role}, n: {half}, value: {value}, "
                    f"spread: {{kind: sd, value: {round(rng.uniform(1, 2.5), 1)}}}}}\n"
                    for arm, role, value in arms)
    return f"""    effect:
      measure: mean-per-arm
      scale: NRS 0-10
      scale_max: 10
      lower_is_better: true
      arms:
{lines}      cite: {{from: abstract, locator: abstract}}
"""


def study_text(i: int, rng: random.Random) -> str:
    """One valid study record of about 2 KB."""
    sid = f"synth{i:05d}-{2000 + i % 25}"
    design = DESIGNS[i % len(DESIGNS)]
    n = rng.randint(1, 400)
    return f"""{modeline("study")}
id: {sid}
title: Synthetic study {i} of {_words(rng, 8)}
authors:
  - {{family: Author{i}, given: AB}}
  - {{family: Second{i % 97}, given: C}}
journal: Journal of Synthetic Pain
journal_abbrev: J Synth Pain
year: {2000 + i % 25}
volume: '{i % 60 + 1}'
issue: '{i % 12 + 1}'
pages: {i % 900 + 1}-{i % 900 + 9}
ids:
  doi: 10.5555/synth.{i}
  pmid: '{10_000_000 + i}'
publication_type: journal-article
design: {design}
status: completed
blinding: {"double-blind" if design == "rct" else "open-label"}
setting: outpatient
country: [Netherlands]
summary: >-
  {_words(rng, 40)}
participants:
  condition: CRPS type 1
  crps_type: type-1
  diagnostic_criteria: budapest
  enrolled: {n}
  analysed: {n}
{_arms(design, n)}  cite: {{from: abstract, locator: abstract}}
intervention:
  agent: racemic-ketamine
  route: iv
  regimen: intermittent-daily
  dose_as_reported: 0.{rng.randint(1, 5)} mg/kg/h over 4 hours daily
  rate: {{min: 0.1, max: 0.{rng.randint(1, 5)}, unit: mg/kg/h}}
  hours_per_session: 4
  sessions: {rng.randint(1, 10)}
  cite: {{from: abstract, locator: abstract}}
follow_up:
  weeks: {rng.choice([4, 12, 26])}
  cite: {{from: abstract, locator: abstract}}
outcomes:
  - id: pain-end
    domain: pain
    instrument: NRS 0-10
    timepoint: end of infusion
    weeks: 0
    comparison: {"vs-placebo" if design == "rct" else "vs-baseline"}
    result: {_words(rng, 20)}
    direction: benefit
{_effect(design, n, rng)}    cite: {{from: abstract, locator: abstract}}
  - id: function-end
    domain: physical-function
    instrument: disability index
    timepoint: week 12
    weeks: 12
    comparison: {"vs-placebo" if design == "rct" else "vs-baseline"}
    result: {_words(rng, 15)}
    direction: no-difference
    cite: {{from: abstract, locator: abstract}}
risk_of_bias:
  tool: {"rob2" if design == "rct" else "robins-i"}
  overall: {"some-concerns" if design == "rct" else "serious"}
  reason: {_words(rng, 10)}
  assessed_from: abstract
critiques:
  - id: small-sample
    text: {_words(rng, 12)}
    by_curators: true
    grade_domain: imprecision
verified_from:
  - key: abstract
    url: https://pubmed.ncbi.nlm.nih.gov/{10_000_000 + i}/
    basis: abstract
    accessed: 2026-11-22
reviewed: 2026-11-22
"""


def claim_text(j: int, study_ids: list[str], rng: random.Random) -> str:
    """One valid claim linking a handful of studies, each link testing it (so grading runs at scale)."""
    links = rng.sample(study_ids, k=min(len(study_ids), 8))
    evidence = "".join(
        f"  - study: {sid}\n    outcome: pain-end\n    role: tests\n"
        f"    stance: {rng.choice(['supports', 'refutes'])}\n    directness: direct\n" for sid in links)
    return f"""{modeline("claim")}
id: synth-claim-{j:05d}
statement: Synthetic claim {j} that {_words(rng, 10)}.
type: efficacy
question: effect
domain: pain
timeframe: short-term
asserted_by:
  - source: synth-source-{j % 50:03d}
    paraphrase: {_words(rng, 12)}
evidence:
{evidence}reviewed: 2026-11-22
"""


def source_text(k: int) -> str:
    """One valid source record."""
    return f"""{modeline("source")}
id: synth-source-{k:03d}
kind: clinic-page
title: Synthetic clinic page {k}
url: https://clinic{k}.example.org/ketamine
summary: A synthetic source for benchmarks.
reviewed: 2026-11-22
"""


def generate(root: Path, n_studies: int, seed: int = 20261122) -> Path:
    """Write an evidence tree under root/evidence with n studies, n/5 claims (each study used)."""
    rng = random.Random(seed)
    evidence = root / "evidence"
    if evidence.exists():
        shutil.rmtree(evidence)
    for folder in ("studies", "claims", "sources", "search"):
        (evidence / folder).mkdir(parents=True)
    shutil.copytree(SCHEMA_DIR, evidence / "schema")
    ids = []
    for i in range(n_studies):
        text = study_text(i, rng)
        sid = text.split("\nid: ", 1)[1].split("\n", 1)[0]
        ids.append(sid)
        (evidence / "studies" / f"{sid}.yaml").write_text(text)
    n_claims = max(1, n_studies // 5)
    for j in range(n_claims):
        # Every study appears in some claim so the base is warning-free.
        text = claim_text(j, ids, rng)
        extra = ids[j * 5:(j + 1) * 5]
        text = text.replace("evidence:\n", "evidence:\n" + "".join(
            f"  - study: {sid}\n    outcome: pain-end\n    role: tests\n    stance: supports\n"
            f"    directness: direct\n" for sid in extra
            if f"study: {sid}\n" not in text), 1)
        (evidence / "claims" / f"synth-claim-{j:05d}.yaml").write_text(text)
    for k in range(min(50, n_claims)):
        (evidence / "sources" / f"synth-source-{k:03d}.yaml").write_text(source_text(k))
    return evidence


def main() -> None:
    """Command line: generate.py DIR --studies N."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--studies", type=int, default=1000)
    args = parser.parse_args()
    print(generate(args.dir, args.studies))


if __name__ == "__main__":
    main()
