"""``jiceng validate``: check a copy of the data package, optionally against an earlier version."""

from __future__ import annotations

import argparse
import json
import sys

from ._options import REPORT_FORMATS, add_package_arguments, add_progress_option, package_directory, progress_of

NAME = "validate"
ORDER = 10


def add_parser(subparsers) -> argparse.ArgumentParser:
    validate = subparsers.add_parser(
        NAME,
        help="check a copy of the data package (files, schemas, rows, provenance, completeness, "
        "consistency)",
        description="Check the data package in PATH (default: the bundled one) in layers: "
        "files (UTF-8, LF); the standard: descriptor, Frictionless types and constraints, primary and "
        "foreign keys, cell text; row models with cross-field rules, and no current row naming a "
        "withdrawn one; provenance (source hashes, essay spans, quotes at their offsets); completeness "
        "(every number of every source is a metric or a listed non-metric number, as `jiceng audit` "
        "counts them); consistency (related figures such as growth rates, shares and sums recomputed); "
        "with --against, stable IDs. "
        "Prints one line per problem as path:line:column: [check] message, then a summary. "
        "Exit status 0 when valid, 1 otherwise. Never modifies the package.",
    )
    add_package_arguments(validate, "bundled data", "package directory or its datapackage.json")
    validate.add_argument("--format", choices=REPORT_FORMATS, default="text",
                          help="text (default), github (workflow annotations) or json (a report)")
    validate.add_argument("--max-errors", type=int, default=200, metavar="N",
                          help="report at most N problems per check, then count the rest (default 200)")
    validate.add_argument("--max-rows", type=int, default=1_000_000, metavar="N",
                          help="refuse tables of more than N rows, to bound time and memory (default 1000000)")
    add_progress_option(validate)
    validate.add_argument("--allow-drafts", action="store_true",
                          help="accept rows with status draft (written by add-source and draft) while curating; "
                          "without it every draft row is a [draft] problem")
    validate.add_argument("--against", metavar="OLD", action="append",
                          help="also check stable IDs against an earlier version: a release snapshot "
                          "(releases/X.Y.Z, or releases for the newest), a package directory or a git "
                          "revision; every ID of OLD must still exist and, unless withdrawn, name the same "
                          "thing (may be given more than once). A relative OLD not in the current directory "
                          "is looked for beside the package (PATH), so `releases` is the checkout's releases/; "
                          "release snapshots live in a checkout of the repository, not in an installed copy")
    return validate


def run(arguments: argparse.Namespace) -> int:
    from ..reporting import validate_json, validate_lines
    from ..validate import validate_package

    root, display = package_directory(arguments.path)
    if not root.is_dir():
        print(f"{arguments.path}: no such directory; give the folder that holds datapackage.json", file=sys.stderr)
        return 1
    report = validate_package(root, display, max_per_check=max(1, arguments.max_errors),
                              max_rows=max(1, arguments.max_rows), progress=progress_of(arguments),
                              allow_drafts=arguments.allow_drafts, against=tuple(arguments.against or ()))
    if report.against_error:
        print(report.against_error, file=sys.stderr)
        return 1
    compared = report.compared
    if arguments.format == "json":
        print(json.dumps(validate_json(report, compared), ensure_ascii=False, indent=2))
        return 0 if report.valid else 1
    for line in validate_lines(report, arguments.format, compared, arguments.path or "bundled package"):
        print(line)
    return 0 if report.valid else 1

