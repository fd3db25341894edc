"""Where the bundled data package lives, in a checkout and in an installed wheel.

The wheel carries ``datapackage.json``, ``data/`` and ``schemas/`` under
``jiceng/package/``; a source checkout keeps them at the repository root. Every
reader goes through :func:`package_root` so both layouts behave the same.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DESCRIPTOR = "datapackage.json"


@cache
def package_root() -> Path:
    """Return the directory that holds the bundled ``datapackage.json``."""
    here = Path(__file__).resolve().parent
    installed = here / "package"
    if (installed / DESCRIPTOR).is_file():
        return installed
    checkout = here.parent.parent
    if (checkout / DESCRIPTOR).is_file():
        return checkout
    raise FileNotFoundError(
        f"jiceng's data package was not found in {installed} or {checkout}; "
        "reinstall the package (pip install --force-reinstall jiceng)"
    )


def repository_root() -> Path | None:
    """Return the source checkout root when running from one (for generators)."""
    checkout = Path(__file__).resolve().parent.parent.parent
    return checkout if (checkout / "pyproject.toml").is_file() else None
