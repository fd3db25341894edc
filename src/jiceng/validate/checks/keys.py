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

import difflib
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

    def message(self, value: str, nearest: str | None = None) -> str:
        article = "an" if self.target_column[0] in "aeiou" else "a"
        hint = f"did you mean {nearest!r}? " if nearest else ""
        return (f"{self.column} {value!r} is not {article} {self.target_column} of {self.target}.csv; "
                f"{hint}add the referenced row or correct the ID")


SUGGESTIONS = 50  # dangling references per table that get a "did you mean" (each costs a search)
FEW_KEYS = 5_000  # keys few enough to search all of when none shares the dangling key's stem


def stem(key: str) -> str:
    """What a row ID shares with its neighbours (its source ID, for ``…-1-m003``); a typo
    most often keeps it, so the nearest key is looked for among keys of the same stem."""
    return key.rsplit("-", 1)[0] if "-" in key else ""


class NearestKeys:
    """The existing key nearest to a dangling one, among the keys of its stem (all keys
    when none shares it and there are few): asked only on the failure path, at most
    ``SUGGESTIONS`` times per table."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.by_stem: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            self.by_stem[stem(key)].append(key)
        self.asked = 0

    def __call__(self, value: str) -> str | None:
        self.asked += 1
        if self.asked > SUGGESTIONS:
            return None
        candidates = self.by_stem.get(stem(value))
        if not candidates:
            candidates = [key for keys in self.by_stem.values() for key in keys]
            if len(candidates) > FEW_KEYS:
                return None
        found = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
        return found[0] if found else None


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
        self.nearest: dict[str, NearestKeys] = {}

    def cells(self, table: TableStream, number: int, record: Record, values: dict[str, Any]) -> None:
        for reference, value in self.keys.row(table.name, values):
            if reference.target not in self.nearest:
                self.nearest[reference.target] = NearestKeys(self.keys.known[reference.target])
            self.run.add(table, record, reference.column, FOREIGN_KEY,
                         reference.message(value, self.nearest[reference.target](value)))

    def table_end(self, table: TableStream) -> None:
        self.keys.finish(table.name)

    def end(self) -> None:
        check_keys_again(self.run.tables, self.keys, self.run)


def check_keys_again(tables: dict[str, TableStream], keys: Keys, run: Any) -> None:
    """Second pass over the tables where keys may repeat or references dangle: compare the
    real IDs of rows whose hashes repeat; report each row holding a dangling reference."""
    nearest: dict[Reference, NearestKeys] = {}
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
                    if reference not in nearest:
                        nearest[reference] = NearestKeys(keys_of(tables.get(reference.target), missing, run))
                    run.add(table, record, reference.column, FOREIGN_KEY,
                            reference.message(value, nearest[reference](value)))
        free = next_free_numbers(keys_seen)
        for record, key in duplicates:
            stem = ID_NUMBER.match(key)
            suggestion = f"; the next free ID is {new_id(stem['stem'][:-2], stem['stem'][-1], free)}" if stem else ""
            run.add(table, record, key_column, PRIMARY_KEY,
                    f"duplicate ID {key!r} (first on line {first_line[key]}); IDs must be unique and are never "
                    f"reused{suggestion}")


def keys_of(target: TableStream | None, missing: set[str], run: Any) -> list[str]:
    """The keys of a table already streamed past that share a stem with a missing key
    (read again, on the failure path only), or all its keys when none does and they are few."""
    if target is None:
        return []
    stems = {stem(value) for value in missing}
    column = primary_key(target.name)
    near, every = [], []
    for _, _, values in target.rows(run.report.max_rows):
        key = values.get(column)
        if key and stem(key) in stems:
            near.append(key)
        elif key and len(every) <= FEW_KEYS:
            every.append(key)
    return near or (every if len(every) <= FEW_KEYS else [])
