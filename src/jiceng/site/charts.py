"""Bar charts of row counts, drawn at build time as static SVG.

Each chart is inline SVG (no script, no request to another host) whose text stays text
(``svg.fonttype: none``), so Chinese labels are drawn by the reader's own fonts and the
numbers can be read, searched and tested. Beside every chart is a table of the same
counts, which is what a screen reader reads (the SVG is one named image).

Counts are of active rows: a withdrawn row is kept in its table but is not a claim.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .data import SiteData
from .markup import esc, table, tag

# Okabe and Ito's palette: told apart with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Fonts that hold Chinese on Debian, macOS and Windows; the browser picks the first it has.
FONTS = ["WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
         "DejaVu Sans", "sans-serif"]


@dataclass(frozen=True)
class Category:
    code: str
    label_en: str
    label_zh: str


@dataclass(frozen=True)
class Chart:
    """Counts per category, for one series (a district) or several (districts compared)."""

    chart_id: str
    title: str
    heading: str  # the table's first column: "topic", "kind"...
    categories: list[Category]
    series: list[tuple[str, list[int]]]  # (name, count per category)


def active(rows: Sequence[Any]) -> list[Any]:
    return [row for row in rows if getattr(row, "status", "active") == "active"]


def count_by(data: SiteData, rows: Sequence[Any], column: str, vocabulary: str) -> tuple[list[Category], Counter]:
    """The categories of ``column`` that occur, in vocabulary order, and their counts."""
    counts = Counter(getattr(row, column) for row in active(rows))
    terms = data.vocabularies.terms(vocabulary)
    return [Category(code, term.label_en, term.label_zh) for code, term in terms.items() if counts[code]], counts


# What a district's summary counts: (table, column, vocabulary, title, heading).
SUMMARIES = (
    ("metrics", "topic", "metric_topics", "Metrics by topic (what is counted)", "topic"),
    ("metrics", "unit", "units", "Metrics by unit", "unit"),
    ("initiatives", "kind", "initiative_kinds", "Initiatives by kind", "kind"),
    ("initiatives", "scope", "scopes", "Initiatives by scope (whose initiative)", "scope"),
    ("annotations", "kind", "annotation_kinds", "Flags: known issues of the source by kind", "kind"),
)


def district_charts(data: SiteData, district_id: str) -> list[Chart]:
    charts = []
    for table_name, column, vocabulary, title, heading in SUMMARIES:
        categories, counts = count_by(data, data.rows_of_district(table_name, district_id), column, vocabulary)
        name = data.districts[district_id].name_en
        charts.append(Chart(f"chart-{table_name}-{column}", title, heading, categories,
                            [(name, [counts[c.code] for c in categories])]))
    return charts


def comparison_charts(data: SiteData) -> list[Chart]:
    """The same summaries with one bar per district, over the categories any district uses."""
    charts = []
    districts = data.rows["districts"]
    for table_name, column, vocabulary, title, heading in SUMMARIES:
        per_district = {d.district_id: count_by(data, data.rows_of_district(table_name, d.district_id), column,
                                                vocabulary)[1] for d in districts}
        used = set().union(*(set(+counts) for counts in per_district.values())) if per_district else set()
        terms = data.vocabularies.terms(vocabulary)
        categories = [Category(code, t.label_en, t.label_zh) for code, t in terms.items() if code in used]
        series = [(f"{d.name_zh} {d.name_en}", [per_district[d.district_id][c.code] for c in categories])
                  for d in districts]
        charts.append(Chart(f"compare-{table_name}-{column}", title, heading, categories, series))
    return charts


# --- drawing ----------------------------------------------------------------------------

FONT_SIZE = 10  # px; the count labels are 9
WIDTH = 480  # px; the page column scales it down on a narrow screen
ROW = 20  # px of a category's band besides its bars
BAR = 16  # px of one series' bar in a band
TOP, BOTTOM = 10, 34  # room above the bars, and below them for the axis and its label


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """About how wide a label is drawn: a CJK character is one em, other characters 0.6 em.
    Only the left margin depends on it; the browser lays out the text itself."""
    return sum(size if ord(char) > 0x2E7F else 0.6 * size for char in text)


def nice_step(largest: int) -> int:
    """An integer tick step giving at most about six ticks."""
    step = 1
    while largest / step > 6:
        for factor in (2, 5, 10):
            if largest / (step * factor) <= 6:
                return step * factor
        step *= 10
    return step


def svg(chart: Chart) -> str:
    """The chart as an inline ``<svg>``: horizontal bars, each labelled with its count.

    Drawn directly as SVG elements (rectangles and text), in time proportional to the
    bars: a chart library's layout took most of a district page's build time."""
    rows, bars = len(chart.categories), len(chart.series)
    band = ROW + BAR * bars
    labels = [f"{c.label_en} {c.label_zh}" for c in chart.categories]
    left = min(WIDTH * 0.45, max(text_width(label) for label in labels) + 16)
    legend = 16 * bars if bars > 1 else 0
    height = TOP + rows * band + BOTTOM + legend
    plot = WIDTH - left - 48  # room after the longest bar for its count
    largest = max((max(counts, default=0) for _, counts in chart.series), default=0) or 1
    scale = plot / largest
    font = ", ".join(f"'{name}'" if " " in name else name for name in FONTS)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
             f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="{esc(font)}" font-size="{FONT_SIZE}">',
             f'<rect width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>']
    for row, label in enumerate(labels):
        middle = TOP + row * band + band / 2
        parts.append(f'<text x="{left - 6:.1f}" y="{middle:.1f}" text-anchor="end" dominant-baseline="middle">'
                     f"{esc(label)}</text>")
    for index, (name, counts) in enumerate(chart.series):
        colour = PALETTE[index % len(PALETTE)]
        for row, (category, count) in enumerate(zip(chart.categories, counts)):
            y = TOP + row * band + ROW / 2 + index * BAR
            length = count * scale
            parts.append(f'<rect x="{left:.1f}" y="{y + 1:.1f}" width="{length:.1f}" height="{BAR - 2}" fill="{colour}">'
                         f"<title>{esc(name)}: {count}</title></rect>")
            parts.append(f'<g id="v-{index}-{category.code}">\n<text x="{left + length + 3:.1f}" y="{y + BAR / 2:.1f}" '
                         f'font-size="9" dominant-baseline="middle">{count}</text>\n</g>')
    axis = TOP + rows * band
    parts.append(f'<line x1="{left:.1f}" y1="{TOP}" x2="{left:.1f}" y2="{axis:.1f}" stroke="#000000"/>')
    parts.append(f'<line x1="{left:.1f}" y1="{axis:.1f}" x2="{left + plot:.1f}" y2="{axis:.1f}" stroke="#000000"/>')
    step = nice_step(largest)
    for tick in range(0, largest + 1, step):
        x = left + tick * scale
        parts.append(f'<line x1="{x:.1f}" y1="{axis:.1f}" x2="{x:.1f}" y2="{axis + 4:.1f}" stroke="#000000"/>'
                     f'<text x="{x:.1f}" y="{axis + 14:.1f}" text-anchor="middle">{tick}</text>')
    parts.append(f'<text x="{left + plot / 2:.1f}" y="{axis + 28:.1f}" text-anchor="middle">rows</text>')
    if bars > 1:
        for index, (name, _) in enumerate(chart.series):
            y = axis + BOTTOM + index * 16
            parts.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="10" height="10" fill="{PALETTE[index % len(PALETTE)]}"/>'
                         f'<text x="{left + 16:.1f}" y="{y + 5:.1f}" dominant-baseline="middle">{esc(name)}</text>')
    parts.append("</svg>")
    return own_ids("\n".join(parts), chart.chart_id)


_ID = re.compile(r'(\bid="|url\(#|xlink:href="#)([^")]+)')


def own_ids(text: str, prefix: str) -> str:
    """The bare ``<svg>`` element, its ids prefixed so several charts can share a page."""
    text = text[text.index("<svg"):]
    text = re.sub(r"\n\s*\n", "\n", text)  # a blank line would end Markdown's raw HTML block
    return _ID.sub(lambda match: f"{match[1]}{prefix}-{match[2]}", text)


def figure_html(chart: Chart) -> str:
    """The chart, named for assistive technology, and the table of its counts beside it."""
    if not chart.categories:
        return tag("p", esc(f"{chart.title}: no rows."), class_="jc-chart-empty")
    picture = svg(chart).replace("<svg ", f'<svg role="img" aria-label="{esc(chart.title)}: bar chart; '
                                        'the table beside it gives the same counts" ', 1)
    headers = [chart.heading, *(name for name, _ in chart.series)]
    rows = [(esc(c.label_en) + " " + tag("span", esc(c.label_zh), lang="zh-Hans"),
             *(str(counts[i]) for _, counts in chart.series)) for i, c in enumerate(chart.categories)]
    totals = ("total", *(str(sum(counts)) for _, counts in chart.series))
    counts_table = table(headers, [*rows, tuple(tag("strong", cell) for cell in totals)], css="jc-chart-data")
    return tag("figure", tag("figcaption", esc(chart.title)) + tag("div", picture, class_="jc-chart-svg", data_search_exclude=True)
               + counts_table, class_="jc-chart" + (" jc-chart-wide" if len(chart.series) > 1 else ""), id=chart.chart_id)
