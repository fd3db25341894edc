"""Layer 2, ID gaps: an ID number skipped inside a source (n005, then n007) is a warning:
numbers are given in order, so a gap usually means a row was deleted instead of withdrawn."""

from __future__ import annotations

from array import array
from collections import defaultdict
from typing import Any

from ...csvfile import Record
from ...models import TABLES
from ...tablefile import ID_NUMBER
from ..check import Check
from ..report import ProblemType
from ..streams import TableStream, primary_key

ID_GAP = ProblemType("id-gap", 2, "ID number skipped (warning)",
                     "Inside a source, an ID number is missing (n005, then n007): usually a row was deleted "
                     "instead of withdrawn. A warning: it does not make the package invalid.")


class IdGaps(Check):
    problem_types = (ID_GAP,)
    order = 25
    tables = tuple(name for name, model in TABLES.items() if model.table.id_letter)

    def start(self) -> None:
        # each per-source ID's number and row number (two integers), by table and ID stem
        self.numbers: dict[tuple[str, str], array] = defaultdict(lambda: array("q"))
        self.key_columns = {name: primary_key(name) for name in self.tables}

    def cells(self, table: TableStream, number: int, record: Record, values: dict[str, Any]) -> None:
        match = ID_NUMBER.match(values.get(self.key_columns[table.name]) or "")
        if match:
            self.numbers[(table.name, match["stem"])].extend((int(match["number"]), number))

    def end(self) -> None:
        warnings: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        for (name, stem), flat in self.numbers.items():
            pairs = sorted(zip(flat[0::2], flat[1::2]))
            for (previous, _), (current, row_number) in zip(pairs, pairs[1:]):
                if current > previous + 1:
                    missing = f"{stem}{previous + 1:03d}" + (f" to {stem}{current - 1:03d}" if current > previous + 2 else "")
                    warnings[name][row_number].append(
                        f"ID gap: {missing} missing before this row; a released row is withdrawn, never deleted, "
                        "and new rows take the next free number (a gap left by deleting drafts never released "
                        "is harmless; `jiceng validate --against releases` says whether a released ID is lost)")
        for name, by_row in warnings.items():
            table = self.run.tables.get(name)
            if table is None:
                continue  # dropped: it could not be read to its end
            last = max(by_row)
            for number, record in table.records(self.report.max_rows):
                for message in by_row.get(number, ()):
                    line, col = table.position(record, primary_key(name))
                    self.report.warn(table.relative, line, col, ID_GAP, message)
                if number >= last:
                    break
