"""The grades a past revision itself published: its own code exports its own evidence.json.

When the grading rules change (version 2 changed what "contradicted" means), grading an old tree
with today's code would show today's verdicts twice. `evidence diff` instead asks each revision
for the verdicts its own site showed: it unpacks that revision's build_tools/ and evidence/
into a temporary folder and runs its `evidence export`, which every revision since the
citations work (issue 6) has, then reads the grades out of the exported evidence.json.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

EXPORT_TIMEOUT_S = 300


@dataclass(frozen=True)
class PublishedGrade:
    """A claim's verdict and certainty as a revision's own build computed them."""

    verdict: str | None
    certainty: str | None


def _unpack(repo: Path, commit: str, dest: Path) -> bool:
    """build_tools/ and evidence/ of a commit under dest (regular files only); False if absent."""
    try:
        done = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit,
                               "build_tools", "evidence"], capture_output=True, check=False,
                              timeout=120)
    except (OSError, subprocess.SubprocessError):
        return False
    if done.returncode != 0:
        return False
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        members = [m for m in archive.getmembers() if (m.isfile() or m.isdir())
                   and not m.name.startswith("/") and ".." not in Path(m.name).parts]
        archive.extractall(dest, members=members, filter="data")
    return (dest / "build_tools").is_dir()


def published_grades(repo: Path, commit: str) -> dict[str, PublishedGrade] | None:
    """Each claim's grade as the commit's own code exported it; None when it cannot export."""
    with tempfile.TemporaryDirectory(prefix="evidence-revision-") as tmp:
        root = Path(tmp)
        if not _unpack(repo, commit, root):
            return None
        out = root / "export"
        env = {**os.environ, "PYTHONPATH": str(root), "EVIDENCE_CACHE": "off"}
        env.pop("GITHUB_ACTIONS", None)
        try:
            done = subprocess.run([sys.executable, "-m", "build_tools", "export", "--out",
                                   str(out), "--evidence-dir", str(root / "evidence")],
                                  cwd=root, env=env, capture_output=True, check=False,
                                  timeout=EXPORT_TIMEOUT_S)
        except (OSError, subprocess.SubprocessError):
            return None
        data_path = out / "evidence.json"
        if done.returncode != 0 or not data_path.is_file():
            return None
        try:
            data = json.loads(data_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
    grades = {}
    for claim in data.get("claims", []):
        grade = claim.get("grade") or {}
        if isinstance(claim.get("id"), str):
            grades[claim["id"]] = PublishedGrade(grade.get("verdict"), grade.get("certainty"))
    return grades
