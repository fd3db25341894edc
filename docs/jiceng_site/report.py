"""The "report a problem with this row" link that every row of the site carries.

With the repository's address (read from one place, ``repo_url`` in ``mkdocs.yml``) it
opens the data error form (``.github/ISSUE_TEMPLATE/data-error.yml``) with the row ID and
the version filled in, through the form's query parameters. While it is unset the link
goes to the contributing page's section on reporting an error, which says what to quote
and where to write: no address is guessed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .data import SiteData
from .markup import href, tag

FORM = "data-error.yml"
CONTRIBUTING = "contributing.md"
REPORTING_ANCHOR = "reporting-an-error-in-a-row"


def report_url(data: SiteData, uri: str, row_id: str) -> str:
    if not data.repo_url:
        return href(uri, CONTRIBUTING, REPORTING_ANCHOR)
    query = urlencode({"template": FORM, "row_id": row_id, "version": data.version, "title": f"Data error: {row_id}"})
    return f"{data.repo_url.rstrip('/')}/issues/new?{query}"


def report_link(data: SiteData, uri: str, row_id: str) -> str:
    """A small link named for its row (a screen reader lists many of them on one page)."""
    return tag("a", "report a problem", href=report_url(data, uri, row_id), class_="jc-report",
               aria_label=f"Report a problem with row {row_id}", data_search_exclude=True)
