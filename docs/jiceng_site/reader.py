"""The source reader: each source text in full, every cited span highlighted and linked.

Rows cite overlapping spans (an initiative's quote often contains a metric's quote, and
several initiatives may share one sentence), so the text is cut at every span boundary
into segments, and each segment knows every row that covers it. A segment links to the
most specific of them (the shortest span); ``reader.js`` offers all of them when there
are several, and the table under the text lists every row, so each is one click away.
Each row's span begins with an anchor ``q-<row id>``: the data pages link there, and
``reader.js`` outlines the whole span on arrival.

Annotated defects are underlined, flagged with a mark where they begin, and explained
in a box right after the paragraph, so nobody reads a defective passage unwarned.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from jiceng.stats import tally

from .data import ANNOTATIONS, SOURCE_INDEX, Cited, SiteData, district_uri, quote_anchor, source_title, source_uri
from .markup import WITHDRAWN_BADGE, esc, href, link, md_escape, raw_block, table, tag
from .report import report_link

KIND_ORDER = {"metric": 0, "number": 1, "initiative": 2, "goal": 3}
KIND_TITLES = {"metric": "Metric", "number": "Non-metric number", "initiative": "Initiative",
               "goal": "District goals", "annotation": "Annotation"}


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same rows (possibly none)."""

    start: int
    end: int
    rows: tuple[Cited, ...]  # rows that link somewhere, most specific first
    defects: tuple[Cited, ...]  # annotations


def segments(text: str, start: int, end: int, spans: list[Cited], cuts: set[int] = frozenset()) -> list[Segment]:
    """Cut ``text[start:end]`` at every span boundary, line break and extra cut."""
    bounds = {start, end} | {p for p in cuts if start < p < end}
    for span in spans:
        bounds.update(p for p in (span.start, span.end) if start < p < end)
    for position in range(start, end):
        if text[position] == "\n":
            bounds.update((position, position + 1))
    ordered = sorted(bounds)
    result = []
    for a, b in zip(ordered, ordered[1:], strict=False):
        covering = [span for span in spans if span.start <= a and span.end >= b]
        rows = sorted((s for s in covering if s.kind != "annotation"),
                      key=lambda s: (s.end - s.start, KIND_ORDER[s.kind], s.row_id))
        defects = tuple(s for s in covering if s.kind == "annotation")
        result.append(Segment(a, b, tuple(rows), defects))
    return result


def first_visible(text: str, position: int, end: int) -> int:
    """Move an anchor off line breaks, so it lands in the paragraph it belongs to."""
    while position < end and text[position] == "\n":
        position += 1
    return position


def source_page(data: SiteData, source_id: str) -> str:
    """The reader page of one source."""
    source = data.sources[source_id]
    uri = source_uri(source_id)
    text = data.text_of(source_id)
    start, end = source.span_start, source.span_end
    spans = [s for s in data.cited.get(source_id, []) if s.start < end and s.end > start]
    related = related_anchors(data, source_id)
    parts = [f"# {md_escape(source_title(source))}\n", raw_block(source_facts(data, source, uri)), raw_block(LEGEND)]
    parts.append(raw_block(reader_html(data, uri, text, start, end, spans, related)))
    parts.append("\n## Rows citing this text\n")
    parts.append(raw_block(row_index(data, uri, spans)))
    return "".join(parts)


def related_anchors(data: SiteData, source_id: str) -> set[int]:
    """Offsets in this source that an annotation elsewhere points at (``at-<offset>``)."""
    return {row.related_start for row in data.annotations_by_source.get(("related", source_id), [])
            if row.related_start is not None}


def reader_html(data: SiteData, uri: str, text: str, start: int, end: int, spans: list[Cited], related: set[int]) -> str:
    """``text[start:end]`` as paragraphs of escaped segments, with anchors and defect notes."""
    anchors: dict[int, list[Cited]] = defaultdict(list)
    for span in spans:
        anchors[first_visible(text, max(span.start, start), end)].append(span)
    notes_after: dict[int, list[Cited]] = defaultdict(list)
    # Indexed sentence by sentence instead (site.search.search_entries), each landing on its paragraph.
    html: list[str] = ['<div class="jc-reader" lang="zh-Hans" data-search-exclude>']
    paragraph: list[str] = []
    paragraph_start = start
    for segment in segments(text, start, end, spans, related):
        piece = text[segment.start:segment.end]
        if piece == "\n":
            html.extend(close_paragraph(data, uri, paragraph, paragraph_start, text, notes_after.pop(paragraph_start, [])))
            paragraph = []
            paragraph_start = segment.end
            continue
        if segment.start in related:
            paragraph.append(f'<span class="jc-anchor" id="at-{segment.start}"></span>')
        for span in anchors.pop(segment.start, []):
            paragraph.append(f'<span class="jc-anchor" id="{esc(quote_anchor(span.row_id))}"></span>')
            if span.kind == "annotation":
                notes_after[paragraph_start].append(span)
                paragraph.append(defect_mark(data, span))
        paragraph.append(segment_html(data, uri, segment, piece))
    html.extend(close_paragraph(data, uri, paragraph, paragraph_start, text, notes_after.pop(paragraph_start, [])))
    html.append("</div>")
    return "\n".join(html)


def close_paragraph(data: SiteData, uri: str, paragraph: list[str], offset: int, text: str, notes: list[Cited]) -> list[str]:
    """One paragraph of the source, then the notes on defects that begin in it.

    A short line without closing punctuation is one of the essay's headings: it is set in
    bold but not marked up as a heading, since the sources' structure is not data we keep.
    """
    if not paragraph:
        return []
    line_end = text.find("\n", offset)
    line = text[offset: line_end if line_end >= 0 else len(text)]
    heading = len(line) <= 40 and not line.rstrip().endswith(("。", "；", "，", "！", "？", "：", "”"))
    css = "jc-para jc-para-heading" if heading else "jc-para"
    html = [f'<p class="{css}" id="{paragraph_anchor(offset)}" data-offset="{offset}" title="offset {offset}">'
            + "".join(paragraph) + "</p>"]
    html.extend(note_box(data, uri, note) for note in notes)
    return html


def paragraph_anchor(offset: int) -> str:
    """The anchor of the paragraph starting at ``offset``: search results for its sentences land there."""
    return f"p-{offset}"


def segment_html(data: SiteData, uri: str, segment: Segment, piece: str) -> str:
    content = esc(piece)
    defect_ids = " ".join(d.row_id for d in segment.defects)
    if not segment.rows:
        if not segment.defects:
            return content
        return tag("span", content, class_="jc-defect", data_annotations=defect_ids)
    rows = sorted(segment.rows, key=lambda s: data.withdrawn(s.row_id))  # a withdrawn row last, never the link
    primary = rows[0]
    page, anchor = data.row_pages[primary.row_id]
    classes = ["jc-cite", f"jc-cite-{primary.kind}", f"jc-depth-{min(len(rows), 3)}"]
    if segment.defects:
        classes.append("jc-defect")
    title = "\n".join(f"{KIND_TITLES[s.kind]} {short_id(s.row_id)}: {s.label}"
                      + (" (withdrawn)" if data.withdrawn(s.row_id) else "") for s in rows)
    return tag("a", content, href=href(uri, page, anchor), class_=" ".join(classes),
               data_rows=" ".join(s.row_id for s in rows),
               data_annotations=defect_ids or None, title=title)


def short_id(row_id: str) -> str:
    """The part of a row ID after its source (i001, m012, a003); districts keep theirs."""
    return row_id.rsplit("-", 1)[-1]


def defect_mark(data: SiteData, span: Cited) -> str:
    row = data.annotations[span.row_id]
    return tag("a", "⚠", href=f"#note-{span.row_id}", class_="jc-defect-mark",
               title=f"{span.label}: {row.description_en}")


def note_box(data: SiteData, uri: str, span: Cited) -> str:
    """The explanation of one annotated defect, shown right under its paragraph."""
    row = data.annotations[span.row_id]
    kind = data.term("annotation_kinds", row.kind)
    style = "note" if row.kind == "curator_note" else "warning"
    lines = [
        tag("p", f"{esc(kind.label_en)} {esc(kind.label_zh)} · "
                 + link(row.annotation_id, href(uri, ANNOTATIONS, row.annotation_id))
                 + f' · offsets {row.quote_start}–{row.quote_end} · '
                 + link("go to the marked words", f"#{quote_anchor(row.annotation_id)}"),
            class_="admonition-title"),
        tag("p", esc(row.description_en)),
    ]
    if row.description_zh:
        lines.append(tag("p", esc(row.description_zh), lang="zh-Hans"))
    lines.append(reading_and_other_printing(data, uri, row))
    # The note sits inside the Chinese reader text but is written in English.
    return tag("div", "".join(lines), class_=f"admonition {style} jc-note", id=f"note-{row.annotation_id}", lang="en")


def reading_and_other_printing(data: SiteData, uri: str, row: Any) -> str:
    """An annotation's suggested reading and, for a repeated passage, a link to its other printing."""
    html = ""
    if row.suggested_reading:
        html += tag("p", "Suggested reading: " + tag("span", esc(row.suggested_reading), lang="zh-Hans"))
    if row.related_source_id and row.related_start is not None:
        target = data.sources[row.related_source_id]
        html += tag("p", "Other printing: " + link(
            f"{target.title_zh}, offsets {row.related_start}–{row.related_end}",
            href(uri, source_uri(row.related_source_id), f"at-{row.related_start}")))
    return html


# Each kind of row is told apart by its underline as well as its colour, so the legend
# still reads without colour (forced colours, colour-vision deficiencies).
LEGEND = (
    '<p class="jc-legend" data-search-exclude>'
    '<span class="jc-cite jc-cite-initiative">initiative</span> solid, '
    '<span class="jc-cite jc-cite-metric">metric</span> double, '
    '<span class="jc-cite jc-cite-number">number that is not a metric</span> dotted, '
    '<span class="jc-cite jc-cite-goal">district goals</span> dashed underline; '
    '<span class="jc-defect">annotated defect</span> wavy, ⚠ explained below its paragraph. '
    "Highlighted words open the row they support; where several rows cite them (shaded darker), "
    "a menu lists every row. Hover over a paragraph to see its offset.</p>"
)


def source_facts(data: SiteData, source: Any, uri: str) -> str:
    district = data.districts[source.district_id]
    basis = data.term("published_basis", source.published_basis)
    publication = ", ".join(x for x in (source.publication_zh, source.publication_en, source.published) if x)
    why = tag("details", tag("summary", "why") + esc(source.published_note)) if source.published_note else ""
    # What a reader needs before the text; the file facts are folded below it, so that on
    # a phone the text starts on the first screen.
    facts = [
        ("Heading as printed", tag("span", esc(source.heading_zh), lang="zh-Hans")),
        ("Title in English", esc(source.title_en)),
        ("Byline", esc(source.byline_zh or "—")),
        ("Author", esc(" ".join(x for x in (source.author_zh, source.author_en) if x) or "—")),
        ("Author's office", esc(" · ".join(x for x in (source.author_role_zh, source.author_role_en) if x) or "—")),
        ("District", link(f"{district.name_zh} {district.name_en} ({district.district_id})",
                          href(uri, district_uri(district.district_id)))),
        ("Publication", esc(publication or basis.label_en) + why),
    ]
    file_facts = [
        ("Source ID", tag("code", esc(source.source_id))),
        ("File", tag("code", esc(source.path))
         + f" · characters {source.span_start}–{source.span_end} of {source.document_length}"),
        ("sha256", tag("code", esc(source.sha256))),
    ]
    if source.position_note:
        file_facts.append(("Position", esc(source.position_note)))
    if source.notes:
        file_facts.append(("Notes", esc(source.notes)))
    return (table(("", ""), [(tag("strong", esc(k)), v) for k, v in facts], css="jc-facts jc-cards")
            + tag("details", tag("summary", "Source ID, file, position and checksum")
                  + table(("", ""), [(tag("strong", esc(k)), v) for k, v in file_facts], css="jc-facts jc-cards"),
                  class_="jc-file-facts", data_search_exclude=True))


def row_index(data: SiteData, uri: str, spans: list[Cited]) -> str:
    """Every row that cites this text, in text order: a no-script route to each of them."""
    rows = []
    for span in spans:
        page, anchor = data.row_pages[span.row_id]
        rows.append((
            str(span.start),
            esc(KIND_TITLES[span.kind]),
            link(span.row_id, href(uri, page, anchor), class_="jc-rowid"),
            (WITHDRAWN_BADGE + " " if data.withdrawn(span.row_id) else "")
            + esc(span.label),
            link("words ↑", f"#{quote_anchor(span.row_id)}"),
            report_link(data, uri, span.row_id),
        ))
    index = table(("offset", "kind", "row", "what", "in the text", "report"), rows, css="jc-rowindex jc-cards",
                  row_ids=[f"r-{span.row_id}" for span in spans], row_css=data.row_classes([s.row_id for s in spans]))
    return tag("div", index, data_search_exclude=True)  # the rows are found on their own pages


def sources_index(data: SiteData) -> str:
    rows = []
    for source in data.rows["sources"]:
        district = data.districts[source.district_id]
        count = tally(getattr(data.row_by_id.get(span.row_id), "status", None)
                      for span in data.cited.get(source.source_id, []))
        rows.append((
            link(source.title_zh, href(SOURCE_INDEX, source_uri(source.source_id))),
            esc(source.title_en),
            esc(f"{source.author_zh or ''} {source.author_en or ''}".strip() or "—"),
            esc(f"{district.name_zh} {district.name_en}"),
            esc(str(count)),
        ))
    intro = (
        "# Source reader\n\nEvery source text in full, exactly as stored, with the words each row cites "
        "highlighted and linked to the row, and every known defect marked and explained. Offsets count "
        "Unicode code points of the stored document, so `text[quote_start:quote_end] == quote`.\n"
    )
    return intro + raw_block(table(("source", "title", "author", "district", "cited spans"), rows))
