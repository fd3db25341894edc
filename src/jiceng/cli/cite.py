"""``jiceng cite``: how to cite one row."""

from __future__ import annotations

import argparse
import json
import sys

from ._options import add_package_arguments, package_directory

NAME = "cite"
ORDER = 120


def add_parser(subparsers) -> argparse.ArgumentParser:
    cite = subparsers.add_parser(
        NAME,
        help="print a citation for one row",
        description="Print how to cite one row: the package version, the source essay (author, "
        "office, title, publication as far as the source states it), the exact quote and its "
        "offsets, and a one-line reference. Withdrawn rows still resolve and say what "
        "superseded them.",
    )
    cite.add_argument("row_id", help="the ID of any row (1f5f9208bb5fe543-1-m001, g-party-building, 140110 ...)")
    add_package_arguments(cite, "bundled data")
    cite.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    return cite


def run(arguments: argparse.Namespace) -> int:
    from ..citation import CiteError, cite
    from ..releases import ReleaseError

    root, _ = package_directory(arguments.path)
    if not (root / "datapackage.json").is_file():
        print(f"{arguments.path}: no datapackage.json here; give the package directory", file=sys.stderr)
        return 1
    try:
        citation = cite(arguments.row_id, root)
    except (CiteError, ReleaseError) as error:
        print(f"jiceng cite: {error}", file=sys.stderr)
        return 1
    if arguments.format == "json":
        print(json.dumps(citation.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(citation.text(), end="")
    return 0
