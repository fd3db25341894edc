"""Row counts per table and per district, for ``jiceng info``, the README and the changelog.

Counts are read from the CSV files of any package directory (default: the bundled one),
so ``jiceng info --update-readme`` counts what a contributor has just added.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .bundle import package_root
from .csvfile import RowStream
from .registry import QUOTED_TABLES, TABLE_NAMES

PER_DISTRICT = QUOTED_TABLES  # the tables whose rows quote a source, so belong to its district
README_START = "<!-- counts:start -->\n"
README_END = "<!-- counts:end -->"


def table_rows(name: str, root: Path | None = None) -> list[dict[str, str | None]]:
    return [row for _, row in RowStream((root or package_root()) / "data" / f"{name}.csv")]


def table_counts(root: Path | None = None) -> dict[str, int]:
    return {name: len(table_rows(name, root)) for name in TABLE_NAMES}


def district_counts(root: Path | None = None) -> list[tuple[str, str, dict[str, int]]]:
    """(district_id, name, {table: rows}) with rows attributed through their source."""
    district_of_source = {row["source_id"]: row["district_id"] for row in table_rows("sources", root)}
    counts = {table: Counter(district_of_source.get(row["source_id"]) for row in table_rows(table, root))
              for table in PER_DISTRICT}
    return [
        (row["district_id"], f"{row['name_zh'] or ''} {row['name_en'] or ''}",
         {table: counts[table][row["district_id"]] for table in PER_DISTRICT})
        for row in table_rows("districts", root)
    ]


def counts_markdown(root: Path | None = None) -> str:
    """Markdown tables of the row counts (the README embeds this text verbatim)."""
    lines = ["| table | rows |", "|---|---:|"]
    lines += [f"| {name} | {count} |" for name, count in table_counts(root).items()]
    lines += ["", "| district | GB/T 2260 | " + " | ".join(PER_DISTRICT) + " |",
              "|---|---|" + "---:|" * len(PER_DISTRICT)]
    for district_id, name, counts in district_counts(root):
        lines.append(f"| {name} | {district_id} | " + " | ".join(str(counts[t]) for t in PER_DISTRICT) + " |")
    return "\n".join(lines) + "\n"


def readme_counts(readme: str) -> str | None:
    """The counts block embedded in a README, or None when it has no markers."""
    if README_START not in readme or README_END not in readme:
        return None
    return readme.split(README_START, 1)[1].split(README_END, 1)[0]


def with_counts(readme: str, counts: str) -> str:
    """The README with its counts block replaced."""
    before, rest = readme.split(README_START, 1)
    return before + README_START + counts + README_END + rest.split(README_END, 1)[1]
