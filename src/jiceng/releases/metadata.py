"""The release metadata a checkout carries beside the package, checked against the version
being released (``CONTRIBUTING.md``, "Releases"): ``CITATION.cff``'s ``version`` and the
newest version heading of ``CHANGELOG.md`` (where *Unreleased* was moved). A reader cites
the version CITATION.cff names and reads its changes under that heading, so a release
whose files still name the previous version would be cited wrongly.

A package directory without these files (a copy of the data alone) has nothing to check.
"""

from __future__ import annotations

import re
from pathlib import Path

from .snapshot import ReleaseError

CITATION = "CITATION.cff"
CHANGELOG = "CHANGELOG.md"
CITATION_VERSION = re.compile(r"""^version:[ \t]*["']?([^"'\s#]+)""", re.MULTILINE)
VERSION_HEADING = re.compile(r"^##[ \t]+\[?v?(\d+\.\d+\.\d+[^\s\]]*)", re.MULTILINE)


def metadata_disagreements(root: Path, version: str) -> list[str]:
    """What CITATION.cff and CHANGELOG.md beside the package say against ``version``,
    each with what to do; empty when they agree or are absent."""
    found = []
    citation, changelog = root / CITATION, root / CHANGELOG
    if citation.is_file():
        match = CITATION_VERSION.search(citation.read_text(encoding="utf-8"))
        if match is None:
            found.append(f"{citation} has no version; add `version: {version}`")
        elif match[1] != version:
            found.append(f"{citation} says version {match[1]}; set `version: {version}` (and `date-released`)")
    if changelog.is_file():
        match = VERSION_HEADING.search(changelog.read_text(encoding="utf-8"))
        newest = match[1] if match else None
        if newest != version:
            said = f"its newest version heading is {newest}" if newest else "it has no version heading"
            found.append(f"{changelog}: {said}; move *Unreleased* under a heading `## {version}` with the line "
                         "\"Rows contributed by: …\"")
    return found


def check_release_metadata(root: Path, version: str) -> None:
    """Refuse (ReleaseError) a release whose CITATION.cff or CHANGELOG.md names another version."""
    found = metadata_disagreements(root, version)
    if found:
        raise ReleaseError(f"release {version}: " + "; ".join(found) + " (CONTRIBUTING.md, \"Releases\")")
