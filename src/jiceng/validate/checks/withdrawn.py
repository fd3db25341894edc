"""Layer 2, withdrawn rows: a row that is not withdrawn must not refer to one that is, and a
withdrawn row's "superseded by ID" must name a row of the package.

Withdrawing a row takes it out of the current data (``CONTRIBUTING.md``, "Changing or
removing rows"), so an active or draft row still pointing at it (a metric's
``initiative_id``, a consistency check's ``annotation_id``, an annotation's
``related_source_id``...) points at nothing current: the problem names the replacement to
point at. No table is exempt, annotations included: their only references are to sources,
and an annotation of a withdrawn source is withdrawn with it or moved to the replacement.
A withdrawn row may refer to anything. A consistency check's ``metric_ids``, a list of
keys rather than a declared foreign key, is looked at too; links in ``annotation_ids`` are
the annotation link check's.

Memory: the withdrawn rows (few) and, for references to a table not read yet, the
distinct IDs referred to, as the key check keeps them, and the IDs of the source each table
is streaming; rows are read again only when a reference turns out to name a withdrawn row,
or a replacement was seen neither in the withdrawn row's source before it nor after it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ...csvfile import Record
from ...models import TABLES
from ...releases.stable_ids import superseded_cells
from ..check import Check
from ..report import ProblemType
from ..streams import TableStream, primary_key
from .keys import Reference, references

WITHDRAWN_LINK = ProblemType("withdrawn-link", 2, "Reference to a withdrawn row",
                             "A row that is not withdrawn names a withdrawn row in a foreign key (point it at "
                             "the replacement its notes name), or a withdrawn row says it is 'superseded by' an "
                             "ID that is no row of the package.")


# A column that lists keys of another table, separated by spaces: a Table Schema foreign key
# names one value, so it is no declared foreign key, but a current row may not list a withdrawn one.
LIST_REFERENCES = (Reference("consistency_checks", "metric_ids", "metrics", "metric_id"),)


def keys_in(reference: Reference, value: str) -> list[str]:
    """The keys a cell names: one, or several for a list column."""
    return value.split() if reference in LIST_REFERENCES else [value]


@dataclass
class Plan:
    """A table's references to look at, and the IDs of its current source (a replacement
    usually comes just before or after the row it replaces, in the same source)."""

    key_column: str
    checked: list[tuple[Reference, dict[str, list[str]]]]
    waited: list[tuple[Reference, set[str]]]
    source: str | None = None
    recent: set[str] = field(default_factory=set)


class WithdrawnLinks(Check):
    problem_types = (WITHDRAWN_LINK,)
    order = 27
    tables = tuple(TABLES)

    def start(self) -> None:
        self.withdrawn: dict[str, dict[str, list[str]]] = defaultdict(dict)  # table → ID → its replacements
        self.read: set[str] = set()
        self.waiting: dict[Reference, set[str]] = defaultdict(set)  # IDs of tables not read yet
        self.replacements: dict[str, tuple[str, int, str]] = {}  # ID → (table, row number, column) naming it
        self.references = {name: references(name) + [reference for reference in LIST_REFERENCES
                                                     if reference.table == name] for name in self.tables}
        self.plans: dict[str, Plan] = {}

    def plan(self, name: str) -> Plan:
        """What a table's rows need looked at, fixed when its first row arrives: references to a
        table read before that has withdrawn rows (checked at once), and references to a table
        not read yet (their IDs wait); a reference to a table with no withdrawn row costs nothing."""
        checked = [(reference, self.withdrawn[reference.target]) for reference in self.references[name]
                   if reference.target in self.read and self.withdrawn[reference.target]]
        waited = [(reference, self.waiting[reference]) for reference in self.references[name]
                  if reference.target not in self.read and reference.target in self.tables]
        return Plan(primary_key(name), checked, waited)

    def cells(self, table: TableStream, number: int, record: Record, values: dict[str, Any]) -> None:
        plan = self.plans.get(table.name)
        if plan is None:
            plan = self.plans[table.name] = self.plan(table.name)
        row_id = values.get(plan.key_column)
        if self.replacements:
            self.replacements.pop(row_id, None)
        source = values.get("source_id")
        if source != plan.source:  # rows stream source by source: keep the current source's IDs
            plan.source, plan.recent = source, set()
        plan.recent.add(row_id)
        if values.get("status") == "withdrawn":
            named = superseded_cells(values)
            self.withdrawn[table.name][row_id] = [replacement for _, replacement in named]
            for column, replacement in named:
                # a replacement printed before the withdrawn row, in its source, is seen already
                if not any(replacement in other.recent for other in self.plans.values()):
                    self.replacements.setdefault(replacement, (table.name, number, column))
            return
        for reference, withdrawn in plan.checked:
            value = values.get(reference.column)
            if value is not None:
                for key in keys_in(reference, value):
                    if key in withdrawn:
                        self.run.add(table, record, reference.column, WITHDRAWN_LINK, self.message(reference, key))
        for reference, waiting in plan.waited:
            value = values.get(reference.column)
            if value is not None:
                waiting.update(keys_in(reference, value))

    def table_end(self, table: TableStream) -> None:
        self.read.add(table.name)

    def end(self) -> None:
        for reference, values in self.waiting.items():
            named = values & self.withdrawn[reference.target].keys()
            table = self.run.tables.get(reference.table)
            if not named or table is None:
                continue
            for _, record, values_of_row in table.rows(self.report.max_rows):
                value = values_of_row.get(reference.column)
                if value is None or values_of_row.get("status") == "withdrawn":
                    continue
                for key in keys_in(reference, value):
                    if key in named:
                        self.run.add(table, record, reference.column, WITHDRAWN_LINK, self.message(reference, key))
        self.check_replacements()

    def check_replacements(self) -> None:
        """Replacements not seen after the row naming them: look for them among every table's
        IDs (a replacement may come first), and report those that are nowhere."""
        missing = set(self.replacements)
        for name, table in self.run.tables.items():
            if name in self.tables and missing:
                for _, _, values in table.rows(self.report.max_rows):
                    missing.discard(values.get(primary_key(name)))
        problems: dict[str, dict[int, list[tuple[str, ProblemType, str]]]] = defaultdict(lambda: defaultdict(list))
        for replacement in sorted(missing):
            name, number, column = self.replacements[replacement]
            problems[name][number].append((column, WITHDRAWN_LINK, (
                f"withdrawn row says it is superseded by {replacement}, which is no row of this package; "
                "name the ID of the row that replaces it")))
        for name, by_row in problems.items():
            self.run.add_at_rows(self.run.tables.get(name), by_row)

    def message(self, reference: Reference, value: str) -> str:
        kind = reference.target_column.removesuffix("_id")
        replacements = self.withdrawn[reference.target].get(value) or []
        if replacements:
            return (f"{reference.column} names withdrawn {kind} {value}; point it at its replacement "
                    f"{' or '.join(replacements)}")
        return (f"{reference.column} names withdrawn {kind} {value}, which names no replacement; point it at "
                f"a current {kind}, leave the cell empty if it may be, or withdraw this row too")
