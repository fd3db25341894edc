"""Bar charts of row counts, drawn at build time with matplotlib as static SVG.

Each chart is inline SVG (no script, no request to another host) whose text stays text
(``svg.fonttype: none``), so Chinese labels are drawn by the reader's own fonts and the
numbers can be read, searched and tested. Beside every chart is a table of the same
counts, which is what a screen reader reads (the SVG is one named image).

Counts are of active rows: a withdrawn row is kept in its table but is not a claim.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jiceng.stats import counted

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

    @property
    def distribution(self) -> bool:
        """More series than colours to tell them apart: each category's counts are shown as
        their spread across the series (a box plot), and the table lists a series a row."""
        return len(self.series) > len(PALETTE)


def active(rows: Sequence[Any]) -> list[Any]:
    """The rows a count counts, as every count of the package does (:func:`jiceng.stats.counted`)."""
    return [row for row in rows if counted(getattr(row, "status", None))]


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


# A fixed layout, in inches: matplotlib's tight layout measures every text once more in a
# second, throw-away drawing of the figure, which doubled the cost of a chart.
WIDTH, TOP, BOTTOM, RIGHT = 6.4, 0.1, 0.5, 0.15
EM = 10 / 72  # inches of a 10-point em: a Chinese character is one em wide, a Latin one about half


def label_width(text: str) -> float:
    """The width of a tick label in inches, from its characters (wide ones count one em)."""
    return EM * sum(1.0 if ord(char) > 0x2E7F else 0.53 for char in text)


def figure_for(width: float, height: float) -> Any:
    """The one figure every chart is drawn on, cleared and sized for the next chart."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    global _FIGURE
    if _FIGURE is None:
        _FIGURE = Figure()
    _FIGURE.clear()
    _FIGURE.set_size_inches(width, height)
    return _FIGURE


_FIGURE = None


def svg(chart: Chart) -> str:
    """The chart as an inline ``<svg>``: horizontal bars, each labelled with its count."""
    import matplotlib

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # a missing family is not news

    rows, bars = len(chart.categories), 1 if chart.distribution else len(chart.series)
    height = 0.8 + rows * (0.2 + 0.16 * bars)
    labels = [f"{c.label_en} {c.label_zh}" for c in chart.categories]
    left = 0.15 + max(label_width(text) for text in labels)
    style = {"svg.fonttype": "none", "svg.hashsalt": chart.chart_id, "font.family": FONTS, "font.size": 10,
             "font.sans-serif": ["DejaVu Sans"], "axes.spines.top": False, "axes.spines.right": False}
    with matplotlib.rc_context(style), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a font without Chinese glyphs only changes the measured widths
        figure = figure_for(WIDTH, height)
        axes = figure.add_axes((left / WIDTH, BOTTOM / height, 1 - (left + RIGHT) / WIDTH,
                                1 - (TOP + BOTTOM) / height))
        width = 0.8 / bars
        if chart.distribution:
            draw_distribution(axes, chart)
        for index, (name, counts) in enumerate([] if chart.distribution else chart.series):
            positions = [row + (index - (bars - 1) / 2) * width for row in range(rows)]
            drawn = axes.barh(positions, counts, height=width * 0.92, color=PALETTE[index % len(PALETTE)],
                              label=name)
            for code, label in zip((c.code for c in chart.categories),
                                   axes.bar_label(drawn, padding=3, fontsize=9)):
                label.set_gid(f"v-{index}-{code}")
        axes.set_yticks(range(rows), labels)
        axes.invert_yaxis()
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.set_xlabel(f"rows of a district ({len(chart.series)} districts)" if chart.distribution else "rows")
        axes.margins(x=0.12)
        if bars > 1:
            axes.legend(loc="lower right", frameon=False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return own_ids(buffer.getvalue(), chart.chart_id)


def draw_distribution(axes: Any, chart: Chart) -> None:
    """One box a category: quartiles of the districts' counts, whiskers to the least and the
    most, the median written beside it (one artist a category, however many districts)."""
    columns = [[counts[i] for _, counts in chart.series] for i in range(len(chart.categories))]
    axes.boxplot(columns, positions=range(len(columns)), vert=False, whis=(0, 100), widths=0.6,
                 patch_artist=True, boxprops={"facecolor": PALETTE[4], "edgecolor": PALETTE[0]},
                 medianprops={"color": PALETTE[7]}, showfliers=False)
    for row, values in enumerate(columns):
        ordered = sorted(values)
        median = ordered[len(ordered) // 2] if len(ordered) % 2 else (ordered[len(ordered) // 2 - 1]
                                                                     + ordered[len(ordered) // 2]) / 2
        text = axes.annotate(f"median {median:g}, most {max(values)}", (max(values), row), xytext=(4, 0),
                             textcoords="offset points", va="center", fontsize=9)
        text.set_gid(f"v-median-{chart.categories[row].code}")


_ID = re.compile(r'(\bid="|url\(#|xlink:href="#)([^")]+)')


def own_ids(text: str, prefix: str) -> str:
    """The bare ``<svg>`` element, its ids prefixed so several charts can share a page."""
    text = text[text.index("<svg"):]
    text = re.sub(r"\n\s*\n", "\n", text)  # a blank line would end Markdown's raw HTML block
    text = re.sub(r"<style[^>]*>.*?</style>", "", text, flags=re.S)  # matplotlib's '*' rule would reach the page
    return _ID.sub(lambda match: f"{match[1]}{prefix}-{match[2]}", text)


# A chart's picture waits outside its page's Markdown until the page is rendered
# (``insert_pictures``): Markdown, the search plugin and the Chinese tagger would otherwise
# each parse every SVG of the page, only to pass it over unchanged (raw HTML, excluded from
# search, no text to tag), which cost as much again as drawing it.
_PICTURES: dict[str, str] = {}
_PLACEHOLDER = re.compile(r"<!-- jiceng-chart:(\d+) -->")


# Pictures already drawn in this build, by what they show: districts whose counts are the
# same get the same picture (one series draws no district name), drawn once.
_DRAWN: dict[tuple, str] = {}


def forget_pictures() -> None:
    """A new build draws its charts again."""
    _PICTURES.clear()
    _DRAWN.clear()


def drawn(chart: Chart) -> str:
    """The chart's SVG, drawn once per build for every chart that shows the same."""
    names = tuple(name for name, _ in chart.series) if len(chart.series) > 1 else ()  # a legend names them
    key = (chart.chart_id, tuple(chart.categories), names, tuple(tuple(counts) for _, counts in chart.series))
    if key not in _DRAWN:
        _DRAWN[key] = svg(chart)
    return _DRAWN[key]


def insert_pictures(html: str) -> str:
    """The rendered page with its charts' pictures in their places."""
    return _PLACEHOLDER.sub(lambda match: _PICTURES[match[1]], html)


def picture_placeholder(picture: str) -> str:
    key = str(len(_PICTURES))
    _PICTURES[key] = picture
    return f"<!-- jiceng-chart:{key} -->"


def figure_html(chart: Chart) -> str:
    """The chart, named for assistive technology, and the table of its counts beside it."""
    if not chart.categories:
        return tag("p", esc(f"{chart.title}: no rows."), class_="jc-chart-empty")
    form = "box plot of the districts' counts" if chart.distribution else "bar chart"
    picture = picture_placeholder(drawn(chart).replace(
        "<svg ", f'<svg role="img" aria-label="{esc(chart.title)}: {form}; the table beside it gives the same '
        'counts" ', 1))
    labels = [esc(c.label_en) + " " + tag("span", esc(c.label_zh), lang="zh-Hans") for c in chart.categories]
    if chart.distribution:  # a district a row: a table hundreds of columns wide cannot be read
        rows = [(esc(name), *(str(count) for count in counts), str(sum(counts))) for name, counts in chart.series]
        headers = ["district", *(f"{c.label_en} {c.label_zh}" for c in chart.categories), "total"]
        counts_table = table(headers, rows, css="jc-chart-data")
    else:
        headers = [chart.heading, *(name for name, _ in chart.series)]
        rows = [(label, *(str(counts[i]) for _, counts in chart.series)) for i, label in enumerate(labels)]
        totals = ("total", *(str(sum(counts)) for _, counts in chart.series))
        counts_table = table(headers, [*rows, tuple(tag("strong", cell) for cell in totals)], css="jc-chart-data")
    return tag("figure", tag("figcaption", esc(chart.title)) + tag("div", picture, class_="jc-chart-svg", data_search_exclude=True)
               + counts_table, class_="jc-chart" + (" jc-chart-wide" if len(chart.series) > 1 else ""), id=chart.chart_id)
