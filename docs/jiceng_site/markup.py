"""Small HTML and Markdown helpers: every string that comes from the data goes through here.

The data pages are Markdown files made mostly of raw HTML blocks. Python-Markdown
leaves raw HTML alone, so text escaped with :func:`esc` shows as text, whatever it holds
(``<script>``, ``**``, ``[link](…)``). The few places where data lands in Markdown
proper (page headings) use :func:`md_escape`, which also neutralises Markdown syntax.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Sequence

# Python-Markdown's backslash escapes, plus '|' (tables); '<', '>' and '&' become entities.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def esc(text: object) -> str:
    """Escape text for HTML content or a double-quoted attribute."""
    return html.escape("" if text is None else str(text), quote=True)


def md_escape(text: str) -> str:
    """Escape text for a Markdown line (a heading): no HTML, no Markdown syntax survives."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


def page_url(src_uri: str) -> str:
    """The built file of a page (``use_directory_urls: false``): a.md → a.html."""
    return src_uri[: -len(".md")] + ".html" if src_uri.endswith(".md") else src_uri


def href(from_uri: str, to_uri: str, anchor: str | None = None) -> str:
    """A relative link from one page to another (or to itself), with an optional anchor."""
    target = "" if to_uri == from_uri else posixpath.relpath(page_url(to_uri), posixpath.dirname(from_uri) or ".")
    return target + (f"#{anchor}" if anchor else "")


def tag(name: str, content: str = "", **attributes: object) -> str:
    """An element; ``content`` must already be HTML.

    Attributes are escaped; ``class_`` is ``class``, ``data_x`` is ``data-x``, True a bare attribute.
    """
    attrs = "".join(
        f' {key.rstrip("_").replace("_", "-")}' + ("" if value is True else f'="{esc(value)}"')
        for key, value in attributes.items()
        if value is not None and value is not False
    )
    return f"<{name}{attrs}>{content}</{name}>"


# A withdrawn row says so in words (not by colour alone), wherever the site lists it
WITHDRAWN_BADGE = tag("span", "withdrawn", class_="jc-badge jc-withdrawn-badge")


def link(text: str, url: str, **attributes: object) -> str:
    """An ``<a>`` with escaped text (attributes are escaped by :func:`tag`)."""
    return tag("a", esc(text), href=url, **attributes)


# Hidden on the page and from screen readers, but read by the search indexer, so that a
# search result's snippet keeps the cells of a row apart ("网格 · grid · A small…").
CELL_SEPARATOR = '<span class="jc-sep" hidden> · </span>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, row_ids: Sequence[str | None] | None = None,
          css: str = "", row_css: Sequence[str | None] | None = None) -> str:
    """An HTML table on one line per row; cells must already be HTML.

    Material styles tables without a class, so the class goes on a wrapping div. Each cell
    names its column in ``data-label``, which the narrow-screen layout shows when a table
    is stacked into one card per row.
    """
    head = "".join(f"<th>{esc(header)}{CELL_SEPARATOR}</th>" for header in headers)
    labels = [f' data-label="{esc(header)}"' if header else "" for header in headers]
    body = []
    for index, row in enumerate(rows):
        row_id = row_ids[index] if row_ids else None
        cells = "".join(f"<td{labels[column] if column < len(labels) else ''}>{cell}{CELL_SEPARATOR}</td>"
                        for column, cell in enumerate(row))
        attributes = (f' id="{esc(row_id)}"' if row_id else "") + (
            f' class="{esc(row_css[index])}"' if row_css and row_css[index] else "")
        body.append(f"<tr{attributes}>{cells}</tr>")
    rows_html = "\n".join(body)
    return f'<div class="jc-table {css}"><table><thead><tr>{head}</tr></thead><tbody>\n{rows_html}\n</tbody></table></div>'


def raw_block(html_text: str) -> str:
    """Surround an HTML block with blank lines so Markdown keeps it as one raw block."""
    return "\n\n" + html_text.strip() + "\n\n"


def fenced(text: str, language: str = "") -> str:
    """A fenced code block that survives any backticks inside ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"\n{fence}{language}\n{text.rstrip()}\n{fence}\n"
