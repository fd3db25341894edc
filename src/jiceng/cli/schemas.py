"""``jiceng schemas``: regenerate the schemas and datapackage.json from the models."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._options import add_package_arguments

NAME = "schemas"
ORDER = 80


def add_parser(subparsers) -> argparse.ArgumentParser:
    schemas = subparsers.add_parser(
        NAME,
        help="regenerate schemas/*.json and datapackage.json from the models",
        description="Write the Table Schemas, JSON Schemas and datapackage.json generated from "
        "the pydantic models and the vocabularies into PATH (default: the checkout), and in a "
        "source checkout src/jiceng/columns.py, the columns as plain data for the code that "
        "does not import the models. With --check, write nothing and exit 1 if any generated "
        "file is stale.",
    )
    add_package_arguments(schemas, "the source checkout")
    schemas.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    return schemas


def run(arguments: argparse.Namespace) -> int:
    from ..bundle import repository_root
    from ..tableschema import write_generated

    root = Path(arguments.path) if arguments.path else repository_root()
    if root is None:
        print("jiceng schemas: not in a source checkout; give the package directory", file=sys.stderr)
        return 1
    stale = write_generated(root, check=arguments.check)
    verb = "stale" if arguments.check else "written"
    for relative in stale:
        print(f"{relative}: {verb}")
    if arguments.check and stale:
        print("run `jiceng schemas` to regenerate them", file=sys.stderr)
        return 1
    print(f"jiceng schemas: {len(stale)} file(s) {verb}, the rest up to date")
    return 0
