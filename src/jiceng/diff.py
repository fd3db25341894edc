"""``jiceng diff OLD NEW``: per table, the rows added, withdrawn, changed and removed.

Rows are aligned by primary key. Each version's snapshot already holds every ID with a
digest of its non-empty cells, so the IDs added, removed and changed are known without
reading a cell; each table file is then streamed once per side, keeping the cells of
those rows only, and the changed rows are compared column by column over the union of
both sides' columns (an absent column reads as empty: adding an empty column changes no
row, and a value in a new column shows as ∅ → value). The result is rendered as text,
Markdown (a pull-request comment) or JSON.

This replaced the table-diff library daff, which was used only as a keyed join whose
highlighted output was parsed back into records: it needed every row of both versions
in memory at once (daff's own table views), and its alignment, reordering and
context rows were all discarded. The keyed comparison is a few lines over the digests
the snapshots hold anyway, and keeps memory to the rows that differ.

A release snapshot (``releases/X.Y.Z/ids.json``) holds IDs and digests, not cells. Its
tables are recovered from git by their blob ids when possible; a table that cannot be
recovered is compared by IDs and digests only (changed rows without their fields).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .releases import OpenedVersion, ReleaseError, TableSnapshot
from .registry import table as registry_entry

ACTIONS = ("added", "withdrawn", "changed", "removed")
LABEL_WIDTH = 40
MISSING = "∅"


@dataclass
class RowChange:
    """One row that differs: its ID, a short label, and either its cells or its changes."""

    id: str
    label: str = ""
    changes: dict[str, tuple[str | None, str | None]] | None = None
    row: dict[str, str | None] | None = None


@dataclass
class TableDiff:
    table: str
    detail: str = "cells"  # "ids" when one side is a snapshot whose table could not be recovered
    table_added: bool = False
    table_removed: bool = False
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    added: list[RowChange] = field(default_factory=list)
    withdrawn: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    removed: list[RowChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.table_added or self.table_removed or self.columns_added or self.columns_removed
                    or any(getattr(self, action) for action in ACTIONS))

    def counts(self) -> dict[str, int]:
        return {action: len(getattr(self, action)) for action in ACTIONS}


@dataclass
class Diff:
    old: OpenedVersion
    new: OpenedVersion
    tables: list[TableDiff]

    def counts(self) -> dict[str, int]:
        return {action: sum(len(getattr(table, action)) for table in self.tables) for action in ACTIONS}

    @property
    def changed_tables(self) -> list[TableDiff]:
        return [table for table in self.tables if not table.empty]


def compare(old: OpenedVersion, new: OpenedVersion) -> Diff:
    """Compare every table either side knows of, in the new version's order."""
    names = list(new.snapshot.tables) + [name for name in old.snapshot.tables if name not in new.snapshot.tables]
    tables = []
    for name in names:
        before, after = old.snapshot.tables.get(name), new.snapshot.tables.get(name)
        if (before is None or name in old.files) and (after is None or name in new.files):
            result = compare_cells(name, old, new)
        else:
            result = compare_ids(name, old, new)
        result.table_added, result.table_removed = before is None, after is None
        tables.append(result)
    return Diff(old, new, tables)


def label_of(table: str, row: dict[str, str | None] | None) -> str:
    if not row:
        return ""
    try:
        columns = registry_entry(table).label_columns
    except KeyError:  # a vocabulary this version of jiceng does not know
        columns = ("label_en",)
    text = " ".join(str(row[column]) for column in columns if row.get(column))
    text = " ".join(text.split())
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "…"


def rows_of(version: OpenedVersion, name: str, wanted: set[str]) -> dict[str, dict[str, str | None]]:
    """The cells of the rows of ``name`` whose IDs are ``wanted``, in file order, streamed;
    an ID that occurs twice is refused (ReleaseError), as a keyed comparison needs."""
    if name not in version.files:
        return {}
    table = version.snapshot.tables[name]
    seen: set[str] = set()
    rows: dict[str, dict[str, str | None]] = {}
    for record, row in version.rows(name):
        row_id = row.get(table.key)
        if row_id is None:
            continue
        if row_id in seen:
            raise ReleaseError(f"{table.path}:{record.start_line}: ID {row_id} occurs more than once; "
                               "run `jiceng validate`")
        seen.add(row_id)
        if row_id in wanted:
            rows[row_id] = row
    return rows


def keyed_differences(before: TableSnapshot | None, after: TableSnapshot | None) -> tuple[set[str], set[str], set[str]]:
    """The IDs added, changed (another digest) and removed between two snapshots of a
    table; the new side is streamed, so one side's digests are held at a time."""
    old_ids = before.rows if before else {}
    added, changed, seen = set(), set(), set()
    for row_id, row in after.items() if after else ():
        seen.add(row_id)
        previous = old_ids.get(row_id)
        if previous is None:
            added.add(row_id)
        elif previous.digest != row.digest:
            changed.add(row_id)
    return added, changed, old_ids.keys() - seen


def compare_cells(name: str, old: OpenedVersion, new: OpenedVersion) -> TableDiff:
    """Align rows by primary key; compare the cells of the rows whose digests differ."""
    before, after = old.snapshot.tables.get(name), new.snapshot.tables.get(name)
    old_columns, new_columns = (before.columns if before else []), (after.columns if after else [])
    columns = list(new_columns) + [column for column in old_columns if column not in new_columns]
    result = TableDiff(name)
    if before and after:
        result.columns_added = [column for column in new_columns if column not in old_columns]
        result.columns_removed = [column for column in old_columns if column not in new_columns]
    added, changed, removed = keyed_differences(before, after)
    new_rows = rows_of(new, name, added | changed) if after else {}
    old_rows = rows_of(old, name, changed | removed) if before else {}
    for row_id, row in new_rows.items():
        if row_id in added:
            result.added.append(RowChange(row_id, label_of(name, row), row=row))
            continue
        previous = old_rows[row_id]
        changes = {column: (previous.get(column), row.get(column)) for column in columns
                   if previous.get(column) != row.get(column)}
        if not changes:
            continue
        change = RowChange(row_id, label_of(name, row), changes=changes)
        status = changes.get("status")
        (result.withdrawn if status and status[1] == "withdrawn" else result.changed).append(change)
    result.removed = [RowChange(row_id, label_of(name, row), row=row)
                      for row_id, row in old_rows.items() if row_id in removed]
    return result


def compare_ids(name: str, old: OpenedVersion, new: OpenedVersion) -> TableDiff:
    """Compare by IDs, statuses and digests when a side's cells are not available."""
    result = TableDiff(name, detail="ids")
    old_table: TableSnapshot | None = old.snapshot.tables.get(name)
    new_table: TableSnapshot | None = new.snapshot.tables.get(name)
    before = old_table.rows if old_table else {}
    if old_table and new_table:
        result.columns_added = [column for column in new_table.columns if column not in old_table.columns]
        result.columns_removed = [column for column in old_table.columns if column not in new_table.columns]
    kinds: dict[str, tuple[str, tuple[str | None, str | None]]] = {}
    seen = set()
    for row_id, row in new_table.items() if new_table else ():
        seen.add(row_id)
        previous = before.get(row_id)
        if previous is None:
            kinds[row_id] = ("added", (None, row.status))
        elif row.status == "withdrawn" and previous.status != "withdrawn":
            kinds[row_id] = ("withdrawn", (previous.status, row.status))
        elif row.digest != previous.digest:
            kinds[row_id] = ("changed", (previous.status, row.status))
    removed = before.keys() - seen
    del before
    new_rows = rows_of(new, name, set(kinds)) if new_table else {}
    old_rows = rows_of(old, name, removed) if old_table else {}
    for row_id, (kind, statuses) in kinds.items():
        label = label_of(name, new_rows.get(row_id))
        if kind == "added":
            result.added.append(RowChange(row_id, label, row=new_rows.get(row_id)))
        elif kind == "withdrawn":
            result.withdrawn.append(RowChange(row_id, label, changes={"status": statuses}))
        else:
            result.changed.append(RowChange(row_id, label))
    for row_id in removed:
        result.removed.append(RowChange(row_id, label_of(name, old_rows.get(row_id)), row=old_rows.get(row_id)))
    result.removed.sort(key=lambda change: change.id)
    return result


# --- rendering ------------------------------------------------------------------------


def value_text(value: str | None) -> str:
    """A cell value, exactly: JSON-quoted so that spaces and line breaks show; ∅ for empty."""
    return MISSING if value is None else json.dumps(value, ensure_ascii=False)


def heading(diff: Diff) -> str:
    def side(item: OpenedVersion) -> str:
        return f"{item.label} ({item.version})" if item.version else item.label

    return f"{side(diff.old)} → {side(diff.new)}"


def summary(counts: dict[str, int], skip_zero: bool = False) -> str:
    return ", ".join(f"{count} {action}" for action, count in counts.items() if count or not skip_zero)


def table_notes(table: TableDiff) -> list[str]:
    notes = []
    if table.table_added:
        notes.append("new table")
    if table.table_removed:
        notes.append("table removed")
    if table.columns_added:
        notes.append("columns added: " + ", ".join(table.columns_added))
    if table.columns_removed:
        notes.append("columns removed: " + ", ".join(table.columns_removed))
    if table.detail == "ids":
        notes.append("compared by ID and digest only: the released table is not in this git repository, "
                     "so changed fields are not shown (diff against the release's git tag for them)")
    if table.removed:
        notes.append("removed IDs break the stable-ID rule: restore them with status withdrawn")
    return notes


def limited(items: list[RowChange], limit: int | None) -> tuple[list[RowChange], int]:
    if limit is None or len(items) <= limit:
        return items, 0
    return items[:limit], len(items) - limit


def as_text(diff: Diff, limit: int | None = None) -> str:
    lines = [f"jiceng diff {heading(diff)}"]
    for table in diff.changed_tables:
        lines.append("")
        lines.append(f"{table.table}: {summary(table.counts(), skip_zero=True) or 'no row changes'}")
        lines += [f"  ({note})" for note in table_notes(table)]
        for action in ACTIONS:
            shown, hidden = limited(getattr(table, action), limit)
            for change in shown:
                lines.append(f"  {action:<9}  {change.id}" + (f"  {change.label}" if change.label else ""))
                for column, (before, after) in (change.changes or {}).items():
                    lines.append(f"             {column}: {value_text(before)} → {value_text(after)}")
            if hidden:
                lines.append(f"  … and {hidden} more {action} (raise --limit to see them)")
    if not diff.changed_tables:
        lines.append("no differences")
    lines.append("")
    lines.append(f"total: {summary(diff.counts())} (in {len(diff.changed_tables)} of {len(diff.tables)} tables)")
    return "\n".join(lines) + "\n"


def markdown_cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def as_markdown(diff: Diff, limit: int | None = None) -> str:
    lines = [f"### jiceng diff: {markdown_cell(heading(diff))}", ""]
    if not diff.changed_tables:
        return "\n".join(lines + ["No differences in any table.", ""])
    lines += ["| table | " + " | ".join(ACTIONS) + " |", "|---|" + "---:|" * len(ACTIONS)]
    for table in diff.changed_tables:
        lines.append(f"| {table.table} | " + " | ".join(str(count) for count in table.counts().values()) + " |")
    for table in diff.changed_tables:
        lines += ["", f"#### {table.table}"]
        notes = table_notes(table)
        if notes:
            lines += [""] + [f"_{markdown_cell(note)}_  " for note in notes]
        rows = []
        for action in ACTIONS:
            shown, hidden = limited(getattr(table, action), limit)
            for change in shown:
                first = f"| {action} | `{change.id}` | "
                if change.changes:
                    for index, (column, (before, after)) in enumerate(change.changes.items()):
                        prefix = first if index == 0 else "| | | "
                        rows.append(f"{prefix}{column} | {markdown_cell(value_text(before))} | "
                                    f"{markdown_cell(value_text(after))} |")
                else:
                    rows.append(f"{first} | | {markdown_cell(change.label)} |")
            if hidden:
                rows.append(f"| … | {hidden} more {action} | | | |")
        if rows:
            lines += ["", "| | ID | field | old | new |", "|---|---|---|---|---|"] + rows
    lines += ["", f"Total: {summary(diff.counts())}.", ""]
    return "\n".join(lines)


def as_json(diff: Diff) -> dict[str, Any]:
    def change(item: RowChange) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": item.id}
        if item.row is not None:
            entry["row"] = item.row
        if item.changes is not None:
            entry["changes"] = {column: {"old": before, "new": after}
                                for column, (before, after) in item.changes.items()}
        return entry

    return {
        "old": {"label": diff.old.label, "version": diff.old.version},
        "new": {"label": diff.new.label, "version": diff.new.version},
        "summary": diff.counts(),
        "tables": {
            table.table: {
                "detail": table.detail,
                "table_added": table.table_added,
                "table_removed": table.table_removed,
                "columns_added": table.columns_added,
                "columns_removed": table.columns_removed,
                **{action: [change(item) for item in getattr(table, action)] for action in ACTIONS},
            }
            for table in diff.tables
        },
    }
