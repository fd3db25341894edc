"""The site tells withdrawn rows apart: counts leave them out and say so, tables mark them in
words and link their replacement, and a withdrawn annotation is no current issue.

Built from a copy of the package in which the test withdraws rows itself, so it holds
whatever the bundled data withdraws.
"""

from __future__ import annotations

import html
import re

import pytest
from conftest import PackageCopy, copy_package

import jiceng_site as site
from jiceng.bundle import package_root, repository_root
from jiceng.stats import counted
from jiceng_site.glossary import occurrences, where_used
from jiceng_site.search import search_entries
from jiceng_site.pages import counts


def withdraw(copy: PackageCopy, table: str, key: str, replaced_by_next: bool) -> tuple[str, str | None, str]:
    """Withdraw the first active row of ``table``; when asked, say it is superseded by the next
    active row of the same source. (row ID, replacement ID, district ID)."""
    rows = copy.rows(table)
    index = next(i for i, row in enumerate(rows) if row["status"] == "active")
    row = rows[index]
    replacement = None
    if replaced_by_next:
        replacement = next(r[key] for r in rows[index + 1:] if r["status"] == "active" and r["source_id"] == row["source_id"])
        row["notes"] = f"Withdrawn: superseded by {replacement}"
    row["status"] = "withdrawn"
    copy.write_rows(table, rows)
    district = next(s["district_id"] for s in copy.rows("sources") if s["source_id"] == row["source_id"])
    return row[key], replacement, district


@pytest.fixture(scope="module")
def withdrawn_site(tmp_path_factory):
    copy = PackageCopy(copy_package(tmp_path_factory.mktemp("withdrawn") / "package"))
    initiative = withdraw(copy, "initiatives", "initiative_id", replaced_by_next=True)
    annotation = withdraw(copy, "annotations", "annotation_id", replaced_by_next=False)
    pages = site.generated_pages(site.load(copy.root), repository_root())
    return copy, pages, initiative, annotation


def active_count(copy: PackageCopy, table: str, district: str | None = None) -> tuple[int, int]:
    sources = {s["source_id"] for s in copy.rows("sources") if district is None or s["district_id"] == district}
    statuses = [row["status"] for row in copy.rows(table) if row["source_id"] in sources]
    return statuses.count("active"), statuses.count("withdrawn")


def row_html(page: str, row_id: str) -> str:
    match = re.search(rf'<tr id="{re.escape(row_id)}"[^>]*>.*?</tr>', page)
    assert match, f"no table row {row_id}"
    return match.group(0)


def test_district_page_counts_active_initiatives_and_says_how_many_withdrawn(withdrawn_site):
    copy, pages, (_, _, district), _ = withdrawn_site
    active, withdrawn = active_count(copy, "initiatives", district)
    page = pages[f"districts/{district}.md"]
    assert f"## Initiatives \\({active}; {withdrawn} withdrawn not counted\\)" in page
    assert f"{active} initiatives ({withdrawn} withdrawn not counted)" in page


def test_withdrawn_row_is_marked_in_words_and_links_its_replacement(withdrawn_site):
    _, pages, (row_id, replacement, district), _ = withdrawn_site
    shown = row_html(pages[f"districts/{district}.md"], row_id)
    assert shown.startswith(f'<tr id="{row_id}" class="jc-withdrawn">')
    assert ">withdrawn</span>" in shown
    assert f'superseded by <a href="#{replacement}"' in shown


def test_an_active_row_carries_no_withdrawn_mark(withdrawn_site):
    _, pages, (_, replacement, district), _ = withdrawn_site
    shown = row_html(pages[f"districts/{district}.md"], replacement)
    assert "jc-withdrawn" not in shown and "superseded by" not in shown


def test_home_and_districts_index_count_as_the_district_page(withdrawn_site):
    copy, pages, (_, _, district), _ = withdrawn_site
    active, withdrawn = active_count(copy, "initiatives", district)
    total, total_withdrawn = active_count(copy, "initiatives")
    assert f">{active} ({withdrawn} withdrawn not counted)<" in pages["districts/index.md"]
    assert f">{total} ({total_withdrawn} withdrawn not counted)<" in counts(site.load(copy.root))


def test_a_withdrawn_annotation_is_not_listed_as_a_known_issue_of_its_district(withdrawn_site):
    copy, pages, _, (annotation_id, _, district) = withdrawn_site
    page = pages[f"districts/{district}.md"]
    known = page.split("## Known issues of the source", 1)[1].split("\n## ", 1)[0]
    active, withdrawn = active_count(copy, "annotations", district)
    assert annotation_id not in known
    assert known.startswith(f" \\({active}; {withdrawn} withdrawn not counted\\)")
    assert known.count('class="jc-rowid"') == active


def test_the_annotations_page_marks_the_withdrawn_annotation_and_counts_like_the_compare_page(withdrawn_site):
    copy, pages, _, (annotation_id, _, district) = withdrawn_site
    shown = row_html(pages["annotations.md"], annotation_id)
    assert 'class="jc-withdrawn"' in shown and ">withdrawn</span>" in shown
    active, _ = active_count(copy, "annotations", district)
    name = next(f"{d['name_zh']} {d['name_en']}" for d in copy.rows("districts") if d["district_id"] == district)
    flags = pages["compare.md"].split("## Flags", 1)[1]
    totals = flags.split("total</strong>", 1)[1]
    assert f'<td data-label="{name}"><strong>{active}</strong>' in totals
    heading = re.search(rf"\n## {re.escape(name.split()[0])} .*: (\d+)", pages["annotations.md"])
    assert heading and int(heading.group(1)) == active


def test_consistency_checks_show_the_recomputed_figure_and_the_outcome_in_words(withdrawn_site):
    copy, pages, _, _ = withdrawn_site
    check = copy.rows("consistency_checks")[0]
    district = next(s["district_id"] for s in copy.rows("sources") if s["source_id"] == check["source_id"])
    shown = row_html(pages[f"districts/{district}.md"], check["check_id"])
    outcome = {"agrees": "Agrees", "disagrees": "Disagrees"}[check["outcome"]]
    assert f">{outcome} <span" in shown
    assert f">{float(check['recomputed']):g}</span>" in shown


def test_glossary_lists_a_terms_active_rows_before_its_withdrawn_row_and_marks_that():
    data = site.load(package_root())
    found = {t.term_zh: occurrences(data, t.term_zh).rows for t in data.rows["glossary"]}
    term, rows = next((term, rows) for term, rows in found.items()
                      if len(rows) >= 2 and all(counted(row.status) for row in rows[:2]))
    first = rows[0]
    table_rows = data.rows[first.table.name]
    table_rows[table_rows.index(first)] = first.model_copy(update={"status": "withdrawn"})
    withdrawn_id = getattr(first, first.table.primary_key)
    shown = where_used(data, term)
    links = re.findall(r'class="jc-rowid">([^<]+)</a>( <span class="jc-badge[^>]*>withdrawn</span>)?', shown)
    assert [row for row, badge in links if badge] == ([withdrawn_id] if withdrawn_id in dict(links) else [])
    assert links[0][0] != withdrawn_id


def test_the_source_readers_row_index_marks_the_withdrawn_row_for_its_menu(withdrawn_site):
    copy, pages, (row_id, _, _), _ = withdrawn_site
    source = next(r["source_id"] for r in copy.rows("initiatives") if r["initiative_id"] == row_id)
    shown = row_html(pages[f"sources/{source}.md"], f"r-{row_id}")
    assert 'class="jc-withdrawn"' in shown and ">withdrawn</span>" in shown  # the menu copies this cell
    words = re.search(rf'<a [^>]*data-rows="[^"]*{re.escape(row_id)}[^"]*"[^>]*>', pages[f"sources/{source}.md"])
    assert words and "(withdrawn)" in html.unescape(words.group(0))


def test_search_marks_a_withdrawn_row_and_ranks_it_below_active_rows(withdrawn_site):
    copy, _, (row_id, _, _), _ = withdrawn_site
    entries = {e["location"].split("#")[1]: e for e in search_entries(site.load(copy.root)) if "#" in e["location"]}
    withdrawn, active = entries[row_id], entries[next(r["initiative_id"] for r in copy.rows("initiatives")
                                                       if r["status"] == "active")]
    assert withdrawn["title"].startswith("withdrawn · ")
    assert withdrawn["boost"] < active.get("boost", 1)


def test_source_reader_pages_are_titled_in_chinese_and_english(withdrawn_site):
    copy, pages, _, _ = withdrawn_site
    for source in copy.rows("sources"):
        heading = pages[f"sources/{source['source_id']}.md"].split("\n", 1)[0]
        assert source["title_zh"] in heading.replace("\\", "") and source["title_en"] in heading.replace("\\", "")
    titles = [next(iter(item)) for item in site.nav_children(site.load(copy.root))["sources/index.md"]]
    assert all(html.unescape(t) == f"{s['title_zh']} — {s['title_en']}" for t, s in zip(titles, copy.rows("sources")))


def test_dictionary_and_vocabulary_pages_count_only_active_rows(withdrawn_site):
    copy, pages, (row_id, _, _), _ = withdrawn_site
    rows = copy.rows("initiatives")
    active = sum(r["status"] == "active" for r in rows)
    withdrawn = sum(r["status"] == "withdrawn" for r in rows)
    assert f">{active} ({withdrawn} withdrawn not counted)<" in pages["dictionary/index.md"]
    kind = next(r["kind"] for r in rows if r["initiative_id"] == row_id)
    uses = sum(r["kind"] == kind and r["status"] == "active" for r in rows)
    shown = row_html(pages["vocabularies/initiative_kinds.md"], f"code-{kind}")
    assert shown.split("<td")[-1].startswith(f' data-label="rows">{uses}<')
