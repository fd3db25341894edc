"""Progress on standard error, for commands that take minutes on a large corpus.

On a terminal, one line is rewritten in place; in a log (CI), each finished stage gets a
line of its own with its row count and time. Standard output stays the report alone.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

EVERY = 50_000  # rows between updates on a terminal


class Progress:
    """Called with (stage, rows read so far, finished?) by the validator."""

    def __init__(self, stream: TextIO | None = None, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.started = time.perf_counter()
        self.stage_started = self.started
        self.stage = ""
        self.width = 0

    def __call__(self, stage: str, rows: int = 0, finished: bool = False) -> None:
        now = time.perf_counter()
        if stage != self.stage:
            self.stage, self.stage_started = stage, now
        count = f": {rows:,} rows" if rows else ""
        if finished:
            self.write(f"jiceng: {stage}{count} ({now - self.stage_started:.1f} s)", end=True)
        elif self.live:
            self.write(f"jiceng: {stage}{count} …", end=False)

    def write(self, text: str, end: bool) -> None:
        if self.live:
            self.stream.write("\r" + text.ljust(self.width) + ("\n" if end else ""))
            self.width = 0 if end else len(text)
        elif end:
            self.stream.write(text + "\n")
        self.stream.flush()
