"""The site for researchers, read from the built files: charts, downloads, search entries.

Expected figures are computed here from the package's CSV files with the csv module, not
from the code that draws the charts or writes the downloads.
"""

from __future__ import annotations

import csv
import json
import hashlib
import html
import re
import unicodedata
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import yaml
from test_docs_build import CHECKOUT, built_site

from jiceng.bundle import package_root

if CHECKOUT is None:
    pytest.skip("the site is built from the source checkout", allow_module_level=True)

# What a district's summary counts: chart id → (table, column).
SUMMARIES = {"chart-metrics-topic": ("metrics", "topic"), "chart-metrics-unit": ("metrics", "unit"),
             "chart-initiatives-kind": ("initiatives", "kind"), "chart-initiatives-scope": ("initiatives", "scope"),
             "chart-annotations-kind": ("annotations", "kind")}


@pytest.fixture(scope="module")
def site_dir() -> Path:
    directory, result = built_site()
    assert result.returncode == 0, result.stderr
    return directory


def csv_rows(name: str) -> list[dict[str, str]]:
    with (package_root() / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_counts(district_id: str, table: str, column: str) -> dict[str, int]:
    """Active rows of the district (through their source), per code."""
    district_of = {row["source_id"]: row["district_id"] for row in csv_rows("sources")}
    return dict(Counter(row[column] for row in csv_rows(table)
                        if row["status"] == "active" and district_of[row["source_id"]] == district_id))


def chart_labels(page: str, chart_id: str, series: int = 0) -> dict[str, int]:
    """The numbers printed on the bars of one chart, per code."""
    found = re.findall(rf'<g id="{chart_id}-v-{series}-([a-z_]+)">\s*<text[^>]*>(\d+)</text>', page)
    return {code: int(value) for code, value in found}


def district_ids() -> list[str]:
    return [row["district_id"] for row in csv_rows("districts")]


@pytest.mark.parametrize("chart_id", SUMMARIES)
def test_each_district_chart_prints_the_counts_of_the_tables(site_dir, chart_id):
    for district_id in district_ids():
        page = (site_dir / "districts" / f"{district_id}.html").read_text(encoding="utf-8")
        expected = expected_counts(district_id, *SUMMARIES[chart_id])
        assert chart_labels(page, chart_id) == expected, district_id


def test_comparison_chart_has_one_bar_per_district_with_its_count(site_dir):
    page = (site_dir / "compare.html").read_text(encoding="utf-8")
    for series, district_id in enumerate(district_ids()):
        expected = expected_counts(district_id, "initiatives", "kind")
        printed = chart_labels(page, "compare-initiatives-kind", series)
        assert {code: n for code, n in printed.items() if n} == expected, district_id


def test_every_chart_is_a_named_image_with_a_table_of_its_counts(site_dir):
    pages = [site_dir / "compare.html", *(site_dir / "districts" / f"{d}.html" for d in district_ids())]
    for path in pages:
        page = path.read_text(encoding="utf-8")
        figures = re.findall(r'<figure class="jc-chart[^"]*" id="[^"]+">.*?</figure>', page, re.S)
        assert figures, path.name
        for figure in figures:
            assert re.search(r'<svg role="img" aria-label="[^"]+"', figure), path.name
            assert "<table>" in figure and "<th>" in figure, path.name
            assert "http://" not in re.sub(r'xmlns(:\w+)?="[^"]*"|rdf:resource="[^"]*"', "", figure)


def download_rows(site_dir: Path) -> list[tuple[str, str]]:
    """(link, sha256) of each row of the Downloads page."""
    page = (site_dir / "downloads.html").read_text(encoding="utf-8")
    return re.findall(r'<a href="(downloads/[^"]+)" download>.*?<code class="jc-sha">([0-9a-f]{64})</code>', page)


def test_every_download_is_listed_with_its_real_sha256(site_dir):
    rows = download_rows(site_dir)
    names = {Path(uri).name for uri, _ in rows}
    assert {"metrics.csv", "initiatives.csv", "glossary.csv"} <= names
    assert {suffix for suffix in (".xlsx", ".db", ".json", ".parquet.zip", "-package.zip")
            if any(name.endswith(suffix) for name in names)} == {".xlsx", ".db", ".json", ".parquet.zip",
                                                                  "-package.zip"}
    for uri, digest in rows:
        assert hashlib.sha256((site_dir / uri).read_bytes()).hexdigest() == digest, uri


def test_csv_downloads_are_the_package_files_byte_for_byte(site_dir):
    for name in ("metrics", "initiatives", "sources"):
        assert (site_dir / "downloads" / f"{name}.csv").read_bytes() == \
            (package_root() / "data" / f"{name}.csv").read_bytes()


def test_excel_download_has_frozen_headers_filters_and_every_metric(site_dir):
    workbook_path = next((site_dir / "downloads").glob("*.xlsx"))
    book = openpyxl.load_workbook(workbook_path)
    sheet = book["metrics"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids == [row["metric_id"] for row in csv_rows("metrics")]


def test_downloads_page_installs_without_the_package_index(site_dir):
    text = html.unescape(re.sub(r"<[^>]+>", "", (site_dir / "downloads.html").read_text(encoding="utf-8")))
    assert "pip install jiceng" not in text
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    wheel = next(line.split("#")[0].strip() for line in readme.splitlines() if "pip wheel" in line)
    assert wheel in text  # the same wheel build as the README, into the virtual environment
    assert "python3 -m build" not in text and "python3 -m pip install build" not in text


# --- reporting an error ---------------------------------------------------------------------


def test_every_row_of_a_district_page_links_to_a_report_naming_it(site_dir):
    for district_id in district_ids():
        page = (site_dir / "districts" / f"{district_id}.html").read_text(encoding="utf-8")
        row_ids = re.findall(r'<tr id="([^"]+)">', page)
        reported = re.findall(r'<a href="([^"]+)" class="jc-report" aria-label="Report a problem with row ([^"]+)"', page)
        assert row_ids and set(row_ids) <= {row_id for _, row_id in reported}
        # mkdocs.yml names no repository yet: the link explains how to report instead
        assert {url for url, _ in reported} == {"../contributing.html#reporting-an-error-in-a-row"}


def test_known_issues_page_shows_full_annotation_ids_each_with_a_report_link(site_dir):
    page = (site_dir / "annotations.html").read_text(encoding="utf-8")
    for row in csv_rows("annotations"):
        assert f'<code class="jc-rowid">{row["annotation_id"]}</code>' in page
        assert f'aria-label="Report a problem with row {row["annotation_id"]}"' in page


def test_with_a_repository_the_report_opens_its_issue_form_filled_in():
    from urllib.parse import parse_qs, urlsplit

    import jiceng_site as site
    from jiceng_site.report import report_url

    data = site.load(package_root())
    data.repo_url = "https://example.org/jiceng/jiceng/"
    url = urlsplit(report_url(data, "districts/220521.md", "1f5f9208bb5fe543-3-m027"))
    version = json.loads((package_root() / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert url.netloc == "example.org" and url.path == "/jiceng/jiceng/issues/new"
    query = parse_qs(url.query)
    assert query["template"] == ["data-error.yml"] and query["row_id"] == ["1f5f9208bb5fe543-3-m027"]
    assert query["version"] == [version]
    form = yaml.safe_load((CHECKOUT / ".github" / "ISSUE_TEMPLATE" / "data-error.yml").read_text(encoding="utf-8"))
    field_ids = {item.get("id") for item in form["body"]}
    assert {"row_id", "version"} <= field_ids  # the query parameters fill these fields


def test_site_shows_contributings_section_on_reporting(site_dir):
    page = (site_dir / "contributing.html").read_text(encoding="utf-8")
    assert 'id="reporting-an-error-in-a-row"' in page
    assert "same ID" in html.unescape(re.sub(r"<[^>]+>", "", page))


# --- search that lands, glossary ---------------------------------------------------------------


@pytest.fixture(scope="module")
def search_docs(site_dir) -> list[dict]:
    return json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_every_search_entry_with_an_anchor_lands_on_an_element_of_its_page(site_dir, search_docs):
    pages: dict[str, str] = {}
    anchored = [doc for doc in search_docs if "#" in doc["location"]]
    for doc in anchored:
        path, anchor = doc["location"].split("#", 1)
        if path not in pages:
            pages[path] = (site_dir / path).read_text(encoding="utf-8")
        assert f'id="{anchor}"' in pages[path], doc["location"]


def test_each_glossary_term_metric_and_paragraph_is_a_search_entry_of_its_own(search_docs):
    locations = {doc["location"]: doc for doc in search_docs}
    for term in csv_rows("glossary"):
        doc = locations[f"glossary.html#{term['term_id']}"]
        assert term["term_en"] in html.unescape(doc["title"])
    district_of = {row["source_id"]: row["district_id"] for row in csv_rows("sources")}
    for metric in csv_rows("metrics"):
        assert f"districts/{district_of[metric['source_id']]}.html#{metric['metric_id']}" in locations
    for source in csv_rows("sources"):
        assert any(location.startswith(f"sources/{source['source_id']}.html#p-") for location in locations)


def test_a_sentence_of_a_source_is_found_in_the_entry_of_its_paragraph(search_docs):
    source = csv_rows("sources")[0]
    text = (package_root() / source["path"]).read_text(encoding="utf-8")
    essay = text[int(source["span_start"]):int(source["span_end"])]
    sentence = max(re.findall(r"[^。\n]+。", essay), key=len)
    offset = int(source["span_start"]) + essay.rindex("\n", 0, essay.index(sentence)) + 1
    doc = next(doc for doc in search_docs if doc["location"] == f"sources/{source['source_id']}.html#p-{offset}")
    assert sentence in doc["text"].replace(" ", "")


def test_search_snippets_keep_table_cells_apart(search_docs):
    glossary = next(doc for doc in search_docs if doc["location"] == "glossary.html")
    term = csv_rows("glossary")[0]
    assert f"{term['term_en']} · " in html.unescape(glossary["text"])


def test_glossary_shows_each_terms_pinyin(site_dir):
    from pypinyin import lazy_pinyin

    page = (site_dir / "glossary.html").read_text(encoding="utf-8")
    shown = dict(re.findall(r'<tr id="(g-[^"]+)">.*?<span class="jc-pinyin"[^>]*>([^<]+)</span>', page))
    for term in csv_rows("glossary"):
        reading = unicodedata.normalize("NFKD", html.unescape(shown[term["term_id"]]))
        plain = "".join(c for c in reading if not unicodedata.combining(c) and c.isalpha())
        expected = "".join(c for c in "".join(lazy_pinyin(term["term_zh"])) if c.isalpha())
        assert plain == expected, term["term_id"]


def test_glossary_links_a_term_to_the_rows_that_quote_it(site_dir):
    page = (site_dir / "glossary.html").read_text(encoding="utf-8")
    term = next(t for t in csv_rows("glossary") if t["term_zh"] == "网格")
    row = re.search(rf'<tr id="{term["term_id"]}">.*?</tr>', page, re.S)[0]
    quoting = [m["metric_id"] for m in csv_rows("metrics") if "网格" in m["quote"]]
    quoting += [i["initiative_id"] for i in csv_rows("initiatives") if "网格" in i["quote"]]
    assert quoting and any(f"#{row_id}\"" in row for row_id in quoting)
    assert ".html#p-" in row  # and to the paragraph of the source reader that prints it


def test_changelog_page_credits_the_contributors_of_every_release(site_dir):
    page = html.unescape(re.sub(r"<[^>]+>", "", (site_dir / "changelog.html").read_text(encoding="utf-8")))
    releases = sorted(path.name for path in (CHECKOUT / "releases").iterdir() if (path / "ids.json").is_file())
    contributors = [c["title"] for c in json.loads((package_root() / "datapackage.json").read_text())["contributors"]]
    sections = re.split(r"\n(?=\d+\.\d+\.\d+ — )", page)
    for release in releases:
        section = next(part for part in sections if part.startswith(f"{release} — "))
        credit = re.search(r"Rows contributed by: ([^\n]+)", section)
        assert credit and any(name in credit[1] for name in contributors), release


def test_without_a_repository_the_reporting_section_says_what_to_quote_and_claims_no_filled_form():
    import jiceng_site as site
    from jiceng_site.pages import reporting

    data = site.load(package_root())
    data.repo_url = None
    text = " ".join(reporting(data, CHECKOUT).split())
    assert "While `mkdocs.yml` names no repository" in text and "issue tracker" in text
    assert f"version {data.version}" in text and "row's ID" in text
    assert "link. It opens the data error form" not in text  # only true with a repository's address
    data.repo_url = "https://example.org/jiceng/jiceng/"
    assert "opens the form filled in" in reporting(data, CHECKOUT)


def test_api_page_shows_the_modules_example_as_code_not_a_literal_double_colon(site_dir):
    page = (site_dir / "reference" / "api.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "DataFrame::" not in text
    code = [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in re.findall(r"<code[^>]*>(.*?)</code>", page, re.S)]
    assert any('metrics = jiceng.load("metrics")' in block for block in code)


def test_tables_are_named_by_their_registry_label_on_district_pages_and_the_home_page(site_dir):
    from jiceng.registry import table as table_spec

    label = table_spec("non_metric_numbers").title.lower()
    for page in [site_dir / "index.html", *(site_dir / "districts" / f"{d}.html" for d in district_ids())]:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        assert "non metric numbers" not in text, page.name
        assert label in text, page.name
