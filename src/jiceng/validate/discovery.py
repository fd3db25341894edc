"""Find the check modules: every module of the package ``jiceng.validate.checks``.

A new check is one new module there; nothing else lists it. The modules are imported by
name, found by scanning the package's directories (``__path__``), as plugin systems do.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from types import ModuleType

CHECKS_PACKAGE = __name__.rsplit(".", 1)[0] + ".checks"

_scanned: dict[tuple, list[ModuleType]] = {}


def check_modules() -> list[ModuleType]:
    """The check modules, sorted by name; the scan is redone only when a directory of
    the package changed (a module added), so that asking often costs a few ``stat`` calls."""
    package = importlib.import_module(CHECKS_PACKAGE)
    directories = tuple(package.__path__)
    stamp = tuple((directory, os.stat(directory).st_mtime_ns) for directory in directories)
    if stamp not in _scanned:
        names = sorted(info.name for info in pkgutil.iter_modules(directories) if not info.name.startswith("_"))
        _scanned.clear()
        _scanned[stamp] = [importlib.import_module(f"{CHECKS_PACKAGE}.{name}") for name in names]
    return _scanned[stamp]
