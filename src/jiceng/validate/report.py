"""What the validator reports: problem types, problems, the report of a run, and the
catalogue of every problem type, generated from the check modules that declare them.

Every problem is one line ``path:line:column: [slug] message``. Each problem type has a
stable slug, a layer and a title, in the manner of frictionless-py's error classes, so
that contributors (and the documentation) can look each one up. The layers, in the order
``jiceng validate`` runs them, are ``LAYERS``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..csvfile import DEFAULT_MAX_ROWS
from .discovery import check_modules

DEFAULT_MAX_PER_CHECK = 200

LAYERS = {
    0: "files: readable UTF-8 without BOM, LF line ends",
    1: "standard: descriptor, paths, schemas, CSV structure and form, cell types and constraints, keys, cell text",
    2: "row models: every row against its pydantic model, including cross-field rules",
    3: "provenance: source files, spans and every quote at its offsets inside its own source",
    4: "completeness: every number of every source is accounted for",
    5: "consistency: related figures recomputed",
    6: "stable IDs: with --against, every earlier ID still there and naming the same thing",
}


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem: its slug (printed in brackets), layer, title and description,
    and the command that reports it."""

    slug: str
    layer: int
    title: str
    description: str
    command: str = "validate"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the package, at a place a contributor can open."""

    path: str
    line: int
    column: int
    check: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: [{self.check}] {self.message}"

    def github(self) -> str:
        known = CATALOGUE.get(self.check)
        title = known.title if known else self.check
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (
            f"::error file={escape_property(self.path)},line={self.line},col={self.column},"
            f"title={escape_property(title)}::[{self.check}] {message}"
        )

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def escape_property(value: str) -> str:
    """Escape a workflow-command property as GitHub's toolkit does."""
    return (
        value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")
    )


class Catalogue(Mapping):
    """Every problem type by slug (of one command, if given), read from the modules of
    ``jiceng.validate.checks`` each time it is asked, so that a check module added to the
    package is listed too."""

    def __init__(self, command: str | None = None) -> None:
        self.command = command
        self._cached: tuple[list, dict[str, ProblemType]] | None = None

    def entries(self) -> dict[str, ProblemType]:
        modules = check_modules()
        if self._cached is not None and self._cached[0] is modules:
            return self._cached[1]
        found: dict[str, ProblemType] = {}
        for module in modules:
            for value in vars(module).values():
                if isinstance(value, ProblemType) and self.command in (None, value.command):
                    found.setdefault(value.slug, value)
        entries = dict(sorted(found.items(), key=lambda item: (item[1].layer, item[0])))
        self._cached = (modules, entries)
        return entries

    def __getitem__(self, slug: str) -> ProblemType:
        return self.entries()[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self.entries())


CATALOGUE = Catalogue()  # every problem type, ``jiceng locate``'s too
CHECKS = Catalogue("validate")  # the checks of ``jiceng validate``


@dataclass
class Report:
    """What a validation run found.

    Problems are shown up to ``max_per_check`` per check; the rest are counted. A problem
    that another check may report better at the same place (a field's pydantic error,
    where the Frictionless layer names the cell's type) is held back with ``add_unless_placed``
    and counted only if no problem, shown or not, was reported at its place: so the total
    never depends on the display cap."""

    root: Path
    display_root: str
    problems: list[Problem] = field(default_factory=list)
    suppressed: Counter = field(default_factory=Counter)
    row_counts: dict[str, int] = field(default_factory=dict)
    max_per_check: int = DEFAULT_MAX_PER_CHECK
    max_rows: int = DEFAULT_MAX_ROWS
    audit_summary: dict[str, Any] = field(default_factory=dict)
    consistency: list[tuple[str, bool, str, str | None]] = field(default_factory=list)
    progress: Any = None  # a progress.Progress, or None for silence
    allow_drafts: bool = False
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what completeness did not check, and why
    timings: dict[str, dict[str, float]] = field(default_factory=dict)  # check module → wall_s, cpu_s (if timed)
    compared: list[str] = field(default_factory=list)  # what --against compared
    against_error: str | None = None  # why an --against version could not be read
    per_check: Counter = field(default_factory=Counter)
    _seen: set = field(default_factory=set)
    _places: set = field(default_factory=set)
    _held: list = field(default_factory=list)

    def step(self, stage: str, rows: int = 0, finished: bool = False) -> None:
        if self.progress is not None:
            self.progress(stage, rows, finished)

    @property
    def valid(self) -> bool:
        return not self.problems

    def display(self, relative: str) -> str:
        return os.path.normpath(os.path.join(self.display_root, relative)) if self.display_root else relative

    def add(self, relative: str, line: int, column: int, check: ProblemType | str, message: str) -> None:
        slug = check.slug if isinstance(check, ProblemType) else check
        key = (relative, line, column, slug, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self._places.add((relative, line, column))
        self.per_check[slug] += 1
        if self.per_check[slug] > self.max_per_check:
            self.suppressed[slug] += 1
            return
        self.problems.append(Problem(self.display(relative), line, column, slug, message))

    def add_unless_placed(self, relative: str, line: int, column: int, check: ProblemType, message: str) -> None:
        """Hold a problem back until every check has run (see ``release_held``)."""
        self._held.append((relative, line, column, check, message))

    def release_held(self) -> None:
        """Report the held problems whose place no other problem was reported at."""
        held, self._held = self._held, []
        for relative, line, column, check, message in held:
            if (relative, line, column) not in self._places:
                self.add(relative, line, column, check, message)

    def count(self, *checks: ProblemType) -> int:
        """How many problems of these types were reported so far, shown or not (asked for
        every row: ``get`` avoids Counter's ``__missing__``, a Python call per absent type)."""
        counts = self.per_check
        return sum([counts.get(check.slug, 0) for check in checks])

    def warn(self, relative: str, line: int, column: int, check: ProblemType, message: str) -> None:
        """A finding that does not make the package invalid (an ID gap)."""
        self.warnings.append(Problem(self.display(relative), line, column, check.slug, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "package": self.display_root or ".",
            "row_counts": self.row_counts,
            "problem_count": len(self.problems) + sum(self.suppressed.values()),
            "problems": [problem.as_dict() for problem in self.problems],
            "suppressed": dict(self.suppressed),
            "warnings": [warning.as_dict() for warning in self.warnings],
            "skipped": self.skipped,
            "checks": dict(self.per_check),
        }
