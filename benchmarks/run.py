"""Scale benchmark: our build beside the engine's, on a synthetic evidence base of N studies.

    python benchmarks/run.py --studies 1000 5000 [--zensical] [--edits 5] [--http] [--json F]

For each size, in one run on one prepared project (a copy of mkdocs.yml, overrides/ and the
hand-written docs/ with a generated evidence/ tree):

- check: `evidence check` of every record, in a fresh process;
- generation cold: `evidence build` with an empty .cache/ (every reference line rendered by
  citeproc, every page made): the first build of a clone;
- generation: `evidence build` again after editing one study's summary, with the .cache/ the
  first build left (reference lines, build state): what a build costs from then on;
- mkdocs build: the engine's full build of the same docs/ (the number every ratio divides by);
- edit-to-reload: `evidence serve`, median of --edits saves, measured in Chromium by
  benchmarks/reload_bench.py (--http: the served page polled over HTTP instead);
- with --zensical, `zensical build` of the same project, its memory bounded (8 GiB).

Each time is wall-clock and CPU (user + system): the machine is shared, so compare within a row.
Prints a Markdown table, then per size `overhead_ratio=` (generation / mkdocs build, wall),
`overhead_ratio_cpu=`, `overhead_ratio_cold=` and `edit_to_reload_s=` (median).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402
from benchmarks.reload_bench import edit as edit_study  # noqa: E402
from benchmarks.reload_bench import measure as edit_to_reload  # noqa: E402
from build_tools.paths import GENERATED_DIRS  # noqa: E402

BIN = Path(sys.executable).parent
ZENSICAL_MEMORY = 8 << 30  # bytes: the machine is shared; a runaway build must not take it all
# `evidence build` on the project (the command itself builds the repository it runs from).
BUILD = r"""
import json, sys
from pathlib import Path
work = Path(sys.argv[1])
from build_tools.pipeline import build
built = build(work / "evidence", work, work / "docs")
assert built.report is not None, [p for p in built.check.problems if p.severity == "error"][:3]
done = built.refresh
print(json.dumps({"made": len(done.made), "written": len(built.report.written),
                  "changed": len(done.changed), "regraded": len(done.regraded),
                  "steps": done.seconds}))
"""


def _timed(cmd: list[str], cwd: Path, env: dict | None = None, memory: int | None = None
           ) -> dict:
    """Wall and CPU seconds, peak RSS (MiB) and stdout of a command (under /usr/bin/time -v)."""
    def limit() -> None:
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=False, preexec_fn=limit)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"failed: {' '.join(cmd)}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")

    def field(name: str) -> float:
        return float(re.search(rf"{name}: ([\d.]+)", done.stderr).group(1))
    return {"wall": wall, "cpu": field(r"User time \(seconds\)") + field(r"System time \(seconds\)"),
            "rss": field(r"Maximum resident set size \(kbytes\)") / 1024, "out": done.stdout}


def _dir_bytes(path: Path) -> int:
    """Total bytes of the files under path."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def prepare(work: Path, n: int) -> None:
    """A copy of the project's site configuration with a synthetic evidence base of n studies."""
    shutil.copy(REPO / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", work / "overrides")
    shutil.copytree(REPO / "docs", work / "docs", ignore=lambda folder, names: [
        n for n in names if Path(folder) == REPO / "docs" and n in GENERATED_DIRS])
    generate(work, n)


def _build(work: Path, env: dict) -> dict:
    """One `evidence build` of the project in a fresh process."""
    found = _timed([str(BIN / "python"), "-c", BUILD, str(work)], REPO, env)
    found.update(json.loads(found.pop("out").strip().splitlines()[-1]))
    return found


def run_once(n: int, args: argparse.Namespace) -> dict:
    """Measure every stage once at n studies."""
    with tempfile.TemporaryDirectory(prefix=f"bench{n}-") as tmp:
        work = Path(tmp)
        prepare(work, n)
        env = {"PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", "EVIDENCE_CACHE": "on",
               "EVIDENCE_CACHE_DIR": str(work / ".cache" / "citations")}
        row: dict = {"n": n}
        row["check"] = _timed([str(BIN / "python"), "-m", "build_tools", "check", "--format",
                               "json", str(work / "evidence")], REPO, env)
        row["cold"] = _build(work, env)
        studies = sorted((work / "evidence" / "studies").glob("*.yaml"))
        edit_study(studies[len(studies) // 2], "one edit before the warm build")
        row["warm"] = _build(work, env)
        row["mkdocs"] = _timed([str(BIN / "mkdocs"), "build", "-q", "-d", "site"], work, env)
        row["index_bytes"] = _dir_bytes(work / "site" / "search")
        row["site_bytes"] = _dir_bytes(work / "site")
        times, how = edit_to_reload(work, args.edits, not args.http)
        row["reload"] = {"times": times, "how": how, "median": statistics.median(times)}
        if args.zensical and (BIN / "zensical").exists():
            try:
                row["zensical"] = _timed([str(BIN / "zensical"), "build", "-c"], work, env,
                                         memory=ZENSICAL_MEMORY)
            except RuntimeError as exc:
                lines = [ln for ln in str(exc).splitlines() if "rror" in ln or "memory" in ln]
                row["zensical_error"] = (lines[-1] if lines else str(exc).splitlines()[0])[:120]
        return row


def _cell(step: dict) -> str:
    """'wall (CPU)' seconds."""
    return f"{step['wall']:.2f} ({step['cpu']:.2f})"


def print_table(rows: list[dict]) -> None:
    """The Markdown table and the ratio lines."""
    print("| studies | check (s) | generation cold (s) | generation after 1 edit (s) | made / "
          "written after the edit | mkdocs build (s) | edit to reload, median (s) | zensical "
          "build (s) | peak RSS generation / mkdocs (MiB) | search index (MB) | site (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for r in rows:
        zen = _cell(r["zensical"]) if "zensical" in r else r.get("zensical_error", "–")
        print(f"| {r['n']} | {_cell(r['check'])} | {_cell(r['cold'])} | {_cell(r['warm'])} | "
              f"{r['warm']['made']} / {r['warm']['written']} | {_cell(r['mkdocs'])} | "
              f"{r['reload']['median']:.2f} ({r['reload']['how']}) | {zen} | "
              f"{r['cold']['rss']:.0f} / {r['mkdocs']['rss']:.0f} | "
              f"{r['index_bytes'] / 1e6:.2f} | {r['site_bytes'] / 1e6:.1f} |")
    print("(seconds: wall (CPU, user + system); generation = `evidence build` in a fresh "
          "process, imports included)")
    for r in rows:
        steps = ", ".join(f"{k} {v:.2f}" for k, v in r["warm"]["steps"].items())
        print(f"studies={r['n']}: steps after the edit (s): {steps}; edits (s): "
              + ", ".join(f"{t:.2f}" for t in r["reload"]["times"]))
    for r in rows:
        mk = r["mkdocs"]
        print(f"studies={r['n']} overhead_ratio={r['warm']['wall'] / mk['wall']:.3f}")
        print(f"studies={r['n']} overhead_ratio_cpu={r['warm']['cpu'] / mk['cpu']:.3f}")
        print(f"studies={r['n']} overhead_ratio_cold={r['cold']['wall'] / mk['wall']:.3f}")
        print(f"studies={r['n']} edit_to_reload_s={r['reload']['median']:.3f}")


def main() -> None:
    """Command line: print the table for each N."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--studies", type=int, nargs="+", default=[100])
    parser.add_argument("--zensical", action="store_true", help="also time `zensical build`")
    parser.add_argument("--edits", type=int, default=5, help="saves timed under evidence serve")
    parser.add_argument("--http", action="store_true", help="edit-to-reload over HTTP, no browser")
    parser.add_argument("--json", type=Path, help="also write the raw rows here")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the start")
    rows = [run_once(n, args) for n in args.studies]
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
