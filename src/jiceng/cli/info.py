"""``jiceng info``: version, tables, row counts, licence and how to cite."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._options import add_package_arguments

NAME = "info"
ORDER = 70


def add_parser(subparsers) -> argparse.ArgumentParser:
    info = subparsers.add_parser(
        NAME,
        help="version, tables, row counts, licence and how to cite",
        description="Print the package version, its licence, the row count of every table and "
        "of every district, and how to cite the package. With --counts-markdown, print only "
        "the row-count tables as Markdown (the README embeds them).",
    )
    info.add_argument("--counts-markdown", action="store_true", help="print only the Markdown count tables")
    info.add_argument("--update-readme", action="store_true",
                      help="rewrite the counts block of README.md (between <!-- counts:start --> and "
                      "<!-- counts:end -->) with the current counts, atomically")
    add_package_arguments(info, "the bundled one; for --update-readme, the source checkout")
    return info


def run(arguments: argparse.Namespace) -> int:
    from ..version import __version__
    from ..stats import ReadmeError, counts_markdown, overview_lines, update_readme

    root = Path(arguments.package) if arguments.package else None
    if root is not None and not (root / "datapackage.json").is_file():
        print(f"jiceng info: {root}: no datapackage.json here; give the package directory", file=sys.stderr)
        return 1
    if arguments.update_readme:
        try:
            print(update_readme(root))
        except ReadmeError as error:
            print(f"jiceng info --update-readme: {error}", file=sys.stderr)
            return 1
        return 0
    if arguments.counts_markdown:
        print(counts_markdown(root), end="")
        return 0
    for line in overview_lines(root, __version__):
        print(line)
    return 0
