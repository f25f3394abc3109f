"""Scale benchmark: the whole pipeline on a synthetic evidence base of N studies.

    python benchmarks/run.py --studies 1000 [--zensical] [--repeat 1]

Prints a Markdown table (check time, our generation by phase, mkdocs build, peak memory,
search index bytes, site bytes) and a last line `overhead_ratio=<generation / mkdocs build>`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402
from build_tools.paths import GENERATED_DIRS  # noqa: E402

BIN = Path(sys.executable).parent

# Runs in a child process so its peak RSS is measured alone; prints phase timings as JSON.
PIPELINE = r"""
import json, sys, time
from pathlib import Path
work = Path(sys.argv[1])
t = {}
s = time.perf_counter()
from build_tools.check.runner import check
from build_tools.records.model import build_corpus
from build_tools.grade.rules import grade_all
from build_tools.grade.sof import summary_of_findings
from build_tools.site.render import render_site
from build_tools.site.writer import write_tree
from build_tools.commands import build as build_cmd
t["import"] = time.perf_counter() - s
s = time.perf_counter(); result = check(evidence_dir=work / "evidence", root=work)
t["load+validate"] = time.perf_counter() - s
assert result.ok, [p for p in result.problems if p.severity == "error"][:3]
s = time.perf_counter(); corpus = build_corpus(result.records); t["model"] = time.perf_counter() - s
s = time.perf_counter(); grades = grade_all(corpus); sof = summary_of_findings(corpus, grades)
t["grade"] = time.perf_counter() - s
s = time.perf_counter()
extra = build_cmd.extra_pages(corpus, grades) if hasattr(build_cmd, "extra_pages") else {}
pages = render_site(corpus, grades, sof, **extra)
t["render"] = time.perf_counter() - s
s = time.perf_counter(); report = write_tree(pages, work / "docs"); t["write"] = time.perf_counter() - s
t["pages"] = len(pages); t["written"] = len(report.written)
print(json.dumps(t))
"""


def _timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, str]:
    """(wall seconds, peak RSS KiB, stdout) of a command run under /usr/bin/time -v."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    return wall, rss, done.stdout


def _dir_bytes(path: Path) -> int:
    """Total bytes of the files under path."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def prepare(work: Path, n: int) -> None:
    """A copy of the project's site configuration with a synthetic evidence base of n studies."""
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, work / name)
    for folder in ("docs", "overrides"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, work / folder,
                            ignore=shutil.ignore_patterns(*GENERATED_DIRS) if folder == "docs"
                            else None)
    generate(work, n)


def run_once(n: int, zensical: bool) -> dict:
    """Measure every stage once at n studies."""
    with tempfile.TemporaryDirectory(prefix=f"bench{n}-") as tmp:
        work = Path(tmp)
        prepare(work, n)
        # A fresh reference-line cache: the first generation is cold, the second warm.
        env = {"PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1",
               "EVIDENCE_CACHE_DIR": str(work / ".cache"), "EVIDENCE_CACHE": "on"}
        check_s, check_rss, _ = _timed([str(BIN / "python"), "-m", "build_tools", "check",
                                        "--format", "json", str(work / "evidence")], REPO, env)
        gen_s, gen_rss, out = _timed([str(BIN / "python"), "-c", PIPELINE, str(work)], REPO, env)
        phases = json.loads(out.strip().splitlines()[-1])
        one = next((work / "evidence" / "studies").glob("*.yaml"))
        one_s, _, _ = _timed([str(BIN / "python"), "-m", "build_tools", "check", str(one)],
                             REPO, env)
        mk_s, mk_rss, _ = _timed([str(BIN / "mkdocs"), "build", "-q", "-d", "site"], work, env)
        row = {"n": n, "check_s": check_s, "check_rss": check_rss, "gen_s": gen_s,
               "gen_rss": gen_rss, "phases": phases, "check_one_s": one_s, "mkdocs_s": mk_s,
               "mkdocs_rss": mk_rss,
               "index_bytes": _dir_bytes(work / "site" / "search"),
               "site_bytes": _dir_bytes(work / "site")}
        # Second build after changing one record: only the affected pages are rewritten.
        text = one.read_text().replace("summary: >-\n", "summary: >-\n  Edited.\n", 1)
        one.write_text(text)
        warm_s, _, out2 = _timed([str(BIN / "python"), "-c", PIPELINE, str(work)], REPO, env)
        row["rewritten_after_one_edit"] = json.loads(out2.strip().splitlines()[-1])["written"]
        row["gen_warm_s"] = warm_s
        if zensical and (BIN / "zensical").exists():
            try:
                z_s, z_rss, _ = _timed([str(BIN / "zensical"), "build", "-c"], work, env)
                row.update(zensical_s=z_s, zensical_rss=z_rss)
            except SystemExit as exc:
                lines = [ln for ln in str(exc).splitlines() if "rror" in ln]
                row["zensical_error"] = (lines[-1] if lines else str(exc).splitlines()[0])[:120]
        return row


def main() -> None:
    """Command line: print the table for each N."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--studies", type=int, nargs="+", default=[100])
    parser.add_argument("--zensical", action="store_true", help="also time `zensical build`")
    parser.add_argument("--json", type=Path, help="also write the raw rows here")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    rows = [run_once(n, args.zensical) for n in args.studies]
    print("| studies | check (s) | check 1 file (s) | generation cold (s) | of which load+validate"
          " / grade / render / write | generation warm (s) | mkdocs build (s) | zensical build (s)"
          " | peak RSS gen / mkdocs (MiB) | search index (MB) | site (MB) | pages rewritten after "
          "1 edit |")
    print("|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|")
    for r in rows:
        p = r["phases"]
        zen = f"{r['zensical_s']:.1f}" if "zensical_s" in r else r.get("zensical_error", "–")
        print(f"| {r['n']} | {r['check_s']:.2f} | {r['check_one_s']:.2f} | {r['gen_s']:.2f} | "
              f"{p['load+validate']:.2f} / {p['grade']:.2f} / {p['render']:.2f} / "
              f"{p['write']:.2f} | {r['gen_warm_s']:.2f} | {r['mkdocs_s']:.1f} | {zen} | "
              f"{r['gen_rss'] // 1024} / "
              f"{r['mkdocs_rss'] // 1024} | {r['index_bytes'] / 1e6:.2f} | "
              f"{r['site_bytes'] / 1e6:.1f} | {r['rewritten_after_one_edit']} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    last = rows[-1]
    print(f"overhead_ratio_cold={last['gen_s'] / last['mkdocs_s']:.3f}")
    print(f"overhead_ratio={last['gen_warm_s'] / last['mkdocs_s']:.3f}")


if __name__ == "__main__":
    main()
