"""The one type map: a Table Schema field type (with its constraints) → the Python type of
a model field, the pandas dtype the loader reads it as, the SQLite and Arrow types of the
exports, and how a CSV cell of it becomes a Python value.

Plain data: pandas and pyarrow are imported only by the functions that return their
types, so the row models and ``jiceng cite`` use this module without loading them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldType:
    """One Table Schema type and what it is in each place the package's data goes."""

    name: str
    python: type
    pandas: str  # pandas extension dtype name
    sqlite: str
    arrow: str  # pyarrow type factory
    from_cell: Callable[[str], Any]  # a non-empty CSV cell → Python value


# Booleans are written ``true`` / ``false``: the schemas declare these as their only true
# and false values, and the row models accept no other cell.
TRUE_VALUES = ("true",)
FALSE_VALUES = ("false",)


def boolean_cell(text: str) -> bool:
    return text in TRUE_VALUES


TYPES: dict[str, FieldType] = {item.name: item for item in (
    FieldType("string", str, "string", "TEXT", "string", str),
    FieldType("integer", int, "Int64", "INTEGER", "int64", int),
    FieldType("number", float, "Float64", "REAL", "float64", float),
    FieldType("boolean", bool, "boolean", "INTEGER", "bool_", boolean_cell),
)}
BY_PYTHON: dict[type, FieldType] = {item.python: item for item in TYPES.values()}

# The cells the schemas read as an integer or a boolean. pydantic reads more ("5.0" as an
# integer, "yes" or "True" as a boolean), so the row models refuse any other cell of these
# types: a row they accept is then one the schemas accept too, and the Frictionless check
# need not read it.
CELL_FORMS: dict[str, str] = {
    "integer": r"[+-]?[0-9]+",
    "boolean": "|".join(TRUE_VALUES + FALSE_VALUES),
}


def table_schema_type(python_type: type) -> str:
    """The Table Schema type of a model field's Python type."""
    return BY_PYTHON[python_type].name


def enum_of(field: Mapping[str, Any]) -> list[str] | None:
    return field.get("constraints", {}).get("enum")


def pandas_dtype(field: Mapping[str, Any]) -> Any:
    """The pandas dtype of one Table Schema field: categoricals for vocabulary codes."""
    import pandas as pd

    enum = enum_of(field)
    if enum is not None:
        return pd.CategoricalDtype(categories=enum)
    return pd.api.types.pandas_dtype(TYPES[field["type"]].pandas)


def arrow_type(field: Mapping[str, Any]) -> Any:
    """The Arrow type of one field: dictionary-encoded for vocabulary codes."""
    import pyarrow as pa

    if enum_of(field) is not None:
        return pa.dictionary(pa.int32(), pa.string())
    return getattr(pa, TYPES[field["type"]].arrow)()


def sqlite_type(field: Mapping[str, Any]) -> str:
    return TYPES[field["type"]].sqlite


def python_value(field: Mapping[str, Any], value: Any) -> Any:
    """A loaded value (pandas scalar) as a plain Python value of the field's type."""
    return TYPES[field["type"]].python(value)


def cell_value(field_type: str | None, text: str | None) -> Any:
    """A CSV cell as a Python value of its Table Schema type; the text itself when it
    does not parse (the validator reports it) or the type is unknown."""
    if text is None or field_type not in TYPES:
        return text
    try:
        return TYPES[field_type].from_cell(text)
    except ValueError:
        return text
