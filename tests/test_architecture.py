"""The shape of ``src/jiceng`` that a newcomer relies on: modules short enough to read, and
an Architecture page that names every one of them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from jiceng.bundle import repository_root

CHECKOUT = repository_root()
SOURCE = CHECKOUT / "src" / "jiceng" if CHECKOUT else None
MAX_LINES = 400

# Modules that other parts of the same redesign are splitting on their own branches
# (the validator package, the releases package, the models with the table registry).
# Empty this set when they land; test_allowance_names_only_long_modules says when.
ALLOWED_LONG = {"validate.py", "releases.py", "models.py"}

# Modules that other parts of the redesign replace (by validate/, releases/, vocabularies.py);
# the Architecture page describes their replacements. Empty this set when they land.
UNMAPPED = {"validate.py", "standard.py", "problems.py", "audit.py", "releases.py", "vocab.py"}

pytestmark = pytest.mark.skipif(CHECKOUT is None, reason="reads the source checkout")


def long_modules(root: Path, allowed: set[str] = frozenset()) -> list[str]:
    """Modules under ``root`` of more than MAX_LINES lines whose docstring gives no
    ``Long because:`` line, as ``relative path: N lines``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines <= MAX_LINES or relative in allowed:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if not any(line.startswith("Long because:") for line in docstring.splitlines()):
            found.append(f"{relative}: {lines} lines")
    return found


def test_no_module_is_over_400_lines_without_saying_why():
    found = long_modules(SOURCE, ALLOWED_LONG)
    assert not found, "split these modules or say at the top why they are long (a line 'Long because: ...'):\n" + (
        "\n".join(found))


def test_allowance_names_only_long_modules():
    for relative in sorted(ALLOWED_LONG):
        path = SOURCE / relative
        assert path.is_file() and len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES, (
            f"{relative} is split or short now: remove it from ALLOWED_LONG")


def test_a_long_module_passes_only_when_its_docstring_says_why(tmp_path):
    body = "\n".join(f"x{index} = {index}" for index in range(MAX_LINES))
    (tmp_path / "short.py").write_text('"""Short."""\nx = 1\n', encoding="utf-8")
    (tmp_path / "silent.py").write_text(f'"""Many names."""\n{body}\n', encoding="utf-8")
    (tmp_path / "package").mkdir()
    (tmp_path / "package" / "explained.py").write_text(
        f'"""Many names.\n\nLong because: a table of names reads best in one place.\n"""\n{body}\n', encoding="utf-8")
    assert long_modules(tmp_path) == [f"silent.py: {MAX_LINES + 1} lines"]
    assert long_modules(tmp_path, {"silent.py"}) == []


def modules_missing_from_map(source: Path, page: str) -> list[str]:
    """Top-level modules (``name.py``) and packages (``name/``) of ``source`` that the page
    does not name in backticks."""
    named = set(re.findall(r"`([A-Za-z_]+(?:\.py|/))`", page))
    modules = {path.name for path in source.glob("*.py")}
    modules |= {path.name + "/" for path in source.iterdir() if (path / "__init__.py").is_file()}
    return sorted(modules - named)


def test_the_architecture_page_names_every_module():
    page = (CHECKOUT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [name for name in modules_missing_from_map(SOURCE, page) if name not in UNMAPPED]
    assert not missing, f"add these to the module map of docs/architecture.md: {', '.join(missing)}"
    assert "architecture.md" in (CHECKOUT / "mkdocs.yml").read_text(encoding="utf-8")


def test_unmapped_modules_still_exist():
    gone = sorted(name for name in UNMAPPED if not (SOURCE / name).exists())
    assert not gone, f"{', '.join(gone)} no longer exist: remove them from UNMAPPED"


def test_a_module_left_off_the_map_is_named(tmp_path):
    (tmp_path / "named.py").write_text("", encoding="utf-8")
    (tmp_path / "forgotten.py").write_text("", encoding="utf-8")
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "__init__.py").write_text("", encoding="utf-8")
    page = "| `named.py` | something |\n| `checks/` | more |"
    assert modules_missing_from_map(tmp_path, page) == ["forgotten.py"]
    assert modules_missing_from_map(tmp_path, page + " `forgotten.py`") == []
