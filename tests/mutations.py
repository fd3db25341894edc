"""A catalogue of hostile and broken contributions, generated from the package itself.

Each mutation breaks a temporary copy of the bundled package in one way and says where
the validator must point: file, line, column and check. The expected place is found by
plain text search in the broken file, never by asking jiceng. Families are built by
combining tables, columns and bad values drawn from the models, so new columns and
tables are covered without writing a test by hand.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass

from conftest import Cell, PackageCopy

from jiceng.models import TABLES, Quoted
from jiceng.validate import column_types

Apply = Callable[[PackageCopy], tuple[Cell, str]]


@dataclass(frozen=True)
class Mutation:
    family: str
    variant: str
    apply: Apply

    @property
    def id(self) -> str:
        return f"{self.family}/{self.variant}"


def position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def first_non_ascii(text: str) -> int:
    return next(index for index, char in enumerate(text) if ord(char) > 127)


# -- encodings and bytes ------------------------------------------------------------------


def reencode(table: str, encoding: str) -> Apply:
    """Save a table in another encoding. Latin-1 cannot hold Chinese (it becomes '?'), so
    an accented letter is added to the first English name to leave a non-UTF-8 byte."""

    def apply(copy: PackageCopy) -> tuple[Cell, str]:
        path = copy.root / "data" / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        if encoding == "latin-1":
            marker = text.index(",", text.index("\n")) + 1
            text = text[:marker] + "é" + text[marker:]
            text = "".join(char if ord(char) < 256 else "?" for char in text)
        path.write_bytes(text.encode(encoding, errors="replace"))
        return Cell(f"data/{table}.csv", *position(text, first_non_ascii(text))), "encoding"

    return apply


def with_bom(table: str) -> Apply:
    def apply(copy: PackageCopy) -> tuple[Cell, str]:
        path = copy.root / "data" / f"{table}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        return Cell(f"data/{table}.csv", 1, 1), "encoding"

    return apply


def with_crlf(table: str) -> Apply:
    def apply(copy: PackageCopy) -> tuple[Cell, str]:
        path = copy.root / "data" / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
        return Cell(f"data/{table}.csv", 1, text.index("\n") + 1), "encoding"

    return apply


def invalid_utf8(table: str) -> Apply:
    def apply(copy: PackageCopy) -> tuple[Cell, str]:
        path = copy.root / "data" / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        second_line = text.index("\n") + 1
        data = text.encode("utf-8")
        cut = len(text[:second_line].encode("utf-8"))
        path.write_bytes(data[:cut] + b"\xff" + data[cut:])
        return Cell(f"data/{table}.csv", 2, 1), "encoding"

    return apply


def in_cell(table: str, column: str, make: Callable[[str], str], check: str, row: int = 0) -> Apply:
    def apply(copy: PackageCopy) -> tuple[Cell, str]:
        value = copy.rows(table)[row][column]
        return copy.set_cell(table, row, column, make(value)), check

    return apply


def encoding_mutations() -> list[Mutation]:
    mutations = []
    for table in ("metrics", "initiatives", "districts"):
        mutations += [
            Mutation("encoding", f"gb18030-{table}", reencode(table, "gb18030")),
            Mutation("encoding", f"gbk-{table}", reencode(table, "gbk")),
            Mutation("encoding", f"latin-1-{table}", reencode(table, "latin-1")),
            Mutation("encoding", f"bom-{table}", with_bom(table)),
            Mutation("encoding", f"crlf-{table}", with_crlf(table)),
            Mutation("encoding", f"invalid-utf8-{table}", invalid_utf8(table)),
        ]
    mutations += [
        Mutation("encoding", "nul-byte-in-text", in_cell("glossary", "definition_en", lambda v: v[:5] + "\0" + v[5:], "cell-text")),
        Mutation("encoding", "zero-width-space-in-id", in_cell("metrics", "metric_id", lambda v: v[:5] + "\u200b" + v[5:], "constraint-error")),
        Mutation("encoding", "zero-width-joiner-in-name", in_cell("initiatives", "name_en", lambda v: v + "\u200d", "cell-text")),
        Mutation("encoding", "bidi-override-in-text", in_cell("annotations", "description_en", lambda v: "\u202e" + v, "cell-text")),
        Mutation("encoding", "non-nfc-quote", in_cell("glossary", "usage_note", lambda v: "cafe\u0301 " + (v or ""), "cell-text")),
        Mutation("encoding", "full-width-digits-in-value", in_cell("metrics", "value", lambda v: "６４", "type-error")),
        Mutation("encoding", "full-width-digits-in-offset", in_cell("metrics", "quote_start", lambda v: "３１８", "type-error")),
    ]
    return mutations


# -- CSV structure ------------------------------------------------------------------------


def rewrite_lines(table: str, change: Callable[[list[str]], tuple[list[str], Cell, str]]) -> Apply:
    def apply(copy: PackageCopy) -> tuple[Cell, str]:
        path = copy.root / "data" / f"{table}.csv"
        lines = path.read_text(encoding="utf-8").split("\n")
        lines, cell, check = change(lines)
        path.write_text("\n".join(lines), encoding="utf-8", newline="")
        return cell, check

    return apply


def structure_mutations() -> list[Mutation]:
    relative = "data/glossary.csv"

    def ragged_short(lines):
        lines[2] = lines[2].rsplit(",", 1)[0]
        return lines, Cell(relative, 3, 1), "csv-structure"

    def ragged_long(lines):
        column = len(lines[2]) + 2
        lines[2] = lines[2] + ",extra"
        return lines, Cell(relative, 3, column), "csv-structure"

    def million_columns(lines):
        column = len(lines[2]) + 2
        lines[2] = lines[2] + "," * 1_000_000
        return lines, Cell(relative, 3, column), "csv-structure"

    def header_change(kind):
        def change(lines):
            header = lines[0].split(",")
            if kind == "missing":
                header.remove("usage_note")
            elif kind == "extra":
                header.append("colour")
            elif kind == "renamed":
                header[header.index("term_en")] = "term_english"
            else:
                header[1], header[2] = header[2], header[1]
            lines[0] = ",".join(header)
            return lines, Cell(relative, 1, 1), "csv-structure"
        return change

    def empty(lines):
        return [""], Cell(relative, 1, 1), "csv-structure"

    def header_only(lines):
        return [lines[0], ""], Cell(relative, 1, 1), "csv-structure"

    def unterminated(lines):
        lines[3] = lines[3].replace(",", ',"', 1)
        return lines, Cell(relative, 4, 1), "csv-structure"

    def blank_cells_row(lines):
        lines.insert(2, "," * (lines[0].count(",")))
        return lines, Cell(relative, 3, 1), "csv-structure"

    def blank_line(lines):
        lines.insert(2, "")
        return lines, Cell(relative, 3, 1), "csv-structure"

    mutations = [
        Mutation("csv-structure", "ragged-row-short", rewrite_lines("glossary", ragged_short)),
        Mutation("csv-structure", "ragged-row-long", rewrite_lines("glossary", ragged_long)),
        Mutation("csv-structure", "million-columns", rewrite_lines("glossary", million_columns)),
        Mutation("csv-structure", "empty-file", rewrite_lines("glossary", empty)),
        Mutation("csv-structure", "header-only", rewrite_lines("glossary", header_only)),
        Mutation("csv-structure", "unterminated-quote", rewrite_lines("glossary", unterminated)),
        Mutation("csv-structure", "row-of-empty-cells", rewrite_lines("glossary", blank_cells_row)),
        Mutation("csv-structure", "blank-line", rewrite_lines("glossary", blank_line)),
    ]
    for kind in ("missing", "extra", "renamed", "reordered"):
        mutations.append(Mutation("csv-structure", f"{kind}-column", rewrite_lines("glossary", header_change(kind))))

    def several_mb_field(copy: PackageCopy) -> tuple[Cell, str]:
        return copy.set_cell("glossary", 0, "usage_note", "=" + "x" * 5_000_000), "injection"

    def million_rows(copy: PackageCopy) -> tuple[Cell, str]:
        path = copy.root / "data" / "glossary.csv"
        text = path.read_text(encoding="utf-8")
        short_rows = "".join(f"g-x{index},术语,term,A term.,,active\n" for index in range(1_000_000))
        path.write_text(text + short_rows, encoding="utf-8")
        return Cell(relative, 1_000_002, 1), "csv-structure"

    mutations.append(Mutation("csv-structure", "field-of-several-mb", several_mb_field))
    mutations.append(Mutation("csv-structure", "million-rows", million_rows))
    return mutations


# -- values -------------------------------------------------------------------------------


def value_mutations() -> list[Mutation]:
    """Bad values for every column kind of every table, drawn from the models."""
    mutations = []
    bad_by_kind = {
        "integer": [("letters", "abc", "type-error"), ("decimal", "1.5", "type-error"), ("negative", "-1", "constraint-error")],
        "number": [("letters", "abc", "type-error"), ("nan", "NaN", "row-model"), ("inf", "inf", "row-model")],
    }
    for name, model in TABLES.items():
        types = column_types(name)
        for column, kind in types.items():
            info = model.model_fields[column]
            vocabulary = (info.json_schema_extra or {}).get("vocabulary")
            if vocabulary:
                mutations.append(Mutation("values", f"unknown-code-{name}.{column}",
                                          in_cell(name, column, lambda v: "no_such_code", "constraint-error")))
            elif kind in bad_by_kind and column in ("value", "quote_start", "span_start", "document_length"):
                for label, bad, check in bad_by_kind[kind]:
                    if label == "negative" and column == "value":
                        continue
                    mutations.append(Mutation("values", f"{label}-{name}.{column}", in_cell(name, column, lambda v, bad=bad: bad, check)))
        primary = model.table.primary_key
        mutations.append(Mutation("values", f"malformed-id-{name}", in_cell(name, primary, lambda v: v.upper() + "!", "constraint-error")))

        def duplicate(copy: PackageCopy, name=name, primary=primary) -> tuple[Cell, str]:
            first = copy.rows(name)[0][primary]
            return copy.set_cell(name, 1, primary, first), "primary-key"

        mutations.append(Mutation("values", f"duplicated-id-{name}", duplicate))
    mutations += [
        Mutation("values", "negative-count-as-level", in_cell("metrics", "value", lambda v: "-47", "row-model")),
        Mutation("values", "value-above-value-max", in_cell("metrics", "value", lambda v: "6", "row-model", row=_range_row())),
        Mutation("values", "dangling-source", in_cell("metrics", "source_id", lambda v: "1f5f9208bb5fe543-9", "foreign-key")),
        Mutation("values", "dangling-district", in_cell("initiatives", "district_id", lambda v: "110101", "foreign-key")),
        Mutation("values", "dangling-initiative", in_cell("metrics", "initiative_id", lambda v: "1f5f9208bb5fe543-1-i999", "foreign-key", row=_linked_row())),
        Mutation("values", "self-referencing-related-id", self_reference),
        Mutation("values", "dangling-annotation", in_cell("consistency_checks", "annotation_id", lambda v: "1f5f9208bb5fe543-1-a999", "foreign-key")),
        Mutation("values", "unrelated-annotation-link", in_cell("metrics", "annotation_ids", lambda v: "1f5f9208bb5fe543-1-a999", "annotation-link")),
        Mutation("values", "consistency-outcome-flipped", in_cell("consistency_checks", "outcome", lambda v: "disagrees" if v == "agrees" else "agrees", "consistency")),
        Mutation("values", "consistency-figure-misrecorded", in_cell("consistency_checks", "recomputed", lambda v: "99", "consistency")),
    ]
    return mutations


def _bundled_rows(table: str) -> list[dict[str, str]]:
    from conftest import ROOT
    import csv

    with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _range_row() -> int:
    return next(i for i, row in enumerate(_bundled_rows("metrics")) if row["qualifier"] == "range")


def _linked_row() -> int:
    return next(i for i, row in enumerate(_bundled_rows("metrics")) if row["initiative_id"])


def self_reference(copy: PackageCopy) -> tuple[Cell, str]:
    rows = copy.rows("non_metric_numbers")
    index = next(i for i, row in enumerate(rows) if row["related_id"])
    return copy.set_cell("non_metric_numbers", index, "related_id", rows[index]["number_id"]), "foreign-key"


# -- provenance ---------------------------------------------------------------------------


def shift_quote(table: str, delta: int) -> Apply:
    def apply(copy: PackageCopy) -> tuple[Cell, str]:
        row = copy.rows(table)[0]
        copy.set_cell(table, 0, "quote_end", str(int(row["quote_end"]) + delta))
        return copy.set_cell(table, 0, "quote_start", str(int(row["quote_start"]) + delta)), "quote-offsets"

    return apply


def edit_quote(table: str) -> Apply:
    def apply(copy: PackageCopy) -> tuple[Cell, str]:
        quote = copy.rows(table)[0]["quote"]
        copy.set_cell(table, 0, "quote", quote[:-1] + ("甲" if quote[-1] != "甲" else "乙"))
        return copy.find(table, 0, "quote_start"), "quote-offsets"

    return apply


def past_end(copy: PackageCopy) -> tuple[Cell, str]:
    row = copy.rows("metrics")[0]
    copy.set_cell("metrics", 0, "quote_end", str(100_000 + len(row["quote"])))
    return copy.set_cell("metrics", 0, "quote_start", "100000"), "quote-offsets"


def change_source(offset_from_end: int) -> Apply:
    def apply(copy: PackageCopy) -> tuple[Cell, str]:
        source = copy.rows("sources")[0]
        path = copy.root / source["path"]
        text = path.read_text(encoding="utf-8")
        index = len(text) - offset_from_end
        replacement = "乙" if text[index] != "乙" else "甲"
        path.write_text(text[:index] + replacement + text[index + 1 :], encoding="utf-8", newline="")
        return copy.find("sources", 0, "sha256"), "source-hash"

    return apply


def missing_source(copy: PackageCopy) -> tuple[Cell, str]:
    source = copy.rows("sources")[0]
    (copy.root / source["path"]).unlink()
    return copy.find("sources", 0, "path"), "source-hash"


def source_symlinked_outside(copy: PackageCopy) -> tuple[Cell, str]:
    source = copy.rows("sources")[0]
    inside = copy.root / source["path"]
    outside = copy.root.parent / "outside-source.txt"
    outside.write_bytes(inside.read_bytes())
    inside.unlink()
    os.symlink(outside, inside)
    return copy.find("sources", 0, "path"), "path-safety"


def provenance_mutations() -> list[Mutation]:
    mutations = []
    for name, model in TABLES.items():
        if issubclass(model, Quoted):
            mutations.append(Mutation("provenance", f"quote-shifted-{name}", shift_quote(name, 1)))
            mutations.append(Mutation("provenance", f"quote-edited-{name}", edit_quote(name)))
    mutations += [
        Mutation("provenance", "offsets-past-the-end", past_end),
        Mutation("provenance", "source-changed-at-start", change_source(7000)),
        Mutation("provenance", "source-changed-at-end", change_source(1)),
        Mutation("provenance", "source-missing", missing_source),
        Mutation("provenance", "source-symlinked-outside", source_symlinked_outside),
        Mutation("provenance", "span-not-at-heading", in_cell("sources", "span_start", lambda v: str(int(v) + 1), "source-span", row=1)),
    ]
    return mutations


# -- descriptor ---------------------------------------------------------------------------


def descriptor_text(transform: Callable[[str], str], find: str, check: str, shift: int = 0, whole_line: bool = False) -> Apply:
    def apply(copy: PackageCopy) -> tuple[Cell, str]:
        path = copy.root / "datapackage.json"
        text = transform(path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        line, column = position(text, text.index(find) + shift if find else len(text))
        return Cell("datapackage.json", line, 1 if whole_line else column), check

    return apply


def replace_path(new: str) -> Callable[[str], str]:
    return lambda text: text.replace('"path": "data/glossary.csv"', f'"path": {json.dumps(new)}')


def symlink_outside(copy: PackageCopy) -> tuple[Cell, str]:
    outside = copy.root.parent / "outside.csv"
    target = copy.root / "data" / "glossary.csv"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    os.symlink(outside, target)
    return Cell("data/glossary.csv", 1, 1), "path-safety"


def schema_disagrees(copy: PackageCopy) -> tuple[Cell, str]:
    path = copy.root / "schemas" / "metrics.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"][0]["constraints"]["pattern"] = ".*"
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return Cell("schemas/metrics.json", *position(text, text.index('"pattern": ".*"'))[:1], 1), "schema-drift"


def descriptor_mutations() -> list[Mutation]:
    return [
        Mutation("descriptor", "invalid-json", descriptor_text(lambda t: t.replace('"resources": [', '"resources": [,', 1), "[,", "descriptor", shift=1)),
        Mutation("descriptor", "truncated-json", descriptor_text(lambda t: t[: t.index("\n", len(t) // 2) + 1], "", "descriptor")),
        Mutation("descriptor", "unknown-resource", descriptor_text(lambda t: t.replace('"name": "glossary"', '"name": "glossaries"'), '"name": "glossaries"', "schema-drift", whole_line=True)),
        Mutation("descriptor", "absolute-path", descriptor_text(replace_path("/etc/passwd"), '"/etc/passwd"', "path-safety")),
        Mutation("descriptor", "parent-path", descriptor_text(replace_path("../../glossary.csv"), '"../../glossary.csv"', "path-safety")),
        Mutation("descriptor", "url-path", descriptor_text(replace_path("https://example.org/g.csv"), '"https://example.org/g.csv"', "path-safety")),
        Mutation("descriptor", "windows-path", descriptor_text(replace_path("C:\\data\\glossary.csv"), '"C:', "path-safety")),
        Mutation("descriptor", "symlink-outside", symlink_outside),
        Mutation("descriptor", "schema-disagrees-with-models", schema_disagrees),
    ]


# -- spreadsheet injection ---------------------------------------------------------------


def injection_mutations() -> list[Mutation]:
    mutations = []
    targets = [("initiatives", "name_en"), ("metrics", "subject_en"), ("annotations", "description_en"),
               ("glossary", "term_en"), ("sources", "title_en")]
    for table, column in targets:
        for label, start in (("equals", "=1+1"), ("plus", "+SUM(A1)"), ("minus", "-2+3"), ("at", "@cmd"), ("tab", "\t=1")):
            mutations.append(Mutation("injection", f"{label}-{table}.{column}",
                                      in_cell(table, column, lambda v, start=start: start + " " + v, "injection")))
    return mutations


def all_mutations() -> list[Mutation]:
    return [*encoding_mutations(), *structure_mutations(), *value_mutations(), *provenance_mutations(),
            *descriptor_mutations(), *injection_mutations()]
