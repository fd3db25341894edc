"""``jiceng draft``: propose the rows of a source from its text, for a curator to review.

The drafter reads an essay the way a curator starts: every quantity the parser finds
becomes a metric (value, bound and unit word from :mod:`jiceng.quantity`, a unit code and
value type guessed from the words around it, the period phrase of its sentence, the clause
as quote); every other number-like token becomes a non-metric row with a guessed reason;
every quoted name (“…”, 《…》) and every name of a body, platform or mechanism the
pattern sees becomes an initiative; a paragraph that ends without sentence punctuation
and a stated total whose parts (其中…) do not add up become annotation candidates.

Every proposal has status ``draft``, so ``jiceng validate`` refuses it until a curator has
checked it against the source, filled the English and set it to ``active``. Nothing is
tuned to the bundled essays: the rules are those of Chinese official prose (statistics
are written in Arabic digits; a Chinese numeral is a count only with a unit and is mostly
part of a word, a name or a slogan).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .draftwords import (
    LOWER_BOUND,
    QUOTED_NAME,
    SEEN_NAME,
    SENTENCE_END,
    SENTENCE_FINAL,
    clause_bounds,
    counts_alike,
    is_statistic,
    is_version,
    kind_of,
    lexicon,
    number_word,
    period_of,
    subject_of,
    topic_of,
    unambiguous_unit_forms,
    unique_prefix,
    unit_code,
    value_type,
)
from .models import Annotation, ConsistencyCheck, Initiative, Metric, NonMetricNumber, Row
from .quantity import Quantity, find_number_tokens, find_quantities
from .tablefile import TableShapeError, new_id, next_free_numbers, read_table_rows, write_table
from .vocab import Vocabularies


class DraftError(Exception):
    """An ID that names no source of the package, or a table that cannot be rewritten."""


@dataclass
class Drafted:
    """The proposed rows, by table, and the tables' columns."""

    rows: dict[str, list[dict[str, str]]] = field(default_factory=lambda: {
        name: [] for name in ("metrics", "non_metric_numbers", "initiatives", "annotations", "consistency_checks")})

    curated_initiatives: list[str] = field(default_factory=list)  # sources whose initiatives were not proposed again

    def count(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


@dataclass
class Essay:
    source_id: str
    district_id: str
    text: str
    start: int
    end: int
    free: dict[str, int]
    covered: list[tuple[int, int]] = field(default_factory=list)
    annotated: list[tuple[int, int]] = field(default_factory=list)

    def is_covered(self, start: int, end: int) -> bool:
        return inside(start, end, self.covered)


def inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) lies within one of the spans."""
    return any(lo <= start and end <= hi for lo, hi in spans)


def quote_spans(rows: list[dict[str, str]], source_id: str) -> list[tuple[int, int]]:
    """The document spans the quotes of a source's rows cover (rows without offsets left out)."""
    return [(int(row["quote_start"]), int(row["quote_end"])) for row in rows
            if row["source_id"] == source_id and row["quote_start"] and row["quote_end"]]


def quoted(essay: Essay, start: int, end: int) -> dict[str, object]:
    """Quote cells for text[start:end], with a prefix where the words occur more than once."""
    text = essay.text
    quote = text[start:end]
    prefix = unique_prefix(text, start, quote, essay.start, essay.end)
    return {"quote": quote, "quote_prefix": prefix or None, "quote_start": start, "quote_end": end}


# -- metrics -------------------------------------------------------------------------------


def draft_metrics(essay: Essay, drafted: Drafted, units: dict[str, str]) -> list[tuple[Quantity, dict]]:
    text = essay.text
    found = []
    names = [(m.start(), m.end()) for m in QUOTED_NAME.finditer(text, essay.start, essay.end)]
    for quantity in find_quantities(text[essay.start:essay.end]):
        start, end = quantity.start + essay.start, quantity.end + essay.start
        if not is_statistic(quantity) or is_version(text, end) or essay.is_covered(start, end):
            continue
        if any(lo < start and end < hi for lo, hi in names):
            continue  # inside a name or title: a non-metric number
        sentence = clause_bounds(text, start, end, essay.start, essay.end, SENTENCE_END)
        clause = clause_bounds(text, start, end, essay.start, essay.end)
        period = period_of(text, sentence, start)
        quote_start = min(clause[0], period[0]) if period else clause[0]
        quote_end = clause[1]
        if text.count(quantity.text, quote_start, quote_end) != 1:
            quote_start, period = start, None  # the figure's words recur in its clause: quote from the figure on
            again = text.find(quantity.text, end, quote_end)
            if again >= 0:
                quote_end = again  # ... and up to where they recur
        before = text[clause[0]:start]
        after = text[end:clause[1]]
        qualifier = quantity.qualifier
        if qualifier == "exact" and LOWER_BOUND.search(before[-8:]):
            qualifier = "at_least"  # 每季度至少召开1次: the bound governs the verb phrase
        unit = unit_code(quantity, before, after, units)
        subject = subject_of(before, after)
        row = {
            "metric_id": new_id(essay.source_id, "m", essay.free), "source_id": essay.source_id,
            "district_id": essay.district_id, "subject_zh": subject or None, "value": quantity.value,
            "value_max": quantity.value_max, "unit": unit, "qualifier": qualifier,
            "value_type": value_type(quantity, unit, text[quote_start:start]), "value_text": quantity.text,
            "topic": topic_of(unit, text[clause[0]:clause[1]]),
            "period_text": text[period[0]:period[1]] if period else None,
            **quoted(essay, quote_start, quote_end), "status": "draft",
        }
        drafted.rows["metrics"].append(row)
        essay.covered.append((start, end))
        if period:
            essay.covered.append(period)
        found.append((quantity, row))
    return found


# -- non-metric numbers --------------------------------------------------------------------


def draft_non_metrics(essay: Essay, drafted: Drafted, words: dict[str, str]) -> None:
    text = essay.text
    for start, end, _ in find_number_tokens(text[essay.start:essay.end]):
        start, end = start + essay.start, end + essay.start
        if essay.is_covered(start, end):
            continue
        word_start, word_end, reason = number_word(text, start, end, essay.start, essay.end, words)
        drafted.rows["non_metric_numbers"].append({
            "number_id": new_id(essay.source_id, "n", essay.free), "source_id": essay.source_id,
            "number_text": text[word_start:word_end], "reason": reason,
            **quoted(essay, word_start, word_end), "status": "draft",
        })
        essay.covered.append((word_start, word_end))


# -- initiatives -----------------------------------------------------------------------------


# Passages printed twice or in the wrong essay: their names are rows of the essay they
# belong to (CONTRIBUTING, "What counts as an initiative"), never of this one.
REPRINTED = ("misplaced_passage", "duplicated_passage")


def draft_initiatives(essay: Essay, drafted: Drafted, known_names: set[str], words: dict[str, str],
                      curated: list[tuple[int, int]] = ()) -> None:
    """Names in quotation marks, and names the lexicon knows, not yet rows of the source;
    a name inside ``curated`` spans (the quote of an existing initiative, a passage
    annotated as reprinted) is not proposed: it was decided already."""
    text = essay.text
    proposals = []
    for match in QUOTED_NAME.finditer(text, essay.start, essay.end):
        group = 1 if match.group(1) is not None else 2
        name = match.group(group)
        if re.search(r"[。！？]", name) or name in words:
            continue  # a quotation, or an ordinary word in quotes (“最后一公里”)
        proposals.append((match.start(group), match.end(group), name, "as_written", group == 2))
    spans = [(start, end) for start, end, *_ in proposals]
    for match in SEEN_NAME.finditer(text, essay.start, essay.end):
        start, end = match.span(1)
        if not any(lo <= start < hi or lo < end <= hi for lo, hi in spans):
            proposals.append((start, end, match.group(1), "descriptive", False))
    for start, end, name, basis, title in sorted(proposals):
        if name in known_names or inside(start, end, curated):
            continue
        known_names.add(name)
        clause_start, _ = clause_bounds(text, start, start, essay.start, essay.end)
        _, clause_end = clause_bounds(text, end, end, essay.start, essay.end)
        clause_start = min(clause_start, start - 1 if basis == "as_written" else start)
        clause_end = max(clause_end, end + 1 if basis == "as_written" else end)
        drafted.rows["initiatives"].append({
            "initiative_id": new_id(essay.source_id, "i", essay.free), "source_id": essay.source_id,
            "district_id": essay.district_id, "name_zh": name, "name_basis": basis,
            "kind": kind_of(name, title, text[end + 1:end + 5] if basis == "as_written" else ""),
            "scope": "district",  # most rows are the district's own; the curator marks a higher level
            "description_zh": text[clause_start:clause_end],
            **quoted(essay, clause_start, clause_end), "status": "draft",
        })


# -- annotation candidates -------------------------------------------------------------------


def draft_split_sentences(essay: Essay, drafted: Drafted) -> None:
    """A body paragraph that ends without sentence punctuation runs on into the next one."""
    text = essay.text
    lines = []
    offset = essay.start
    for line in text[essay.start:essay.end].split("\n"):
        if line.strip():
            lines.append((offset, offset + len(line.rstrip())))
        offset += len(line) + 1
    for (start, end), (next_start, next_end) in zip(lines, lines[1:]):
        paragraph = text[start:end]
        if paragraph[-1:] in SENTENCE_FINAL or not re.search(r"[，。；]", paragraph):
            continue
        if any(lo <= end and next_start <= hi for lo, hi in essay.annotated):
            continue  # an annotation already covers this break
        quote_start = max(start, end - 6)
        quote_end = min(next_end, next_start + 6)
        drafted.rows["annotations"].append({
            "annotation_id": new_id(essay.source_id, "a", essay.free), "source_id": essay.source_id,
            "kind": "split_sentence", **quoted(essay, quote_start, quote_end),
            "description_zh": "段落在句中断开（段末无句末标点）。", "status": "draft",
        })


def draft_consistency(essay: Essay, drafted: Drafted, metrics: list[tuple[Quantity, dict]]) -> None:
    """A total followed by 其中 and two or more parts in the same unit that do not add up."""
    text = essay.text
    for index, (_, whole) in enumerate(metrics):
        marker = text.find("其中", whole["quote_end"] - 1, whole["quote_end"] + 3)
        if marker < 0:
            continue
        sentence_end = clause_bounds(text, marker, marker, essay.start, essay.end, "。\n")[1]
        parts = [row for _, row in metrics[index + 1:]
                 if row["quote_start"] < sentence_end and row["qualifier"] == "exact" and counts_alike(row, whole)]
        if len(parts) < 2 or abs(sum(float(row["value"]) for row in parts) - float(whole["value"])) < 1e-9:
            continue
        for row in parts:  # 其中新建32个: a part without its noun counts what the total counts
            row["unit"], row["topic"] = whole["unit"], whole["topic"]
        annotation_id = new_id(essay.source_id, "a", essay.free)
        start = whole["quote_start"]
        drafted.rows["annotations"].append({
            "annotation_id": annotation_id, "source_id": essay.source_id, "kind": "inconsistent_value",
            **quoted(essay, start, sentence_end), "status": "draft",
        })
        drafted.rows["consistency_checks"].append({
            "check_id": new_id(essay.source_id, "c", essay.free), "source_id": essay.source_id,
            "kind": "sum_of_parts", "metric_ids": " ".join(row["metric_id"] for row in [whole, *parts]),
            "annotation_id": annotation_id, "outcome": "disagrees",
            "recomputed": sum(float(row["value"]) for row in parts), "status": "draft",
        })
        for row in [whole, *parts]:
            row.setdefault("tied", []).append(annotation_id)


# -- the command -----------------------------------------------------------------------------

TABLE_MODELS: dict[str, type[Row]] = {
    "metrics": Metric, "non_metric_numbers": NonMetricNumber, "initiatives": Initiative,
    "annotations": Annotation, "consistency_checks": ConsistencyCheck,
}


def spans_of_existing(rows: dict[str, list[dict[str, str]]], source_id: str) -> list[tuple[int, int]]:
    """Document spans that existing rows of a source already account for."""
    covered = []
    for row in rows["metrics"]:
        if row["source_id"] != source_id or not row.get("quote_start"):
            continue
        occurrences = (row.get("value_occurrence"), None)  # which time value_text recurs in the quote
        for words, occurrence in zip((row.get("value_text"), row.get("period_text")), occurrences):
            index = -1
            for _ in range(int(occurrence or 1)):
                index = row["quote"].find(words, index + 1) if words else -1
            if index >= 0:
                start = int(row["quote_start"]) + index
                covered.append((start, start + len(words)))
    return covered + quote_spans(rows["non_metric_numbers"], source_id)


def draft(root: Path, wanted: str, write: bool = True,
          initiatives_again: bool = False) -> tuple[Drafted, list[dict[str, str]]]:
    """Propose rows for source ``wanted`` (or every essay of document ``wanted``) of the
    package at ``root``; write them (status draft) unless ``write`` is false.

    Initiatives are proposed for a source that has none yet: once a curator has kept some
    and deleted the rest, running draft again must not bring the deleted ones back (what
    counts as an initiative is a judgement, unlike a number). ``initiatives_again``
    proposes the names not yet rows, outside the quotes of the existing ones."""
    from .models import Source

    try:
        sources = read_table_rows(root / Source.table.path, Source.columns())
        existing = {name: read_table_rows(root / model.table.path, model.columns())
                    for name, model in TABLE_MODELS.items()}
    except TableShapeError as error:
        raise DraftError(str(error)) from None
    chosen = [row for row in sources if wanted in (row["source_id"], row["document_id"])]
    if not chosen:
        known = sorted({row["source_id"] for row in sources} | {row["document_id"] for row in sources})
        close = difflib.get_close_matches(wanted, known, n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; give a source_id or document_id of sources.csv"
        raise DraftError(f"{wanted!r} is no source or document of this package{hint}")
    vocabularies = Vocabularies(root)
    units = unambiguous_unit_forms(vocabularies)
    words = lexicon(vocabularies)
    drafted = Drafted()
    free = next_free_numbers(row.get(model.table.primary_key, "") for name, model in TABLE_MODELS.items()
                             for row in existing[name])
    for source in chosen:
        try:
            text = (root / source["path"]).read_text(encoding="utf-8")
            essay = Essay(source["source_id"], source["district_id"], text, int(source["span_start"]),
                          int(source["span_end"]), free, spans_of_existing(existing, source["source_id"]))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise DraftError(f"source {source['source_id']}: its text, span or rows cannot be read ({error}); "
                             "run `jiceng validate` and fix what it reports") from None
        known = {row["name_zh"] for row in existing["initiatives"] if row["source_id"] == source["source_id"]}
        essay.annotated = quote_spans(existing["annotations"], source["source_id"])
        metrics = draft_metrics(essay, drafted, units)
        draft_non_metrics(essay, drafted, words)
        curated = quote_spans(existing["initiatives"], source["source_id"])
        if initiatives_again or not any(row["source_id"] == source["source_id"] for row in existing["initiatives"]):
            reprinted = [row for row in existing["annotations"] if row["kind"] in REPRINTED]
            draft_initiatives(essay, drafted, known, words, curated + quote_spans(reprinted, source["source_id"]))
        else:
            drafted.curated_initiatives.append(source["source_id"])
        draft_split_sentences(essay, drafted)
        draft_consistency(essay, drafted, metrics)
    link_annotations(drafted, existing["annotations"])
    if write:
        for name, model in TABLE_MODELS.items():
            if drafted.rows[name]:
                write_table(root / model.table.path, model.columns(), existing[name] + drafted.rows[name])
    return drafted, chosen


def link_annotations(drafted: Drafted, existing: list[dict[str, str]]) -> None:
    """Fill ``annotation_ids`` of the drafted metrics and initiatives as the validator
    expects them: every annotation of the source whose span overlaps the row's quote, and
    the annotation of a drafted consistency check that names the row."""
    spans = [(row["source_id"], int(row["quote_start"]), int(row["quote_end"]), row["annotation_id"])
             for row in [*existing, *drafted.rows["annotations"]]
             if row.get("quote_start") not in (None, "") and row.get("quote_end") not in (None, "")]
    for name in ("metrics", "initiatives"):
        for row in drafted.rows[name]:
            start, end = int(row["quote_start"]), int(row["quote_end"])
            links = [annotation for source, lo, hi, annotation in spans
                     if source == row["source_id"] and lo < end and start < hi]
            links += row.pop("tied", [])
            row["annotation_ids"] = " ".join(dict.fromkeys(sorted(links))) or None


def to_fill(drafted: Drafted) -> list[str]:
    """What the curator must do with the drafts, table by table."""
    lines = []
    needs = {
        "metrics": "check value, unit, qualifier, value_type, topic and period_text against the quote; write subject_zh "
                   "and subject_en; shorten the quote to the words that support the figure",
        "non_metric_numbers": "check the reason; write explanation_en; a quote must not cover a metric's number",
        "initiatives": "keep only real programmes, bodies, platforms and documents; check scope; write name_en, "
                       "category and description_en; name_zh without enclosing quotes",
        "annotations": "keep only real defects; write description_en (and suggested_reading)",
        "consistency_checks": "check that the parts are the whole's only parts; write description_en",
    }
    for name, rows in drafted.rows.items():
        if rows:
            lines.append(f"data/{name}.csv: {len(rows)} draft row(s) ({rows[0][TABLE_MODELS[name].table.primary_key]}"
                         f"…): {needs[name]}")
    return lines


def drafted_lines(drafted: Drafted, sources: list[dict], dry_run: bool) -> list[str]:
    """What ``jiceng draft`` reports: the rows it wrote (or would write) and what to do with them."""
    verb = "would write" if dry_run else "wrote"
    counts = ", ".join(f"{name} {count}" for name, count in drafted.count().items())
    lines = [f"jiceng draft {', '.join(row['source_id'] for row in sources)}: {verb} draft rows: {counts}"]
    if drafted.curated_initiatives:
        lines.append(f"  initiatives not proposed again for {', '.join(drafted.curated_initiatives)}: each has "
                     "initiative rows already (--initiatives-again proposes the names that are not rows yet)")
    return lines + [f"  {line}" for line in to_fill(drafted)]
