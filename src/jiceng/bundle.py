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
    bundled = bundled_root()
    if bundled:
        return bundled
    here = Path(__file__).resolve().parent
    installed, checkout = here / "package", here.parent.parent
    raise FileNotFoundError(
        f"jiceng's data package was not found in {installed} or {checkout}; "
        "reinstall the package (pip install --force-reinstall jiceng)"
    )


def bundled_root() -> Path | None:
    """The package shipped with the code (in the wheel, or the checkout), whatever
    ``JICENG_PACKAGE`` says; None when neither is there."""
    here = Path(__file__).resolve().parent
    for root in (here / "package", here.parent.parent):
        if (root / DESCRIPTOR).is_file():
            return root
    return None


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
