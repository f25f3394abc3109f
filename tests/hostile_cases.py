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

