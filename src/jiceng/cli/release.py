"""``jiceng release``: record the release snapshot releases/VERSION/ids.json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._options import add_package_arguments

NAME = "release"
ORDER = 110


def add_parser(subparsers) -> argparse.ArgumentParser:
    release = subparsers.add_parser(
        NAME,
        help="record the release snapshot releases/VERSION/ids.json",
        description="Record the IDs of this version (with each row's status, identity and a "
        "digest) in releases/VERSION/ids.json, where VERSION is datapackage.json's version. "
        "Refuses when the package is invalid, when CITATION.cff's version or CHANGELOG.md's "
        "newest version heading (in PATH, when there) is not that version, when it breaks the stable-ID rule against the "
        "previous release, when the version bump is smaller than the changes need (withdrawals "
        "need a major version, before 1.0 a minor one; additions a minor; corrections a patch) "
        "or when that version is already recorded with other data.",
    )
    add_package_arguments(release, "the source checkout")
    release.add_argument("--releases", metavar="DIR", help="where release snapshots live (default: PATH/releases)")
    release.add_argument("--revision", metavar="REV",
                         help="record the package as of a git revision (a past release) instead of the "
                         "working tree; it is not re-validated")
    return release


def run(arguments: argparse.Namespace) -> int:
    import tempfile
    from contextlib import ExitStack

    from ..version import __version__
    from ..bundle import repository_root
    from ..releases import RELEASES_DIR, ReleaseError, package_at_revision, record_release

    root = Path(arguments.path) if arguments.path else repository_root()
    if root is None or not (root / "datapackage.json").is_file():
        print(f"jiceng release: no datapackage.json in {root or 'an installed package'}; give the package "
              "directory of a source checkout", file=sys.stderr)
        return 1
    releases = Path(arguments.releases) if arguments.releases else root / RELEASES_DIR
    try:
        with ExitStack() as stack:
            if arguments.revision:
                package = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jiceng-")))
                package_at_revision(arguments.revision, root, package)
                recorded = record_release(package, releases, validate=False)
            else:
                recorded = record_release(root, releases, display_root=arguments.path or "",
                                          expected_version=None if arguments.path else __version__)
    except ReleaseError as error:
        print(f"jiceng release: {error}", file=sys.stderr)
        return 1
    if not recorded.written:
        print(f"{recorded.path}: already recorded, unchanged")
        return 0
    print(f"{recorded.path}: written")
    if recorded.previous:
        needs = f"needs at least a {recorded.bump} release" if recorded.bump else "changes no row"
        print(f"since {recorded.previous} ({needs}):")
        for change in recorded.changes or ["no changes"]:
            print(f"  {change}")
        print(f"record them in CHANGELOG.md: jiceng diff {releases / recorded.previous} --format markdown")
    return 0
