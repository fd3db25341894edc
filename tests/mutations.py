"""A catalogue of hostile and broken contributions, generated from the package itself.

Each mutation breaks a temporary copy of the bundled package in one way and says where
the validator must point: file, line, column and check. The expected place is found by
plain text search in the broken file, never by asking jiceng. Families are built by
combining tables, columns and bad values drawn from the models (vocabularies, foreign
keys, row rules), so new columns, keys and tables are covered without writing a test by
hand; a new row rule without a broken variant here fails tests/test_mutations.py.

``python tests/mutations.py --write-docs`` rewrites docs/reference/mutation-suite.md
from this catalogue; a test fails when the page is stale.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT, Cell, PackageCopy, copy_package

from jiceng.models import TABLES, Quoted, vocabulary_model
from jiceng.validate.streams import column_types
from jiceng.vocab import VOCABULARIES

Apply = Callable[[PackageCopy], Cell]
DOC = Path(__file__).resolve().parent.parent / "docs" / "reference" / "mutation-suite.md"


@dataclass(frozen=True)
class Mutation:
    """One way to break the package, the check that must report it, and (for the rules of
    the models) which rule or key it proves is enforced."""

    family: str
    variant: str
    check: str
    apply: Apply
    options: tuple[str, ...] = ()  # more arguments to validate; "{root}" is the copy's directory
    covers: str = ""
    exit_code: int = 1  # 0 for a check that only warns

    @property
    def id(self) -> str:
        return f"{self.family}/{self.variant}"

    def arguments(self, copy: PackageCopy) -> list[str]:
        return [option.format(root=copy.root) for option in self.options]


def position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def first_non_ascii(text: str) -> int:
    return next(index for index, char in enumerate(text) if ord(char) > 127)


def bundled_rows(table: str) -> list[dict[str, str]]:
    """The bundled table's rows, to choose which row a mutation breaks."""
    return PackageCopy(ROOT).rows(table)


# -- encodings and bytes ------------------------------------------------------------------


def reencode(table: str, encoding: str) -> Apply:
    """Save a table in another encoding. Latin-1 cannot hold Chinese (it becomes '?'), so
    an accented letter is added to the first English name to leave a non-UTF-8 byte."""

    def apply(copy: PackageCopy) -> Cell:
        path = copy.root / "data" / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        if encoding == "latin-1":
            marker = text.index(",", text.index("\n")) + 1
            text = text[:marker] + "é" + text[marker:]
            text = "".join(char if ord(char) < 256 else "?" for char in text)
        path.write_bytes(text.encode(encoding, errors="replace"))
        return Cell(f"data/{table}.csv", *position(text, first_non_ascii(text)))

    return apply


def with_bom(table: str) -> Apply:
    def apply(copy: PackageCopy) -> Cell:
        path = copy.root / "data" / f"{table}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        return Cell(f"data/{table}.csv", 1, 1)

    return apply


def with_crlf(table: str) -> Apply:
    def apply(copy: PackageCopy) -> Cell:
        path = copy.root / "data" / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
        return Cell(f"data/{table}.csv", 1, text.index("\n") + 1)

    return apply


def invalid_utf8(table: str) -> Apply:
    def apply(copy: PackageCopy) -> Cell:
        path = copy.root / "data" / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        second_line = text.index("\n") + 1
        data = text.encode("utf-8")
        cut = len(text[:second_line].encode("utf-8"))
        path.write_bytes(data[:cut] + b"\xff" + data[cut:])
        return Cell(f"data/{table}.csv", 2, 1)

    return apply


def in_cell(table: str, column: str, make: Callable[[str], str], row: int = 0) -> Apply:
    def apply(copy: PackageCopy) -> Cell:
        value = copy.rows(table)[row][column]
        return copy.set_cell(table, row, column, make(value))

    return apply


def encoding_mutations() -> list[Mutation]:
    mutations = []
    for table in ("metrics", "initiatives", "districts"):
        mutations += [
            Mutation("encoding", f"gb18030-{table}", "encoding", reencode(table, "gb18030")),
            Mutation("encoding", f"gbk-{table}", "encoding", reencode(table, "gbk")),
            Mutation("encoding", f"latin-1-{table}", "encoding", reencode(table, "latin-1")),
            Mutation("encoding", f"bom-{table}", "encoding", with_bom(table)),
            Mutation("encoding", f"crlf-{table}", "encoding", with_crlf(table)),
            Mutation("encoding", f"invalid-utf8-{table}", "encoding", invalid_utf8(table)),
        ]
    mutations += [
        Mutation("encoding", "nul-byte-in-text", "cell-text", in_cell("glossary", "definition_en", lambda v: v[:5] + "\0" + v[5:])),
        Mutation("encoding", "zero-width-space-in-id", "constraint-error", in_cell("metrics", "metric_id", lambda v: v[:5] + "\u200b" + v[5:])),
        Mutation("encoding", "zero-width-joiner-in-name", "cell-text", in_cell("initiatives", "name_en", lambda v: v + "\u200d")),
        Mutation("encoding", "bidi-override-in-text", "cell-text", in_cell("annotations", "description_en", lambda v: "\u202e" + v)),
        Mutation("encoding", "non-nfc-quote", "cell-text", in_cell("glossary", "usage_note", lambda v: "cafe\u0301 " + (v or ""))),
        Mutation("encoding", "full-width-digits-in-value", "type-error", in_cell("metrics", "value", lambda v: "６４")),
        Mutation("encoding", "full-width-digits-in-offset", "type-error", in_cell("metrics", "quote_start", lambda v: "３１８")),
    ]
    return mutations


# -- CSV structure ------------------------------------------------------------------------


def rewrite_lines(table: str, change: Callable[[list[str]], tuple[list[str], Cell]]) -> Apply:
    def apply(copy: PackageCopy) -> Cell:
        path = copy.root / "data" / f"{table}.csv"
        lines = path.read_text(encoding="utf-8").split("\n")
        lines, cell = change(lines)
        path.write_text("\n".join(lines), encoding="utf-8", newline="")
        return cell

    return apply


def structure_mutations() -> list[Mutation]:
    relative = "data/glossary.csv"

    def ragged_short(lines):
        lines[2] = lines[2].rsplit(",", 1)[0]
        return lines, Cell(relative, 3, 1)

    def ragged_long(lines):
        column = len(lines[2]) + 2
        lines[2] = lines[2] + ",extra"
        return lines, Cell(relative, 3, column)

    def million_columns(lines):
        column = len(lines[2]) + 2
        lines[2] = lines[2] + "," * 1_000_000
        return lines, Cell(relative, 3, column)

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
            return lines, Cell(relative, 1, 1)
        return change

    def empty(lines):
        return [""], Cell(relative, 1, 1)

    def header_only(lines):
        return [lines[0], ""], Cell(relative, 1, 1)

    def unterminated(lines):
        lines[3] = lines[3].replace(",", ',"', 1)
        return lines, Cell(relative, 4, 1)

    def blank_cells_row(lines):
        lines.insert(2, "," * (lines[0].count(",")))
        return lines, Cell(relative, 3, 1)

    def blank_line(lines):
        lines.insert(2, "")
        return lines, Cell(relative, 3, 1)

    changes = [("ragged-row-short", ragged_short), ("ragged-row-long", ragged_long), ("million-columns", million_columns),
               ("empty-file", empty), ("header-only", header_only), ("unterminated-quote", unterminated),
               ("row-of-empty-cells", blank_cells_row), ("blank-line", blank_line)]
    changes += [(f"{kind}-column", header_change(kind)) for kind in ("missing", "extra", "renamed", "reordered")]
    mutations = [Mutation("csv-structure", variant, "csv-structure", rewrite_lines("glossary", change))
                 for variant, change in changes]

    def several_mb_field(copy: PackageCopy) -> Cell:
        return copy.set_cell("glossary", 0, "usage_note", "=" + "x" * 5_000_000)

    def million_rows(copy: PackageCopy) -> Cell:
        path = copy.root / "data" / "glossary.csv"
        text = path.read_text(encoding="utf-8")
        short_rows = "".join(f"g-x{index},术语,term,A term.,,active\n" for index in range(1_000_000))
        path.write_text(text + short_rows, encoding="utf-8")
        return Cell(relative, 1_000_002, 1)

    mutations.append(Mutation("csv-structure", "field-of-several-mb", "injection", several_mb_field))
    mutations.append(Mutation("csv-structure", "million-rows", "csv-structure", million_rows))
    return mutations


# -- values -------------------------------------------------------------------------------


def value_mutations() -> list[Mutation]:
    """Bad values for every column kind of every table, drawn from the models."""
    mutations = []
    bad_by_kind = {
        "integer": [("letters", "abc", "type-error"), ("decimal", "1.5", "type-error"), ("negative", "-1", "constraint-error"),
                    ("whole-decimal", "5.0", "type-error")],
        "number": [("letters", "abc", "type-error")],
    }
    for name, model in TABLES.items():
        types = column_types(name)
        for column, kind in types.items():
            info = model.model_fields[column]
            vocabulary = (info.json_schema_extra or {}).get("vocabulary")
            if vocabulary:
                mutations.append(Mutation("values", f"unknown-code-{name}.{column}", "constraint-error",
                                          in_cell(name, column, lambda v: "no_such_code")))
            elif kind in bad_by_kind and column in ("value", "quote_start", "span_start", "document_length"):
                for label, bad, check in bad_by_kind[kind]:
                    if label == "negative" and column == "value":
                        continue
                    mutations.append(Mutation("values", f"{label}-{name}.{column}", check, in_cell(name, column, lambda v, bad=bad: bad)))
        primary = model.table.primary_key
        mutations.append(Mutation("values", f"malformed-id-{name}", "constraint-error", in_cell(name, primary, lambda v: v.upper() + "!")))

        def duplicate(copy: PackageCopy, name=name, primary=primary) -> Cell:
            first = copy.rows(name)[0][primary]
            return copy.set_cell(name, 1, primary, first)

        mutations.append(Mutation("values", f"duplicated-id-{name}", "primary-key", duplicate))
    # pydantic alone would read "yes" as true: the row model must leave it to the Table Schema
    mutations.append(Mutation("values", "yes-in-boolean-units.integer", "type-error",
                              in_cell("vocabularies/units", "integer", lambda v: "yes")))
    mutations.append(Mutation("values", "capitalised-True-in-boolean-units.integer", "type-error",
                              in_cell("vocabularies/units", "integer", lambda v: "True")))
    mutations.append(Mutation("values", "self-referencing-related-id", "foreign-key", self_reference))
    mutations.append(Mutation("values", "dangling-related-id", "foreign-key", dangling_related_id))
    mutations += [
        Mutation("values", "unrelated-annotation-link", "annotation-link",
                 in_cell("metrics", "annotation_ids", lambda v: "1f5f9208bb5fe543-1-a999")),
        Mutation("values", "consistency-outcome-flipped", "consistency",
                 in_cell("consistency_checks", "outcome", lambda v: "disagrees" if v == "agrees" else "agrees")),
        Mutation("values", "consistency-figure-misrecorded", "consistency",
                 in_cell("consistency_checks", "recomputed", lambda v: "99")),
    ]
    return mutations


def self_reference(copy: PackageCopy) -> Cell:
    rows = copy.rows("non_metric_numbers")
    index = next(i for i, row in enumerate(rows) if row["related_id"])
    return copy.set_cell("non_metric_numbers", index, "related_id", rows[index]["number_id"])


def dangling_related_id(copy: PackageCopy) -> Cell:
    """related_id may name a metric or a number (no declared foreign key): one that is neither."""
    rows = copy.rows("non_metric_numbers")
    index = next(i for i, row in enumerate(rows) if row["related_id"])
    return copy.set_cell("non_metric_numbers", index, "related_id", rows[index]["related_id"] + "9")


# -- foreign keys, generated from the models' field metadata ------------------------------


def foreign_keys() -> list[tuple[str, str, str, str]]:
    """(table, column, referenced table, referenced column) for every declared foreign key."""
    keys = []
    for name, model in TABLES.items():
        for column, info in model.model_fields.items():
            target = (info.json_schema_extra or {}).get("foreign_key")
            if target:
                keys.append((name, column, *target.split(".")))
    return keys


def field_pattern(table: str, column: str) -> str | None:
    return next((item.pattern for item in TABLES[table].model_fields[column].metadata
                 if getattr(item, "pattern", None)), None)


def dangling(value: str, pattern: str | None, existing: set[str]) -> str:
    """A value one character away from ``value`` that still fits the column's pattern (so
    only the reference is wrong) and names no row of the referenced table."""
    for index in range(len(value) - 1, -1, -1):
        for char in "0123456789abcdef":
            candidate = value[:index] + char + value[index + 1 :]
            if candidate not in existing and (pattern is None or re.fullmatch(pattern, candidate)):
                return candidate
    raise AssertionError(f"no dangling value near {value!r}")


def dangling_reference(table: str, column: str, target: str, target_column: str) -> Apply:
    def apply(copy: PackageCopy) -> Cell:
        rows = copy.rows(table)
        existing = {row[target_column] for row in copy.rows(target)}
        index = next((i for i, row in enumerate(rows) if row[column]), 0)
        start = rows[index][column] or sorted(existing)[0]
        return copy.set_cell(table, index, column, dangling(start, field_pattern(table, column), existing))

    return apply


def foreign_key_mutations() -> list[Mutation]:
    return [Mutation("foreign-keys", f"dangling-{table}.{column}", "foreign-key",
                     dangling_reference(table, column, target, target_column), covers=f"{table}.{column}")
            for table, column, target, target_column in foreign_keys()]


# -- row rules: every model_validator and field_validator of the models -------------------


def break_row(table: str, where: Callable[[dict[str, str]], bool], changes: dict[str, Callable[[dict[str, str]], str]],
              at: str) -> Apply:
    """Change cells of the first row that ``where`` selects; the problem is expected at ``at``."""

    def apply(copy: PackageCopy) -> Cell:
        rows = copy.rows(table)
        index = next((i for i, row in enumerate(rows) if where(row)), None)
        assert index is not None, f"no row of {table} fits this mutation; choose rows the data has"
        row = dict(rows[index])
        for column, make in changes.items():
            rows[index][column] = make(row)
        copy.write_rows(table, rows)
        return copy.find(table, index, at)

    return apply


def anything(row: dict[str, str]) -> bool:
    return True


# Each rule of a model, by its qualified name, with rows that break it. A rule added to
# jiceng.models fails test_every_row_rule_has_a_broken_variant until it is listed here.
RULE_BREAKERS: dict[str, list[tuple[str, str, Callable, dict[str, Callable], str]]] = {
    "Source._span_is_ordered": [
        ("span-past-the-document", "sources", anything,
         {"span_end": lambda row: str(int(row["document_length"]) + 1)}, "source_id"),
        ("empty-span", "sources", anything, {"span_end": lambda row: row["span_start"]}, "source_id"),
    ],
    "Source._inferred_details_say_why": [
        ("inferred-without-a-reason", "sources", anything,
         {"published_basis": lambda row: "inferred", "published_note": lambda row: ""}, "published_basis"),
        ("not-stated-but-dated", "sources", lambda row: row["published_basis"] == "not_stated",
         {"published": lambda row: "2020"}, "published_basis"),
    ],
    "District._codes_nest": [
        ("district-outside-its-prefecture", "districts", anything,
         {"prefecture_id": lambda row: row["province_id"][:2] + ("99" if row["prefecture_id"][2:4] != "99" else "98") + "00"},
         "district_id"),
        ("prefecture-outside-its-province", "districts", anything,
         {"province_id": lambda row: ("2" if row["province_id"][0] != "2" else "3") + row["province_id"][1] + "0000"},
         "prefecture_id"),
    ],
    "District._goals_come_with_their_quote": [
        ("goals-without-their-quote", "districts", lambda row: row["development_goals_zh"],
         {"goals_quote": lambda row: ""}, "development_goals_zh"),
    ],
    "Initiative._name_without_enclosing_marks": [
        ("name-inside-quotation-marks", "initiatives", anything,
         {"name_zh": lambda row: f"“{row['name_zh']}”"}, "name_zh"),
        ("name-inside-title-marks", "initiatives", anything,
         {"name_zh": lambda row: f"《{row['name_zh']}》"}, "name_zh"),
    ],
    "Metric._range_iff_value_max": [
        ("range-without-value-max", "metrics", lambda row: row["qualifier"] == "range",
         {"value_max": lambda row: ""}, "qualifier"),
        ("value-max-without-range", "metrics", lambda row: row["qualifier"] != "range",
         {"value_max": lambda row: row["value"]}, "qualifier"),
        ("value-above-value-max", "metrics", lambda row: row["qualifier"] == "range",
         {"value": lambda row: str(float(row["value_max"]) + 1)}, "value"),
    ],
    "Metric._unit_fits_value_type": [
        ("count-unit-for-a-rate", "metrics", lambda row: row["value_type"] == "rate",
         {"unit": lambda row: "person"}, "unit"),
        ("fraction-of-a-person", "metrics", lambda row: row["unit"] == "person" and row["qualifier"] != "range",
         {"value": lambda row: str(float(row["value"]) + 0.5)}, "value"),
        ("negative-level", "metrics", lambda row: row["value_type"] != "increase" and row["qualifier"] != "range",
         {"value": lambda row: "-47"}, "value"),
    ],
    "Metric._finite": [
        ("infinite-value", "metrics", anything, {"value": lambda row: "inf"}, "value"),
        ("nan-value", "metrics", anything, {"value": lambda row: "NaN"}, "value"),
        ("infinite-value-max", "metrics", lambda row: row["qualifier"] == "range", {"value_max": lambda row: "inf"},
         "value_max"),
    ],
    "Annotation._related_span_is_complete": [
        ("related-source-without-its-span", "annotations", lambda row: not row["related_source_id"],
         {"related_source_id": lambda row: row["source_id"]}, "related_source_id"),
        ("related-span-reversed", "annotations", lambda row: row["related_start"],
         {"related_end": lambda row: row["related_start"]}, "related_start"),
    ],
}


def model_rules() -> dict[str, list[str]]:
    """Qualified name of every rule of every table's model → the tables it applies to."""
    rules: dict[str, list[str]] = {}
    for name, model in TABLES.items():
        decorators = model.__pydantic_decorators__
        for decorator in [*decorators.model_validators.values(), *decorators.field_validators.values()]:
            rules.setdefault(decorator.func.__qualname__, []).append(name)
    return rules


def other_source_id(row_id: str, source_id: str, existing: set[str]) -> str:
    """The row's ID moved under another source, unused by any row."""
    document, position = source_id.rsplit("-", 1)
    suffix = row_id[len(source_id):]
    moved = f"{document}-{int(position) + 1}{suffix}"
    while moved in existing:
        moved = moved[:-3] + "9" + moved[-3:]
    return moved


def inherited_rule_mutations() -> list[Mutation]:
    """Rules every table inherits (Row, Quoted), broken in each table they apply to."""
    mutations = []
    for name, model in TABLES.items():
        coded = model.coded_fields()
        if coded:
            column = coded[0][0]
            # reported once, by the Frictionless enum with "did you mean"; the row rule's own
            # message is dropped at the same cell (records() relies on the rule alone)
            mutations.append(Mutation("row-rules", f"code-outside-its-vocabulary-{name}.{column}", "constraint-error",
                                      in_cell(name, column, lambda v: "no_such_code"),
                                      covers="Row._codes_are_in_their_vocabularies"))
        key = model.table.primary_key
        if model.table.id_letter and "source_id" in model.model_fields:
            def moved(copy: PackageCopy, name=name, key=key) -> Cell:
                rows = copy.rows(name)
                existing = {row[key] for row in rows}
                return copy.set_cell(name, 0, key, other_source_id(rows[0][key], rows[0]["source_id"], existing))

            mutations.append(Mutation("row-rules", f"id-of-another-source-{name}", "row-model", moved,
                                      covers="Row._id_starts_with_its_source"))
        if issubclass(model, Quoted):
            mutations.append(Mutation("row-rules", f"quote-span-longer-than-its-quote-{name}", "row-model",
                                      break_row(name, anything, {"quote_end": lambda row: str(int(row["quote_end"]) + 1)},
                                                "quote_end"),
                                      covers="Quoted._quote_span_matches_its_length"))
    return mutations


def rule_mutations() -> list[Mutation]:
    mutations = inherited_rule_mutations()
    for rule, breakers in RULE_BREAKERS.items():
        for variant, table, where, changes, at in breakers:
            mutations.append(Mutation("row-rules", variant, "row-model", break_row(table, where, changes, at), covers=rule))
    return mutations


# -- provenance ---------------------------------------------------------------------------


def shift_quote(table: str, delta: int) -> Apply:
    def apply(copy: PackageCopy) -> Cell:
        row = copy.rows(table)[0]
        copy.set_cell(table, 0, "quote_end", str(int(row["quote_end"]) + delta))
        return copy.set_cell(table, 0, "quote_start", str(int(row["quote_start"]) + delta))

    return apply


def edit_quote(table: str) -> Apply:
    def apply(copy: PackageCopy) -> Cell:
        quote = copy.rows(table)[0]["quote"]
        copy.set_cell(table, 0, "quote", quote[:-1] + ("甲" if quote[-1] != "甲" else "乙"))
        return copy.find(table, 0, "quote_start")

    return apply


def past_end(copy: PackageCopy) -> Cell:
    row = copy.rows("metrics")[0]
    copy.set_cell("metrics", 0, "quote_end", str(100_000 + len(row["quote"])))
    return copy.set_cell("metrics", 0, "quote_start", "100000")


def change_source(offset_from_end: int) -> Apply:
    def apply(copy: PackageCopy) -> Cell:
        source = copy.rows("sources")[0]
        path = copy.root / source["path"]
        text = path.read_text(encoding="utf-8")
        index = len(text) - offset_from_end
        replacement = "乙" if text[index] != "乙" else "甲"
        path.write_text(text[:index] + replacement + text[index + 1 :], encoding="utf-8", newline="")
        return copy.find("sources", 0, "sha256")

    return apply


NUMERALS = set("〇零一二两三四五六七八九十百千万亿")


def source_replaced_keeping_every_quote(copy: PackageCopy) -> Cell:
    """The document replaced by another of the same length in code points and bytes, whose
    every quote, quote context, heading and byline is still at its offsets: only the
    recorded sha256 can tell."""
    source = copy.rows("sources")[0]
    path = copy.root / source["path"]
    text = path.read_text(encoding="utf-8")
    kept = [False] * len(text)
    for name, model in TABLES.items():
        if issubclass(model, Quoted):
            for row in copy.rows(name):
                for index in range(max(0, int(row["quote_start"]) - 30), min(len(text), int(row["quote_end"]) + 30)):
                    kept[index] = True
    for row in copy.rows("districts"):
        if row["goals_quote_start"]:
            for index in range(int(row["goals_quote_start"]), int(row["goals_quote_end"])):
                kept[index] = True
    for row in copy.rows("sources"):
        for words in (row["heading_zh"], row["byline_zh"]):
            at = text.find(words) if words else -1
            for index in range(max(0, at), at + len(words) if at >= 0 else 0):
                kept[index] = True
    replaced = "".join(char if kept[index] or not "\u4e00" <= char <= "\u9fff" or char in NUMERALS
                       else ("乙" if char == "甲" else "甲") for index, char in enumerate(text))
    assert replaced != text and len(replaced.encode("utf-8")) == len(text.encode("utf-8"))
    path.write_text(replaced, encoding="utf-8", newline="")
    return copy.find("sources", 0, "sha256")


def misrecorded_hash_on_a_middle_text(copy: PackageCopy) -> Cell:
    """Texts cut from one file each record its digest: one neither first nor last (where
    there are three) records another."""
    middle = len(copy.rows("sources")) // 2
    return copy.set_cell("sources", middle, "sha256", "0" * 64)


def missing_source(copy: PackageCopy) -> Cell:
    source = copy.rows("sources")[0]
    (copy.root / source["path"]).unlink()
    return copy.find("sources", 0, "path")


def source_symlinked_outside(copy: PackageCopy) -> Cell:
    source = copy.rows("sources")[0]
    inside = copy.root / source["path"]
    outside = copy.root.parent / "outside-source.txt"
    outside.write_bytes(inside.read_bytes())
    inside.unlink()
    os.symlink(outside, inside)
    return copy.find("sources", 0, "path")


def provenance_mutations() -> list[Mutation]:
    mutations = []
    for name, model in TABLES.items():
        if issubclass(model, Quoted):
            mutations.append(Mutation("provenance", f"quote-shifted-{name}", "quote-offsets", shift_quote(name, 1)))
            mutations.append(Mutation("provenance", f"quote-edited-{name}", "quote-offsets", edit_quote(name)))
    mutations += [
        Mutation("provenance", "offsets-past-the-end", "quote-offsets", past_end),
        Mutation("provenance", "source-changed-at-start", "source-hash", change_source(7000)),
        Mutation("provenance", "source-changed-at-end", "source-hash", change_source(1)),
        Mutation("provenance", "sha256-misrecorded-on-a-middle-text", "source-hash", misrecorded_hash_on_a_middle_text),
        Mutation("provenance", "source-replaced-by-one-of-the-same-length", "source-hash", source_replaced_keeping_every_quote),
        Mutation("provenance", "source-missing", "source-hash", missing_source),
        Mutation("provenance", "source-symlinked-outside", "path-safety", source_symlinked_outside),
        Mutation("provenance", "span-not-at-heading", "source-span", in_cell("sources", "span_start", lambda v: str(int(v) + 1), row=1)),
    ]
    return mutations


# -- descriptor ---------------------------------------------------------------------------


def descriptor_text(transform: Callable[[str], str], find: str, shift: int = 0, whole_line: bool = False) -> Apply:
    def apply(copy: PackageCopy) -> Cell:
        path = copy.root / "datapackage.json"
        text = transform(path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        line, column = position(text, text.index(find) + shift if find else len(text))
        return Cell("datapackage.json", line, 1 if whole_line else column)

    return apply


def replace_path(new: str) -> Callable[[str], str]:
    return lambda text: text.replace('"path": "data/glossary.csv"', f'"path": {json.dumps(new)}')


def symlink_outside(copy: PackageCopy) -> Cell:
    outside = copy.root.parent / "outside.csv"
    target = copy.root / "data" / "glossary.csv"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    os.symlink(outside, target)
    return Cell("data/glossary.csv", 1, 1)


def schema_disagrees(copy: PackageCopy) -> Cell:
    path = copy.root / "schemas" / "metrics.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"][0]["constraints"]["pattern"] = ".*"
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return Cell("schemas/metrics.json", *position(text, text.index('"pattern": ".*"'))[:1], 1)


def descriptor_mutations() -> list[Mutation]:
    return [
        Mutation("descriptor", "invalid-json", "descriptor", descriptor_text(lambda t: t.replace('"resources": [', '"resources": [,', 1), "[,", shift=1)),
        Mutation("descriptor", "truncated-json", "descriptor", descriptor_text(lambda t: t[: t.index("\n", len(t) // 2) + 1], "")),
        Mutation("descriptor", "unknown-resource", "schema-drift", descriptor_text(lambda t: t.replace('"name": "glossary"', '"name": "glossaries"'), '"name": "glossaries"', whole_line=True)),
        Mutation("descriptor", "absolute-path", "path-safety", descriptor_text(replace_path("/etc/passwd"), '"/etc/passwd"')),
        Mutation("descriptor", "parent-path", "path-safety", descriptor_text(replace_path("../../glossary.csv"), '"../../glossary.csv"')),
        Mutation("descriptor", "url-path", "path-safety", descriptor_text(replace_path("https://example.org/g.csv"), '"https://example.org/g.csv"')),
        Mutation("descriptor", "windows-path", "path-safety", descriptor_text(replace_path("C:\\data\\glossary.csv"), '"C:')),
        Mutation("descriptor", "symlink-outside", "path-safety", symlink_outside),
        Mutation("descriptor", "schema-disagrees-with-models", "schema-drift", schema_disagrees),
    ]


# -- spreadsheet injection ---------------------------------------------------------------


def injection_mutations() -> list[Mutation]:
    mutations = []
    targets = [("initiatives", "name_en"), ("metrics", "subject_en"), ("annotations", "description_en"),
               ("glossary", "term_en"), ("sources", "title_en")]
    for table, column in targets:
        for label, start in (("equals", "=1+1"), ("plus", "+SUM(A1)"), ("minus", "-2+3"), ("at", "@cmd"), ("tab", "\t=1")):
            mutations.append(Mutation("injection", f"{label}-{table}.{column}", "injection",
                                      in_cell(table, column, lambda v, start=start: start + " " + v)))
    return mutations


# -- the remaining checks of the catalogue (jiceng.validate.report.CHECKS) -----------------------


def source_position(copy: PackageCopy, source_id: str, offset: int) -> Cell:
    source = next(row for row in copy.rows("sources") if row["source_id"] == source_id)
    text = (copy.root / source["path"]).read_text(encoding="utf-8")
    return Cell(source["path"], *position(text, offset))


def table_missing(copy: PackageCopy) -> Cell:
    (copy.root / "data" / "glossary.csv").unlink()
    return Cell("data/glossary.csv", 1, 1)


def source_not_nfc(copy: PackageCopy) -> Cell:
    source = copy.rows("sources")[0]
    path = copy.root / source["path"]
    text = path.read_text(encoding="utf-8")
    offset = int(source["span_end"]) - 1
    path.write_text(text[:offset] + "e\u0301" + text[offset:], encoding="utf-8", newline="")
    return Cell(source["path"], *position(text, offset))


def number_left_uncovered(copy: PackageCopy) -> Cell:
    rows = copy.rows("non_metric_numbers")
    related = {row["related_id"] for row in rows}
    index = next(i for i, row in enumerate(rows) if not row["related_id"] and row["number_id"] not in related
                 and row["quote"].count(row["number_text"]) == 1)
    removed = rows.pop(index)
    copy.write_rows("non_metric_numbers", rows)
    offset = int(removed["quote_start"]) + removed["quote"].index(removed["number_text"])
    return source_position(copy, removed["source_id"], offset)


def value_against_its_words(copy: PackageCopy) -> Cell:
    rows = copy.rows("metrics")
    index = next(i for i, row in enumerate(rows) if row["qualifier"] != "range" and "万" in row["value_text"])
    copy.set_cell("metrics", index, "value", str(float(rows[index]["value"]) * 10))
    return copy.find("metrics", index, "value_text")


def id_reused_against_an_earlier_version(copy: PackageCopy) -> Cell:
    copy_package(copy.root.parent / "earlier")
    return copy.set_cell("glossary", 0, "term_zh", "完全不同的术语")


def quote_past_its_essay(copy: PackageCopy) -> Cell:
    """An annotation whose quote starts in its essay and runs two characters into the next
    one: found at its offsets, but not inside its own source's span."""
    source = copy.rows("sources")[0]
    text = (copy.root / source["path"]).read_text(encoding="utf-8")
    rows = copy.rows("annotations")
    index = next(i for i, row in enumerate(rows) if row["source_id"] == source["source_id"])
    start, end = int(source["span_end"]) - 2, int(source["span_end"]) + 2
    rows[index].update(quote=text[start:end], quote_start=str(start), quote_end=str(end),
                       quote_prefix=text[start - 8 : start], quote_suffix=text[end : end + 8])
    copy.write_rows("annotations", rows)
    return copy.find("annotations", index, "quote_start")


def needlessly_quoted(copy: PackageCopy) -> Cell:
    """A valid table written by another tool: its first cell quoted though it need not be."""
    path = copy.root / "data" / "glossary.csv"
    header, first, rest = path.read_text(encoding="utf-8").split("\n", 2)
    cell, tail = first.split(",", 1)
    path.write_text(f'{header}\n"{cell}",{tail}\n{rest}', encoding="utf-8", newline="")
    return Cell("data/glossary.csv", 2, 1)


def id_number_skipped(copy: PackageCopy) -> Cell:
    """The last non-metric number of a source renumbered past a free number, as if the row
    before it had been deleted; no other row names it."""
    rows = copy.rows("non_metric_numbers")
    texts = "".join(path.read_text(encoding="utf-8") for path in (copy.root / "data").glob("*.csv")
                    if path.name != "non_metric_numbers.csv")
    last_of_source = {row["source_id"]: index for index, row in enumerate(rows)}
    index = next(i for i in last_of_source.values() if rows[i]["number_id"] not in texts
                 and rows[i]["number_id"] not in {row["related_id"] for row in rows})
    row_id = rows[index]["number_id"]
    stem, number = row_id[:-3], int(row_id[-3:])
    return copy.set_cell("non_metric_numbers", index, "number_id", f"{stem}{number + 2:03d}")


def linked_to_a_withdrawn_initiative(copy: PackageCopy) -> Cell:
    """An initiative withdrawn while a metric still names it in initiative_id."""
    metrics = copy.rows("metrics")
    index = next(i for i, row in enumerate(metrics) if row["initiative_id"])
    initiatives = copy.rows("initiatives")
    withdrawn = next(row for row in initiatives if row["initiative_id"] == metrics[index]["initiative_id"])
    withdrawn.update(status="withdrawn", notes=f"superseded by {initiatives[-1]['initiative_id']}")
    copy.write_rows("initiatives", initiatives)
    return copy.find("metrics", index, "initiative_id")


def check_mutations() -> list[Mutation]:
    def other_district(row: dict[str, str]) -> str:
        return next(district["district_id"] for district in bundled_rows("districts")
                    if district["district_id"] != row["district_id"])

    return [
        Mutation("checks", "table-file-missing", "file", table_missing),
        Mutation("checks", "source-text-not-nfc", "source-text", source_not_nfc),
        Mutation("checks", "quote-prefix-not-before-the-quote", "quote-selector",
                 break_row("metrics", anything, {"quote_prefix": lambda row: "不对"}, "quote_prefix")),
        Mutation("checks", "quote-past-the-end-of-its-essay", "quote-selector", quote_past_its_essay),
        Mutation("checks", "value-text-not-in-its-quote", "quote-content",
                 break_row("metrics", anything, {"value_text": lambda row: "９９９万"}, "value_text")),
        Mutation("checks", "row-of-another-district", "attribution",
                 break_row("metrics", anything, {"district_id": other_district}, "district_id")),
        Mutation("checks", "number-in-no-row", "audit", number_left_uncovered),
        Mutation("checks", "value-ten-times-its-words", "value-text", value_against_its_words),
        Mutation("checks", "figures-in-the-wrong-order-without-annotation", "consistency",
                 break_row("consistency_checks", anything, {"annotation_id": lambda row: "",
                                                            "metric_ids": lambda row: " ".join(row["metric_ids"].split()[::-1])},
                           "annotation_id")),
        Mutation("checks", "unknown-metric-in-a-check", "consistency",
                 break_row("consistency_checks", anything, {"metric_ids": lambda row: row["metric_ids"] + "9"}, "metric_ids")),
        Mutation("checks", "table-not-in-canonical-form", "format", needlessly_quoted),
        Mutation("checks", "draft-row-not-reviewed", "draft",
                 break_row("metrics", anything, {"status": lambda row: "draft"}, "status")),
        Mutation("checks", "id-number-skipped", "id-gap", id_number_skipped, exit_code=0),
        Mutation("checks", "metric-linked-to-a-withdrawn-initiative", "withdrawn-link",
                 linked_to_a_withdrawn_initiative),
        Mutation("checks", "id-reused-for-another-term", "stable-id", id_reused_against_an_earlier_version,
                 options=("--against", "{root}/../earlier")),
    ]


def all_mutations() -> list[Mutation]:
    return [*encoding_mutations(), *structure_mutations(), *value_mutations(), *foreign_key_mutations(),
            *rule_mutations(), *provenance_mutations(), *descriptor_mutations(), *injection_mutations(),
            *check_mutations(), *bound_mutations(), *blank_mutations(), *vocabulary_mutations()]


# -- bounds: every column with a maximum length, from the models --------------------------


def bounded_columns() -> list[tuple[str, str, int]]:
    """(table as PackageCopy names it, column, maximum length) for every field of every
    table model and every vocabulary model (in the first vocabulary file it describes)
    that has a ``max_length``."""
    vocabularies: dict[type, str] = {}
    for name in VOCABULARIES:
        vocabularies.setdefault(vocabulary_model(name), name)
    models = list(TABLES.items()) + [(f"vocabularies/{name}", model) for model, name in vocabularies.items()]
    found = []
    for table, model in models:
        for column, info in model.model_fields.items():
            limit = next((item.max_length for item in info.metadata if getattr(item, "max_length", None)), None)
            if limit is not None:
                found.append((table, column, limit))
    return found


def bound_mutations() -> list[Mutation]:
    """One character past the limit, in the first row of each bounded column."""
    return [Mutation("bounds", f"oversized-{table.removeprefix('vocabularies/')}.{column}", "constraint-error",
                     in_cell(table, column, lambda v, limit=limit: "长" * (limit + 1)))
            for table, column, limit in bounded_columns()]


BLANKS = {"zero-width-spaces": "\u200b\u200b", "word-joiner": "\u2060", "spaces": "   ", "ideographic-space": "\u3000",
          "no-break-spaces": "\u00a0\u00a0"}


def blank_mutations() -> list[Mutation]:
    """Cells that look filled in but hold nothing a reader can see: every kind of blank in
    one required column, and invisible characters alone in a required column of each table."""
    mutations = [Mutation("blank-cells", f"{label}-metrics.subject_en", "cell-text",
                          in_cell("metrics", "subject_en", lambda v, blank=blank: blank))
                 for label, blank in BLANKS.items()]
    for table, column in (("initiatives", "name_zh"), ("glossary", "definition_en"), ("annotations", "description_en"),
                          ("non_metric_numbers", "explanation_en"), ("sources", "title_en"), ("districts", "name_en"),
                          ("consistency_checks", "description_en"), ("vocabularies/units", "label_en")):
        mutations.append(Mutation("blank-cells", f"zero-width-spaces-{table.removeprefix('vocabularies/')}.{column}",
                                  "cell-text", in_cell(table, column, lambda v: BLANKS["zero-width-spaces"])))
    return mutations


# -- vocabularies -------------------------------------------------------------------------


def code_deleted_while_used(vocabulary: str, table: str, column: str) -> Apply:
    """A vocabulary loses a code that rows still use: the first such row is reported."""

    def apply(copy: PackageCopy) -> Cell:
        terms = copy.rows(f"vocabularies/{vocabulary}")
        used = [row[column] for row in copy.rows(table)]
        index = next(i for i, term in enumerate(terms) if term["code"] in used)
        code = terms.pop(index)["code"]
        copy.write_rows(f"vocabularies/{vocabulary}", terms)
        return copy.find(table, used.index(code), column)

    return apply


def code_duplicated(vocabulary: str) -> Apply:
    """A vocabulary lists one code twice (a term pasted again): the second is reported."""

    def apply(copy: PackageCopy) -> Cell:
        terms = copy.rows(f"vocabularies/{vocabulary}")
        terms.insert(2, dict(terms[0]))
        copy.write_rows(f"vocabularies/{vocabulary}", terms)
        return copy.find(f"vocabularies/{vocabulary}", 2, "code")

    return apply


def vocabulary_mutations() -> list[Mutation]:
    """For every vocabulary, a code deleted that the first column using it still uses, and
    a duplicated code."""
    users: dict[str, tuple[str, str]] = {}
    for name, model in TABLES.items():
        for column, vocabulary in model.coded_fields():
            users.setdefault(vocabulary, (name, column))
    mutations = [Mutation("vocabularies", f"code-deleted-while-used-{vocabulary}-by-{name}.{column}", "row-model",
                          code_deleted_while_used(vocabulary, name, column))
                 for vocabulary, (name, column) in users.items()]
    mutations += [Mutation("vocabularies", f"code-duplicated-{vocabulary}", "primary-key", code_duplicated(vocabulary))
                  for vocabulary in VOCABULARIES]
    return mutations


# -- the documentation page ---------------------------------------------------------------


def mutation_page(mutations: list[Mutation]) -> str:
    """docs/reference/mutation-suite.md: families × variants, written from the catalogue."""
    lines = [
        "# Mutation suite",
        "",
        "Every pull request passes through `jiceng validate`. The test suite breaks a copy of the",
        "bundled package in each of the ways below, one at a time, and checks that the validator",
        "exits with status 1, names the right file, line, column and check, prints no traceback",
        "and leaves the copy's bytes unchanged; a row below that is not caught fails the suite.",
        "This page is generated from `tests/mutations.py` by",
        "`python tests/mutations.py --write-docs`; `tests/test_mutations.py` fails when it is stale.",
        "",
        "The families `foreign-keys` and `row-rules` are generated from the models: every",
        "declared foreign key gets a dangling reference, and every cross-field rule",
        "(`model_validator` or `field_validator` in `jiceng.models`) at least one row that",
        "breaks it. The family `checks` completes the catalogue so that every check of",
        "`jiceng validate` (see `jiceng.validate.report.CHECKS`) is proven to fire. The family `bounds`",
        "is generated from the models' maximum lengths (every bounded column of every table and",
        "vocabulary model, one character too long), `vocabularies` from the vocabularies (each",
        "loses a code that rows still use, and repeats one), and `blank-cells` puts cells that",
        "look filled in but hold only spaces or invisible characters in required columns.",
        "",
        "Markup in text fields (`<script>`, `<img onerror=…>`, Markdown emphasis and links,",
        "`javascript:` links) is not an error for the validator: it is data, and the site shows it",
        "as text. `tests/test_docs_build.py` builds the site from a copy of the package with such",
        "rows and checks that none of it reaches any HTML page or the search index as markup.",
        "",
    ]
    families = Counter(mutation.family for mutation in mutations)
    lines += ["| family | variants |", "|---|---:|"]
    lines += [f"| {family} | {count} |" for family, count in families.items()]
    lines += [f"| **all** | {len(mutations)} |", "", "| family | variant | reported as | proves |", "|---|---|---|---|"]
    lines += [f"| {m.family} | `{m.variant}` | `[{m.check}]` | {f'`{m.covers}`' if m.covers else ''} |" for m in mutations]
    return "\n".join(lines) + "\n"


def write_docs() -> Path:
    """Rewrite the page atomically (a temporary file, then a rename)."""
    temporary = DOC.with_name(DOC.name + ".tmp")
    temporary.write_text(mutation_page(all_mutations()), encoding="utf-8")
    temporary.replace(DOC)
    return DOC


if __name__ == "__main__":
    if sys.argv[1:] != ["--write-docs"]:
        sys.exit("usage: python tests/mutations.py --write-docs")
    print(f"wrote {write_docs()}")
