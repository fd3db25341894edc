"""Problems the validator reports, and the catalogue of checks that produce them.

Every problem is one line ``path:line:column: [check] message``. Checks have a stable
slug, a layer and a title, in the manner of frictionless-py's error classes, so that
contributors (and the documentation) can look each one up.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Check:
    slug: str
    layer: int
    title: str
    description: str


CHECKS: dict[str, Check] = {
    check.slug: check
    for check in (
        Check("file", 0, "File cannot be read",
              "A file the descriptor names is missing, unreadable, or not valid UTF-8 text."),
        Check("encoding", 0, "Encoding or line ends",
              "Tables and sources must be UTF-8 without a byte-order mark, with LF line ends."),
        Check("descriptor", 1, "Invalid descriptor",
              "datapackage.json is not valid JSON or not a valid Data Package descriptor."),
        Check("path-safety", 1, "Unsafe resource path",
              "A resource or schema path is absolute, climbs out of the package with '..', is a URL, "
              "or is a symbolic link leading outside the package. Nothing is fetched from the network."),
        Check("schema-drift", 1, "Schema differs from the models",
              "A schema file or datapackage.json differs from what `jiceng schemas` generates from the models."),
        Check("csv-structure", 1, "Malformed CSV",
              "A header or row is malformed: missing, extra, renamed or reordered columns, ragged rows, "
              "unterminated quotes."),
        Check("format", 1, "Not in the canonical CSV form",
              "A table is not written as every jiceng command writes it (quoting only where needed, LF "
              "line ends, a final newline); `jiceng fmt` rewrites it."),
        Check("cell-text", 1, "Invisible or unnormalised text",
              "A cell holds an invisible character (NUL, zero-width space, bidirectional control...) "
              "or text that is not NFC-normalised, which would silently break IDs and quotes."),
        Check("injection", 1, "Spreadsheet formula",
              "A free-text cell starts with =, +, -, @ or a tab, which spreadsheet programs run as a "
              "formula when the CSV is opened."),
        Check("type-error", 1, "Wrong type",
              "A cell cannot be read as its field's type (integer, number, boolean)."),
        Check("constraint-error", 1, "Constraint violated",
              "A cell breaks a field constraint: required, pattern, minimum, maximum length or enum "
              "(vocabulary code)."),
        Check("primary-key", 1, "Duplicate primary key",
              "Two rows share an ID; IDs must be unique and are never reused."),
        Check("foreign-key", 1, "Dangling reference",
              "A cell refers to a row of another table that does not exist."),
        Check("row-model", 2, "Row rule broken",
              "A row breaks a rule of its model, including cross-field rules (value <= value_max; "
              "qualifier 'range' if and only if value_max is set; unit fits value type; IDs start with "
              "their source ID)."),
        Check("draft", 2, "Draft row not reviewed",
              "A row proposed by `jiceng add-source` or `jiceng draft` still has status 'draft'; review "
              "it and set it to 'active' (`jiceng validate --allow-drafts` accepts drafts while you work)."),
        Check("id-gap", 2, "ID number skipped (warning)",
              "Inside a source, an ID number is missing (n005, then n007): usually a row was deleted "
              "instead of withdrawn. A warning: it does not make the package invalid."),
        Check("source-hash", 3, "Source file changed",
              "A source file's sha256 or length differs from what sources.csv records."),
        Check("source-text", 3, "Source text not canonical",
              "A source text must be UTF-8, NFC-normalised, with LF line ends, so that offsets count "
              "the same code points everywhere, and at most 16 MiB (MAX_SOURCE_BYTES)."),
        Check("source-span", 3, "Source span wrong",
              "A source's span does not start with its heading, does not contain its byline, overlaps "
              "another source's span, or does not sit on paragraph boundaries."),
        Check("quote-offsets", 3, "Quote not at its offsets",
              "text[quote_start:quote_end] differs from the quote; `jiceng locate` repairs offsets."),
        Check("quote-selector", 3, "Quote ambiguous or misplaced",
              "A quote occurring more than once lacks the prefix/suffix that picks its occurrence, a "
              "prefix/suffix does not match the text around it, or the quote lies outside its source's span."),
        Check("quote-content", 3, "Quote does not contain the row's words",
              "A metric's value_text must occur in its quote (value_occurrence picks one of several "
              "occurrences) and its period_text in its quote; "
              "an initiative named as written must have its name in its quote."),
        Check("annotation-link", 3, "Annotation link missing or unrelated",
              "A metric's or initiative's annotation_ids must name exactly the annotations whose span "
              "overlaps its quote and those that a consistency check naming the row is tied to: a "
              "missing link names the annotation to add, a link to an unrelated or withdrawn "
              "annotation the one to remove."),
        Check("attribution", 3, "Row attributed to another district",
              "A row's district differs from the district of its source."),
        Check("audit", 4, "Number not accounted for",
              "A number printed in a source is in no metric's value_text or period_text and in no "
              "non-metric row; or it is in both; or a non-metric row covers no number."),
        Check("value-text", 4, "Value disagrees with its words",
              "Read with the quantity parser, a metric's value_text gives another value, range or "
              "qualifier than the row states."),
        Check("stable-id", 6, "Earlier ID lost or reused",
              "With --against OLD: an ID of OLD is missing, an active row with that ID now names a "
              "different thing (identity rules in jiceng.releases.RULES), or a withdrawn row is "
              "'superseded by' an ID that does not exist."),
        Check("consistency", 5, "Related figures disagree",
              "Recomputed from related metrics (a growth rate, a share of a whole, a sum of parts), "
              "the figures disagree and no inconsistent_value annotation records it; the recorded "
              "outcome or recomputed figure differs from the recomputation; or a check names "
              "metrics that do not fit its kind."),
    )
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the package, at a place a contributor can open."""

    path: str
    line: int
    column: int
    check: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: [{self.check}] {self.message}"

    def github(self) -> str:
        title = CHECKS[self.check].title if self.check in CHECKS else self.check
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (
            f"::error file={escape_property(self.path)},line={self.line},col={self.column},"
            f"title={escape_property(title)}::[{self.check}] {message}"
        )

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def escape_property(value: str) -> str:
    """Escape a workflow-command property as GitHub's toolkit does."""
    return (
        value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")
    )
