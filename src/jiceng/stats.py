"""Row counts per table and per district, for ``jiceng info``, the README and the changelog."""

from __future__ import annotations

from collections import Counter

from .loading import TABLE_NAMES, load

PER_DISTRICT = ("initiatives", "metrics", "annotations", "non_metric_numbers")


def table_counts() -> dict[str, int]:
    return {name: len(load(name)) for name in TABLE_NAMES}


def district_counts() -> list[tuple[str, str, dict[str, int]]]:
    """(district_id, name, {table: rows}) with rows attributed through their source."""
    districts = load("districts")
    sources = load("sources").set_index("source_id")["district_id"]
    counts: dict[str, Counter] = {table: Counter() for table in PER_DISTRICT}
    for table in PER_DISTRICT:
        frame = load(table)
        districts_of_rows = frame["source_id"].map(sources)
        counts[table].update(districts_of_rows.dropna().astype(str))
    return [
        (row.district_id, f"{row.name_zh} {row.name_en}", {table: counts[table][row.district_id] for table in PER_DISTRICT})
        for row in districts.itertuples()
    ]


def counts_markdown() -> str:
    """Markdown tables of the row counts (the README embeds this text verbatim)."""
    lines = ["| table | rows |", "|---|---:|"]
    lines += [f"| {name} | {count} |" for name, count in table_counts().items()]
    lines += ["", "| district | GB/T 2260 | " + " | ".join(PER_DISTRICT) + " |",
              "|---|---|" + "---:|" * len(PER_DISTRICT)]
    for district_id, name, counts in district_counts():
        lines.append(f"| {name} | {district_id} | " + " | ".join(str(counts[t]) for t in PER_DISTRICT) + " |")
    return "\n".join(lines) + "\n"
