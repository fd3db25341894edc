"""Every free-text column the site shows is escaped where it is shown: markup written into
a row of a package copy appears on the generated pages as text, never as markup.

This checks the generated Markdown directly (fast, no MkDocs); tests/test_docs_build.py
builds the whole site from hostile rows."""

from __future__ import annotations

import html

import pytest
from conftest import PackageCopy, copy_package

import jiceng_site as site
from jiceng.bundle import package_root

MARKUP = '<script>alert("{}")</script><img src=x onerror=alert(1)>'

# (table, column) pairs of free text that the district pages, the annotation page or the
# glossary show.
SHOWN = [
    ("non_metric_numbers", "explanation_en"),
    ("annotations", "description_en"),
    ("consistency_checks", "description_en"),
    ("initiatives", "name_en"),
    ("metrics", "subject_en"),
    ("glossary", "term_en"),
]


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory) -> dict[str, str]:
    copy = PackageCopy(copy_package(tmp_path_factory.mktemp("site") / "package"))
    for table, column in SHOWN:
        rows = copy.rows(table)
        rows[0][column] = MARKUP.format(f"{table}.{column}")
        copy.write_rows(table, rows)
    return site.generated_pages(site.load(copy.root), package_root())


@pytest.mark.parametrize(("table", "column"), SHOWN, ids=[f"{t}.{c}" for t, c in SHOWN])
def test_markup_in_a_shown_column_reaches_no_page_as_markup(hostile_pages, table, column):
    raw = MARKUP.format(f"{table}.{column}")
    assert not [uri for uri, page in hostile_pages.items() if raw in page or "<script>alert" in page]
    shown = [uri for uri, page in hostile_pages.items() if html.escape(raw, quote=True) in page]
    assert shown, f"{table}.{column} is shown nowhere as escaped text"
