"""The shape of ``src/jiceng`` that a newcomer relies on: modules short enough to read, an
Architecture page that names every one of them, and no import cycle, counting imports made
only for type checkers (``if TYPE_CHECKING:``) and imports inside functions, which hide a
cycle rather than remove it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from jiceng.bundle import repository_root

CHECKOUT = repository_root()
SOURCE = CHECKOUT / "src" / "jiceng" if CHECKOUT else None
MAX_LINES = 400

pytestmark = pytest.mark.skipif(CHECKOUT is None, reason="reads the source checkout")


def long_modules(root: Path) -> list[str]:
    """Modules under ``root`` of more than MAX_LINES lines whose docstring gives no
    ``Long because:`` line, as ``relative path: N lines``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines <= MAX_LINES:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if not any(line.startswith("Long because:") for line in docstring.splitlines()):
            found.append(f"{relative}: {lines} lines")
    return found


def test_no_module_is_over_400_lines_without_saying_why():
    found = long_modules(SOURCE)
    assert not found, "split these modules or say at the top why they are long (a line 'Long because: ...'):\n" + (
        "\n".join(found))


def test_a_long_module_passes_only_when_its_docstring_says_why(tmp_path):
    body = "\n".join(f"x{index} = {index}" for index in range(MAX_LINES))
    (tmp_path / "short.py").write_text('"""Short."""\nx = 1\n', encoding="utf-8")
    (tmp_path / "silent.py").write_text(f'"""Many names."""\n{body}\n', encoding="utf-8")
    (tmp_path / "package").mkdir()
    (tmp_path / "package" / "explained.py").write_text(
        f'"""Many names.\n\nLong because: a table of names reads best in one place.\n"""\n{body}\n', encoding="utf-8")
    assert long_modules(tmp_path) == [f"silent.py: {MAX_LINES + 1} lines"]


def modules_missing_from_map(source: Path, page: str) -> list[str]:
    """Top-level modules (``name.py``) and packages (``name/``) of ``source`` that the page
    does not name in backticks."""
    named = set(re.findall(r"`([A-Za-z_]+(?:\.py|/))`", page))
    modules = {path.name for path in source.glob("*.py")}
    modules |= {path.name + "/" for path in source.iterdir() if (path / "__init__.py").is_file()}
    return sorted(modules - named)


def test_the_architecture_page_names_every_module():
    page = (CHECKOUT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = modules_missing_from_map(SOURCE, page)
    assert not missing, f"add these to the module map of docs/architecture.md: {', '.join(missing)}"
    assert "architecture.md" in (CHECKOUT / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_module_left_off_the_map_is_named(tmp_path):
    (tmp_path / "named.py").write_text("", encoding="utf-8")
    (tmp_path / "forgotten.py").write_text("", encoding="utf-8")
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "__init__.py").write_text("", encoding="utf-8")
    page = "| `named.py` | something |\n| `checks/` | more |"
    assert modules_missing_from_map(tmp_path, page) == ["forgotten.py"]
    assert modules_missing_from_map(tmp_path, page + " `forgotten.py`") == []


def module_name(path: Path, source: Path) -> str:
    parts = path.relative_to(source).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, source: Path, modules: set[str]) -> set[str]:
    """The modules of ``modules`` that the file imports anywhere in its body."""
    name = module_name(path, source)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in modules)
    found.discard(name)
    return found


def import_graph(source: Path | None = None, package: str = "jiceng") -> dict[str, set[str]]:
    """Module → the modules of the package it imports."""
    source = source or SOURCE.parent
    paths = sorted((source / package).rglob("*.py"))
    modules = {module_name(path, source) for path in paths}
    return {module_name(path, source): imported_modules(path, source, modules) for path in paths}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a list of modules (first = last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_imports_under_type_checking_and_in_functions_are_edges(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "left.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .right import R\n",
                                     encoding="utf-8")
    (package / "right.py").write_text("def f():\n    from . import left\n", encoding="utf-8")
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.left"] == {"pkg.right"} and graph["pkg.right"] == {"pkg.left"}
    assert find_cycle(graph) in (["pkg.left", "pkg.right", "pkg.left"], ["pkg.right", "pkg.left", "pkg.right"])


def test_no_import_cycles():
    graph = import_graph()
    assert "jiceng.validate.runner" in graph, "the import graph must cover the package"
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or ())
