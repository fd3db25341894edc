"""``jiceng audit``: account for every number in every source."""

from __future__ import annotations

import argparse
import json
import sys

from ._options import add_package_arguments, add_progress_option, package_directory, progress_of

NAME = "audit"
ORDER = 20


def add_parser(subparsers) -> argparse.ArgumentParser:
    audit = subparsers.add_parser(
        NAME,
        help="account for every number in every source (metrics or listed non-metric numbers)",
        description="Find every number printed in every source text (Arabic digits, and runs of "
        "the Chinese numerals 〇零一二两双三四五六七八九十百千万亿, and 首 before a measure word, as in 首批) and report any that is neither inside a metric's value_text or period_text "
        "nor listed in non_metric_numbers.csv with a reason; check each metric's value_text "
        "against its normalised value; recompute the consistency checks. Reads only the "
        "tables this needs (sources, metrics, non-metric numbers, consistency checks) and "
        "only the cells the accounting uses (IDs, source files and spans, quotes and their "
        "offsets, value words and figures, lengths, codes); when one of those is wrong or a "
        "number is unaccounted for, it runs validate's checks on those four tables to name "
        "every problem at its file, line and column. Whether every row is well formed is "
        "`jiceng validate`'s question: run both. Exit status 1 when any number is "
        "unaccounted for or a cell the audit needs is wrong.",
    )
    add_package_arguments(audit, "bundled data")
    audit.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    audit.add_argument("--allow-drafts", action="store_true",
                       help="accept rows with status draft, which may leave their English empty")
    add_progress_option(audit)
    return audit


def run(arguments: argparse.Namespace) -> int:
    from ..reporting import audit_json, audit_lines
    from ..validate import AUDIT_TABLES, validate_package
    from ..validate.audit import audit_package

    root, display = package_directory(arguments.path)
    if not (root / "datapackage.json").is_file():
        print(f"{arguments.path}: no datapackage.json here; give the package directory", file=sys.stderr)
        return 1
    progress = progress_of(arguments)
    report = audit_package(root, display, allow_drafts=arguments.allow_drafts, progress=progress) or validate_package(
        root, display, only=AUDIT_TABLES, progress=progress, allow_drafts=arguments.allow_drafts)
    if arguments.format == "json":
        print(json.dumps(audit_json(report), ensure_ascii=False, indent=2))
        return 0 if report.valid else 1
    for line in audit_lines(report, arguments.path or "bundled package"):
        print(line)
    return 0 if report.valid else 1
