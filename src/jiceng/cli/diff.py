"""``jiceng diff``: rows added, withdrawn and changed between two versions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

NAME = "diff"
ORDER = 90


def add_parser(subparsers) -> argparse.ArgumentParser:
    diff = subparsers.add_parser(
        NAME,
        help="rows added, withdrawn and changed between two versions",
        description="Compare two versions of the data package table by table: rows added, "
        "withdrawn (status set to withdrawn), changed (every changed field, old → new) and "
        "removed (which the stable-ID rule forbids). OLD and NEW are package directories, "
        "release snapshots (releases/X.Y.Z, or releases for the newest) or git revisions "
        "(main, v0.1.0, origin/main) read from the repository of NEW. A relative OLD that is not in the "
        "current directory is looked for beside NEW (so `releases` is NEW's releases/ in a checkout); "
        "release snapshots live in a checkout of the repository, not in an installed copy. Rows are aligned by ID; "
        "only the rows that differ are read into memory. Exit status 0 when the comparison ran, whatever it "
        "found; 1 on bad input.",
    )
    diff.add_argument("old", help="the earlier version")
    diff.add_argument("new", nargs="?", help="the later version (default: the bundled package)")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                      help="text (default), markdown (a pull-request comment) or json")
    diff.add_argument("--limit", type=int, metavar="N",
                      help="list at most N rows per kind of change and table (text and markdown)")
    return diff


def run(arguments: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from ..bundle import package_root
    from ..diff import as_json, as_markdown, as_text, compare
    from ..releases import ReleaseError, open_version

    new = Path(arguments.new) if arguments.new else package_root()
    anchor = new if new.is_dir() else (new.parent if new.is_file() else Path.cwd())
    try:
        with ExitStack() as stack:
            newer = stack.enter_context(open_version(str(new), Path.cwd(), arguments.new or "current data"))
            older = stack.enter_context(open_version(arguments.old, anchor, beside=anchor))
            result = compare(older, newer)
    except ReleaseError as error:
        print(f"jiceng diff: {error}", file=sys.stderr)
        return 1
    limit = max(0, arguments.limit) if arguments.limit is not None else None
    if arguments.format == "json":
        print(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    else:
        print(as_markdown(result, limit) if arguments.format == "markdown" else as_text(result, limit), end="")
    return 0
