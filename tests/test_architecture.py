"""The shape of the code: no module of ``src/jiceng`` imports, directly or through others,
a module that imports it back, counting imports made only for type checkers
(``if TYPE_CHECKING:``) and imports inside functions, which hide a cycle rather than
remove it."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src"


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


def import_graph(source: Path = SOURCE, package: str = "jiceng") -> dict[str, set[str]]:
    """Module → the modules of the package it imports."""
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
