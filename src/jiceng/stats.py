"""Row counts per table and per district, for ``jiceng info``, the README and the changelog.

Counts are read from the CSV files of any package directory (default: the bundled one),
so ``jiceng info --update-readme`` counts what a contributor has just added.

What is counted is defined once, here (:func:`counted`): a row is counted when it is
active. A withdrawn row stays in its table, so that old citations resolve, but it is no
longer a claim of the package; a draft is not one yet. Every count the package prints (the
README, ``jiceng info``, ``repr(jiceng.district(...))``, the site) is a :class:`Tally`,
which says how many rows it left out and why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .bundle import package_root
from .csvfile import RowStream
from .registry import QUOTED_TABLES, TABLE_NAMES

PER_DISTRICT = QUOTED_TABLES  # the tables whose rows quote a source, so belong to its district
README_START = "<!-- counts:start -->\n"
README_END = "<!-- counts:end -->"


COUNTING_RULE = ("Active rows are counted: a withdrawn row stays in its table, so that old citations "
                 "resolve, but is not counted.")


def counted(status: object) -> bool:
    """Whether a row of this status is counted: active rows are, and every row of a table
    without a status column (no status: None, an empty cell, or a missing value in pandas)."""
    return not isinstance(status, str) or status in ("", "active")


@dataclass(frozen=True)
class Tally:
    """Rows counted, and the rows left out by status (``{"withdrawn": 1}``)."""

    counted: int = 0
    left_out: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.counted}{self.note()}"

    def note(self) -> str:
        """`` (1 withdrawn not counted)``, or nothing when no row was left out."""
        if not self.left_out:
            return ""
        return " (" + ", ".join(f"{n} {status}" for status, n in sorted(self.left_out.items())) + " not counted)"

    def parenthesised(self) -> str:
        """``"(39; 1 withdrawn not counted)"``, for a heading."""
        return f"({self.counted}; {self.note()[2:]}" if self.left_out else f"({self.counted})"

    def phrase(self, noun: str) -> str:
        """``"39 initiatives (1 withdrawn not counted)"``."""
        return f"{self.counted} {noun}{self.note()}"


def tally(statuses: Iterable[object]) -> Tally:
    """Count rows by their statuses, as every count of the package counts them."""
    left_out: Counter[str] = Counter()
    total = 0
    for status in statuses:
        if counted(status):
            total += 1
        else:
            left_out[str(status)] += 1
    return Tally(total, dict(left_out))


def table_rows(name: str, root: Path | None = None) -> list[dict[str, str | None]]:
    return [row for _, row in RowStream((root or package_root()) / "data" / f"{name}.csv")]


def table_counts(root: Path | None = None) -> dict[str, Tally]:
    return {name: tally(row.get("status") for row in table_rows(name, root)) for name in TABLE_NAMES}


def district_counts(root: Path | None = None) -> list[tuple[str, str, dict[str, Tally]]]:
    """(district_id, name, {table: tally}) with rows attributed through their source."""
    district_of_source = {row["source_id"]: row["district_id"] for row in table_rows("sources", root)}
    statuses: dict[str, dict[str | None, list[object]]] = {table: {} for table in PER_DISTRICT}
    for table in PER_DISTRICT:
        for row in table_rows(table, root):
            statuses[table].setdefault(district_of_source.get(row["source_id"]), []).append(row.get("status"))
    return [
        (row["district_id"], f"{row['name_zh'] or ''} {row['name_en'] or ''}",
         {table: tally(statuses[table].get(row["district_id"], [])) for table in PER_DISTRICT})
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


def overview_lines(root: Path | None, version: str) -> list[str]:
    """What ``jiceng info`` prints: version, licences, rows per table and per district, how to cite."""
    from .loading import descriptor

    package = descriptor(root)
    lines = [f"jiceng {version}: {package['title']}",
             "licences: " + "; ".join(f"{item['name']}: {item['title']}" for item in package["licenses"]),
             COUNTING_RULE, "tables:"]
    lines += [f"  {name:<20} {count.counted:>6} rows{count.note()}" for name, count in table_counts(root).items()]
    lines.append("by district (rows of initiatives, metrics, annotations, non_metric_numbers):")
    lines += [f"  {district_id} {name}: " + ", ".join(f"{table} {count}" for table, count in counts.items())
              for district_id, name, counts in district_counts(root)]
    lines.append(f"cite: jiceng maintainers. jiceng {version} [dataset]. See CITATION.cff; cite the source "
                 "essays (sources table) for quoted words.")
    return lines


class ReadmeError(ValueError):
    """The README cannot take the counts: say what the maintainer must do."""


def update_readme(root: Path | None) -> str:
    """Rewrite the counts block of README.md (the source checkout's by default), atomically;
    say what was done. A README without the block is refused, never guessed at."""
    from .bundle import repository_root
    from .reporting import shown_path
    from .tablefile import atomic_write

    root = root or repository_root()
    readme = root / "README.md" if root else None
    if readme is None or not readme.is_file():
        raise ReadmeError(f"no README.md in {root or 'an installed package'}; give the checkout with --package")
    text = readme.read_text(encoding="utf-8")
    if readme_counts(text) is None:
        raise ReadmeError(f"{readme} has no <!-- counts:start --> ... <!-- counts:end --> block; add the two "
                          "markers where the counts belong")
    counts = counts_markdown(root)
    if readme_counts(text) == counts:
        return f"{shown_path(readme)}: counts already current"
    atomic_write(readme, with_counts(text, counts))
    return f"{shown_path(readme)}: counts block rewritten"
