"""Broken and hostile YAML inputs shared by the tests and the hostile-input benchmark."""

from __future__ import annotations

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
    "unclosed-quote": (VALID.replace("title: A page", 'title: "A page').encode(), "E101", 8, 1),
}
