"""The shape of build_tools: no import cycles, no import that runs back up, few floors, small
modules and functions, and our own modules never treated as optional."""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from build_tools.paths import ROOT

PACKAGE = ROOT / "build_tools"
MAX_FLOORS = 7
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
# What each layer may import (its own package always). Type-only imports are not counted.
ALLOWED = {
    "records": {"paths", "problems", "problem_codes", "text"},
    "check": {"paths", "problems", "problem_codes", "text", "records"},
    "grade": {"paths", "text", "records"},
    "cite": {"paths", "problems", "problem_codes", "text", "records"},
    "site": {"paths", "problems", "problem_codes", "text", "records", "grade"},
    "figures": {"paths", "text", "records", "grade", "site"},
    # Runs a past revision's own export in a subprocess; imports nothing of ours.
    "revision_grades": set(),
    "diff": {"paths", "problems", "problem_codes", "text", "records", "check", "grade", "revision_grades"},
    # The network watch: reads records, and nothing but `evidence watch` may import it.
    "watch": {"paths", "problems", "problem_codes", "text", "records"},
    "scan": {"paths", "problems", "problem_codes", "text", "records", "grade"},
    # Incremental builds: the state kept between runs, the keyed rebuild, the preview engine.
    "buildstate": {"paths", "records"},
    "canonical": set(),
    "incremental": {"paths", "problems", "problem_codes", "text", "records", "check", "grade", "site",
                    "buildstate", "canonical"},
    "pipeline": {"paths", "problems", "problem_codes", "text", "records", "check", "grade", "cite", "site",
                 "figures", "scan", "incremental"},
    "preview": {"paths", "records"},
    # The preview's HTTP server: MkDocs' live reload, imports nothing of ours.
    "reload_server": set(),
    "live": {"paths", "records", "site", "incremental", "pipeline", "preview", "reload_server"},
    # The preview's search index refreshed in the background: the writer's link guard only.
    "search_refresh": {"site"},
}


def module_name(path: Path) -> str:
    """build_tools/site/views/claim.py -> build_tools.site.views.claim."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_only(tree: ast.Module) -> set[int]:
    """Node ids inside `if TYPE_CHECKING:` blocks."""
    return {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
            and getattr(node.test, "id", "") == "TYPE_CHECKING" for n in ast.walk(node)}


@cache
def imports(name: str) -> frozenset[str]:
    """The package's own modules that a module imports at run time."""
    tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
    skip, found = _type_only(tree), set()
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if node.module.startswith("build_tools"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules() else node.module)
    return frozenset(f for f in found if f in modules() and f != name)


def floors() -> dict[str, int]:
    """Each module's floor: 0 when it imports none of ours, else one above its highest import."""
    out: dict[str, int] = {}

    def floor(name: str, stack: tuple[str, ...]) -> int:
        assert name not in stack, f"import cycle: {' -> '.join(stack + (name,))}"
        if name not in out:
            out[name] = 1 + max((floor(d, stack + (name,)) for d in imports(name)), default=-1)
        return out[name]
    for name in modules():
        floor(name, ())
    return out


def layer(name: str) -> str:
    """The layer a module belongs to: its package, or its own name at the top level."""
    return name.split(".")[1] if name.count(".") else "build_tools"


def test_no_cycles_and_at_most_seven_floors():
    found = floors()
    assert max(found.values()) <= MAX_FLOORS, sorted(found.items(), key=lambda x: -x[1])[:5]


@pytest.mark.parametrize("name", sorted(n for n in modules() if layer(n) in ALLOWED))
def test_no_import_runs_back_up(name):
    allowed = ALLOWED[layer(name)] | {layer(name)}
    wrong = sorted(d for d in imports(name) if layer(d) not in allowed)
    assert not wrong, f"{name} imports {wrong}"


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_and_functions_stay_small(name):
    text = modules()[name].read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, name
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{name}.{node.name}: {length} lines"


@pytest.mark.parametrize("name", sorted(modules()))
def test_own_modules_are_never_optional(name):
    tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            own = [n for n in ast.walk(node) if isinstance(n, ast.ImportFrom)
                   and (n.module or "").startswith("build_tools")]
            assert not own, f"{name} treats an own module as optional"


@pytest.mark.parametrize("broken", ["build_tools.figures.rob", "build_tools.cite.ris",
                                    "build_tools.grade.sof"])
def test_a_broken_own_module_fails_the_build_loudly(broken, tmp_path):
    script = (f"import sys; sys.modules[{broken!r}] = None\n"
              "from build_tools.cli import main\nsys.exit(main(['build']))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 3, done.stderr
    assert broken in done.stderr and "Traceback" not in done.stderr
