"""A version's IDs: the snapshot (per table, ID → status, identity, digest), read from a
package's tables one row at a time, and its ids.json text."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..bundle import DESCRIPTOR
from ..csvfile import EmptyFileError, RowStream, TextFileError
from ..registry import DATA_TABLES, VOCABULARIES
from .identity import RULES, Identity, rule_for

RELEASES_DIR = "releases"
SNAPSHOT_FILE = "ids.json"


class ReleaseError(Exception):
    """Bad input (an unreadable snapshot, an unknown revision...): a message for the user."""


@dataclass
class RowDigest:
    """What a snapshot keeps of one row: enough to tell it kept, withdrawn or changed."""

    status: str | None
    identity: Identity
    digest: str


@dataclass
class TableSnapshot:
    path: str
    key: str
    columns: list[str]
    blob: str | None
    rows: dict[str, RowDigest]


@dataclass
class Snapshot:
    """The IDs of one version: per table, ID → status, identity and digest."""

    version: str | None
    tables: dict[str, TableSnapshot]


def package_tables(root: Path, vocabularies: bool = True) -> dict[str, tuple[str, str]]:
    """Snapshot table name → (relative path, primary key) of every table file of the
    package at ``root`` that exists: the data tables in dependency order, then (unless
    not wanted) the vocabularies by file name."""
    entries = list(DATA_TABLES.values())
    entries += sorted(VOCABULARIES.values(), key=lambda entry: entry.path) if vocabularies else []
    return {entry.snapshot_name: (entry.path, entry.primary_key) for entry in entries if (root / entry.path).is_file()}


def table_rows(file: Path, path: str, key: str) -> RowStream | EmptyTable:
    """The rows of a table file (``path`` as the package names it), streamed; refuses a
    file that cannot be read or has no key column, as ReleaseError."""
    try:
        rows = RowStream(file)
    except EmptyFileError:
        return EmptyTable()
    except TextFileError as error:
        raise ReleaseError(f"{path}: cannot be read as UTF-8 text ({error.message}); run `jiceng validate` "
                           "on it") from None
    if key not in rows.header:
        raise ReleaseError(f"{path}: has no {key} column, so its rows cannot be told apart")
    return rows


class EmptyTable:
    """An empty file read as a table: no columns, no rows."""

    header: list[str] = []

    def __iter__(self):
        return iter(())


def snapshot_of_table(name: str, file: Path, path: str, key: str) -> TableSnapshot:
    """One table's snapshot, streamed: the first row of each ID counts."""
    rule = rule_for(name)
    stream = table_rows(file, path, key)
    rows: dict[str, RowDigest] = {}
    try:
        for _, row in stream:
            row_id = row.get(key)
            if row_id is not None and row_id not in rows:
                rows[row_id] = RowDigest(row.get("status"), rule.identity(row), digest(row))
    except TextFileError as error:
        raise ReleaseError(f"{path}:{error.line}: {error.message}; run `jiceng validate` on it") from None
    return TableSnapshot(path, key, list(stream.header), git_blob_id(file), rows)


def snapshot_of_package(root: Path) -> Snapshot:
    """The snapshot of the package directory ``root``."""
    return Snapshot(package_version(root), {
        name: snapshot_of_table(name, root / path, path, key) for name, (path, key) in package_tables(root).items()
    })


def package_version(root: Path) -> str | None:
    try:
        return json.loads((root / DESCRIPTOR).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None


def git_blob_id(file: Path) -> str:
    """The id git gives a file's content, so a release can be found again in the history
    (hashed a MiB at a time)."""
    blob = hashlib.sha1(b"blob %d\0" % file.stat().st_size)
    with file.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            blob.update(chunk)
    return blob.hexdigest()


def digest(row: dict[str, str | None]) -> str:
    """A short hash of a row's non-empty cells: an empty or absent column digests alike."""
    cells = sorted((column, value) for column, value in row.items() if value not in (None, ""))
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def dump_snapshot(snapshot: Snapshot) -> str:
    """ids.json, one ID per line so that a release's diff in git reads row by row."""
    def text(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f'  "release": {text(snapshot.version)},',
             '  "about": "Written by `jiceng release`; never edited. Per table: the ID of every row with its '
             'status, identity (what the row names) and a digest of its cells.",',
             '  "identity": {']
    lines += [f"    {text(name)}: {text(rule.text)}," for name, rule in RULES.items()]
    lines[-1] = lines[-1].rstrip(",")
    lines += ["  },", '  "tables": {']
    for index, (name, table) in enumerate(snapshot.tables.items()):
        lines += [f"    {text(name)}: {{",
                  f'      "path": {text(table.path)}, "key": {text(table.key)}, "blob": {text(table.blob)},',
                  f'      "columns": {text(table.columns)},',
                  '      "rows": {']
        entries = []
        for row_id, row in table.rows.items():
            item: dict[str, object] = {"status": row.status} if row.status is not None else {}
            item.update(row.identity.as_json())
            item["digest"] = row.digest
            entries.append(f"        {text(row_id)}: {text(item)}")
        if entries:
            lines.append(",\n".join(entries))
        lines += ["      }", "    }" + ("," if index < len(snapshot.tables) - 1 else "")]
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def load_snapshot(path: Path) -> Snapshot:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        tables = {
            name: TableSnapshot(
                table["path"], table["key"], list(table["columns"]), table.get("blob"),
                {row_id: RowDigest(item.get("status"), Identity.from_json(item), item["digest"])
                 for row_id, item in table["rows"].items()},
            )
            for name, table in document["tables"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ReleaseError(f"{path}: not a release snapshot written by `jiceng release` ({error})") from None
    return Snapshot(document.get("release"), tables)
