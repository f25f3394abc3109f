"""Broken and hostile YAML inputs shared by the tests and the hostile-input benchmark."""

from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "codes"
VALID = (FIXTURES.parent / "base" / "evidence" / "sources" / "web-one.yaml").read_text()


def _laughs(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return VALID + "\n".join(lines) + "\n"


# name -> (file bytes or callable making them, expected code, expected line, expected col)
CASES: dict[str, tuple[object, str, int, int]] = {
    "billion-laughs": (lambda: _laughs().encode(), "E106", 8, 5),
    "alias-only": (VALID.replace("title: A page", "title: *x").encode(), "E106", 4, 8),
    "deep-flow-nesting": (VALID.encode() + b"x: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
                          "E112", 8, 36),
    "deep-block-nesting": (VALID.encode() + b"x:\n" + b"".join(
        b" " * (2 * i) + b"k:\n" for i in range(1, 200)) + b"\n", "E112", 45, 1),
    "deep-dash-nesting": (VALID.encode() + b"x: \n  " + b"- " * 5000 + b"1\n", "E112", 9, 3),
    "fifty-megabytes": (lambda: VALID.encode() + b"# " + b"x" * 50_000_000 + b"\n", "E110", 1, 1),
    "not-utf8": (VALID.replace("A page.", "A p\udce9ge.").encode("utf-8", "surrogateescape"),
                 "E102", 6, 13),
    "utf16": (VALID.encode("utf-16"), "E102", 1, 1),
    "bom": (b"\xef\xbb\xbf" + VALID.encode(), "E103", 1, 1),
    "tab-indent": (VALID.replace("title:", "\ttitle:").encode(), "E104", 4, 1),
    "nul-byte": (VALID.replace("A page.", "A\x00page.").encode(), "E111", 6, 11),
    "duplicate-key": (VALID.replace("title: A page", "title: A page\ntitle: B").encode(),
                      "E105", 5, 1),
    "python-tag": (VALID.replace("title: A page", "title: !!python/object/apply:os.system [id]")
                   .encode(), "E107", 4, 8),
    "custom-tag": (VALID.replace("title: A page", "title: !secret x").encode(), "E107", 4, 8),
    "two-documents": (VALID.encode() + b"---\nid: other\n", "E108", 8, 1),
    "empty": (b"", "E109", 1, 1),
    "whitespace-only": (b"  \n\n  \n", "E109", 1, 1),
    "list-top-level": (b"- a\n- b\n", "E113", 1, 1),
    # Reported where the quote opened, not at the end of the file where the parser gave up.
    "unclosed-quote": (VALID.replace("title: A page", 'title: "A page').encode(), "E101", 4, 8),
    "unclosed-single-quote": (VALID.replace("title: A page", "title: 'A page").encode(), "E101",
                              4, 8),
    "unclosed-flow-list": (VALID.encode() + b"tags: [a, b\n", "E101", 8, 7),
}

# YAML escapes decode to characters the raw-text checks never see: each must be caught after
# decoding, at the value (E111 control characters, E116 text-direction controls).
ESCAPES: dict[str, tuple[str, str]] = {
    "nul": ('"A\\0page"', "E111"), "ansi-colour": ('"\\e[31mred"', "E111"),
    "bell": ('"\\a"', "E111"), "backspace": ('"ab\\bc"', "E111"),
    "carriage-return": ('"fake\\rreal"', "E111"), "c1-csi": ('"\\x9b31m"', "E111"),
    "delete": ('"\\x7f"', "E111"), "u-escape-nul": ('"\\u0000"', "E111"),
    "non-character": ('"\\uFFFE"', "E111"), "form-feed": ('"a\\fb"', "E111"),
    "bidi-override": ('"A \\u202Epage"', "E116"), "bidi-isolate": ('"\\u2066x\\u2069"', "E116"),
    "bidi-embedding": ('"\\u202Ax"', "E116"),
}
for _name, (_value, _code) in ESCAPES.items():
    CASES[f"escaped-{_name}"] = (VALID.replace("title: A page", f"title: {_value}").encode(),
                                 _code, 4, 8)
CASES["escaped-key"] = (VALID.encode() + b'"\\e[2J": x\n', "E111", 8, 1)
CASES["bidi-override-raw"] = (VALID.replace("title: A page", "title: A \u202epage").encode(),
                              "E116", 4, 10)
CASES["bidi-override-in-comment"] = ((VALID + "# looks \u202e harmless\n").encode(), "E116", 8, 9)

# Integers beyond 18 digits: Python refuses to convert past 4,300 digits, and no record needs
# more than a 64-bit integer.
for _name, _digits in (("huge-integer", "9" * 5000), ("huge-negative-integer", "-" + "9" * 5000),
                       ("nineteen-digits", "1" * 19), ("million-digits", "7" * 1_000_000)):
    CASES[_name] = (VALID.replace("title: A page", f"title: {_digits}").encode(), "E115", 4, 8)



def family(name: str) -> str:
    """The hardening-table family of a YAML case (tests/hostile_corpus.py figures)."""
    if name.startswith(("escaped-", "bidi-")):
        return "YAML escapes and direction controls"
    if "digits" in name or "integer" in name:
        return "huge integers"
    return "broken YAML"


# Planted symbolic links a pull request could deliver (git add -f even adds one inside a
# gitignored folder): name -> (link path in a project, what it points at outside, the
# operation that meets it, the code that must refuse it). "missing": a dangling link.
LINKS: dict[str, tuple[str, str, str, str]] = {
    "page-temporary-file": ("docs/studies/.alpha-2020.md.tmp", "file", "build", "E316"),
    "page": ("docs/studies/alpha-2020.md", "file", "build", "E316"),
    "generated-folder": ("docs/figures", "dir", "build", "E316"),
    "docs-folder": ("docs", "dir", "build", "E316"),
    "hand-written-page": ("docs/leak.md", "file", "check", "E316"),
    "hand-written-folder": ("docs/more", "dir", "check", "E316"),
    "theme-override": ("overrides/partials/footer.html", "file", "check", "E316"),
    "cache-folder": (".cache/citations", "dir", "cache", "E316"),
    "cache-subfolder": (".cache/citations/ab", "dir", "cache", "E316"),
    "cache-line": (".cache/citations/ab/abcd.txt", "missing", "cache", "E316"),
    "record-file": ("evidence/studies/leak-2020.yaml", "file", "check", "E311"),
    "record-folder": ("evidence/search", "dir", "check", "E311"),
    "evidence-folder": ("evidence", "dir", "check", "E311"),
    "new-record": ("evidence/studies/new-2031.yaml", "missing", "write", "E316"),
    "new-record-folder": ("evidence/sources", "dir", "write", "E316"),
    "export-file": ("downloads/evidence.bib", "file", "write", "E316"),
    "export-folder": ("downloads", "dir", "write", "E316"),
    "import-studies-folder": ("evidence/studies", "dir", "import", "E316"),
}
SECRET = "SECRET-OUTSIDE-THE-REPOSITORY"


def _plant(workdir: Path, name: str) -> tuple[Path, Path, Path]:
    """A project with the base tree and one planted link: (project, link, outside folder)."""
    import shutil

    project, outside = workdir / name / "project", workdir / name / "outside"
    shutil.copytree(FIXTURES.parent / "base" / "evidence", project / "evidence")
    (project / "docs").mkdir()
    (project / "overrides").mkdir()
    outside.mkdir(parents=True)
    (outside / "secret.yaml").write_text(VALID.replace("A page", SECRET), encoding="utf-8")
    rel, points_at, _, _ = LINKS[name]
    link = project / rel
    if link.exists():
        shutil.move(link, workdir / name / "moved-away")
    link.parent.mkdir(parents=True, exist_ok=True)
    target = {"file": outside / "secret.yaml", "dir": outside,
              "missing": outside / "created.txt"}[points_at]
    link.symlink_to(target)
    return project, link, outside


def run_link_case(workdir: Path, name: str) -> tuple[set[str], bool]:
    """Plant one link and meet it as the named operation does: (codes reported, outside left
    untouched and unread). The commands new and export guard their writes with refuse_links,
    met here directly; tests/test_hostile_writes.py runs the commands themselves."""
    from build_tools.check.runner import check
    from build_tools.cite.bibimport import plan_import
    from build_tools.pipeline import build
    from build_tools.site.writer import UnsafePath, refuse_links, write_cache_lines

    project, link, outside = _plant(workdir, name)
    operation, codes = LINKS[name][2], set()
    try:
        if operation == "build":
            built = build(project / "evidence", project, project / "docs")
            codes = {p.code for p in built.check.problems if p.severity == "error"}
        elif operation == "check":
            found = check(evidence_dir=project / "evidence", root=project).problems
            codes = {p.code for p in found if SECRET not in p.message + p.hint}
        elif operation == "cache":
            write_cache_lines({"abcd": "a line"}, project / ".cache" / "citations")
        elif operation == "write":
            refuse_links([link / "x.yaml" if LINKS[name][1] == "dir" else link], project)
        else:
            bib = project / "in.bib"
            bib.write_text("@article{k, title = {T}, author = {A, B}, year = {2020}}\n")
            codes = {p.code for p in plan_import(bib, project / "evidence").problems}
    except UnsafePath as exc:
        codes = {exc.problem.code} if exc.problem else {"UnsafePath"}
    untouched = sorted(p.name for p in outside.iterdir()) == ["secret.yaml"] and \
        SECRET in (outside / "secret.yaml").read_text(encoding="utf-8")
    return codes, untouched


# BibTeX files for import-bib: name -> (text, or a callable making it; the code expected).
def _entry(extra: str = "", title: str = "A trial") -> str:
    return f"@article{{k,\n  title = {{{title}}},\n  author = {{Alpha, A}},\n  year = {{2020}},\n{extra}}}\n"


def _nested(field: str, depth: int) -> str:
    """An entry whose field holds a value nested depth braces deep."""
    value = "{" * depth + "x" + "}" * depth
    if field in ("title", "author"):
        return re.sub(rf"  {field} = {{[^\n]*}},", lambda _: f"  {field} = {{{value}}},", _entry())
    return _entry(f"  {field} = {{{value}}},\n")


def _many(count: int) -> str:
    return "".join(_entry(title=f"Trial {n}").replace("{k,", f"{{k{n},").replace(
        "Alpha, A", f"Author{n}, A") for n in range(count))


BIB_CASES: dict[str, tuple[object, str]] = {
    **{f"nested-braces-{field}-{depth}": (_nested(field, depth), "E402")
       for field in ("title", "author", "journal", "note") for depth in (33, 300, 10_000)},
    **{f"huge-integer-{field}": (_entry(f"  {field} = {{{'9' * 5000}}},\n"), code)
       for field, code in (("month", ""), ("volume", ""), ("pages", ""), ("number", ""))},
    "huge-integer-year": (_entry().replace("{2020}", "{" + "9" * 5000 + "}"), "E402"),
    "one-byte-over-the-size-limit": (lambda: _entry() + "%" * 10_000_000 + "\n", "E403"),
    "fifty-megabytes": (lambda: _entry() + ("%" * 99 + "\n") * 500_000, "E403"),
    "one-entry-over-the-limit": (lambda: _many(2_001), "E403"),
    "three-hundred-thousand-entries": (lambda: _many(300_000)[:9_900_000], "E403"),
}


def bib_family(name: str) -> str:
    """The hardening-table family of a BibTeX case."""
    return {"nested": "BibTeX: nested braces", "huge": "BibTeX: huge integers"}.get(
        name.split("-")[0], "BibTeX: oversized imports")
