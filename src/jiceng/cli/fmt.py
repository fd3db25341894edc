"""``jiceng fmt``: write every table in the canonical CSV form."""

from __future__ import annotations

import argparse

from ._options import add_package_arguments, writable_package

NAME = "fmt"
ORDER = 40


def add_parser(subparsers) -> argparse.ArgumentParser:
    fmt = subparsers.add_parser(
        NAME,
        help="write every table in the canonical CSV form; number blank IDs",
        description="Rewrite every table and vocabulary of the package in the one CSV form every jiceng "
        "command writes: columns in the schema's order, a cell quoted only when it holds a comma, a "
        "double quote or a line break, LF line ends, a final newline. Rows of per-source tables with "
        "an empty ID get the next free ID of their source and letter. With --check, write nothing and "
        "exit 1 if any file would change. Files are replaced atomically.",
    )
    add_package_arguments(fmt, "the source checkout")
    fmt.add_argument("--check", action="store_true", help="only report files that are not canonical; exit 1 if any")
    return fmt


def run(arguments: argparse.Namespace) -> int:
    from ..fmt import format_package
    from ..reporting import shown_path

    root = writable_package(arguments.path, "fmt", writes=not arguments.check)
    if root is None:
        return 1
    results = format_package(root, check=arguments.check)
    failed = [result for result in results if result.error]
    shown = root if arguments.path else shown_path(root)
    for result in results:
        print(result.line_of(shown, arguments.check))
    changed = len(results) - len(failed)
    if arguments.check:
        command = " ".join(["jiceng", "fmt", *([arguments.path] if arguments.path else [])])
        hint = f"; run `{command}` to rewrite them" if changed else ""
        print(f"jiceng fmt --check: {changed} file(s) not canonical{hint}")
        return 1 if results else 0
    if failed:
        print(f"jiceng fmt: {changed} file(s) rewritten; {len(failed)} file(s) could not be formatted (see above)")
        return 1
    print(f"jiceng fmt: {changed} file(s) rewritten, the rest already canonical")
    return 0
