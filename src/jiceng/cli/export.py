"""``jiceng export``: the tables as Parquet, SQLite, Excel or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._options import package_directory

NAME = "export"
ORDER = 100

FORMAT_OF_SUFFIX = {".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite", ".xlsx": "xlsx", ".json": "json",
                    ".parquet": "parquet"}


def add_parser(subparsers) -> argparse.ArgumentParser:
    export = subparsers.add_parser(
        NAME,
        help="write the tables as Parquet, SQLite, Excel or JSON",
        description="Export every table and vocabulary with the pandas loader's types, the "
        "package version and the licence. parquet: DEST is a directory, one file per table. "
        "sqlite: DEST is a database with primary and foreign keys (ready for datasette). "
        "xlsx: DEST is a workbook with one sheet per table and a data_dictionary sheet. "
        "json: DEST is one document of records per table. Every format also holds source_texts, the "
        "source texts line by line with their offsets. The package is validated first: an invalid one "
        "is not exported. xlsx needs openpyxl (the export extra).",
    )
    export.add_argument("--format", choices=("parquet", "sqlite", "xlsx", "json"),
                        help="the format to write (default: from DEST's suffix: .db, .sqlite, .sqlite3, .xlsx, "
                        ".json, or .parquet for the directory)")
    export.add_argument("dest", help="the file (or, for parquet, the directory) to write")
    return export


def run(arguments: argparse.Namespace) -> int:
    from ..export import ExportError, export, metadata
    from ..validate import validate_package

    format_ = arguments.format or FORMAT_OF_SUFFIX.get(Path(arguments.dest).suffix.lower())
    if format_ is None:
        print(f"jiceng export: cannot tell the format from {arguments.dest!r}; give --format parquet, sqlite, xlsx "
              "or json, or a name ending in .parquet, .db, .xlsx or .json", file=sys.stderr)
        return 1
    root, display = package_directory(None)
    report = validate_package(root, display)
    if not report.valid:
        first = report.problems[0].text() if report.problems else ""
        print(f"jiceng export: the package is not valid ({len(report.problems)} problem(s); the first: {first}); "
              "run `jiceng validate` and fix them first: an export of invalid rows would lose or misstate cells. "
              "Nothing was written", file=sys.stderr)
        return 1
    try:
        written = export(format_, Path(arguments.dest))
    except ExportError as error:
        print(f"jiceng export: {error}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as error:
        print(f"jiceng export: the {format_} export needs {error.name}: pip install {error.name} "
              "(or, in a checkout, pip install '.[export]')",
              file=sys.stderr)
        return 1
    about = metadata()
    print(f"jiceng export: wrote {arguments.dest} ({format_}, {len(written)} file(s); "
          f"jiceng {about['version']}, licence {about['license']})")
    return 0
