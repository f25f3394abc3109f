"""Repository-relative locations: the one place that names folders."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def find_root(start: Path | None = None) -> Path:
    """The repository the tool works on: the checkout it runs from, else the nearest folder
    at or above the working directory that holds evidence/schema (an installed copy)."""
    if (PACKAGE_DIR.parent / "evidence" / "schema").is_dir():
        return PACKAGE_DIR.parent
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "evidence" / "schema").is_dir():
            return folder
    return here


ROOT = find_root()
EVIDENCE_DIR = ROOT / "evidence"
SCHEMA_DIR = EVIDENCE_DIR / "schema"
DOCS_DIR = ROOT / "docs"
TEMPLATES_DIR = PACKAGE_DIR / "site" / "templates"

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

# Hand-written inputs of the site (MkDocs' docs_dir and the theme's custom_dir): a symbolic link
# in them would copy whatever it points at into the published site.
SITE_SOURCES = ("docs", "overrides")

REPO_URL = "https://github.com/ketamine-crps-evidence/evidence-base"
EDIT_URL = REPO_URL + "/edit/main/"


def modeline(kind: str) -> str:
    """The first line every record of this kind must carry (editor schema association)."""
    return f"# yaml-language-server: $schema=../schema/{KINDS[kind][1]}"


def first_symlink(path: Path, root: Path = ROOT, clean: set[str] | None = None
                  ) -> Path | None:
    """The first symbolic link on the way down to path (path included), or None.

    The way starts below root when path lies inside root (the folders above the repository are
    not ours to judge), else below path's parent. Paths are compared as written, not resolved:
    a link is found, never followed. `clean` remembers folders already found free of links.
    """
    # Plain strings, not Path objects: this runs for every record file on every check, and
    # pathlib's object making was most of its time (a third of a preview edit's check at 1,000).
    full = os.path.normpath(os.path.abspath(path))
    top = os.path.normpath(os.path.abspath(root))
    if full == top or not full.startswith(top.rstrip(os.sep) + os.sep):
        top = os.path.dirname(full)
    current = top
    for part in full[len(top):].split(os.sep):
        if not part:
            continue
        current = os.path.join(current, part)
        if clean is not None and current in clean:
            continue
        if os.path.islink(current):
            return Path(current)
        if clean is not None and current != full:
            clean.add(current)
    return None
