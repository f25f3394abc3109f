"""Repository-relative locations: the one place that names folders."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE_DIR = ROOT / "evidence"
SCHEMA_DIR = EVIDENCE_DIR / "schema"
DOCS_DIR = ROOT / "docs"
TEMPLATES_DIR = Path(__file__).resolve().parent / "site" / "templates"

# Record kind -> (folder under evidence/, schema file name).
KINDS: dict[str, tuple[str, str]] = {
    "study": ("studies", "study.schema.json"),
    "claim": ("claims", "claim.schema.json"),
    "source": ("sources", "source.schema.json"),
    "search": ("search", "search.schema.json"),
}
FOLDER_KIND = {folder: kind for kind, (folder, _) in KINDS.items()}

# Folders under docs/ that only the build writes; all gitignored, pruned and rewritten by it.
GENERATED_DIRS = ("studies", "claims", "sources", "reference", "downloads", "profile", "figures",
                  "generated")

REPO_URL = "https://github.com/ketamine-crps-evidence/evidence-base"
EDIT_URL = REPO_URL + "/edit/main/"


def modeline(kind: str) -> str:
    """The first line every record of this kind must carry (editor schema association)."""
    return f"# yaml-language-server: $schema=../schema/{KINDS[kind][1]}"
