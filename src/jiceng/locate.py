"""``jiceng locate``: fill or repair quote offsets from the quotes curators write.

Curators write the quote (and, when it occurs more than once in its source, a prefix or
suffix); this tool finds it in the row's own source and computes ``quote_start`` and
``quote_end``. Only with ``--write`` does it write the tables whose offsets change, in
the canonical form every command writes (``jiceng.tablefile``), atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .csvfile import Record, RowStream, TextFileError, iter_records, read_utf8
from .validate.report import Problem
from .tablefile import atomic_write, render
from .registry import QUOTED_TABLES



@dataclass(frozen=True)
class Found:
    """Where a quote is, or why it cannot be placed."""

    start: int | None
    end: int | None
    error: str | None = None


def find_quote(text: str, quote: str, prefix: str, suffix: str, span: tuple[int, int]) -> Found:
    """Find the single occurrence of ``prefix + quote + suffix`` inside ``span``."""
    if not quote:
        return Found(None, None, "the quote is empty; copy the supporting words from the source")
    lo, hi = span
    candidates = []
    position = text.find(quote, lo)
    while position >= 0 and position + len(quote) <= hi:
        before_ok = text[max(0, position - len(prefix)) : position] == prefix
        after_ok = text[position + len(quote) : position + len(quote) + len(suffix)] == suffix
        if before_ok and after_ok:
            candidates.append(position)
        position = text.find(quote, position + 1)
    if len(candidates) == 1:
        return Found(candidates[0], candidates[0] + len(quote))
    if not candidates:
        if prefix or suffix:
            return Found(None, None, "the quote does not occur with that prefix/suffix in its source; correct or "
                                     "remove quote_prefix/quote_suffix")
        return Found(None, None, "the quote does not occur in its source; " + nearest_passage(text, quote, lo, hi))
    hints = "; ".join(disambiguating_hint(text, quote, start, candidates) for start in candidates[:3])
    return Found(None, None, f"the quote occurs {len(candidates)} times in its source; add a quote_prefix "
                             f"or quote_suffix to pick one: {hints}")


def nearest_passage(text: str, quote: str, lo: int, hi: int) -> str:
    """Where the source says nearly what the quote says, with the differing characters
    marked [like this] in both, so a contributor sees the ， that was typed as ,."""
    import difflib

    essay = text[lo:hi]
    matcher = difflib.SequenceMatcher(None, essay, quote, autojunk=False)
    block = max(matcher.get_matching_blocks(), key=lambda item: item.size)
    if block.size < 2:
        return "nothing like it is in the source; copy the words exactly from the source text"
    start = max(0, block.a - block.b)
    end = min(len(essay), start + len(quote) + 3)
    opcodes = difflib.SequenceMatcher(None, essay[start:end], quote, autojunk=False).get_opcodes()
    if len(opcodes) > 1 and opcodes[-1][0] == "delete":
        opcodes.pop()  # source text after the passage
    tag, a1, a2, b1, b2 = opcodes[-1]
    if tag == "replace" and a2 - a1 > b2 - b1:
        opcodes[-1] = (tag, a1, a1 + b2 - b1, b1, b2)
    end = start + opcodes[-1][2]
    source_marked, quote_marked = [], []
    for tag, a1, a2, b1, b2 in opcodes:
        left, right = essay[start + a1:start + a2], quote[b1:b2]
        source_marked.append(left if tag == "equal" else f"[{left}]")
        quote_marked.append(right if tag == "equal" else f"[{right}]")
    passage = "".join(source_marked).replace("\n", "⏎")
    return (f"the nearest passage is at {lo + start}–{lo + end}: source {passage!r}, quote "
            f"{''.join(quote_marked)!r} (differences in [brackets]); copy the source's characters exactly")


def disambiguating_hint(text: str, quote: str, start: int, candidates: list[int]) -> str:
    """The shortest prefix that singles out the occurrence at ``start``."""
    others = [other for other in candidates if other != start]
    for size in range(1, 41):
        prefix = text[max(0, start - size) : start]
        if all(text[max(0, other - size) : other] != prefix for other in others):
            return f"at {start}, quote_prefix {prefix!r}"
    return f"at {start}, give a longer prefix"


@dataclass
class Change:
    """New offsets for one record of a quoted table (found by its first line)."""

    table: str
    record: Record
    old: tuple[str, str]
    new: tuple[int, int]


def source_spans(root: Path) -> dict[str, tuple[str, int, int]]:
    """source_id → (document path, span start, span end)."""
    return {
        row["source_id"]: (row["path"], int(row["span_start"]), int(row["span_end"]))
        for _, row in RowStream(root / "data" / "sources.csv")
    }


def locate_package(root: Path, tables: tuple[str, ...] = QUOTED_TABLES) -> tuple[list[Change], list[Problem], dict[str, Path]]:
    """Compute the offsets of every quoted row; return the changes, the problems and the
    files read (for :func:`apply_changes`).

    One streamed pass per table, keeping no row: a record's line and column are
    computed only for a problem."""
    spans = source_spans(root)
    documents: dict[str, str] = {}
    changes: list[Change] = []
    problems: list[Problem] = []
    read: dict[str, Path] = {}
    for name in tables:
        relative = f"data/{name}.csv"
        try:
            rows = RowStream(root / relative)
            quote = rows.header.index("quote")
            for record, row in rows:
                source = spans.get(row.get("source_id") or "")
                if source is None:
                    line, column = record.position(quote)
                    problems.append(Problem(relative, line, column, "locate",
                                            f"unknown source_id {row.get('source_id') or ''!r}"))
                    continue
                path, lo, hi = source
                if path not in documents:
                    documents[path] = read_utf8(root / path)
                found = find_quote(documents[path], row.get("quote") or "", row.get("quote_prefix") or "",
                                   row.get("quote_suffix") or "", (lo, hi))
                if found.error:
                    line, column = record.position(quote)
                    problems.append(Problem(relative, line, column, "locate", found.error))
                    continue
                old = (row.get("quote_start") or "", row.get("quote_end") or "")
                if old != (str(found.start), str(found.end)):
                    changes.append(Change(name, record, old, (found.start, found.end)))
        except TextFileError as error:
            problems.append(Problem(relative, error.line, error.column, "locate", error.message))
            continue
        read[name] = root / relative
    return changes, problems, read


def apply_changes(root: Path, read: dict[str, Path], changes: list[Change]) -> None:
    """Write the new offsets: each changed table is read again and written whole, in the
    canonical form (``jiceng.tablefile``), one atomic replace per file."""
    by_table: dict[str, dict[int, Change]] = {}
    for change in changes:
        by_table.setdefault(change.table, {})[change.record.start_line] = change
    for name, table_changes in by_table.items():
        records = iter_records(read[name])
        header = next(records).cells
        start, end = header.index("quote_start"), header.index("quote_end")
        rows = [header]
        for record in records:
            cells = list(record.cells)
            change = table_changes.get(record.start_line)
            if change is not None:
                cells[start], cells[end] = str(change.new[0]), str(change.new[1])
            rows.append(cells)
        atomic_write(read[name], render(rows))


def change_line(change: Change) -> str:
    """What ``jiceng locate`` says about one changed offset pair: the row's line, old → new."""
    line = change.record.start_line
    return (f"data/{change.table}.csv:{line}: quote_start/quote_end {change.old[0] or '∅'}–{change.old[1] or '∅'} "
            f"→ {change.new[0]}–{change.new[1]}")
