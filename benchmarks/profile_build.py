"""Where `evidence build` spends its time: cProfile of a cold build and of the build after one
edit, on a synthetic base of N studies, each in this one process (imports excluded).

    python benchmarks/profile_build.py --studies 1000 [--top 25]

Prints, for each build, the functions with the most cumulative time (our own modules and the
libraries they call), as `pstats` sorts them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402
from benchmarks.reload_bench import edit as edit_study  # noqa: E402


def profiled(work: Path, top: int) -> str:
    """One build of the project under cProfile: its top lines by cumulative time."""
    from build_tools.pipeline import build

    profile = cProfile.Profile()
    built = profile.runcall(build, work / "evidence", work, work / "docs")
    assert built.report is not None, "the synthetic base has errors"
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    return (f"made {len(built.refresh.made)}, written {len(built.report.written)}\n"
            + out.getvalue())


def main() -> None:
    """Command line: profile a cold build, then the build after one edit."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--studies", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-") as tmp:
        work = Path(tmp)
        generate(work, args.studies)
        (work / "docs").mkdir()
        os.environ["EVIDENCE_CACHE_DIR"] = str(work / ".cache" / "citations")
        os.environ["EVIDENCE_CACHE"] = "on"
        # Everything the build imports, loaded before the clock starts.
        import build_tools.pipeline  # noqa: F401
        print(f"== cold build, {args.studies} studies\n{profiled(work, args.top)}")
        studies = sorted((work / "evidence" / "studies").glob("*.yaml"))
        edit_study(studies[len(studies) // 2], "one edit before the profiled build")
        print(f"== after one edit\n{profiled(work, args.top)}")


if __name__ == "__main__":
    main()
