"""``jiceng fmt``: write every table of a package in the canonical CSV form.

Besides quoting and line ends (see :mod:`jiceng.tablefile`; CR line ends, also inside
quoted cells, become LF), ``fmt`` puts the columns in
the order of the schema and numbers blank IDs of per-source tables with the next free
number of their source and letter, so a contributor can leave new rows' IDs empty.
A file whose columns are not the schema's (a missing or unknown column) is not touched:
``jiceng validate`` says what is wrong with its header.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .csvfile import TextFileError
from .models import TABLES
from .tablefile import atomic_write, cells_of, new_id, next_free_numbers, place_of_difference, read_rows, render
from .vocab import VOCABULARIES


@dataclass(frozen=True)
class Formatted:
    """What ``fmt`` did, or would do, to one file."""

    relative: str
    line: int = 0
    column: int = 0
    numbered: int = 0
    error: str | None = None

    def line_of(self, root: Path, check: bool) -> str:
        """``path:line:column: [format] ...``: where the file first differs, or why it cannot be formatted."""
        place = f"{root / self.relative}:{self.line}:{self.column}: [format]"
        if self.error:
            return f"{place} {self.error}"
        numbered = f"; {self.numbered} blank ID(s) numbered" if self.numbered else ""
        verb = "not canonical from here on" if check else "rewritten (first change here)"
        return f"{place} {verb}{numbered}"


def table_files() -> list[tuple[str, list[str], str | None, str | None]]:
    """(relative path, columns, primary key, ID letter) of every table and vocabulary."""
    from .models import vocabulary_model

    files = [(model.table.path, model.columns(), model.table.primary_key, model.table.id_letter)
             for model in TABLES.values()]
    files += [(spec.path, list(vocabulary_model(name).model_fields), None, None) for name, spec in VOCABULARIES.items()]
    return files


def format_package(root: Path, check: bool = False) -> list[Formatted]:
    """Format every table of the package at ``root`` (only report, with ``check``).

    Returns the files that are (or were) not canonical, and those that cannot be formatted."""
    results = []
    for relative, columns, key, letter in table_files():
        path = root / relative
        if not path.is_file():
            continue
        try:
            current = path.read_bytes().decode("utf-8")  # exactly: read_text() would hide CR line ends
            header, rows = read_rows(path)
        except (UnicodeDecodeError, OSError) as error:
            results.append(Formatted(relative, 1, 1, error=f"cannot be read as UTF-8 ({error}); run `jiceng validate`"))
            continue
        except TextFileError as error:  # malformed quoting, too many rows
            results.append(Formatted(relative, error.line, error.column, error=f"{error.message}; run `jiceng validate`"))
            continue
        if sorted(header) != sorted(columns):
            missing = [c for c in columns if c not in header]
            unknown = [c for c in header if c not in columns]
            results.append(Formatted(relative, 1, 1, error=(
                "its columns are not the schema's (" + "; ".join(
                    part for part in (f"missing {', '.join(missing)}" if missing else "",
                                      f"unknown {', '.join(unknown)}" if unknown else "") if part)
                + "); fix the header first (`jiceng validate` says how)")))
            continue
        numbered = number_blank_ids(rows, key, letter)
        for row in rows:  # CR line ends inside quoted cells too (an editor or git's autocrlf wrote them)
            for name, cell in row.items():
                if "\r" in cell:
                    row[name] = cell.replace("\r\n", "\n").replace("\r", "\n")
        expected = render([columns, *(cells_of(columns, row) for row in rows)])
        if expected == current:
            continue
        line, column = place_of_difference(current, expected, 1)
        results.append(Formatted(relative, line, column, numbered))
        if not check:
            atomic_write(path, expected)
    return results


def number_blank_ids(rows: list[dict[str, str]], key: str | None, letter: str | None) -> int:
    """Give each row with a blank ID and a source the next free ID of its source and letter."""
    if not key or not letter:
        return 0
    free = next_free_numbers(row.get(key, "") for row in rows)
    count = 0
    for row in rows:
        if not row.get(key) and row.get("source_id"):
            row[key] = new_id(row["source_id"], letter, free)
            count += 1
    return count
