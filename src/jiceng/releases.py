"""Releases and stable IDs: what a released version contained, and whether IDs still hold.

A release is recorded as ``releases/X.Y.Z/ids.json``: for every table, every ID with its
status, an *identity* (what the row names, see :data:`RULES`) and a digest of its cells,
plus the columns and the git blob id of the table file. It is small, readable and
committed, so CI can check every later change against it without git history
(``jiceng validate --against releases``), and ``jiceng diff`` can recover the released
tables from git's object store by their blob ids when it runs inside the repository.

An old version can also be a package directory or any git revision (``main``,
``v0.1.0``): its files are read with ``git show`` into a temporary directory.

Stable-ID rule: every released ID stays in its table for ever. While its row is active
it must name the same thing (its identity holds); a withdrawn row is exempt, and a
withdrawn row that says ``superseded by ID`` in a text cell must name a row that exists.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .bundle import DESCRIPTOR

RELEASES_DIR = "releases"
SNAPSHOT_FILE = "ids.json"
VOCABULARY_PREFIX = "vocabularies/"
SUPERSEDED_BY = re.compile(r"superseded by[:\s]+([0-9A-Za-z][0-9A-Za-z-]*[0-9A-Za-z])", re.IGNORECASE)
VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\Z")


class ReleaseError(Exception):
    """Bad input (an unreadable snapshot, an unknown revision...): a message for the user."""


# --- identities ---------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """What a row names: compared between versions to catch a reused ID.

    Two identities are the same thing when every part present on both sides agrees:
    the same ``source``; overlapping ``span`` (so a corrected quote still matches); at
    least one ``names`` entry in common (so one of two names may be corrected).
    """

    source: str | None = None
    span: tuple[int, int] | None = None
    names: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        entry: dict[str, object] = {}
        if self.source is not None:
            entry["source"] = self.source
        if self.span is not None:
            entry["span"] = list(self.span)
        if self.names:
            entry["names"] = list(self.names)
        return entry

    @classmethod
    def from_json(cls, entry: dict[str, object]) -> Identity:
        span = entry.get("span")
        return cls(
            source=entry.get("source"),  # type: ignore[arg-type]
            span=(int(span[0]), int(span[1])) if isinstance(span, list) and len(span) == 2 else None,
            names=tuple(entry.get("names") or ()),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class Rule:
    """How one table decides that an ID still names the same thing, and which cells say so."""

    text: str
    identity: Callable[[dict[str, str | None]], Identity]
    source_column: str = "source_id"
    span_column: str = "quote_start"
    span_label: str = "quote span"
    names_column: str = ""

    def difference(self, old: Identity, new: Identity) -> tuple[str, str] | None:
        """(column, why) when ``new`` names something else than ``old``; None when it is the same thing."""
        if old.source is not None and new.source is not None and old.source != new.source:
            return self.source_column, f"{self.source_column} {old.source} → {new.source}"
        if old.span and new.span and not overlaps(old.span, new.span):
            return self.span_column, (f"{self.span_label} {old.span[0]}–{old.span[1]} → "
                                      f"{new.span[0]}–{new.span[1]}, which do not overlap")
        if old.names and new.names and not set(old.names) & set(new.names):
            label = self.names_column.replace(" ", " / ")
            return self.names_column.split()[0], f"{label} {' / '.join(old.names)} → {' / '.join(new.names)}"
        return None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a == b or (a[0] < b[1] and b[0] < a[1])


def integer(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def span_of(row: dict[str, str | None], start: str, end: str) -> tuple[int, int] | None:
    first, last = integer(row.get(start)), integer(row.get(end))
    return (first, last) if first is not None and last is not None else None


def words_span(row: dict[str, str | None], column: str) -> tuple[int, int] | None:
    """Where ``column``'s words sit in the source: finer than the quote, which siblings share."""
    quote, words, start = row.get("quote") or "", row.get(column) or "", integer(row.get("quote_start"))
    if start is None:
        return None
    at = quote.find(words) if words else -1
    for _ in range((integer(row.get("value_occurrence")) or 1) - 1 if column == "value_text" else 0):
        at = quote.find(words, at + 1) if at >= 0 else -1
    if at < 0:
        return span_of(row, "quote_start", "quote_end")
    return (start + at, start + at + len(words))


def present(*values: str | None) -> tuple[str, ...]:
    return tuple(value for value in values if value)


RULES: dict[str, Rule] = {
    "sources": Rule(
        "same document_id and an overlapping span [span_start, span_end)",
        lambda row: Identity(row.get("document_id"), span_of(row, "span_start", "span_end")),
        source_column="document_id", span_column="span_start", span_label="span",
    ),
    "districts": Rule(
        "the GB/T 2260 code is the identity (names may change)",
        lambda row: Identity(),
    ),
    "initiatives": Rule(
        "same source_id, an overlapping quote span and name_zh or name_en kept",
        lambda row: Identity(row.get("source_id"), span_of(row, "quote_start", "quote_end"),
                             present(row.get("name_zh"), row.get("name_en"))),
        names_column="name_zh name_en",
    ),
    "metrics": Rule(
        "same source_id and an overlapping position of value_text in the source",
        lambda row: Identity(row.get("source_id"), words_span(row, "value_text")),
        span_column="value_text", span_label="value_text position",
    ),
    "annotations": Rule(
        "same source_id, an overlapping quote span and the same kind",
        lambda row: Identity(row.get("source_id"), span_of(row, "quote_start", "quote_end"), present(row.get("kind"))),
        names_column="kind",
    ),
    "non_metric_numbers": Rule(
        "same source_id and an overlapping position of number_text in the source",
        lambda row: Identity(row.get("source_id"), words_span(row, "number_text")),
        span_column="number_text", span_label="number_text position",
    ),
    "consistency_checks": Rule(
        "same source_id and at least one metric in common",
        lambda row: Identity(row.get("source_id"), None, tuple((row.get("metric_ids") or "").split())),
        names_column="metric_ids",
    ),
    "glossary": Rule(
        "the same term_zh",
        lambda row: Identity(names=present(row.get("term_zh"))),
        names_column="term_zh",
    ),
}
VOCABULARY_RULE = Rule("the code is the identity", lambda row: Identity())


def rule_for(table: str) -> Rule:
    return RULES.get(table, VOCABULARY_RULE)


# --- tables as text --------------------------------------------------------------------


@dataclass
class Table:
    """A table as its CSV file holds it: text cells, empty cells as None, keyed by ``key``."""

    name: str
    path: str
    key: str
    columns: list[str]
    rows: list[dict[str, str | None]]
    lines: list[int] = field(default_factory=list)


def table_specs() -> dict[str, tuple[str, str]]:
    """Data table name → (relative path, primary key), in dependency order."""
    from .models import TABLES

    return {name: (model.table.path, model.table.primary_key) for name, model in TABLES.items()}


def parse_table(name: str, path: str, key: str, text: str) -> Table:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, [])
    rows, lines, previous = [], [], reader.line_num
    for cells in reader:
        start, previous = previous + 1, reader.line_num
        if not cells:
            continue
        rows.append({column: (cells[index] if index < len(cells) and cells[index] != "" else None)
                     for index, column in enumerate(header)})
        lines.append(start)
    if header and key not in header:
        raise ReleaseError(f"{path}: has no {key} column, so its rows cannot be told apart")
    return Table(name, path, key, header, rows, lines)


def read_package_tables(root: Path) -> dict[str, Table]:
    """Every data table and vocabulary of the package directory ``root`` that exists."""
    tables = {}
    for name, (path, key) in table_specs().items():
        if (root / path).is_file():
            tables[name] = parse_table(name, path, key, read_text(root / path))
    for path in sorted((root / "data" / "vocabularies").glob("*.csv")):
        relative = f"data/vocabularies/{path.name}"
        name = VOCABULARY_PREFIX + path.stem
        tables[name] = parse_table(name, relative, "code", read_text(path))
    return tables


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ReleaseError(f"{path}: cannot be read as UTF-8 text ({error}); run `jiceng validate` on it") from None


def package_version(root: Path) -> str | None:
    try:
        return json.loads((root / DESCRIPTOR).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None


def git_blob_id(data: bytes) -> str:
    """The id git gives a file's content, so a release can be found again in the history."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def digest(row: dict[str, str | None]) -> str:
    """A short hash of a row's non-empty cells: an empty or absent column digests alike."""
    cells = sorted((column, value) for column, value in row.items() if value not in (None, ""))
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


# --- snapshots ----------------------------------------------------------------------------


@dataclass
class Entry:
    status: str | None
    identity: Identity
    digest: str


@dataclass
class TableSnapshot:
    path: str
    key: str
    columns: list[str]
    blob: str | None
    rows: dict[str, Entry]


@dataclass
class Snapshot:
    """The IDs of one version: per table, ID → status, identity and digest."""

    version: str | None
    tables: dict[str, TableSnapshot]


def snapshot_of_table(table: Table, blob: str | None) -> TableSnapshot:
    rule = rule_for(table.name)
    rows = {}
    for row in table.rows:
        row_id = row.get(table.key)
        if row_id is not None and row_id not in rows:
            rows[row_id] = Entry(row.get("status"), rule.identity(row), digest(row))
    return TableSnapshot(table.path, table.key, list(table.columns), blob, rows)


def snapshot_of_package(root: Path) -> Snapshot:
    return package_side(str(root), root).snapshot


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
        for row_id, entry in table.rows.items():
            item: dict[str, object] = {"status": entry.status} if entry.status is not None else {}
            item.update(entry.identity.as_json())
            item["digest"] = entry.digest
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
                {row_id: Entry(item.get("status"), Identity.from_json(item), item["digest"])
                 for row_id, item in table["rows"].items()},
            )
            for name, table in document["tables"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ReleaseError(f"{path}: not a release snapshot written by `jiceng release` ({error})") from None
    return Snapshot(document.get("release"), tables)


def parse_version(text: str | None) -> tuple[int, int, int]:
    match = VERSION.match(text or "")
    if not match:
        raise ReleaseError(f"version {text!r} is not a semantic version MAJOR.MINOR.PATCH")
    return (int(match[1]), int(match[2]), int(match[3]))


def recorded_releases(directory: Path) -> dict[tuple[int, int, int], Path]:
    """The release snapshots under ``directory`` (releases/X.Y.Z/ids.json), by version."""
    found = {}
    for path in directory.glob(f"*/{SNAPSHOT_FILE}"):
        if VERSION.match(path.parent.name):
            found[parse_version(path.parent.name)] = path
    return dict(sorted(found.items()))


# --- old versions: a snapshot, a package directory or a git revision ------------------------


@dataclass
class Side:
    """One version to compare: its IDs (always) and whichever full tables are available."""

    label: str
    snapshot: Snapshot
    tables: dict[str, Table]

    @property
    def version(self) -> str | None:
        return self.snapshot.version


@contextmanager
def open_version(spec: str, anchor: Path, label: str | None = None) -> Iterator[Side]:
    """Open OLD/NEW as given on the command line.

    ``spec`` is a release snapshot (``ids.json`` or its directory), a directory of
    release snapshots (the newest is taken), a package directory, or else a git
    revision of the repository that holds ``anchor``, read at ``anchor``'s place in it.
    """
    path = Path(spec)
    label = label or spec
    if path.is_file() and path.name == SNAPSHOT_FILE:
        yield snapshot_side(label, path)
    elif path.is_file() and path.name == DESCRIPTOR:
        yield package_side(label, path.parent)
    elif path.is_dir() and (path / SNAPSHOT_FILE).is_file():
        yield snapshot_side(label, path / SNAPSHOT_FILE)
    elif path.is_dir() and ((path / DESCRIPTOR).is_file() or (path / "data").is_dir()):
        yield package_side(label, path)
    elif path.is_dir() and recorded_releases(path):
        newest = list(recorded_releases(path).values())[-1]
        yield snapshot_side(str(newest.parent) if label == spec else label, newest)
    elif path.exists():
        raise ReleaseError(f"{spec}: neither a package directory (with datapackage.json) nor a release "
                           f"snapshot ({RELEASES_DIR}/X.Y.Z/{SNAPSHOT_FILE})")
    else:
        with tempfile.TemporaryDirectory(prefix="jiceng-") as temporary:
            package_at_revision(spec, anchor, Path(temporary))
            yield package_side(label, Path(temporary))


def package_side(label: str, root: Path) -> Side:
    tables = read_package_tables(root)
    snapshot = Snapshot(package_version(root), {
        name: snapshot_of_table(table, git_blob_id((root / table.path).read_bytes())) for name, table in tables.items()
    })
    return Side(label, snapshot, tables)


def snapshot_side(label: str, path: Path) -> Side:
    """A release snapshot, with each table recovered from git by its blob id where possible."""
    snapshot = load_snapshot(path)
    tables = {}
    for name, table in snapshot.tables.items():
        data = git_blob(path.parent, table.blob) if table.blob else None
        if data is not None:
            tables[name] = parse_table(name, table.path, table.key, data.decode("utf-8"))
    return Side(label, snapshot, tables)


def git(anchor: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(anchor), *arguments], capture_output=True, check=False)
    except FileNotFoundError:
        raise ReleaseError("git is not installed; give a package directory or a release snapshot instead") from None


def git_blob(anchor: Path, blob: str) -> bytes | None:
    """A file content from git's object store, or None outside a repository or when absent."""
    if not re.fullmatch(r"[0-9a-f]{40}", blob):
        return None
    try:
        result = git(anchor, "cat-file", "blob", blob)
    except ReleaseError:
        return None
    return result.stdout if result.returncode == 0 else None


def package_at_revision(revision: str, anchor: Path, destination: Path) -> None:
    """Write datapackage.json and the CSV tables as of ``revision`` into ``destination``."""
    anchor = anchor if anchor.is_dir() else anchor.parent
    if git(anchor, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise ReleaseError(f"{revision}: no such directory or file, and {anchor} is not in a git repository, "
                           "so it cannot be a git revision either")
    resolved = git(anchor, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if resolved.returncode != 0:
        raise ReleaseError(f"{revision}: no such directory, file or git revision (in the repository of {anchor})")
    commit = resolved.stdout.decode().strip()
    listing = git(anchor, "ls-tree", "-r", "-z", "--name-only", commit, "--", DESCRIPTOR, "data")
    names = [name for name in listing.stdout.decode("utf-8").split("\0")
             if name == DESCRIPTOR or (name.startswith("data/") and name.endswith(".csv"))]
    if not any(name.startswith("data/") for name in names):
        raise ReleaseError(f"{revision}: the revision holds no data package at {anchor}")
    for name in names:
        content = git(anchor, "show", f"{commit}:./{name}")
        if content.returncode != 0:
            raise ReleaseError(f"{revision}: cannot read {name}: {content.stderr.decode(errors='replace').strip()}")
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.stdout)


# --- the stable-ID check -------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A broken stable-ID promise at a place in the new package."""

    path: str
    line: int
    column: int
    message: str


def check_against(root: Path, old: Snapshot, label: str | None = None) -> list[Finding]:
    """Every ID of ``old`` must still exist; active rows must still name the same thing.

    Tables that cannot be read are skipped: ``jiceng validate`` reports them already.
    """
    from .csvfile import TextFileError, parse_csv, read_utf8

    version = label or f"release {old.version}"
    findings: list[Finding] = []
    present_ids: set[str] = set()
    withdrawn: list[tuple[str, object, object, dict[str, str | None]]] = []
    specs = table_specs()
    for name, (path, key) in specs.items():
        try:
            parsed = parse_csv(root / path, read_utf8(root / path))
        except TextFileError:
            continue
        header = parsed.header.cells
        if key not in header:
            continue
        rows = {}
        for record in parsed.records:
            row = {column: (cell if cell != "" else None) for column, cell in zip(header, record.cells)}
            if row[key] is not None:
                rows.setdefault(row[key], (record, row))
                present_ids.add(row[key])
        old_table = old.tables.get(name)
        rule = rule_for(name)
        for row_id, entry in (old_table.rows.items() if old_table else ()):
            if row_id not in rows:
                findings.append(Finding(path, 1, 1, f"ID {row_id} of {version} is missing; IDs are never "
                                        "deleted, renamed or reused: restore the row and set its status to "
                                        "withdrawn (write 'superseded by NEW_ID' in its notes if another row "
                                        "replaces it)"))
                continue
            record, row = rows[row_id]
            if row.get("status") == "withdrawn":
                continue
            difference = rule.difference(entry.identity, rule.identity(row))
            if difference:
                column, reason = difference
                line, position = parsed.cell_position(record, header.index(column) if column in header else 0)
                findings.append(Finding(path, line, position,
                                        f"ID {row_id} now names a different thing than in {version} "
                                        f"({reason}); identity of {name}: {rule.text}. IDs are never reused: "
                                        "restore the released row (or withdraw it) and give the new row a new ID"))
        for record, row in rows.values():
            if row.get("status") == "withdrawn":
                withdrawn.append((path, parsed, record, row))
    for path, parsed, record, row in withdrawn:
        findings += superseded_findings(path, parsed, record, row, present_ids)
    return findings


def superseded_findings(path: str, parsed, record, row: dict[str, str | None], ids: set[str]) -> list[Finding]:
    header = parsed.header.cells
    findings = []
    for column, value in row.items():
        for match in SUPERSEDED_BY.finditer(value or ""):
            if match[1] not in ids:
                line, position = parsed.cell_position(record, header.index(column))
                findings.append(Finding(path, line, position, f"withdrawn row says it is superseded by {match[1]}, "
                                        "which is no row of this package; name the ID of the row that replaces it"))
    return findings


def superseded_by(row: dict[str, object]) -> list[str]:
    """The IDs a withdrawn row names as its replacements ('superseded by ID' in any text cell)."""
    found: list[str] = []
    for value in row.values():
        if isinstance(value, str):
            found += [match[1] for match in SUPERSEDED_BY.finditer(value)]
    return found


# --- recording a release ---------------------------------------------------------------------


BUMPS = ("patch", "minor", "major")


def required_bump(old: Snapshot, new: Snapshot) -> tuple[str | None, list[str]]:
    """The smallest version bump the changes need, by the CHANGELOG's policy, and why.

    Withdrawn or missing rows, removed columns and removed tables need a major version;
    added rows, columns, tables or vocabulary codes a minor one; changed rows a patch.
    """
    reasons: dict[str, list[str]] = {bump: [] for bump in BUMPS}
    reasons["minor"] += [f"table {name} added" for name in new.tables if name not in old.tables]
    reasons["major"] += [f"table {name} removed" for name in old.tables if name not in new.tables]
    for name in [name for name in new.tables if name in old.tables]:
        before, after = old.tables[name], new.tables[name]
        added_columns = [column for column in after.columns if column not in before.columns]
        removed_columns = [column for column in before.columns if column not in after.columns]
        if added_columns:
            reasons["minor"].append(f"{name}: column(s) {', '.join(added_columns)} added")
        if removed_columns:
            reasons["major"].append(f"{name}: column(s) {', '.join(removed_columns)} removed")
        counts = {"added": 0, "missing": 0, "withdrawn": 0, "changed": 0}
        for row_id, entry in after.rows.items():
            previous = before.rows.get(row_id)
            if previous is None:
                counts["added"] += 1
            elif entry.status == "withdrawn" and previous.status != "withdrawn":
                counts["withdrawn"] += 1
            elif entry.digest != previous.digest:
                counts["changed"] += 1
        counts["missing"] = len(before.rows.keys() - after.rows.keys())
        for kind, bump in (("missing", "major"), ("withdrawn", "major"), ("added", "minor"), ("changed", "patch")):
            if counts[kind]:
                reasons[bump].append(f"{name}: {counts[kind]} row(s) {kind}")
    for bump in reversed(BUMPS):
        if reasons[bump]:
            return bump, reasons[bump]
    return None, []


def bump_between(old: str, new: str) -> str | None:
    """Which part of the version grew from ``old`` to ``new`` (None when it did not grow)."""
    before, after = parse_version(old), parse_version(new)
    if after <= before:
        return None
    if after[0] != before[0]:
        return "major"
    return "minor" if after[1] != before[1] else "patch"


@dataclass
class Recorded:
    path: Path
    written: bool
    previous: str | None
    bump: str | None
    reasons: list[str]


def record_release(root: Path, releases: Path, snapshot: Snapshot | None = None) -> Recorded:
    """Write ``releases/VERSION/ids.json`` for the package at ``root``.

    Refuses (ReleaseError) when the stable-ID check fails against the previous release,
    when the version bump is smaller than the changes need, or when a different
    snapshot of the same version is already recorded: releases are never rewritten.
    """
    snapshot = snapshot or snapshot_of_package(root)
    version = parse_version(snapshot.version)
    target = releases / snapshot.version / SNAPSHOT_FILE
    text = dump_snapshot(snapshot)
    if target.is_file():
        if target.read_text(encoding="utf-8") == text:
            return Recorded(target, False, None, None, [])
        raise ReleaseError(f"{target}: release {snapshot.version} is already recorded with other data; releases "
                           "are never rewritten — bump __version__ in src/jiceng/__init__.py and run `jiceng schemas`")
    earlier = {number: path for number, path in recorded_releases(releases).items() if number < version}
    later = [path.parent.name for number, path in recorded_releases(releases).items() if number > version]
    if later:
        raise ReleaseError(f"release {snapshot.version} is older than the recorded release(s) {', '.join(later)}")
    previous_version, bump, reasons = None, None, []
    if earlier:
        previous_path = list(earlier.values())[-1]
        previous = load_snapshot(previous_path)
        previous_version = previous.version
        findings = check_against(root, previous)
        if findings:
            details = "\n".join(f"{item.path}:{item.line}:{item.column}: [stable-id] {item.message}"
                                for item in findings)
            raise ReleaseError(f"{details}\nthe package breaks the stable-ID rule against release {previous.version}")
        bump, reasons = required_bump(previous, snapshot)
        made = bump_between(previous.version, snapshot.version)
        if bump and made and BUMPS.index(made) < BUMPS.index(effective(bump, previous.version)):
            raise ReleaseError(f"{previous.version} → {snapshot.version} is a {made} release, but the changes need a "
                               f"{effective(bump, previous.version)} one: {'; '.join(reasons)}")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    temporary.replace(target)
    return Recorded(target, True, previous_version, bump, reasons)


def effective(bump: str, previous: str) -> str:
    """Before 1.0.0 a breaking change needs only a minor bump (0.1 → 0.2), as in Cargo."""
    return "minor" if bump == "major" and parse_version(previous)[0] == 0 else bump
