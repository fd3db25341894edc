"""``jiceng locate``: fill or repair quote offsets from the quotes."""

from __future__ import annotations

import argparse
import sys
from ._options import add_package_arguments, writable_package

NAME = "locate"
ORDER = 30


def add_parser(subparsers) -> argparse.ArgumentParser:
    locate = subparsers.add_parser(
        NAME,
        help="fill or repair quote_start/quote_end from the quotes",
        description="Find each row's quote in its own source (using quote_prefix/quote_suffix "
        "when the quote occurs more than once) and compute quote_start and quote_end. Without "
        "--write, only report what would change (exit 1 if anything would). With --write, "
        "write the changed tables in the canonical form (see `jiceng fmt`), atomically. A quote that is missing or ambiguous is "
        "reported with a suggested prefix; nothing is written for it.",
    )
    add_package_arguments(locate, "the source checkout")
    locate.add_argument("--write", action="store_true", help="write the new offsets into the CSV files")
    return locate


def run(arguments: argparse.Namespace) -> int:
    from ..locate import apply_changes, change_line, locate_package

    root = writable_package(arguments.path, "locate", writes=arguments.write)
    if root is None:
        return 1
    changes, problems, parsed = locate_package(root)
    for problem in problems:
        print(problem.text())
    for change in changes:
        print(change_line(change))
    if arguments.write and changes:
        apply_changes(root, parsed, changes)
    verb = "written" if arguments.write else "to write (run with --write)"
    print(f"jiceng locate: {len(changes)} offset pair(s) {verb}; {len(problems)} quote(s) need attention")
    if problems:
        return 1
    return 0 if (arguments.write or not changes) else 1
