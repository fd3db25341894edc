"""A version's IDs: the snapshot (per table, ID → status, identity, digest), read from a
package's tables or an ids.json, and its ids.json text.

A snapshot is opened lazily: it knows each table's path, key, columns and blob at once,
and reads a table's rows (streamed from its CSV file, or from its lines of ids.json)
each time they are asked for, so that a command holds one table's rows at a time, never
a whole package's."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterator
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


@dataclass(slots=True)
class RowDigest:
    """What a snapshot keeps of one row: enough to tell it kept, withdrawn or changed."""

    status: str | None
    identity: Identity
    digest: str


RowDigests = dict[str, RowDigest]
RowDigestStream = Callable[[], Iterator[tuple[str, RowDigest]]]


@dataclass(eq=False)
class TableSnapshot:
    """One table of a snapshot; ``saved`` is its rows, or how to stream them on demand."""

    path: str
    key: str
    columns: list[str]
    blob: str | None
    saved: RowDigests | RowDigestStream

    def items(self) -> Iterator[tuple[str, RowDigest]]:
        """(ID, row digest) pairs in file order, streamed when the snapshot is lazy."""
        return self.saved() if callable(self.saved) else iter(self.saved.items())

    @property
    def rows(self) -> RowDigests:
        """ID → row digest, read anew on each use when the snapshot is lazy: keep the
        result only while the table is being compared."""
        return dict(self.items()) if callable(self.saved) else self.saved

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TableSnapshot):
            return NotImplemented
        return ((self.path, self.key, self.columns, self.blob, self.rows)
                == (other.path, other.key, other.columns, other.blob, other.rows))


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
    """One table's snapshot: its header and blob now, its rows streamed when asked for."""
    return TableSnapshot(path, key, list(table_rows(file, path, key).header), git_blob_id(file),
                         lambda: digests_of_table(name, file, path, key))


def digests_of_table(name: str, file: Path, path: str, key: str) -> Iterator[tuple[str, RowDigest]]:
    """(ID, digest) of every row of a table file, streamed: the first row of each ID
    counts. Statuses and sources are interned: thousands of rows share a few of them."""
    rule = rule_for(name)
    seen: set[str] = set()
    try:
        for _, row in table_rows(file, path, key):
            row_id = row.get(key)
            if row_id is not None and row_id not in seen:
                seen.add(row_id)
                identity = rule.identity(row)
                if identity.source is not None:
                    identity = Identity(sys.intern(identity.source), identity.span, identity.names)
                status = row.get("status")
                yield row_id, RowDigest(status and sys.intern(status), identity, digest(row))
    except TextFileError as error:
        raise ReleaseError(f"{path}:{error.line}: {error.message}; run `jiceng validate` on it") from None


def snapshot_of_package(root: Path) -> Snapshot:
    """The snapshot of the package directory ``root`` as it is now (every row read)."""
    snapshot = open_package_snapshot(root)
    for table in snapshot.tables.values():
        table.saved = table.rows
    return snapshot


def open_package_snapshot(root: Path) -> Snapshot:
    """The snapshot of the package directory ``root``, its rows read from the files when
    asked for: for a command, during which the files do not change."""
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
    return "".join(snapshot_text(snapshot))


def snapshot_text(snapshot: Snapshot) -> Iterator[str]:
    """The text of ids.json, a table at a time, so that it can be written or compared
    without holding the whole of it."""
    def text(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f'  "release": {text(snapshot.version)},',
             '  "about": "Written by `jiceng release`; never edited. Per table: the ID of every row with its '
             'status, identity (what the row names) and a digest of its cells.",',
             '  "identity": {']
    lines += [f"    {text(name)}: {text(rule.text)}," for name, rule in RULES.items()]
    lines[-1] = lines[-1].rstrip(",")
    lines += ["  },", '  "tables": {']
    yield "\n".join(lines) + "\n"
    for index, (name, table) in enumerate(snapshot.tables.items()):
        yield "\n".join([f"    {text(name)}: {{",
                         f'      "path": {text(table.path)}, "key": {text(table.key)}, "blob": {text(table.blob)},',
                         f'      "columns": {text(table.columns)},',
                         '      "rows": {']) + "\n"
        separator = ""
        for row_id, row in table.items():
            item: dict[str, object] = {"status": row.status} if row.status is not None else {}
            item.update(row.identity.as_json())
            item["digest"] = row.digest
            yield f"{separator}        {text(row_id)}: {text(item)}"
            separator = ",\n"
        yield ("\n" if separator else "") + "      }\n    }" + ("," if index < len(snapshot.tables) - 1 else "") + "\n"
    yield "  }\n}\n"


def load_snapshot(path: Path) -> Snapshot:
    """A release snapshot (ids.json). The file as ``dump_snapshot`` writes it is indexed
    line by line and each table's rows are parsed when asked for; any other JSON layout
    is read whole."""
    try:
        indexed = index_snapshot(path)
        if indexed is not None:
            return indexed
        document = json.loads(path.read_text(encoding="utf-8"))
        tables = {name: TableSnapshot(table["path"], table["key"], list(table["columns"]), table.get("blob"),
                                      {row_id: row_digest(item) for row_id, item in table["rows"].items()})
                  for name, table in document["tables"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ReleaseError(f"{path}: not a release snapshot written by `jiceng release` ({error})") from None
    return Snapshot(document.get("release"), tables)


def row_digest(item: dict[str, object]) -> RowDigest:
    status = item.get("status")
    return RowDigest(status and sys.intern(status), Identity.from_json(item), item["digest"])  # type: ignore[arg-type]


TABLE_LINE = " " * 4 + '"'
ROW_LINE = " " * 8 + '"'
ROWS_START = " " * 6 + '"rows": {'
ROWS_END = " " * 6 + "}"


def index_snapshot(path: Path) -> Snapshot | None:
    """Where each table's row lines start and end in an ids.json written by
    ``dump_snapshot``; None when the file is laid out otherwise."""
    release: object = None
    tables: dict[str, TableSnapshot] = {}
    facts: dict[str, object] = {}
    name = None
    start: int | None = None
    with path.open("rb") as handle:
        first = handle.readline()
        if first != b"{\n":
            return None
        offset = len(first)
        for raw in handle:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith('  "release": '):
                release = json.loads(line.split(": ", 1)[1].rstrip(","))
            elif line.startswith(TABLE_LINE) and line.endswith(": {") and not line.startswith(" " * 5):
                name, facts, start = json.loads(line[4:-3]), {}, None
            elif name is not None and line.startswith(" " * 6 + '"') and line != ROWS_START:
                facts.update(json.loads("{" + line.strip().rstrip(",") + "}"))
            elif name is not None and line == ROWS_START:
                start = offset + len(raw)
            elif name is not None and line == ROWS_END and start is not None:
                tables[name] = TableSnapshot(str(facts["path"]), str(facts["key"]), list(facts["columns"]),
                                             facts.get("blob"), rows_reader(path, start, offset))
                name = None
            offset += len(raw)
    return Snapshot(release, tables) if tables else None


def rows_reader(path: Path, start: int, end: int) -> RowDigestStream:
    """Streams one table's row lines of an indexed ids.json: one JSON object per line."""
    def read() -> Iterator[tuple[str, RowDigest]]:
        try:
            with path.open("rb") as handle:
                handle.seek(start)
                position = start
                while position < end:
                    raw = handle.readline()
                    position += len(raw)
                    ((row_id, item),) = json.loads(b"{" + raw.strip().rstrip(b",") + b"}").items()
                    yield row_id, row_digest(item)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise ReleaseError(f"{path}: not a release snapshot written by `jiceng release` ({error})") from None

    return read
