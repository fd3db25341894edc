"""The documentation site's data pages, generated from the models and the tables.

Everything that describes data is generated at build time, so no page can drift from the
package: ``docs/hooks.py`` hands MkDocs the pages of :func:`generated_pages`, fills the
``<!-- jiceng:NAME -->`` markers of the hand-written pages, and extends the navigation.
Nothing generated is committed.

Every function takes the package directory to read, so a test can build the site from a
temporary copy holding rows it wrote (the hook reads ``JICENG_PACKAGE_ROOT``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jiceng.models import TABLES
from jiceng.vocab import VOCABULARIES
from . import pages
from .data import (
    ANNOTATIONS,
    CLI,
    DICTIONARY,
    DISTRICT_INDEX,
    GLOSSARY,
    SOURCE_INDEX,
    VOCABULARY_INDEX,
    SiteData,
    district_uri,
    source_title,
    source_uri,
    table_uri,
    vocabulary_uri,
)
from .charts import forget_pictures, insert_pictures
from .dictionary import dictionary_index, table_page, vocabularies_index, vocabulary_page
from .districts import COMPARE, comparison_page, district_page, districts_index
from .downloads import Download, build_downloads, downloads_page
from .finish import compact_search_index, prune_assets, tag_chinese
from .examples import PAGE as EXAMPLES_PAGE
from .examples import with_results
from .glossary import glossary_page
from .markup import esc
from .reader import source_page, sources_index
from .search import search_entries, teach_jieba, user_dictionary

__all__ = [
    "Download", "SiteData", "build_downloads", "compact_search_index", "expand_nav", "fill_markers", "finish_page", "generated_pages", "load",
    "nav_children", "search_entries", "teach_jieba", "user_dictionary",
]

MARKER = re.compile(r"<!--\s*jiceng:([a-z-]+)\s*-->")


def load(root: Path) -> SiteData:
    """Read the package at ``root`` (every row validated by its model)."""
    return SiteData.load(root)


def generated_pages(data: SiteData, repo: Path, downloads: list[Download] | None = None) -> dict[str, str]:
    """Source URI → Markdown of every generated page (the Downloads page when given its files);
    their charts' pictures are kept aside until ``finish_page`` puts them in."""
    forget_pictures()
    result = {
        DICTIONARY: dictionary_index(data),
        VOCABULARY_INDEX: vocabularies_index(data),
        GLOSSARY: glossary_page(data),
        DISTRICT_INDEX: districts_index(data),
        COMPARE: comparison_page(data),
        SOURCE_INDEX: sources_index(data),
        ANNOTATIONS: pages.annotations_page(data),
        CLI: pages.cli_page(),
        "changelog.md": pages.changelog_page(repo),
    }
    if downloads is not None:
        result["downloads.md"] = downloads_page(data, downloads)
    for name in TABLES:
        result[table_uri(name)] = table_page(data, name)
    for name in VOCABULARIES:
        result[vocabulary_uri(name)] = vocabulary_page(data, name)
    for district_id in data.districts:
        result[district_uri(district_id)] = district_page(data, district_id)
    for source_id in data.sources:
        result[source_uri(source_id)] = source_page(data, source_id)
    return result


NAV_LIMIT = 50


def nav_children(data: SiteData, limit: int = NAV_LIMIT) -> dict[str, list[dict[str, str]]]:
    """Section index page → the generated pages listed under it in the navigation.

    Districts or sources of more than ``limit`` pages (a large corpus) are left to its index page, which lists them all: every page prints the whole navigation,
    so listing thousands of pages in it would make the build grow with the square of the
    page count. Themes print navigation titles as HTML, so titles from the data are escaped.
    """
    districts = [{esc(f"{d.name_zh} {d.name_en}"): district_uri(d.district_id)} for d in data.rows["districts"]]
    sources = [{esc(source_title(s)): source_uri(s.source_id)} for s in data.rows["sources"]]
    return {
        DICTIONARY: [{esc(model.table.title): table_uri(name)} for name, model in TABLES.items()],
        VOCABULARY_INDEX: [{esc(spec.title): vocabulary_uri(name)} for name, spec in VOCABULARIES.items()],
        DISTRICT_INDEX: districts if len(districts) <= limit else [],
        SOURCE_INDEX: sources if len(sources) <= limit else [],
    }


def expand_nav(nav: Any, children: dict[str, list[dict[str, str]]]) -> Any:
    """Turn each nav entry ``Title: section/index.md`` into a section listing its pages."""
    if isinstance(nav, list):
        return [expand_nav(item, children) for item in nav]
    if isinstance(nav, dict):
        return {title: ([value, *children[value]] if isinstance(value, str) and value in children
                        else expand_nav(value, children))
                for title, value in nav.items()}
    return nav


def fill_markers(markdown: str, data: SiteData, repo: Path, page: str) -> str:
    """Replace the markers of a hand-written page; an unknown marker stops the build."""
    known = pages.markers(data, repo)

    def replace(match: re.Match[str]) -> str:
        name = match[1]
        if name not in known:
            raise ValueError(f"{page}: unknown marker <!-- jiceng:{name} -->; known: {', '.join(known)}")
        return known[name]()

    markdown = MARKER.sub(replace, markdown)
    return with_results(markdown) if page == EXAMPLES_PAGE else markdown


def finish_page(html: str) -> str:
    """A rendered page with its Chinese tagged, the assets it does not use left out and its
    charts' pictures in place."""
    return insert_pictures(tag_chinese(prune_assets(html)))
