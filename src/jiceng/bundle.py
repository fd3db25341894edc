"""Where the bundled data package lives, in a checkout and in an installed wheel.

The wheel carries ``datapackage.json``, ``data/`` and ``schemas/`` under
``jiceng/package/``; a source checkout keeps them at the repository root. Every
reader goes through :func:`package_root` so both layouts behave the same.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

DESCRIPTOR = "datapackage.json"


PACKAGE_VARIABLE = "JICENG_PACKAGE"


@cache
def package_root() -> Path:
    """Return the directory that holds the bundled ``datapackage.json``, or the package
    directory named by the ``JICENG_PACKAGE`` environment variable (so that the loader,
    the commands and the test suite can run on a copy with a contributor's new source)."""
    configured = os.environ.get(PACKAGE_VARIABLE)
    if configured:
        if not (Path(configured) / DESCRIPTOR).is_file():
            raise FileNotFoundError(f"{PACKAGE_VARIABLE}={configured}: no {DESCRIPTOR} there")
        return Path(configured).resolve()
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


def default_package() -> Path:
    """The package a command works on when given none: ``JICENG_PACKAGE``, else the source
    checkout, else the installed package."""
    if os.environ.get(PACKAGE_VARIABLE):
        return package_root()
    return repository_root() or package_root()
