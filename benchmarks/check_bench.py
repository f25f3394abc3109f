"""Benchmark `evidence check` against bare yaml.CSafeLoader parsing of the same files."""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.generate import generate  # noqa: E402
from build_tools.check.runner import check  # noqa: E402


def _best(fn, repeat: int) -> float:
    """Median wall time of fn over repeat runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(n: int, repeat: int) -> tuple[float, float, int]:
    """(check seconds, bare-parse seconds, problems) for a synthetic base of n studies."""
    with tempfile.TemporaryDirectory() as tmp:
        evidence = generate(Path(tmp), n)
        files = sorted(evidence.glob("*/*.yaml"))

        def parse():
            for path in files:
                yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

        result = check(evidence_dir=evidence, root=Path(tmp))
        parse_s = _best(parse, repeat)
        check_s = _best(lambda: check(evidence_dir=evidence, root=Path(tmp)), repeat)
        return check_s, parse_s, len(result.problems)


def main() -> None:
    """Print a Markdown table of check time vs bare parse time."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--studies", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()}, Python {platform.python_version()}, "
          f"PyYAML {yaml.__version__} (libyaml {yaml.__with_libyaml__})")
    print("| studies | files | evidence check (s) | CSafeLoader parse (s) | ratio | problems |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.studies:
        check_s, parse_s, problems = bench(n, args.repeat)
        files = n + max(1, n // 5) + min(50, max(1, n // 5))
        print(f"| {n} | {files} | {check_s:.2f} | {parse_s:.2f} | {check_s / parse_s:.2f}x "
              f"| {problems} |")


if __name__ == "__main__":
    main()
