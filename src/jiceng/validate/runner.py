"""The validation run: every check hears of the package in one order.

1. each check's ``start``, in ``order`` (the files check reads the descriptor and the
   files, and finds which tables are sound; the Frictionless check starts its process);
2. every record of every table, read once, table after table in ``ROW_ORDER``, a batch
   of ``BATCH`` records at a time: each check's ``batch`` hook sees the batch first; then,
   record by record, a record that is not a row goes to each check's ``malformed`` hook;
   for a row, each check's ``cells`` hook, then the row model, then each check's ``row``
   hook with the row the model accepted (``rejected`` with a row it did not); each check's
   ``table_end`` after the table;
3. each check's ``end`` (checks across rows and tables), the ``final`` ones last;
4. the problems held back for their place are released (see ``Report.add_unless_placed``)
   and all are sorted by place.

Checks are found by scanning ``jiceng.validate.checks`` (``discovery.py``); the layers
they belong to are ``report.LAYERS``. Every problem is reported at ``path:line:column`` of
the file to edit. Inputs are only ever read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..csvfile import DEFAULT_MAX_ROWS, Record, TextFileError
from ..progress import EVERY
from ..vocab import Vocabularies
from .check import Check, Run
from .discovery import check_modules
from .report import DEFAULT_MAX_PER_CHECK, Report
from .streams import is_vocabulary

# What ``jiceng audit`` reads: all it needs to account for the numbers of the sources
AUDIT_TABLES = ("sources", "metrics", "non_metric_numbers", "consistency_checks")

ACROSS_TABLES = "checking across tables (keys, spans, audit, consistency)"

# Records per batch: a check's ``batch`` hook scans this many at once (one call in C
# instead of one a row), and each record is then heard of one by one. Small enough that a
# batch's records are still in the CPU's cache when the row hooks read them: 100 took
# about 10 % less CPU than 1,000 at 10^5 metric rows, and 30 no less than 100
# (benchmarks/README.md, "Round 5").
BATCH = 100


def check_classes() -> list[type[Check]]:
    """Every check of the check modules, in the order they run."""
    found = {value for module in check_modules() for value in vars(module).values()
             if isinstance(value, type) and issubclass(value, Check) and value is not Check
             and value.__module__ == module.__name__}
    return sorted(found, key=lambda cls: (cls.order, cls.__name__))


def validate_package(
    root: Path, display_root: str = "", max_per_check: int = DEFAULT_MAX_PER_CHECK, max_rows: int = DEFAULT_MAX_ROWS,
    only: tuple[str, ...] | None = None, progress: Any = None, allow_drafts: bool = False, timed: bool = False,
    against: tuple[str, ...] = (),
) -> Report:
    """Validate the data package in directory ``root`` (never modifies it).

    ``only`` restricts the run to some tables (and the vocabularies), without the checks
    of the whole package (Frictionless, schema drift): ``jiceng audit`` reads just
    ``AUDIT_TABLES``, which is all the audit needs. ``progress`` (a ``progress.Progress``)
    hears of each table as it is read. Rows with status ``draft`` are problems unless
    ``allow_drafts``. ``timed`` records each check's CPU seconds in ``report.timings``.
    ``against`` names earlier versions whose IDs must still hold (``report.compared`` says
    what was compared, ``report.against_error`` why a version could not be read)."""
    report = Report(root=root, display_root=display_root, max_per_check=max_per_check, max_rows=max_rows,
                    progress=progress, allow_drafts=allow_drafts)
    run = Run(root=root, report=report, only=only, against=tuple(against), vocabularies=Vocabularies(root))
    checks = [cls(run) for cls in check_classes() if run.whole_package or not cls.whole_package]
    clock = Clock(report) if timed else None
    for check in checks:
        hook = clock.wrap(check, check.start) if clock else check.start
        hook()
        if run.descriptor is None:
            return report  # no descriptor, no package: the files check said why
    stream_rows(run, checks, clock)
    report.step(ACROSS_TABLES)
    for check in checks:
        if not check.final:
            (clock.wrap(check, check.end) if clock else check.end)()
    report.step(ACROSS_TABLES, finished=True)
    for check in checks:
        if check.final:
            (clock.wrap(check, check.end) if clock else check.end)()
    report.release_held()
    report.problems.sort(key=lambda problem: (problem.path, problem.line, problem.column))
    return report


def overridden(check: Check, hook: str) -> bool:
    return getattr(type(check), hook) is not getattr(Check, hook)


def stream_rows(run: Run, checks: list[Check], clock: Clock | None) -> None:
    """Each table once, every check hearing of each row (see the module's docstring)."""
    report = run.report
    parser = next(check for check in checks if getattr(check, "parses_rows", False))
    parse = clock.wrap(parser, parser.parse) if clock else parser.parse

    def hooks(name: str, hook: str) -> list[Callable]:
        wanted = [check for check in checks if overridden(check, hook) and (check.tables is None or name in check.tables)]
        return [clock.wrap(check, getattr(check, hook)) if clock else getattr(check, hook) for check in wanted]

    for name, table in list(run.tables.items()):
        malformed_hooks, cell_hooks, row_hooks = hooks(name, "malformed"), hooks(name, "cells"), hooks(name, "row")
        batch_hooks, rejected_hooks, end_hooks = hooks(name, "batch"), hooks(name, "rejected"), hooks(name, "table_end")
        stage = None if is_vocabulary(name) else f"checking {table.relative}"
        if stage:
            report.step(stage)
        try:
            for records, error in batches(table.records(report.max_rows, check_form=True), BATCH):
                for hook in batch_hooks:
                    hook(table, records)
                for number, record in records:
                    if stage and not number % EVERY:
                        report.step(stage, number - 1)
                    if not table.is_row(record):
                        for hook in malformed_hooks:
                            hook(table, number, record)
                        continue
                    table.row_count += 1
                    values = table.values(record)
                    for hook in cell_hooks:
                        hook(table, number, record, values)
                    row = parse(table, record, values)
                    if row is not None:
                        for hook in row_hooks:
                            hook(table, number, record, row)
                    else:
                        for hook in rejected_hooks:
                            hook(table, number, record)
                if error is not None:
                    raise error
        except TextFileError as error:  # malformed CSV, or more rows than allowed
            run.drop(table, error)
            continue
        if stage:
            report.step(stage, run.valid[name] + run.invalid[name], finished=True)
        for hook in end_hooks:
            hook(table)


def batches(records: Iterator[tuple[int, Record]], size: int) -> Iterator[tuple[list[tuple[int, Record]], TextFileError | None]]:
    """The records in lists of ``size``, each with the error that stopped the reading after
    it (or None): the records read before a malformed one are still checked, as one by one."""
    batch: list[tuple[int, Record]] = []
    try:
        for item in records:
            batch.append(item)
            if len(batch) == size:
                yield batch, None
                batch = []
    except TextFileError as error:
        yield batch, error
        return
    if batch:
        yield batch, None


class Clock:
    """Seconds spent in each check's hooks, wall and CPU, by check module
    (``report.timings``: module → {"wall_s": ..., "cpu_s": ...})."""

    def __init__(self, report: Report) -> None:
        self.timings = report.timings

    def wrap(self, check: Check, hook: Callable) -> Callable:
        spent = self.timings.setdefault(type(check).__module__.rsplit(".", 1)[-1], {"wall_s": 0.0, "cpu_s": 0.0})
        wall, cpu = time.perf_counter, time.process_time

        def timed(*arguments: Any) -> Any:
            wall_started, cpu_started = wall(), cpu()
            try:
                return hook(*arguments)
            finally:
                spent["wall_s"] += wall() - wall_started
                spent["cpu_s"] += cpu() - cpu_started

        return timed
