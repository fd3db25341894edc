"""``jiceng export``: the tables as Parquet, SQLite, Excel or JSON, typed as the loader types them.

Every export is built from :func:`jiceng.load` (so its columns have the loader's dtypes,
which come from the generated Table Schemas) and carries the package version and the
licence. pyarrow.parquet and openpyxl are imported only here, when an export is asked
for, so they never weigh on ``import jiceng``.

- parquet: DEST is a directory with one ``NAME.parquet`` per table; string, int64,
  float64, bool and dictionary<int32, string> columns for vocabulary codes; field
  descriptions and the package metadata in the Arrow schema.
- sqlite: DEST is a database with one table per resource, primary keys, foreign keys
  (also from code columns to their vocabulary), STRICT column types, plus the tables
  ``jiceng_metadata`` and ``jiceng_data_dictionary``; ready for ``datasette DEST``.
- xlsx: DEST is a workbook: an ``about`` sheet, one sheet per table and a
  ``data_dictionary`` sheet, each with its header row frozen and a filter on its columns.
- json: DEST is one document: the metadata, then ``tables``: name → list of records.

Every format also carries ``source_texts``: each line of each stored document, with its
offsets, so that a reader of the export alone can check a quote against the words it
was taken from (``text[quote_start - start : quote_end - start]`` within one line; the
lines joined with ``"\\n"`` in ``line`` order are the whole document, byte for byte).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .version import __version__
from .loading import TABLE_NAMES, descriptor, load, resource_name, resource_schema, vocabulary_names
from .registry import table
from .types import arrow_type, python_value, sqlite_type

FORMATS = ("parquet", "sqlite", "xlsx", "json")


class ExportError(Exception):
    """The export cannot be written (a message for the user)."""


@dataclass
class Resource:
    """One exported table: its name in the export, its frame and its Table Schema."""

    name: str
    resource: str
    frame: pd.DataFrame
    schema: dict[str, Any]

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.schema["fields"]


def export_name(resource: str) -> str:
    """``non-metric-numbers`` → ``non_metric_numbers``; ``vocab-units`` → ``vocab_units``."""
    return table(resource).export_name


def resources() -> list[Resource]:
    """The data tables in dependency order, the source texts, then the vocabularies."""
    tables = [Resource(export_name(name), name, load(name), resource_schema(name))
              for name in map(resource_name, TABLE_NAMES)]
    vocabularies = [Resource(export_name(name), name, load(name), resource_schema(name))
                    for name in map(resource_name, vocabulary_names())]
    return [*tables, source_texts(), *vocabularies]


SOURCE_TEXTS_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "path", "type": "string", "title": "文件", "constraints": {"required": True},
         "description": "The stored document, as sources.path names it."},
        {"name": "line", "type": "integer", "title": "行", "constraints": {"required": True},
         "description": "Line number in the document, from 1."},
        {"name": "start", "type": "integer", "title": "起点", "constraints": {"required": True},
         "description": "Offset (code points of the whole document) of the line's first character."},
        {"name": "end", "type": "integer", "title": "终点", "constraints": {"required": True},
         "description": "Offset just after the line's last character (its line end excluded)."},
        {"name": "text", "type": "string", "title": "原文", "constraints": {"required": True},
         "description": "The line's words, verbatim; empty for a blank line."},
    ],
    "missingValues": [],
    "primaryKey": ["path", "line"],
}


def source_texts() -> Resource:
    """Every line of every stored document: the words the offsets of the quotes count in,
    for a reader who has the export but not the package's text files."""
    from .sourcetext import document_text

    rows = []
    for path in dict.fromkeys(load("sources")["path"]):
        text = document_text(path)
        start = 0
        for number, line in enumerate(text.split("\n"), start=1):
            rows.append((path, number, start, start + len(line), line))
            start += len(line) + 1
    frame = pd.DataFrame(rows, columns=[field["name"] for field in SOURCE_TEXTS_SCHEMA["fields"]])
    frame = frame.astype({"path": "string", "line": "Int64", "start": "Int64", "end": "Int64", "text": "string"})
    return Resource("source_texts", "source-texts", frame, SOURCE_TEXTS_SCHEMA)


def metadata() -> dict[str, str]:
    """Version, licence and citation: what every export carries."""
    from .citation import dataset_citation

    package = descriptor()
    licence = package["licenses"][0]
    return {
        "name": package["name"],
        "title": package["title"],
        "version": package["version"],
        "license": licence["name"],
        "license_title": licence.get("title", ""),
        "license_url": licence.get("path", ""),
        "citation": dataset_citation(),
        "source_texts_rights": "The verbatim source texts and the quotes taken from them remain the work of their "
                        "authors and publishers; cite the source essay (sources table) for quoted words.",
        "created_by": f"jiceng {__version__} (jiceng export)",
    }


def data_dictionary(items: list[Resource]) -> list[dict[str, Any]]:
    """One entry per column of every table: type, constraints, meaning, references."""
    entries = []
    for item in items:
        primary = set(item.schema.get("primaryKey", []))
        referenced = references(item)
        for field in item.fields:
            constraints = field.get("constraints", {})
            entries.append({
                "table": item.name,
                "column": field["name"],
                "type": field["type"],
                "dtype": str(item.frame[field["name"]].dtype.name),
                "primary_key": field["name"] in primary,
                "required": bool(constraints.get("required")),
                "title_zh": field.get("title", ""),
                "description": field.get("description", ""),
                "vocabulary": field.get("x-vocabulary", ""),
                "unit": field.get("x-unit", ""),
                "pattern": constraints.get("pattern", ""),
                "max_length": constraints.get("maxLength"),
                "references": ".".join(referenced[field["name"]]) if field["name"] in referenced else "",
            })
    return entries


def references(item: Resource) -> dict[str, tuple[str, str]]:
    """Column → (exported table, column) it references: the schema's foreign keys, and
    codes → their vocabulary."""
    keys = {key["fields"][0]: (export_name(key["reference"]["resource"]), key["reference"]["fields"][0])
            for key in item.schema.get("foreignKeys", [])}
    for field in item.fields:
        if field.get("x-vocabulary"):
            keys[field["name"]] = (table(field["x-vocabulary"]).export_name, "code")
    return keys


def python_values(item: Resource) -> list[tuple[Any, ...]]:
    """Rows as plain Python values (int, float, bool, str, None), by the schema's types."""
    columns = []
    for field in item.fields:
        columns.append([None if pd.isna(value) else python_value(field, value) for value in item.frame[field["name"]]])
    return list(zip(*columns)) if columns else []


def temporary_for(destination: Path) -> Path:
    """A hidden file next to ``destination``; the export replaces it only when complete."""
    if destination.is_dir():
        raise ExportError(f"{destination}: is a directory; give the name of the file to write")
    if not destination.parent.is_dir():
        raise ExportError(f"{destination.parent}: no such directory")
    temporary = destination.with_name(f".{destination.name}.tmp")
    temporary.unlink(missing_ok=True)
    return temporary


# --- Parquet --------------------------------------------------------------------------


def write_parquet(destination: Path) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if destination.exists() and not destination.is_dir():
        raise ExportError(f"{destination}: exists and is not a directory; Parquet export writes one file per table")
    destination.mkdir(parents=True, exist_ok=True)
    package = {key.encode(): value.encode() for key, value in metadata().items()}
    written = []
    for item in resources():
        fields = []
        for field in item.fields:
            required = bool(field.get("constraints", {}).get("required"))
            notes = {"description": field.get("description", ""), "title_zh": field.get("title", "")}
            fields.append(pa.field(field["name"], arrow_type(field), nullable=not required,
                                   metadata={key: value for key, value in notes.items() if value}))
        schema = pa.schema(fields)
        table = pa.Table.from_pandas(item.frame, schema=schema, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **package,
                                               b"table": item.name.encode()})
        path = destination / f"{item.name}.parquet"
        temporary = path.with_name(f".{path.name}.tmp")
        pq.write_table(table, temporary)
        os.replace(temporary, path)
        written.append(path)
    return written


# --- SQLite ---------------------------------------------------------------------------


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table(item: Resource, strict: bool) -> str:
    primary = item.schema.get("primaryKey", [])
    referenced = references(item)
    columns = []
    for field in item.fields:
        name = field["name"]
        parts = [quoted(name), sqlite_type(field)]
        if field.get("constraints", {}).get("required"):
            parts.append("NOT NULL")
        if primary == [name]:
            parts.append("PRIMARY KEY")
        if field["type"] == "boolean":
            parts.append(f"CHECK ({quoted(name)} IN (0, 1))")
        if name in referenced:
            target, column = referenced[name]
            parts.append(f"REFERENCES {quoted(target)} ({quoted(column)})")
        columns.append("  " + " ".join(parts))
    if len(primary) > 1:
        columns.append(f"  PRIMARY KEY ({', '.join(map(quoted, primary))})")
    return f"CREATE TABLE {quoted(item.name)} (\n" + ",\n".join(columns) + "\n)" + (" STRICT" if strict else "")


def write_sqlite(destination: Path) -> list[Path]:
    temporary = temporary_for(destination)
    items = resources()
    strict = sqlite3.sqlite_version_info >= (3, 37, 0)
    connection = sqlite3.connect(temporary)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")  # tables refer to each other in a cycle; checked below
        with connection:
            for item in items:
                connection.execute(create_table(item, strict))
                placeholders = ", ".join("?" for _ in item.fields)
                connection.executemany(f"INSERT INTO {quoted(item.name)} VALUES ({placeholders})", python_values(item))
                for column in references(item):
                    connection.execute(f"CREATE INDEX {quoted(f'{item.name}_{column}')} "
                                       f"ON {quoted(item.name)} ({quoted(column)})")
            connection.execute("CREATE TABLE jiceng_metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.executemany("INSERT INTO jiceng_metadata VALUES (?, ?)", metadata().items())
            dictionary = data_dictionary(items)
            columns = list(dictionary[0])
            connection.execute("CREATE TABLE jiceng_data_dictionary (" + ", ".join(quoted(c) for c in columns)
                               + ", PRIMARY KEY (\"table\", \"column\"))")
            connection.executemany(f"INSERT INTO jiceng_data_dictionary VALUES ({', '.join('?' for _ in columns)})",
                                   [tuple(int(v) if isinstance(v, bool) else v for v in entry.values())
                                    for entry in dictionary])
        dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            raise ExportError(f"the data has {len(dangling)} dangling reference(s), first: {dangling[0]}; "
                              "run `jiceng validate`")
        connection.execute(f"PRAGMA user_version = {version_number()}")
    finally:
        connection.close()
    os.replace(temporary, destination)
    return [destination]


def version_number() -> int:
    """The version as one integer (0.1.0 → 100) for ``PRAGMA user_version``."""
    major, minor, patch = (int(part) for part in descriptor()["version"].split("."))
    return major * 1_000_000 + minor * 1_000 + patch


# --- Excel ----------------------------------------------------------------------------


EXCEL_CELL = 32_767  # characters a cell of a workbook holds


def write_xlsx(destination: Path) -> list[Path]:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    temporary = temporary_for(destination)
    items = resources()
    for item in items:  # before any sheet is written: a write-only workbook left unsaved leaks its files
        if len(item.name) > 31:
            raise ExportError(f"table name {item.name!r} is longer than Excel's 31-character sheet names")
        for field in item.fields:
            if field["type"] != "string" or item.frame.empty:
                continue
            lengths = item.frame[field["name"]].astype("string").str.len().fillna(0).to_numpy()
            if lengths.max() > EXCEL_CELL:
                row, longest = int(lengths.argmax()) + 2, int(lengths.max())
                raise ExportError(f"{item.name}, row {row}, {field['name']}: a cell of {longest:,} characters is "
                                  f"longer than Excel's {EXCEL_CELL:,}; export to parquet, sqlite or json instead")
    about = metadata()
    workbook = openpyxl.Workbook(write_only=True)
    workbook.properties.title = about["title"]
    workbook.properties.version = about["version"]
    workbook.properties.creator = about["created_by"]
    workbook.properties.description = f"{about['license']} ({about['license_url']}). Cite as: {about['citation']}"
    for key in ("version", "license", "license_url", "citation"):
        workbook.custom_doc_props.append(StringProperty(name=f"jiceng_{key}", value=about[key]))
    bold = Font(bold=True)

    def sheet(name: str, header: list[str], rows: list[tuple[Any, ...]]) -> None:
        worksheet = workbook.create_sheet(name)
        # the header stays in view while scrolling, and each column can be filtered
        worksheet.freeze_panes = "A2"
        worksheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        worksheet.append([styled(worksheet, column, bold) for column in header])
        for row in rows:
            # a text cell starting with "=" must stay text, never become a formula
            worksheet.append([text_cell(worksheet, value) if isinstance(value, str) else value for value in row])

    def styled(worksheet: Any, value: str, font: Any) -> Any:
        cell = text_cell(worksheet, value)
        cell.font = font
        return cell

    def text_cell(worksheet: Any, value: str) -> Any:
        cell = WriteOnlyCell(worksheet, value)
        cell.data_type = "s"
        return cell

    sheet("about", ["key", "value"], list(about.items()))
    for item in items:
        sheet(item.name, [field["name"] for field in item.fields], python_values(item))
    dictionary = data_dictionary(items)
    sheet("data_dictionary", list(dictionary[0]), [tuple(entry.values()) for entry in dictionary])
    workbook.save(temporary)
    os.replace(temporary, destination)
    return [destination]


# --- JSON -----------------------------------------------------------------------------


def write_json(destination: Path) -> list[Path]:
    temporary = temporary_for(destination)
    document: dict[str, Any] = dict(metadata())
    document["tables"] = {}
    for item in resources():
        names = [field["name"] for field in item.fields]
        document["tables"][item.name] = [dict(zip(names, row)) for row in python_values(item)]
    with temporary.open("w", encoding="utf-8", newline="\n") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1, allow_nan=False)
        handle.write("\n")
    os.replace(temporary, destination)
    return [destination]


WRITERS: dict[str, Callable[[Path], list[Path]]] = {
    "parquet": write_parquet,
    "sqlite": write_sqlite,
    "xlsx": write_xlsx,
    "json": write_json,
}


def export(format_: str, destination: Path) -> list[Path]:
    """Write the export and return the files written."""
    if format_ not in WRITERS:
        raise ExportError(f"unknown format {format_!r}; use one of {', '.join(FORMATS)}")
    try:
        return WRITERS[format_](destination)
    except OSError as error:
        raise ExportError(f"{error.filename or destination}: cannot write ({error.strerror or error})") from None
    finally:
        for leftover in (destination.parent.glob(f".{destination.name}.tmp") if destination.parent.is_dir() else ()):
            leftover.unlink()
