"""``jiceng diff OLD NEW``: per table, the rows added, withdrawn, changed and removed.

Rows are aligned by primary key and compared cell by cell with daff, the table-diff
library behind ``daff a.csv b.csv``: we read its highlighter output (an action column
``+++``/``---``/``->`` and before/after pairs in changed cells, see
https://paulfitz.github.io/daff-doc/spec.html) into plain records, and render them as
text, Markdown (a pull-request comment) or JSON. Both sides get the union of their
columns first, so an absent column reads as empty: adding an empty column changes no
row, and a value in a new column shows as ∅ → value.

A release snapshot (``releases/X.Y.Z/ids.json``) holds IDs and digests, not cells. Its
tables are recovered from git by their blob ids when possible; a table that cannot be
recovered is compared by IDs and digests only (changed rows without their fields).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .releases import ReleaseError, Side, Table, TableSnapshot

ACTIONS = ("added", "withdrawn", "changed", "removed")
LABELS = {
    "sources": ("title_zh",),
    "districts": ("name_zh", "name_en"),
    "initiatives": ("name_zh",),
    "metrics": ("subject_zh", "value_text"),
    "annotations": ("kind", "quote"),
    "non_metric_numbers": ("number_text",),
    "consistency_checks": ("kind",),
    "glossary": ("term_zh", "term_en"),
}
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
    old: Side
    new: Side
    tables: list[TableDiff]

    def counts(self) -> dict[str, int]:
        return {action: sum(len(getattr(table, action)) for table in self.tables) for action in ACTIONS}

    @property
    def changed_tables(self) -> list[TableDiff]:
        return [table for table in self.tables if not table.empty]


def compare(old: Side, new: Side) -> Diff:
    """Compare every table either side knows of, in the new version's order."""
    names = list(new.snapshot.tables) + [name for name in old.snapshot.tables if name not in new.snapshot.tables]
    tables = []
    for name in names:
        before, after = old.snapshot.tables.get(name), new.snapshot.tables.get(name)
        if (before is None or name in old.tables) and (after is None or name in new.tables):
            result = compare_cells(name, old.tables.get(name), new.tables.get(name))
        else:
            result = compare_ids(name, before, after, old.tables.get(name), new.tables.get(name))
        result.table_added, result.table_removed = before is None, after is None
        tables.append(result)
    return Diff(old, new, tables)


def label_of(table: str, row: dict[str, str | None] | None) -> str:
    if not row:
        return ""
    columns = LABELS.get(table, ("label_en",))
    text = " ".join(str(row[column]) for column in columns if row.get(column))
    text = " ".join(text.split())
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "…"


def keyed(table: Table) -> dict[str, dict[str, str | None]]:
    rows: dict[str, dict[str, str | None]] = {}
    for row, line in zip(table.rows, table.lines or [0] * len(table.rows)):
        row_id = row.get(table.key)
        if row_id is None:
            continue
        if row_id in rows:
            raise ReleaseError(f"{table.path}:{line}: ID {row_id} occurs more than once; run `jiceng validate`")
        rows[row_id] = row
    return rows


def compare_cells(name: str, old: Table | None, new: Table | None) -> TableDiff:
    """Align rows by primary key with daff and read its highlighter diff into records."""
    import daff

    some = new or old
    assert some is not None
    key = some.key
    old_columns, new_columns = (old.columns if old else []), (new.columns if new else [])
    columns = list(new_columns) + [column for column in old_columns if column not in new_columns]
    result = TableDiff(name)
    if old and new:
        result.columns_added = [column for column in new_columns if column not in old_columns]
        result.columns_removed = [column for column in old_columns if column not in new_columns]
    old_rows, new_rows = (keyed(old) if old else {}), (keyed(new) if new else {})

    def grid(rows: dict[str, dict[str, str | None]]) -> Any:
        # daff's Python cell view compares str(cell): "" (never a CSV value here) stands for empty.
        return daff.PythonTableView([list(columns)] + [[row.get(column) or "" for column in columns]
                                                       for row in rows.values()])

    flags = daff.CompareFlags()
    flags.addPrimaryKey(key)
    flags.allow_nested_cells = True
    flags.show_unchanged = False
    flags.show_unchanged_columns = True
    flags.unchanged_context = 0
    flags.ordered = False
    alignment = daff.Coopy.compareTables(grid(old_rows), grid(new_rows), flags).align()
    highlighted = daff.PythonTableView([])
    daff.TableDiff(alignment, flags).hilite(highlighted)
    header: list[str] | None = None
    for cells in highlighted.getData():
        action, values = cells[0], cells[1:]
        if action == "@@":
            header = list(values)
            continue
        if header is None or action not in ("+++", "---", "->"):
            continue  # schema rows, "..." gaps and reorderings carry no cell change
        cells_by_column = dict(zip(header, values))
        row_id = plain(cells_by_column.get(key))
        if row_id is None:
            continue
        if action == "+++":
            result.added.append(RowChange(row_id, label_of(name, new_rows[row_id]), row=new_rows[row_id]))
        elif action == "---":
            result.removed.append(RowChange(row_id, label_of(name, old_rows[row_id]), row=old_rows[row_id]))
        else:
            changes = {column: (plain(cell["before"]), plain(cell["after"]))
                       for column, cell in cells_by_column.items() if isinstance(cell, dict)}
            if not changes:
                continue
            change = RowChange(row_id, label_of(name, new_rows[row_id]), changes=changes)
            status = changes.get("status")
            (result.withdrawn if status and status[1] == "withdrawn" else result.changed).append(change)
    return result


def plain(cell: Any) -> str | None:
    return None if cell is None or cell == "" else str(cell)


def compare_ids(name: str, old: TableSnapshot | None, new: TableSnapshot | None,
                old_table: Table | None, new_table: Table | None) -> TableDiff:
    """Compare by IDs, statuses and digests when a side's cells are not available."""
    result = TableDiff(name, detail="ids")
    before = old.rows if old else {}
    after = new.rows if new else {}
    old_rows = keyed(old_table) if old_table else {}
    new_rows = keyed(new_table) if new_table else {}
    if old and new:
        result.columns_added = [column for column in new.columns if column not in old.columns]
        result.columns_removed = [column for column in old.columns if column not in new.columns]
    for row_id, entry in after.items():
        previous = before.get(row_id)
        label = label_of(name, new_rows.get(row_id))
        if previous is None:
            result.added.append(RowChange(row_id, label, row=new_rows.get(row_id)))
        elif entry.status == "withdrawn" and previous.status != "withdrawn":
            result.withdrawn.append(RowChange(row_id, label, changes={"status": (previous.status, entry.status)}))
        elif entry.digest != previous.digest:
            result.changed.append(RowChange(row_id, label))
    for row_id in before.keys() - after.keys():
        result.removed.append(RowChange(row_id, label_of(name, old_rows.get(row_id)), row=old_rows.get(row_id)))
    result.removed.sort(key=lambda change: change.id)
    return result


# --- rendering ------------------------------------------------------------------------


def value_text(value: str | None) -> str:
    """A cell value, exactly: JSON-quoted so that spaces and line breaks show; ∅ for empty."""
    return MISSING if value is None else json.dumps(value, ensure_ascii=False)


def heading(diff: Diff) -> str:
    def side(item: Side) -> str:
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
