"""District pages: facts, initiatives, metrics and the rest as tables people can read.

Every row sits in a table row whose HTML id is the row's ID, so a citation or the source
reader can point at it, and every row links to its words in the source reader.
"""

from __future__ import annotations

from typing import Any

from jiceng.registry import table as table_spec
from jiceng.stats import COUNTING_RULE, PER_DISTRICT

from .charts import comparison_charts, district_charts, figure_html
from .data import (
    ANNOTATIONS,
    DISTRICT_INDEX,
    SiteData,
    district_uri,
    quote_anchor,
    source_uri,
    vocabulary_uri,
)
from .markup import WITHDRAWN_BADGE, esc, href, link, md_escape, raw_block, table, tag
from .report import report_link
from .reader import short_id


COUNTED_TABLES = PER_DISTRICT  # the tables whose rows belong to a district through their source


def district_page(data: SiteData, district_id: str) -> str:
    district = data.districts[district_id]
    uri = district_uri(district_id)
    initiatives = data.rows_of_district("initiatives", district_id)
    metrics = data.rows_of_district("metrics", district_id)
    numbers = data.rows_of_district("non_metric_numbers", district_id)
    annotations = data.counted_of_district("annotations", district_id)  # a withdrawn one is no current issue
    checks = data.rows_of_district("consistency_checks", district_id)

    def count(name: str) -> str:
        return md_escape(data.tally_of_district(name, district_id).parenthesised())
    parts = [
        f"# {md_escape(district.name_zh)} {md_escape(district.name_en)}\n",
        raw_block(district_facts(data, district, uri)),
        "\n## Summary\n",
        "\nActive rows of this district by what they count, what they are and whose they are, and the "
        "flags (known issues) of its source. Each chart has a table of the same counts beside it; "
        "[Compare districts](../compare.md) puts the districts side by side.\n",
        raw_block(tag("div", "".join(figure_html(chart) for chart in district_charts(data, district_id)),
                      class_="jc-charts")),
        f"\n## Initiatives {count('initiatives')}\n",
        "\nNamed programmes, mechanisms, bodies, platforms, facilities and documents. "
        "The words column opens the source reader at the quote.\n",
        raw_block(initiative_table(data, uri, initiatives)),
        f"\n## Metrics {count('metrics')}\n",
        "\nValues are normalised (万 = 10⁴, 亿 = 10⁸): ≥ means at least (余, 多, 以上), "
        "≈ approximately (约, 左右), ≤ at most.\n",
        raw_block(metric_table(data, uri, metrics)),
    ]
    if checks:
        parts += [f"\n## Consistency checks {count('consistency_checks')}\n", raw_block(check_table(data, uri, checks))]
    parts += [
        f"\n## Known issues of the source {count('annotations')}\n",
        "\nDefects of the printed text near these rows; each is explained in full on the "
        "annotations page and next to the words in the source reader.\n",
        raw_block(annotation_summary(data, uri, annotations)),
        f"\n## Numbers that are not metrics {count('non_metric_numbers')}\n",
        "\nEvery other number printed in the source, with the reason it is not a claim.\n",
        raw_block(number_table(data, uri, numbers)),
    ]
    return "".join(parts)


def words_link(data: SiteData, uri: str, row: Any) -> str:
    """The row's quote, as a link to the same words in the source reader."""
    row_id = getattr(row, row.table.primary_key)
    return tag("a", esc(row.quote), href=href(uri, source_uri(row.source_id), quote_anchor(row_id)),
               class_="jc-quote", lang="zh-Hans", title="Open the source at these words")


def label(data: SiteData, vocabulary: str, code: str, uri: str) -> str:
    """A vocabulary code shown by its labels, linked to its definition."""
    term = data.term(vocabulary, code)
    return tag("a", esc(term.label_en) + " " + tag("span", esc(term.label_zh), lang="zh-Hans"),
               href=href(uri, vocabulary_uri(vocabulary), f"code-{code}"), title=term.definition_en,
               class_="jc-label", data_search_exclude=True)  # the same few labels on every row: noise in search


def curators_note(notes: str) -> str:
    """A folded note; left out of the search index, where it would only match by accident."""
    return tag("details", tag("summary", "curator's note") + esc(notes), data_search_exclude=True)


def row_id_cell(data: SiteData, uri: str, row_id: str) -> str:
    """The row's full ID (what a citation names), whether it is withdrawn, and the link to
    report a problem with it."""
    return tag("code", esc(row_id), class_="jc-rowid") + withdrawn_badge(data, uri, row_id) + "<br>" \
        + report_link(data, uri, row_id)


def withdrawn_badge(data: SiteData, uri: str, row_id: str) -> str:
    """A withdrawn row says so in words (not by colour alone) and links the rows that replace it."""
    if not data.withdrawn(row_id):
        return ""
    badge = " " + WITHDRAWN_BADGE
    replacements = [link(new, href(uri, *data.row_pages[new]), class_="jc-rowid")
                    for new in data.replacements(row_id) if new in data.row_pages]
    if replacements:
        badge += " " + tag("span", "superseded by " + ", ".join(replacements), class_="jc-superseded")
    return badge


def table_label(name: str) -> str:
    """A table as the registry names it ("non-metric numbers"), in running text."""
    title = table_spec(name).title
    return title[:1].lower() + title[1:]


def district_facts(data: SiteData, district: Any, uri: str) -> str:
    level = data.term("district_levels", district.level)
    facts = [
        ("GB/T 2260 code", tag("code", esc(district.district_id))),
        ("Level", esc(f"{level.label_en} {level.label_zh}")),
        ("Prefecture", esc(f"{district.prefecture_zh} {district.prefecture_en} ({district.prefecture_id})")),
        ("Province", esc(f"{district.province_zh} {district.province_en} ({district.province_id})")),
    ]
    if district.development_goals_zh:
        goals = tag("span", esc(district.development_goals_zh), lang="zh-Hans")
        if district.development_goals_en:
            goals += "<br>" + esc(district.development_goals_en)
        if district.goals_source_id:
            goals += " · " + link("words in the source", href(uri, source_uri(district.goals_source_id),
                                                               quote_anchor(district.district_id)))
        facts.append(("Stated development goals", goals))
    else:
        facts.append(("Stated development goals", "none stated"))
    for source in data.sources_of_district(district.district_id):
        facts.append(("Source", link(source.title_zh, href(uri, source_uri(source.source_id)))
                      + esc(f" — {source.title_en}; {source.author_zh or ''} {source.author_en or ''}, "
                            f"{source.author_role_en or ''}")))
    if district.notes:
        facts.append(("Notes", esc(district.notes)))
    facts.append(("Rows", esc(", ".join(data.tally_of_district(name, district.district_id).phrase(table_label(name))
                                        for name in COUNTED_TABLES))))
    return tag("div", table(("", ""), [(tag("strong", esc(k)), v) for k, v in facts], css="jc-facts jc-cards"),
               id="goals")


def initiative_table(data: SiteData, uri: str, rows: list[Any]) -> str:
    cells = []
    for row in rows:
        name = tag("strong", esc(row.name_zh), lang="zh-Hans") + "<br>" + esc(row.name_en)
        if row.name_basis != "as_written":
            name += " " + tag("span", "(" + label(data, "name_bases", row.name_basis, uri) + ")", class_="jc-basis")
        description = esc(row.description_en) + tag("p", esc(row.description_zh), class_="jc-zh", lang="zh-Hans")
        if row.notes:
            description += curators_note(row.notes)
        name += tag("p", label(data, "initiative_kinds", row.kind, uri) + "<br>"
                    + label(data, "initiative_categories", row.category, uri), class_="jc-small")
        cells.append((row_id_cell(data, uri, row.initiative_id), name, description, words_link(data, uri, row)))
    ids = [row.initiative_id for row in rows]
    return table(("ID", "initiative · kind · area", "description", "words in the source"), cells,
                 row_ids=ids, row_css=data.row_classes(ids), css="jc-initiatives jc-cards jc-filterable")


def metric_table(data: SiteData, uri: str, rows: list[Any]) -> str:
    cells = []
    for row in rows:
        subject = esc(row.subject_en) + tag("p", esc(row.subject_zh), class_="jc-zh", lang="zh-Hans")
        if row.initiative_id:
            initiative = data.initiatives[row.initiative_id]
            subject += tag("p", "initiative: " + link(initiative.name_zh, href(uri, *data.row_pages[row.initiative_id])),
                           class_="jc-small")
        if row.notes:
            subject += curators_note(row.notes)
        written = tag("span", esc(row.value_text), lang="zh-Hans")
        if row.period_text:
            written += "<br>" + "period: " + tag("span", esc(row.period_text), lang="zh-Hans")
        cells.append((
            row_id_cell(data, uri, row.metric_id),
            subject,
            tag("span", esc(data.value_label(row)), class_="jc-value"),
            written,
            label(data, "value_types", row.value_type, uri),
            words_link(data, uri, row),
        ))
    ids = [row.metric_id for row in rows]
    return table(("ID", "what is counted", "value", "as written", "type", "words in the source"), cells,
                 row_ids=ids, row_css=data.row_classes(ids), css="jc-metrics jc-cards jc-filterable")


def check_table(data: SiteData, uri: str, rows: list[Any]) -> str:
    cells = []
    for row in rows:
        metrics = ", ".join(link(short_id(m), href(uri, *data.row_pages[m]), title=data.metrics[m].subject_en)
                            for m in row.metrics)
        annotation = "—"
        if row.annotation_id:
            annotation = link(row.annotation_id, href(uri, ANNOTATIONS, row.annotation_id), class_="jc-rowid")
        cells.append((row_id_cell(data, uri, row.check_id), label(data, "consistency_kinds", row.kind, uri),
                      esc(row.description_en), metrics, tag("span", esc(f"{row.recomputed:g}"), class_="jc-value"),
                      label(data, "consistency_outcomes", row.outcome, uri), annotation))
    ids = [row.check_id for row in rows]
    return table(("ID", "kind", "what is checked", "metrics (stated figures)", "recomputed", "outcome", "annotation"),
                 cells, row_ids=ids, row_css=data.row_classes(ids), css="jc-checks jc-cards")


def annotation_summary(data: SiteData, uri: str, rows: list[Any]) -> str:
    cells = [(
        link(row.annotation_id, href(uri, ANNOTATIONS, row.annotation_id), class_="jc-rowid")
        + "<br>" + report_link(data, uri, row.annotation_id),
        label(data, "annotation_kinds", row.kind, uri),
        esc(row.description_en),
        words_link(data, uri, row),
    ) for row in rows]
    return table(("ID", "kind", "what is wrong", "words in the source"), cells, css="jc-annotations jc-cards")


def number_table(data: SiteData, uri: str, rows: list[Any]) -> str:
    cells = [(
        row_id_cell(data, uri, row.number_id),
        tag("span", esc(row.number_text), lang="zh-Hans"),
        label(data, "non_metric_reasons", row.reason, uri),
        esc(row.explanation_en),
        words_link(data, uri, row),
    ) for row in rows]
    ids = [row.number_id for row in rows]
    return table(("ID", "number as written", "reason", "explanation", "words in the source"), cells,
                 row_ids=ids, row_css=data.row_classes(ids), css="jc-numbers jc-cards jc-filterable")


def districts_index(data: SiteData) -> str:
    rows = []
    for district in data.rows["districts"]:
        rows.append((
            link(f"{district.name_zh} {district.name_en}", href(DISTRICT_INDEX, district_uri(district.district_id))),
            tag("code", esc(district.district_id)),
            esc(f"{district.prefecture_zh} {district.prefecture_en}, {district.province_zh} {district.province_en}"),
            *(esc(str(data.tally_of_district(name, district.district_id))) for name in COUNTED_TABLES),
        ))
    return ("# Districts\n\nOne page per county-level division, keyed by its GB/T 2260 code: what its "
            "sources state, as readable tables, each row linked to its words in the source.\n"
            + f"\n{COUNTING_RULE}\n"
            + raw_block(table(("district", "GB/T 2260", "prefecture, province", *map(table_label, COUNTED_TABLES)),
                              rows, css="jc-cards")))


COMPARE = "compare.md"


def comparison_page(data: SiteData) -> str:
    """The districts side by side: the summaries of their pages, one bar per district (their
    spread, when there are more districts than colours)."""
    essays = {d.district_id: sum(s.span_end - s.span_start for s in data.sources_of_district(d.district_id))
              for d in data.rows["districts"]}
    lengths = [(link(f"{d.name_zh} {d.name_en}", href(COMPARE, district_uri(d.district_id))),
                str(len(data.sources_of_district(d.district_id))), f"{essays[d.district_id]:,}")
               for d in data.rows["districts"]]
    return (
        "# Compare districts\n\nWhat each district's essay reports, counted the same way for every district "
        "(active rows; initiatives are selected by one written rule, `CONTRIBUTING.md`, "
        "*What counts as an initiative*; see also the [initiatives table](dictionary/initiatives.md)). The counts describe "
        "what the essays say, not the districts: a longer essay reports more, and each essay is one "
        "self-reported text. Each chart has a table of the same counts beside it. With more districts "
        "than a chart has colours to tell them apart, a chart shows how the districts' counts spread "
        "(a box plot: the middle half of the districts in the box, the least and the most at the "
        "whiskers' ends, the median written beside it), and its table lists a district a row.\n"
        + raw_block(table(("district", "essays", "characters of its essays"), lengths, css="jc-cards"))
        + "".join(f"\n## {md_escape(chart.title)}\n" + raw_block(figure_html(chart)) for chart in comparison_charts(data))
    )
