"""Layer 1, keys: primary and foreign keys, checked while the rows stream past, in little memory.

Frictionless holds every key of every table in memory to check them (about half a GiB at
a million metric rows). Here:

* uniqueness keeps one 64-bit hash per row; a table whose hashes repeat is read again and
  its rows compared by their real IDs, so a hash collision never passes for a duplicate;
* a reference to a table already read is looked up in that table's keys, which are kept
  only when a later table refers to it (in ``runner.ROW_ORDER``, the order the tables
  stream in, only the small tables: sources and districts);
* a reference to a table not read yet waits in a set until that table streams past and
  strikes it off; what is left is dangling, and the referring rows are read again to
  report it.

Memory is then a few bytes per row plus the distinct referenced IDs, and every answer is
exact.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...csvfile import Record
from ...tablefile import ID_NUMBER, new_id, next_free_numbers
from ..check import Check
from ..report import ProblemType
from ..streams import TableStream, is_vocabulary, primary_key

PRIMARY_KEY = ProblemType("primary-key", 1, "Duplicate primary key",
                          "Two rows share an ID; IDs must be unique and are never reused.")
FOREIGN_KEY = ProblemType("foreign-key", 1, "Dangling reference",
                          "A cell refers to a row of another table that does not exist.")

SMALL_TABLE = 100_000

key_hash = hash  # Python's keyed 64-bit string hash; a name of its own so tests can force collisions


@dataclass(frozen=True)
class Reference:
    """``table.column`` holds a key of ``target.target_column`` (or is empty)."""

    table: str
    column: str
    target: str
    target_column: str

    def message(self, value: str) -> str:
        article = "an" if self.target_column[0] in "aeiou" else "a"
        return (f"{self.column} {value!r} is not {article} {self.target_column} of {self.target}.csv; "
                "add the referenced row or correct the ID")


def references(name: str) -> list[Reference]:
    """The foreign keys a table's model declares."""
    if is_vocabulary(name):
        return []
    from ...models import TABLES  # (imported here: the audit of a sound package checks no key)

    return [Reference(name, column, table, target) for column, table, target in TABLES[name].foreign_keys()]


def duplicate_hashes(hashes: array, small: int = SMALL_TABLE) -> set[int]:
    """The hash values that occur more than once (sorting with numpy for a large table)."""
    if len(hashes) < small:
        seen: set[int] = set()
        repeated = set()
        for value in hashes:
            if value in seen:
                repeated.add(value)
            seen.add(value)
        return repeated
    import numpy

    ordered = numpy.sort(numpy.frombuffer(hashes, dtype=numpy.int64))
    return set(ordered[1:][ordered[1:] == ordered[:-1]].tolist())


@dataclass
class Recheck:
    """What a second pass over one table must look for."""

    duplicate_hashes: set[int] = field(default_factory=set)
    dangling: dict[Reference, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.duplicate_hashes or self.dangling)


class Keys:
    """Key bookkeeping for tables read one after another in ``order``."""

    def __init__(self, order: Iterable[str]) -> None:
        self.order = list(order)
        self.references = {name: [ref for ref in references(name) if ref.target in self.order]
                           for name in self.order}
        position = {name: index for index, name in enumerate(self.order)}
        self.keep = {ref.target for refs in self.references.values() for ref in refs
                     if position[ref.target] < position[ref.table]}
        self.known: dict[str, set[str]] = {name: set() for name in self.keep}
        self.pending: dict[str, set[str]] = defaultdict(set)
        self.hashes: dict[str, array] = defaultdict(lambda: array("q"))
        self.read: set[str] = set()
        self.rechecks: dict[str, Recheck] = defaultdict(Recheck)
        self.key_columns = {name: primary_key(name) for name in self.order}

    def row(self, name: str, values: dict[str, str | None]) -> list[tuple[Reference, str]]:
        """Note a row's key and references; return the references already known to dangle."""
        key = values.get(self.key_columns[name])
        if key is not None:
            self.hashes[name].append(key_hash(key))
            if name in self.keep:
                self.known[name].add(key)
            wanted = self.pending.get(name)
            if wanted:
                wanted.discard(key)
        dangling = []
        for ref in self.references[name]:
            value = values.get(ref.column)
            if value is None:
                continue
            if ref.target in self.read:
                if value not in self.known[ref.target]:
                    dangling.append((ref, value))
            else:
                self.pending[ref.target].add(value)
        return dangling

    def finish(self, name: str) -> None:
        """A table has been read: find repeated hashes and the references it leaves dangling."""
        self.read.add(name)
        repeated = duplicate_hashes(self.hashes.pop(name, array("q")))
        if repeated:
            self.rechecks[name].duplicate_hashes = repeated
        missing = self.pending.pop(name, set())
        if missing:
            for table in self.order[: self.order.index(name)]:
                for ref in self.references[table]:
                    if ref.target == name:
                        self.rechecks[table].dangling[ref] = missing


class KeysCheck(Check):
    problem_types = (PRIMARY_KEY, FOREIGN_KEY)
    order = 20

    def start(self) -> None:
        self.keys = Keys(self.run.tables)  # in the order the tables stream

    def cells(self, table: TableStream, number: int, record: Record, values: dict[str, Any]) -> None:
        for reference, value in self.keys.row(table.name, values):
            self.run.add(table, record, reference.column, FOREIGN_KEY, reference.message(value))

    def table_end(self, table: TableStream) -> None:
        self.keys.finish(table.name)

    def end(self) -> None:
        check_keys_again(self.run.tables, self.keys, self.run)


def check_keys_again(tables: dict[str, TableStream], keys: Keys, run: Any) -> None:
    """Second pass over the tables where keys may repeat or references dangle: compare the
    real IDs of rows whose hashes repeat; report each row holding a dangling reference."""
    for name, recheck in keys.rechecks.items():
        table = tables[name]
        key_column = primary_key(name)
        first_line: dict[str, int] = {}
        duplicates = []
        keys_seen = []
        for _, record, values in table.rows(run.report.max_rows):
            key = values.get(key_column)
            if key is not None and recheck.duplicate_hashes:
                keys_seen.append(key)
            if key is not None and key_hash(key) in recheck.duplicate_hashes:
                if key in first_line:
                    duplicates.append((record, key))
                else:
                    first_line[key] = record.start_line

            for reference, missing in recheck.dangling.items():
                value = values.get(reference.column)
                if value is not None and value in missing:
                    run.add(table, record, reference.column, FOREIGN_KEY, reference.message(value))
        free = next_free_numbers(keys_seen)
        for record, key in duplicates:
            stem = ID_NUMBER.match(key)
            suggestion = f"; the next free ID is {new_id(stem['stem'][:-2], stem['stem'][-1], free)}" if stem else ""
            run.add(table, record, key_column, PRIMARY_KEY,
                    f"duplicate ID {key!r} (first on line {first_line[key]}); IDs must be unique and are never "
                    f"reused{suggestion}")
