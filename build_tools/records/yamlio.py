"""Strict YAML loading: one plain-data document per file, with the position of every value."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import yaml
from yaml.resolver import BaseResolver

from build_tools.records import textguard
from build_tools.text import line_col

try:  # libyaml's parser is 6-8x faster; the pure-Python one gives the same nodes and marks.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

MAX_BYTES = 1_048_576  # a record is a few KB; 1 MiB bounds time and memory of a check
MAX_DEPTH = textguard.MAX_DEPTH
MAX_DIGITS = 18  # a 64-bit integer; Python refuses to read one of more than 4,300 digits

Path_ = tuple  # a JSON path: keys (str) and list indexes (int)

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"


class StrictResolver(BaseResolver):
    """YAML 1.2-like implicit types: only true/false are booleans; dates and 'no' stay text."""


StrictResolver.add_implicit_resolver(BOOL, re.compile(r"^(?:true|false)$"), list("tf"))
StrictResolver.add_implicit_resolver(INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
StrictResolver.add_implicit_resolver(
    FLOAT,
    # A decimal point is required (as in YAML 1.1), so text like 1e5 or 0E0 stays text.
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)
StrictResolver.add_implicit_resolver(NULL, re.compile(r"^(?:~|null|)$"), ["~", "n", ""])


class _StrictLoader(_Parser, StrictResolver):
    """Parser + our resolver; composes nodes but never constructs Python objects by tag."""

    def __init__(self, stream):
        _Parser.__init__(self, stream)
        StrictResolver.__init__(self)


class YamlError(Exception):
    """A positioned problem that stops loading a file (code from the problems catalogue)."""

    def __init__(self, code: str, line: int, col: int, message: str, **hint_args: object):
        super().__init__(message)
        self.code, self.line, self.col, self.message, self.hint_args = (
            code, line, col, message, hint_args)


@dataclass
class Loaded:
    """A loaded document and where each value (and each mapping key) starts, 1-based."""

    data: object
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    crlf: bool = False
    text: str = field(default="", repr=False)  # the file as read, to point inside a value

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Position of the value at path (or of its key), falling back to the nearest parent."""
        path = tuple(path)
        while True:
            if key and path in self.key_positions:
                return self.key_positions[path]
            if path in self.positions:
                return self.positions[path]
            if not path:
                return (1, 1)
            path = path[:-1]


_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


def check_size(size: int) -> None:
    """Refuse a record over MAX_BYTES before reading it (E110)."""
    if size > MAX_BYTES:
        raise YamlError("E110", 1, 1, f"file is {size} bytes, over the {MAX_BYTES}-byte limit",
                        limit=MAX_BYTES)


def _precheck(raw: bytes) -> str:
    """Byte-level and text-level checks that must run before the parser sees the text."""
    check_size(len(raw))
    if raw.startswith(b"\xef\xbb\xbf"):
        raise YamlError("E103", 1, 1, "file starts with a UTF-8 byte-order mark")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = line_col(prefix + "x", len(prefix))
        raise YamlError("E102", line, col,
                        f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not valid UTF-8"
                        ) from None
    if not text.strip():
        raise YamlError("E109", 1, 1, "file is empty")
    bad = textguard.find(text, decoded=False)
    if bad:
        raise YamlError(bad.code, *line_col(text, bad.index), bad.message)
    if "\t" in text:
        match = _TAB_INDENT.search(text)
        if match:
            line, col = line_col(text, match.end() - 1)
            raise YamlError("E104", line, col, "tab character used for indentation")
    bad = textguard.find_nesting(text)
    if bad:
        raise YamlError(bad.code, *line_col(text, bad.index), bad.message, limit=MAX_DEPTH)
    return text


def _check_anchors(text: str) -> None:
    """Refuse anchors and aliases (also the defence against 'billion laughs' expansion)."""
    if "&" not in text and "*" not in text:
        return
    try:
        loader = _StrictLoader(text)
    except yaml.YAMLError:
        return  # reported by the composing pass
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                line, col = event.start_mark.line + 1, event.start_mark.column + 1
                raise YamlError("E106", line, col, f"alias *{event.anchor} is not allowed")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                line, col = event.start_mark.line + 1, event.start_mark.column + 1
                raise YamlError("E106", line, col, f"anchor &{anchor} is not allowed")
    except yaml.YAMLError:
        return  # syntax errors are reported by the composing pass, with their own position
    finally:
        loader.dispose()


def _compose(text: str) -> yaml.Node | None:
    """Parse to a single node tree, turning parser errors into positioned YamlErrors."""
    try:
        loader = _StrictLoader(text)
    except yaml.YAMLError as exc:  # the reader refuses some characters at construction
        raise YamlError("E111", 1, 1, str(exc).splitlines()[0]) from None
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and exc.problem_mark and (
                exc.problem_mark.line > text.rstrip().count("\n")
                or any(end in str(exc.problem) for end in _RAN_OFF_THE_END)):
            mark = exc.context_mark  # where the unclosed quote or bracket opened, not the end
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "expected a single document" in str(exc.context or ""):
            raise YamlError("E108", line, col, "a second YAML document starts here") from None
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise YamlError("E101", line, col, detail or "invalid YAML",
                        detail=_syntax_hint(detail)) from None
    except yaml.YAMLError as exc:
        raise YamlError("E101", 1, 1, str(exc).splitlines()[0], detail=_syntax_hint("")) from None
    except RecursionError:
        raise YamlError("E112", 1, 1, "nesting too deep to read", limit=MAX_DEPTH) from None
    finally:
        loader.dispose()


# Parser problems that mean "reached the end still inside something": the context is its start.
_RAN_OFF_THE_END = ("end of stream", "stream end", "document separator")


def _syntax_hint(detail: str) -> str:
    """A plain-words suggestion for the commonest YAML syntax slips."""
    if "mapping values are not allowed" in detail:
        return "a value containing ': ' must be quoted, e.g. title: \"Ketamine: a review\""
    if "found character '\\t'" in detail:
        return "replace tabs with spaces"
    if "while scanning a quoted scalar" in detail:
        return "a quote is not closed"
    if "expected <block end>" in detail:
        return "check the indentation of this line against the lines above"
    return "check quotes, colons and indentation on this line and the one before"


def _scalar(node: yaml.ScalarNode) -> object:
    """Convert a resolved scalar node to a Python value by our few allowed types."""
    tag, value = node.tag, node.value
    if tag == STR:
        return _text(value, node.start_mark)
    if tag == INT:
        if len(value.lstrip("+-")) > MAX_DIGITS:
            raise YamlError("E115", node.start_mark.line + 1, node.start_mark.column + 1,
                            f"integer of {len(value.lstrip('+-'))} digits is too large")
        return int(value)
    if tag == FLOAT:
        number = float(value)
        if not math.isfinite(number):
            raise YamlError("E115", node.start_mark.line + 1, node.start_mark.column + 1,
                            f"number {value!r} is not finite")
        return number
    if tag == BOOL:
        return value == "true"
    if tag == NULL:
        return None
    raise YamlError("E107", node.start_mark.line + 1, node.start_mark.column + 1,
                    f"tag {tag} is not allowed", tag=tag)


def _text(value: str, mark: yaml.Mark) -> str:
    """A decoded string, refused when an escape produced a control or direction character."""
    bad = textguard.find(value, decoded=True)
    if bad:
        raise YamlError(bad.code, mark.line + 1, mark.column + 1, bad.message)
    return value


def _build(root: yaml.Node) -> Loaded:
    """Walk the node tree into plain data, recording positions and refusing what we don't allow."""
    loaded = Loaded(data=None)
    positions, key_positions = loaded.positions, loaded.key_positions

    def walk(node: yaml.Node, path: Path_, depth: int) -> object:
        mark = node.start_mark
        positions[path] = (mark.line + 1, mark.column + 1)
        if depth > MAX_DEPTH:
            raise YamlError("E112", mark.line + 1, mark.column + 1, "nesting too deep",
                            limit=MAX_DEPTH)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != SEQ:
                raise YamlError("E107", mark.line + 1, mark.column + 1,
                                f"tag {node.tag} is not allowed", tag=node.tag)
            return [walk(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag != MAP:
            raise YamlError("E107", mark.line + 1, mark.column + 1,
                            f"tag {node.tag} is not allowed", tag=node.tag)
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            kmark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR:
                raise YamlError("E114", kmark.line + 1, kmark.column + 1,
                                "mapping key is not plain text")
            key = _text(key_node.value, kmark)
            if key in result:
                first_line = key_positions[path + (key,)][0]
                raise YamlError("E105", kmark.line + 1, kmark.column + 1,
                                f"duplicate key '{key}'", key=key, first_line=first_line)
            key_positions[path + (key,)] = (kmark.line + 1, kmark.column + 1)
            result[key] = walk(value_node, path + (key,), depth + 1)
        return result

    loaded.data = walk(root, (), 0)
    return loaded


def load_text(text_or_bytes: str | bytes) -> Loaded:
    """Load one record from text or bytes; raise YamlError (never anything else) on bad input."""
    raw = text_or_bytes.encode("utf-8", "surrogatepass") if isinstance(text_or_bytes, str) \
        else text_or_bytes
    text = _precheck(raw)
    _check_anchors(text)
    root = _compose(text)
    if root is None:
        raise YamlError("E109", 1, 1, "file holds no YAML document")
    loaded = _build(root)
    if not isinstance(loaded.data, dict):
        raise YamlError("E113", 1, 1, "top level is not a mapping")
    loaded.crlf, loaded.text = "\r\n" in text, text
    return loaded
