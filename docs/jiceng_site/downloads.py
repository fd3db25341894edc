"""The Downloads page: every table as CSV, the exports and the whole package, with sizes and sha256.

The exports are written by :func:`jiceng.export.export`, the code behind ``jiceng export``:
in this process when the site documents the package the loader reads, else in one
process run on the site's package (``JICENG_PACKAGE``), which loads the package once for
every format. Zip files are written
with fixed timestamps, so the same package gives the same bytes and the same digest.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from jiceng.bundle import PACKAGE_VARIABLE, package_root
from jiceng.export import FORMATS, export
from .data import SiteData, table_name
from .markup import esc, raw_block, table, tag

FOLDER = "downloads"
PAGE = "downloads.md"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
EXPORTS = {
    "parquet": ("parquet.zip", "Parquet: one file per table, typed, field descriptions in the schema (zipped)"),
    "sqlite": ("db", "SQLite database: primary and foreign keys, the data dictionary, ready for datasette"),
    "xlsx": ("xlsx", "Excel workbook: one sheet per table, header rows frozen, filters on every column"),
    "json": ("json", "JSON: the metadata, then every table as a list of records"),
}


# As README.md's Install section builds and installs a wheel (a test holds them the same).
WHEEL_COMMAND = ".venv/bin/pip wheel --no-deps -w dist . && .venv/bin/pip install dist/jiceng-*.whl"


@dataclass(frozen=True)
class Download:
    """One file of the Downloads page, at ``uri`` under the site (``downloads/…``)."""

    uri: str
    path: Path
    description: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def build_downloads(data: SiteData, work: Path) -> list[Download]:
    """Write every download of the package into ``work/downloads`` and describe each."""
    folder = work / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"jiceng-{data.version}"
    items = []
    for resource in data.descriptor["resources"]:
        name = table_name(resource["name"])
        target = folder / f"{name}.csv"
        target.write_bytes((data.root / resource["path"]).read_bytes())
        items.append(Download(f"{FOLDER}/{target.name}", target, esc(resource.get("title") or name)))
    exports = folder / "exports"
    run_exports(data.root, {format_: exports / f"{stem}.{format_}" for format_ in FORMATS})
    for format_ in FORMATS:
        suffix, description = EXPORTS[format_]
        written = exports / f"{stem}.{format_}"
        target = folder / f"{stem}.{suffix}"
        if written.is_dir():
            write_zip(target, written, sorted(p for p in written.rglob("*") if p.is_file()))
        else:
            os.replace(written, target)
        items.append(Download(f"{FOLDER}/{target.name}", target, description))
    package = folder / f"{stem}-package.zip"
    write_zip(package, data.root, package_files(data))
    items.append(Download(f"{FOLDER}/{package.name}", package,
                          "The whole data package: datapackage.json, the tables, the vocabularies, "
                          "the source texts and the Table Schemas"))
    return items


def run_exports(root: Path, destinations: dict[str, Path]) -> None:
    """Every export of the package at ``root``, by the code of ``jiceng export``."""
    next(iter(destinations.values())).parent.mkdir(parents=True, exist_ok=True)
    if root.resolve() == package_root():
        for format_, destination in destinations.items():
            export(format_, destination)
        return
    environment = {**os.environ, PACKAGE_VARIABLE: str(root)}
    result = subprocess.run([sys.executable, "-c", EXPORT_ALL, json.dumps({f: str(d) for f, d in destinations.items()})],
                            env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise ValueError(result.stderr.strip())


# What run_exports runs in its one process: each export of the package, by export()
EXPORT_ALL = """
import json, sys
from pathlib import Path
from jiceng.export import ExportError, export
for format_, destination in json.loads(sys.argv[1]).items():
    try:
        export(format_, Path(destination))
    except ExportError as error:
        sys.exit(f"jiceng export --format {format_} failed: {error}")
"""


def package_files(data: SiteData) -> list[Path]:
    """The descriptor, every file under data/ and schemas/, and the data licence."""
    root = data.root
    files = [root / "datapackage.json"]
    for folder in ("data", "schemas"):
        files += sorted(p for p in (root / folder).rglob("*") if p.is_file())
    return files + [root / name for name in ("LICENSE-DATA",) if (root / name).is_file()]


def write_zip(destination: Path, base: Path, files: list[Path]) -> None:
    """A zip with fixed timestamps and sorted names: the same files give the same bytes."""
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(base).as_posix(), ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def human_size(size: int) -> str:
    return f"{size:,} B" if size < 1024 else f"{size / 1024:,.1f} KB" if size < 1024 ** 2 else f"{size / 1024 ** 2:,.1f} MB"


def downloads_page(data: SiteData, items: list[Download]) -> str:
    def rows(selected: list[Download]) -> list[tuple[str, ...]]:
        return [(tag("a", esc(item.path.name), href=item.uri, download=True), item.description,
                 esc(human_size(item.size)), tag("code", item.sha256, class_="jc-sha"))
                for item in selected]

    csvs = [item for item in items if item.uri.endswith(".csv")]
    others = [item for item in items if not item.uri.endswith(".csv")]
    headers = ("file", "what it holds", "size", "sha256")
    return (
        f"# Downloads\n\nEverything of version **{esc(data.version)}**, built from the package this site "
        "documents. The exports are written by the same code as `jiceng export` and carry the version and "
        "the licence (CC BY 4.0 for the tables; the source texts remain their authors' and publishers'). "
        "Check a file with `sha256sum FILE` (or `shasum -a 256 FILE`) against the digest below.\n"
        "\n## Exports and the whole package\n\nEach export also holds `source_texts`: every line of every "
        "source text, with its offsets (`start`, `end`), so that a row's quote can be checked against the "
        "words it was taken from without the text files: within a line, the quote is `text` from "
        "`quote_start - start` to `quote_end - start`; a quote across a paragraph break is found in a "
        "document's lines joined with a line feed, in `line` order, which is the stored text itself.\n"
        + raw_block(table(headers, rows(others), css="jc-downloads jc-cards"))
        + "\n## Every table as CSV\n\nThe canonical CSV files of the package (UTF-8, LF), as `jiceng validate` "
        "checks them; the vocabularies' files hold the codes and their labels.\n"
        + raw_block(table(headers, rows(csvs), css="jc-downloads jc-cards"))
        + "\n## Install the package\n\n"
        "jiceng is not yet on the Python Package Index. Install it from a copy of the repository "
        "(a clone or an unpacked source archive), which also gives you the loader, the validator and the "
        "exports:\n\n"
        "```sh\npython3 -m venv .venv\n.venv/bin/pip install '.[export]'    # without [export]: no Excel\n"
        ".venv/bin/jiceng validate\n```\n\n"
        "or build a wheel once, with the same virtual environment (the README's command), and install "
        "it anywhere:\n\n"
        f"```sh\n{WHEEL_COMMAND}\n```\n"
    )
