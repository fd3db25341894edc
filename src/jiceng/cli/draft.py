"""``jiceng draft``: propose rows for a source, marked draft until a curator reviews them."""

from __future__ import annotations

import argparse
import sys

from ._options import writable_package

NAME = "draft"
ORDER = 60


def add_parser(subparsers) -> argparse.ArgumentParser:
    draft = subparsers.add_parser(
        NAME,
        help="propose metrics, non-metric numbers, initiatives and annotations for a source",
        description="Read the text of source ID (or of every essay of document ID) and propose rows, "
        "numbered after the existing ones, with status draft: a metric for every quantity the parser "
        "finds (value, value_max, unit, qualifier, a value_type guess, value_text, period_text, the "
        "clause as quote), a non-metric row with a reason for every other number-like word, an "
        "initiative for every quoted name (“…”, 《…》) and every name of a body, platform or "
        "mechanism the pattern sees, and annotation candidates (a paragraph cut mid-sentence; a "
        "total whose parts do not add up, with its consistency check). Numbers that rows already "
        "account for are skipped, so draft can run again; initiatives are proposed only for a source "
        "that has none yet (the curator's choice of them stands). `jiceng validate` reports drafts until "
        "a curator has reviewed them and set status to active.",
    )
    draft.add_argument("id", help="a source_id (0123456789abcdef-1) or a document_id (0123456789abcdef)")
    draft.add_argument("--package", metavar="DIR", help="package directory (default: the source checkout)")
    draft.add_argument("--dry-run", action="store_true", help="print the counts, write nothing")
    draft.add_argument("--initiatives-again", action="store_true",
                       help="propose initiatives for a source that has some already: the names that are not "
                       "rows yet and lie outside the existing initiatives' quotes")
    return draft


def run(arguments: argparse.Namespace) -> int:
    from ..draft import DraftError, draft, drafted_lines

    root = writable_package(arguments.package, "draft", "--package")
    if root is None:
        return 1
    try:
        drafted, sources = draft(root, arguments.id, write=not arguments.dry_run,
                                 initiatives_again=arguments.initiatives_again)
    except DraftError as error:
        print(f"jiceng draft: {error}", file=sys.stderr)
        return 1
    for line in drafted_lines(drafted, sources, arguments.dry_run):
        print(line)
    package = f" {arguments.package}" if arguments.package else ""
    print(f"then, once the codes listed above are chosen (English may wait): jiceng validate --allow-drafts{package}; "
          f"jiceng audit --allow-drafts{package}")
    return 0
