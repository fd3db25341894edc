"""``jiceng add-source``: store a text as a new source and write its rows."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._options import writable_package

NAME = "add-source"
ORDER = 50


def add_parser(subparsers) -> argparse.ArgumentParser:
    add_source = subparsers.add_parser(
        NAME,
        help="store a text file as a new source document and write its sources and districts rows",
        description="Check that FILE is UTF-8, NFC-normalised and has LF line ends (or, with --normalise, "
        "store a normalised copy and say what changed), store it as data/sources/NNN_<document id>.txt, "
        "split it into essays (a heading line followed by a byline such as ■…书记 NAME; the whole text "
        "when there is none; or --spans), and write one sources row per essay with what the text states "
        "(hash, length, span, heading, title, byline, author, office) and a districts row for a district "
        "new to the package, from GB/T 2260. Rows are written with status draft; the command prints "
        "what the curator must still fill. Needs the contrib extra: pip install -e '.[contrib]' in your checkout.",
    )
    add_source.add_argument("file", help="the text file to add")
    add_source.add_argument("--district", action="append", required=True, metavar="CODE",
                            help="GB/T 2260 code of the essay's district; once for all essays or once per essay")
    add_source.add_argument("--document-id", metavar="HEX", help="16 hexadecimal digits (default: a new random ID)")
    add_source.add_argument("--package", metavar="DIR", help="package directory (default: the source checkout)")
    add_source.add_argument("--normalise", action="store_true",
                            help="store an NFC, LF copy without byte-order mark if the file is not one, and say "
                            "what changed (FILE itself is never edited)")
    add_source.add_argument("--spans", metavar="START:END,...",
                            help="the essays' spans in code points, when the heading and byline pattern does not "
                            "find them")
    return add_source


def run(arguments: argparse.Namespace) -> int:
    from ..addsource import AddSourceError, add_source, added_lines

    root = writable_package(arguments.package, "add-source", "--package")
    if root is None:
        return 1
    try:
        added = add_source(root, Path(arguments.file), arguments.district, arguments.document_id,
                           arguments.normalise, arguments.spans)
    except AddSourceError as error:
        where = f"{error.place}: " if error.place else ""
        print(f"{where}jiceng add-source: {error.message}", file=sys.stderr)
        return 1
    for line in added_lines(added, arguments.file):
        print(line)
    package = f" --package {arguments.package}" if arguments.package else ""
    print(f"next: jiceng draft {added.document_id}{package}")
    return 0
