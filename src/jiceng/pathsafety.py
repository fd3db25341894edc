"""Which paths a package may name: files inside it, never URLs, absolute paths or links
leading out of it (the validator fetches nothing and reads nothing outside)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def unsafe_reason(root: Path, relative: Any) -> str | None:
    """Why a path named by the descriptor may not be opened, or None if it is safe."""
    if not isinstance(relative, str) or not relative:
        return "must be a non-empty relative path"
    if "://" in relative or relative.startswith(("//", "\\\\")):
        return "is a URL; resources must be files inside the package (nothing is fetched)"
    if os.path.isabs(relative) or relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        return "is absolute; use a path relative to datapackage.json"
    if ".." in Path(relative).parts or "\\" in relative:
        return "climbs out of the package ('..' or backslash); use a path inside it"
    resolved = (root / relative).resolve()
    if not resolved.is_relative_to(root.resolve()):
        return "is a symbolic link to a file outside the package"
    return None
