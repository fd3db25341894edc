"""Charts of the site (docs/jiceng_site/charts.py): drawn once per build for every chart
that shows the same, and put into each page after it is rendered."""

from __future__ import annotations

import re

import jiceng_site as site
from jiceng_site import charts
from jiceng_site.charts import Category, Chart

CATEGORIES = [Category("party_organisations", "Party organisations", "党组织"), Category("money", "Money", "资金")]


def district_chart(name: str, counts: list[int], chart_id: str = "chart-metrics-topic") -> Chart:
    return Chart(chart_id, "Metrics by topic", "topic", CATEGORIES, [(name, counts)])


def counting_svg(monkeypatch) -> list[str]:
    drawn: list[str] = []
    draw = charts.svg

    def svg(chart: Chart) -> str:
        drawn.append(chart.chart_id)
        return draw(chart)

    monkeypatch.setattr(charts, "svg", svg)
    charts.forget_pictures()
    return drawn


def test_districts_with_the_same_counts_share_one_drawing(monkeypatch):
    drawn = counting_svg(monkeypatch)
    first = charts.drawn(district_chart("晋源区 Jinyuan District", [3, 1]))
    second = charts.drawn(district_chart("珠山区 Zhushan District", [3, 1]))
    assert first == second and len(drawn) == 1
    assert charts.drawn(district_chart("珠山区 Zhushan District", [3, 2])) != first
    assert charts.drawn(district_chart("晋源区 Jinyuan District", [3, 1], "chart-metrics-unit")) != first
    assert len(drawn) == 3


def test_charts_with_a_legend_are_drawn_for_each_set_of_names(monkeypatch):
    drawn = counting_svg(monkeypatch)
    series = [("晋源区 Jinyuan District", [3, 1]), ("珠山区 Zhushan District", [2, 2])]
    renamed = [("通化县 Tonghua County", [3, 1]), ("珠山区 Zhushan District", [2, 2])]
    one = charts.drawn(Chart("compare-metrics-topic", "Metrics by topic", "topic", CATEGORIES, series))
    other = charts.drawn(Chart("compare-metrics-topic", "Metrics by topic", "topic", CATEGORIES, renamed))
    assert len(drawn) == 2 and "Tonghua County" in other and "Tonghua County" not in one


def test_a_page_gets_its_chart_pictures_when_finished(monkeypatch):
    counting_svg(monkeypatch)
    figure = charts.figure_html(district_chart("晋源区 Jinyuan District", [3, 1]))
    assert "<svg" not in figure
    page = site.finish_page(f"<html lang=\"en\"><body>{figure}</body></html>")
    (opening,) = re.findall(r"<svg [^>]*>", page)
    assert 'role="img"' in opening and 'aria-label="Metrics by topic: bar chart;' in opening
    picture = page[page.index("<svg"):page.index("</svg>")]
    assert re.search(r">\s*3\s*<", picture) and "<!-- jiceng-chart:" not in page  # the count at its bar, as text


def many_districts(count: int) -> list[tuple[str, list[int]]]:
    return [(f"第{number}区 District {number}", [number % 5, 1 + number % 2]) for number in range(count)]


def test_more_districts_than_colours_are_compared_as_a_spread_not_as_bars(monkeypatch):
    counting_svg(monkeypatch)
    series = many_districts(len(charts.PALETTE) + 1)
    chart = Chart("compare-metrics-topic", "Metrics by topic", "topic", CATEGORIES, series)
    assert chart.distribution
    page = site.finish_page(f"<html lang=\"en\"><body>{charts.figure_html(chart)}</body></html>")
    assert "box plot of the districts' counts" in page
    picture = page[page.index("<svg"):page.index("</svg>")]
    assert "District 0" not in picture  # no legend of districts
    topic_counts = sorted(counts[0] for _, counts in series)
    assert f"median {topic_counts[len(topic_counts) // 2]:g}, most {max(topic_counts)}" in picture
    data = page[page.index('jc-chart-data'):]
    rows = re.findall(r"<tr>(.*?)</tr>", data)
    assert len(rows) == 1 + len(series)  # the header, then a district a row
    assert rows[0].startswith("<th>district") and "District 0" in rows[1] and f">{sum(series[0][1])}<" in rows[1]


def test_a_few_districts_are_compared_as_bars_with_a_legend(monkeypatch):
    counting_svg(monkeypatch)
    series = many_districts(len(charts.PALETTE))
    chart = Chart("compare-metrics-topic", "Metrics by topic", "topic", CATEGORIES, series)
    assert not chart.distribution
    picture = charts.drawn(chart)
    assert "District 0" in picture and "median" not in picture
