"""`evidence scan FILE`: each sentence of a web text with the claim it asserts, or none."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import textwrap
from pathlib import Path

from build_tools.check.runner import check
from build_tools.grade.rules import grade_all
from build_tools.grade.vocabulary import CERTAINTY_WORDS, VERDICT_WORDS
from build_tools.paths import EVIDENCE_DIR, PACKAGE_DIR, ROOT
from build_tools.problems import format_text
from build_tools.records.model import build_corpus
from build_tools.scan import lexicon
from build_tools.scan.annotate import Annotation, annotate
from build_tools.scan.export import index_from_json, index_json
from build_tools.scan.extract import FORMATS, guess_format
from build_tools.scan.index import ScanIndex, build_index
from build_tools.scan.matcher import AGAINST, CANDIDATE, MATCHED, NOT_CHECKABLE
from build_tools.text import line_col

LABELS = {MATCHED: "asserts a claim", AGAINST: "runs against a claim",
          CANDIDATE: "no claim yet (candidate for a new claim)", NOT_CHECKABLE: "not checkable"}
# The summary line's words: "5 sentences: 2 assert a claim, 1 runs against one, ...".
COUNTED = {MATCHED: "assert a claim", AGAINST: "run against one",
           CANDIDATE: "have no claim yet", NOT_CHECKABLE: "are not checkable"}
WIDTH = 100


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the scan sub-command."""
    parser = subparsers.add_parser(
        "scan", help="match each sentence of a web text (text, Markdown or HTML) to a claim",
        description="Split a text into sentences and find, for each checkable one, the claim it "
                    "asserts, with the claim's verdict and certainty. Checkable sentences with "
                    "no matching claim are listed as candidates for new claims.")
    parser.add_argument("file", help="the text to scan (plain text, Markdown or HTML; - for "
                                     "standard input)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--input-format", choices=("auto", *FORMATS), default="auto",
                        help="how to read the input (default: html for .html/.htm files and "
                             "input starting with a tag, else text, which includes Markdown)")
    parser.add_argument("--evidence-dir", type=Path, default=EVIDENCE_DIR,
                        help="the evidence folder to read (default: this repository's)")


def read_input(name: str) -> str:
    """The input as text; OSError or ValueError with a positioned message when it cannot be."""
    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[:exc.start].decode("utf-8", errors="replace")
        line, col = line_col(good, len(good))
        raise ValueError(f"{'<stdin>' if name == '-' else name}:{line}:{col}: not UTF-8 text "
                         f"(byte 0x{data[exc.start]:02x}); save it as UTF-8") from None


def cache_folder() -> Path | None:
    """Where indexes of checked evidence are kept (.cache/scan), or None when caching is off."""
    if os.environ.get("EVIDENCE_CACHE", "").lower() in ("off", "0", "no"):
        return None
    return Path(os.environ.get("EVIDENCE_SCAN_CACHE_DIR") or ROOT / ".cache" / "scan")


def fingerprint(evidence_dir: Path) -> str:
    """A digest of everything an index depends on: every file of the evidence folder, the
    lexicon and the code that checks, grades and indexes (so no edit can leave it stale)."""
    digest = hashlib.sha256()
    for base, pattern in ((evidence_dir, "*"), (PACKAGE_DIR, "*.py"),
                          (lexicon.LEXICON_FILE.parent, "*.yaml")):
        for path in sorted(base.rglob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(base).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _cached(folder: Path | None, key: str) -> ScanIndex | None:
    """The kept index for this fingerprint, if there is a readable one."""
    path = folder / f"{key}.json" if folder else None
    if path is None or not path.is_file() or path.is_symlink():
        return None
    try:
        return index_from_json(path.read_text(encoding="utf-8"), lexicon.load())
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged file is rebuilt, never trusted


def _keep(folder: Path | None, key: str, index: ScanIndex) -> None:
    """Keep the index for the next run (quietly skipped on a read-only checkout)."""
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):  # one base, one index: older ones are stale
            old.unlink()
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(index_json(index), encoding="utf-8")
        tmp.replace(folder / f"{key}.json")
    except OSError:
        pass


def load_index(evidence_dir: Path) -> ScanIndex | None:
    """The index of the evidence base, or None (problems printed) when the records have errors.

    Checking the whole base takes most of a second; an index built from the very same files is
    kept under .cache/scan and read back instead (EVIDENCE_CACHE=off turns this off)."""
    folder = cache_folder()
    key = fingerprint(evidence_dir) if folder else ""
    found = _cached(folder, key)
    if found:
        return found
    result = check(evidence_dir=evidence_dir, root=evidence_dir.parent)
    if not result.ok:
        sys.stderr.write(format_text([p for p in result.problems if p.severity == "error"],
                                     result.files_checked))
        return None
    corpus = build_corpus(result.records)
    index = build_index(corpus, grade_all(corpus), lexicon.load())
    _keep(folder, key, index)
    return index


def _verdict(item: dict) -> str:
    """'Very uncertain, very low certainty' for a matched claim."""
    words = VERDICT_WORDS.get(item["verdict"], item["verdict"])
    certainty = CERTAINTY_WORDS.get(item["certainty"] or "", "")
    return f"{words}, {certainty.lower()} certainty" if certainty else words


def format_annotations(annotations: list[Annotation]) -> str:
    """The text report: every sentence, its status, and the claim's verdict and plain line."""
    lines, counts = [], dict.fromkeys(LABELS, 0)
    for number, annotation in enumerate(annotations, 1):
        item = annotation.as_dict()
        counts[item["status"]] += 1
        lines.append(f"{number:>3}. [{item['start']}-{item['end']}] {LABELS[item['status']]}")
        lines += textwrap.wrap(item["sentence"], WIDTH, initial_indent="     \"",
                               subsequent_indent="      ") or ["     \""]
        lines[-1] += "\""
        if item["claim"]:
            lines.append(f"     claim: {item['claim']} (score {item['score']:.2f}) - "
                         f"{_verdict(item)}")
            lines += textwrap.wrap(item["plain"], WIDTH, initial_indent="     ",
                                   subsequent_indent="     ")
        lines.append("")
    summary = ", ".join(f"{counts[k]} {COUNTED[k]}" for k in COUNTED)
    lines.append(f"{len(annotations)} sentences: {summary}.")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Scan the input and print the report; 1 when the input or the records cannot be read."""
    try:
        raw = read_input(args.file)
    except (OSError, ValueError) as exc:
        message = str(exc) if isinstance(exc, ValueError) else f"{args.file}: {exc.strerror}"
        sys.stderr.write(f"evidence scan: {message}\n")
        return 1
    index = load_index(args.evidence_dir)
    if index is None:
        sys.stderr.write("evidence scan: not scanning while the records have errors\n")
        return 1
    fmt = args.input_format if args.input_format != "auto" else guess_format(raw, args.file)
    annotations = annotate(raw, index, fmt)
    if args.format == "json":
        sys.stdout.write(json.dumps([a.as_dict() for a in annotations], ensure_ascii=False,
                                    indent=1) + "\n")
    else:
        sys.stdout.write(format_annotations(annotations))
    return 0
