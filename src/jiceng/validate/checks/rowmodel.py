"""Layer 2, row models: every row against its pydantic model, including cross-field
rules. The rows a model accepts are what the later checks hear of (``Check.row``).

A draft row (status ``draft``) is a problem unless drafts are allowed; then its empty
English cells are accepted, because the drafting tools never guess them."""

from __future__ import annotations

from typing import Any

from ...csvfile import Record
from ..check import Check, row_named
from ..report import ProblemType
from ..streams import TableStream, is_vocabulary, model_of, primary_key
from .frictionless import CONSTRAINT_ERROR

ROW_MODEL = ProblemType("row-model", 2, "Row rule broken",
                        "A row breaks a rule of its model, including cross-field rules (value <= value_max; "
                        "qualifier 'range' if and only if value_max is set; unit fits value type; IDs start with "
                        "their source ID).")
DRAFT = ProblemType("draft", 2, "Draft row not reviewed",
                    "A row proposed by `jiceng add-source` or `jiceng draft` still has status 'draft'; review "
                    "it and set it to 'active' (`jiceng validate --allow-drafts` accepts drafts while you work).")

# Tables whose invalid rows leave their source's numbers unaccounted for (see number_accounting)
AUDITED_WITH_SOURCES = ("sources", "metrics", "non_metric_numbers")


class RowModel(Check):
    problem_types = (ROW_MODEL, DRAFT)
    order = 30
    parses_rows = True

    def start(self) -> None:
        from pydantic import ValidationError

        self.validation_error = ValidationError
        self.context = {"vocabularies": self.run.vocabularies}

    def parse(self, table: TableStream, record: Record, values: dict[str, Any]) -> Any:
        """The row as its model reads it, or None (its problems reported)."""
        name = table.name
        model = model_of(name)
        if values.get("status") == "draft":
            if not self.report.allow_drafts:
                row_id = values.get(primary_key(name)) or "this row"
                self.run.add(table, record, "status", DRAFT,
                             f"{row_id} is a draft: check it against the source, fill what is empty and set status "
                             "to active (or withdraw it); `--allow-drafts` accepts drafts while you work")
            elif not is_vocabulary(name):
                values = {**values, **{c: "" for c in model.english_fields() if values.get(c) is None}}
        try:
            row = model.model_validate(values, context=self.context)
        except self.validation_error as error:
            self.run.invalid[name] += 1
            if name in AUDITED_WITH_SOURCES and values.get("source_id"):
                self.run.unaudited.setdefault(values["source_id"], f"a row of data/{name}.csv is invalid")
            for item in error.errors(include_url=False):
                add_model_error(table, record, item, self.run)
            return None
        self.run.valid[name] += 1
        return row


def add_model_error(table: TableStream, record: Record, item: dict[str, Any], run: Any) -> None:
    """A field's error waits until every check has run: the Frictionless check may report
    the same cell with a better message, and the cell is then reported once, by it."""
    header = table.header
    location = [part for part in item.get("loc", ()) if isinstance(part, str)]
    message = str(item.get("msg", "")).removeprefix("Value error, ")
    column = location[0] if location else message.split(" ", 1)[0].rstrip(":,")
    if column not in header:
        column = header[0]
    line, col = table.position(record, column)
    if item.get("type") == "string_too_long":  # the Frictionless check leaves this cell to the model
        length, limit = len(item.get("input") or ""), item["ctx"]["max_length"]
        run.report.add(table.relative, line, col, CONSTRAINT_ERROR, row_named(
            table, record, f"field {column!r} has {length:,} characters, more than the {limit:,} it may have; "
            "shorten it (the data dictionary gives every column's limit)"))
    elif location:
        run.report.add_unless_placed(table.relative, line, col, ROW_MODEL,
                                     row_named(table, record, f"field {column!r}: {message}"))
    elif " is not a code of the " in message:
        run.report.add_unless_placed(table.relative, line, col, ROW_MODEL, row_named(table, record, message))
    else:
        run.report.add(table.relative, line, col, ROW_MODEL, row_named(table, record, message))
