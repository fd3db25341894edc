"""Generate Frictionless Table Schemas, JSON Schemas and ``datapackage.json`` from the models.

We walk ``Model.model_fields`` rather than round-tripping ``model_json_schema()``: the
latter loses the vocabulary enums, nullability and the package's own metadata
(Chinese titles, units, foreign keys).
"""

from __future__ import annotations

import json
import textwrap
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .version import __version__
from .models import TABLES, Row, vocabulary_model
from .types import FALSE_VALUES, TRUE_VALUES, table_schema_type
from .vocab import VOCABULARIES, Vocabularies, bundled

SCHEMA_DIR = "schemas"
JSON_SCHEMA_DIR = "schemas/json"

PACKAGE_METADATA: dict[str, Any] = {
    "name": "jiceng",
    "title": "jiceng 基层: Chinese local Party committees on urban grassroots Party building and governance",
    "description": (
        "What Chinese local Party committees report about urban grassroots Party building "
        "and governance, as tables: sources (signed essays, stored verbatim), districts "
        "(keyed by GB/T 2260 code), initiatives, metrics, annotations of the sources' "
        "defects, non-metric numbers and a glossary. Every initiative and metric carries the "
        "exact quote that supports it and its offsets in the verbatim text."
    ),
    "keywords": ["China", "Chinese Communist Party", "grassroots governance", "Party building", "urban governance", "基层党建", "城市基层治理"],
    "licenses": [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International (the curated tables, schemas "
            "and this descriptor; the verbatim source texts remain their authors')",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        },
        {
            "name": "MIT",
            "title": "MIT License (the jiceng code that validates and loads the package)",
            "path": "https://opensource.org/licenses/MIT",
        },
    ],
    "contributors": [{"title": "jiceng maintainers", "role": "author"}],
}

def field_python_type(info: FieldInfo) -> tuple[type, bool]:
    """Return the field's scalar type and whether it may be empty."""
    annotation = info.annotation
    nullable = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        nullable = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    return annotation, nullable


def field_constraint(info: FieldInfo, name: str) -> Any:
    for item in info.metadata:
        if hasattr(item, name) and getattr(item, name) is not None:
            return getattr(item, name)
    return None


def table_field(name: str, info: FieldInfo, vocabularies: Vocabularies) -> dict[str, Any]:
    """One Table Schema field descriptor from one model field."""
    python_type, nullable = field_python_type(info)
    extra = info.json_schema_extra or {}
    descriptor: dict[str, Any] = {
        "name": name,
        "type": table_schema_type(python_type),
        "title": extra.get("title_zh", name),
        "description": info.description or "",
    }
    constraints: dict[str, Any] = {}
    if info.is_required() and not nullable:
        constraints["required"] = True
    pattern = field_constraint(info, "pattern")
    if pattern:
        constraints["pattern"] = pattern
    longest = field_constraint(info, "max_length")
    if longest is not None:
        constraints["maxLength"] = longest
    minimum = field_constraint(info, "ge")
    if minimum is not None:
        constraints["minimum"] = minimum
    vocabulary = extra.get("vocabulary")
    if vocabulary:
        constraints["enum"] = vocabularies.codes(vocabulary)
        descriptor["x-vocabulary"] = vocabulary
    if constraints:
        descriptor["constraints"] = constraints
    if extra.get("unit"):
        descriptor["x-unit"] = extra["unit"]
    if python_type is bool:
        descriptor["trueValues"] = list(TRUE_VALUES)
        descriptor["falseValues"] = list(FALSE_VALUES)
    return descriptor


def foreign_keys(model: type[BaseModel]) -> list[dict[str, Any]]:
    if not hasattr(model, "foreign_keys"):  # vocabulary terms refer to nothing
        return []
    return [{"fields": [column], "reference": {"resource": TABLES[table].table.resource_name, "fields": [target]}}
            for column, table, target in model.foreign_keys()]


def table_schema(model: type[BaseModel], primary_key: str, vocabularies: Vocabularies) -> dict[str, Any]:
    columns = model.columns() if hasattr(model, "columns") else list(model.model_fields)
    schema: dict[str, Any] = {
        "fields": [table_field(name, model.model_fields[name], vocabularies) for name in columns],
        "missingValues": [""],
        "primaryKey": [primary_key],
    }
    keys = foreign_keys(model)
    if keys:
        schema["foreignKeys"] = keys
    return schema


def resource(name: str, path: str, schema_path: str, title: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "table",
        "path": path,
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": title,
        "description": description,
        "schema": schema_path,
    }


def generated_files(vocabularies: Vocabularies | None = None) -> dict[str, str]:
    """Every generated file, as relative path → exact text (what ``jiceng schemas`` writes)."""
    vocabularies = vocabularies or bundled()
    files: dict[str, str] = {}
    resources = []
    for model in TABLES.values():
        info = model.table
        schema_path = f"{SCHEMA_DIR}/{info.name}.json"
        files[schema_path] = dump(table_schema(model, info.primary_key, vocabularies))
        files[f"{JSON_SCHEMA_DIR}/{info.name}.schema.json"] = dump(row_json_schema(model))
        resources.append(resource(info.resource_name, info.path, schema_path, info.title, info.description))
    for spec in VOCABULARIES.values():
        model = vocabulary_model(spec.name)
        schema_path = f"{SCHEMA_DIR}/vocabularies/{spec.name}.json"
        files[schema_path] = dump(table_schema(model, "code", vocabularies))
        resources.append(resource(spec.resource_name, spec.path, schema_path, spec.title, spec.description))
    descriptor = {**PACKAGE_METADATA, "version": __version__, "resources": resources}
    files["datapackage.json"] = dump(descriptor)
    return files


def row_json_schema(model: type[Row]) -> dict[str, Any]:
    """A JSON Schema for one row as a JSON object (for users outside Python)."""
    schema = model.model_json_schema(mode="validation")
    schema["$comment"] = f"Generated from jiceng.models.{model.__name__}; do not edit."
    return schema


def dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


COLUMNS_MODULE = "src/jiceng/columns.py"


def columns_module() -> str:
    """The text of ``jiceng/columns.py``: each data table's header, bounded columns and
    coded columns as plain data, for the code that must not import pydantic."""
    columns, lengths, codes = {}, {}, {}
    for name, model in TABLES.items():
        columns[name] = tuple(model.columns())
        fields = model.model_fields
        lengths[name] = {column: limit for column, info in fields.items()
                         if (limit := field_constraint(info, "max_length")) is not None}
        codes[name] = {column: ((info.json_schema_extra or {})["vocabulary"], info.is_required())
                       for column, info in fields.items() if (info.json_schema_extra or {}).get("vocabulary")}
    return (
        '"""The data tables\' columns as plain data, generated from the row models by `jiceng schemas`:\n'
        "do not edit (a test fails when this file and ``jiceng.models`` differ).\n\n"
        "``jiceng audit`` and the validate modules it uses read these instead of the models, so that\n"
        'auditing a sound package never imports pydantic, which costs more than auditing a small one.\n"""\n\n'
        "# table → its header, in the order of its CSV file\n"
        f"COLUMNS: dict[str, tuple[str, ...]] = {literal(columns)}\n\n"
        "# table → column → the most characters a cell may hold\n"
        f"MAX_LENGTHS: dict[str, dict[str, int]] = {literal(lengths)}\n\n"
        "# table → column → (the vocabulary its codes come from, whether a cell is required)\n"
        f"VOCABULARY_COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {literal(codes)}\n"
    )


def literal(tables: dict[str, Any]) -> str:
    """A dict of tables as Python source, one table a paragraph, wrapped at 100 columns."""
    lines = ["{"]
    for name, value in tables.items():
        items = [repr(item) for item in value] if isinstance(value, tuple) else [
            f"{key!r}: {item!r}" for key, item in value.items()]
        opening, closing = ("(", ")") if isinstance(value, tuple) else ("{", "}")
        body = textwrap.wrap(", ".join(items), 100, initial_indent=" " * 8, subsequent_indent=" " * 8,
                             break_long_words=False, break_on_hyphens=False)
        lines += [f"    {name!r}: {opening}", *body, f"    {closing},"]
    return "\n".join([*lines, "}"])


def write_generated(root: Path, *, check: bool = False) -> list[str]:
    """Write (or, with ``check``, only compare) the generated files; return the stale ones."""
    files = generated_files(Vocabularies(root))
    if (root / COLUMNS_MODULE).is_file():  # a source checkout: the code's plain copy of the columns too
        files[COLUMNS_MODULE] = columns_module()
    stale = []
    for relative, text in files.items():
        path = root / relative
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(relative)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_text(text, encoding="utf-8", newline="\n")
            temporary.replace(path)
    return stale
