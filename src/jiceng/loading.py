"""Load the bundled tables into pandas with real dtypes.

The dtypes come from the generated Table Schemas (``schemas/*.json``), not from the
pydantic models, so this path imports neither pydantic nor frictionless: loading stays
as cheap as reading the CSV files.

The files are parsed by pyarrow with every column's type given up front: pandas' own
parser, asked for ``string`` columns, builds Python strings and converts them again,
which made loading 3-4x as slow as an untyped ``read_csv``.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .bundle import DESCRIPTOR, package_root
from .registry import TABLE_NAMES, VOCABULARY_RESOURCE_PREFIX
from .registry import table as registry_table
from .types import pandas_dtype  # noqa: F401 (the site's data dictionary imports it from here)

VOCABULARY_PREFIX = VOCABULARY_RESOURCE_PREFIX


@cache
def descriptor(root: Path | None = None) -> dict[str, Any]:
    """The package descriptor (``datapackage.json``) as a dict."""
    path = (root or package_root()) / DESCRIPTOR
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def resource_schema(name: str, root: Path | None = None) -> dict[str, Any]:
    """The Table Schema of one resource."""
    root = root or package_root()
    schema = resource_descriptor(name, root)["schema"]
    if isinstance(schema, str):
        schema = json.loads((root / schema).read_text(encoding="utf-8"))
    return schema


def resource_descriptor(name: str, root: Path | None = None) -> dict[str, Any]:
    for item in descriptor(root)["resources"]:
        if item["name"] == name:
            return item
    raise KeyError(name)


def package_directory(package: str | Path | None) -> Path | None:
    """The package directory a user named (``package=PATH``), checked; None for the default."""
    if package is None:
        return None
    root = Path(package).expanduser()
    if not (root / DESCRIPTOR).is_file():
        what = "does not exist" if not root.exists() else f"has no {DESCRIPTOR}"
        raise FileNotFoundError(
            f"{package} is not a jiceng data package: it {what}; give the directory that holds "
            f"{DESCRIPTOR} (a checkout or a copy of the package)"
        )
    return root.resolve()


def resource_name(name: str, root: Path | None = None) -> str:
    """Accept ``non_metric_numbers``, ``non-metric-numbers`` and ``units`` alike (any
    spelling the table registry knows)."""
    try:
        return registry_table(name).resource_name
    except KeyError as error:
        raise ValueError(error.args[0]) from None


def vocabulary_names(root: Path | None = None) -> list[str]:
    """The vocabularies of a package's descriptor, by their one name (``value_types``)."""
    names = [item["name"] for item in descriptor(root)["resources"]]
    return [entry.name for entry in map(registry_table, names) if entry.kind == "vocabulary"]


def column_descriptions(name: str, root: Path | None = None) -> dict[str, str]:
    """Column → description, from the table's schema (written in the models)."""
    fields = resource_schema(resource_name(name, root), root)["fields"]
    return {field["name"]: field.get("description", "") for field in fields}


def arrow_type(field: dict[str, Any]) -> Any:
    """The pyarrow type a field is parsed as: vocabulary codes dictionary-encoded, so that
    they become categoricals without hashing each cell again."""
    import pyarrow as pa

    if field.get("constraints", {}).get("enum") is not None:
        return pa.dictionary(pa.int32(), pa.string())
    return {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}[field["type"]]


@cache
def memory_pool() -> Any:
    """jemalloc where pyarrow has it: with the default pool (mimalloc) the kernel's
    page-zeroing made parsing the largest table half as slow again. Passed per call, so
    the process's default pool is left alone."""
    import pyarrow as pa

    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:  # pyarrow built without jemalloc (Windows)
        return pa.default_memory_pool()


PANDAS_OF_ARROW = {"string": pd.StringDtype(), "int64": pd.Int64Dtype(), "double": pd.Float64Dtype(),
                   "bool": pd.BooleanDtype()}


def read_table(path: Path, fields: list[dict[str, Any]]) -> pd.DataFrame:
    """Parse one CSV file with the types of its schema's fields; only empty cells are missing."""
    import pyarrow as pa
    from pyarrow import csv

    try:
        with pa.memory_map(str(path)) as source:  # the page cache's bytes, not a fresh copy of them
            table = csv.read_csv(
                source,
                # one thread: as cheap in CPU as pandas' parser, and no pool on a busy machine
                read_options=csv.ReadOptions(encoding="utf8", use_threads=False),
                parse_options=csv.ParseOptions(newlines_in_values=True),  # quoted cells span lines
                convert_options=csv.ConvertOptions(
                    column_types={field["name"]: arrow_type(field) for field in fields},
                    null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
                    true_values=["true"], false_values=["false"],
                ),
                memory_pool=memory_pool(),
            )
    except pa.ArrowInvalid as error:
        raise ValueError(conversion_error(path, fields, str(error))) from None
    check_codes(table, path, fields)
    frame = table.to_pandas(types_mapper=lambda kind: PANDAS_OF_ARROW.get(str(kind)))
    for field in fields:
        enum = field.get("constraints", {}).get("enum")
        if enum is not None and field["name"] in frame:
            frame[field["name"]] = frame[field["name"]].cat.set_categories(enum)  # every code is one of them
    return frame


def check_codes(table: Any, path: Path, fields: list[dict[str, Any]]) -> None:
    """Refuse a code outside its vocabulary (pandas would turn it into a missing value).
    The chunks' dictionaries, the column's distinct codes a chunk at a time, are tested in
    one call in C; only a failure costs Python work, to say where the code is."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for field in fields:
        enum = field.get("constraints", {}).get("enum")
        if enum is None or field["name"] not in table.column_names:
            continue
        chunks = table.column(field["name"]).chunks
        codes = pa.concat_arrays([chunk.dictionary for chunk in chunks]) if chunks else pa.array([], pa.string())
        known = pc.is_in(codes, value_set=pa.array(enum, pa.string()))
        if pc.all(known).as_py() is False:
            code = codes.filter(pc.invert(known))[0].as_py()
            close = difflib.get_close_matches(code, enum, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            vocabulary = field.get("x-vocabulary") or field["name"]
            raise ValueError(cell_error(path, field["name"], code, (
                f"is not a code of the {vocabulary} vocabulary; {hint}use one of: {', '.join(enum)}")))


ARROW_CONVERSION = re.compile(r"In CSV column #(?P<index>\d+): .*?CSV conversion error to \w+: "
                              r"invalid value '(?P<value>.*)'$", re.DOTALL)
WHAT_A_TYPE_HOLDS = {"number": "a number", "integer": "a whole number", "boolean": "true or false"}


def conversion_error(path: Path, fields: list[dict[str, Any]], arrow_message: str) -> str:
    """pyarrow's conversion error ("In CSV column #7", counted from 0) said as a place in
    the file: the column's name and the line of the first cell holding the value."""
    match = ARROW_CONVERSION.match(arrow_message)
    header = csv_header(path)
    if match is None or int(match["index"]) >= len(header):
        return f"{path}: {arrow_message}; run `jiceng validate` to find the cell"
    column = header[int(match["index"])]
    kind = next((field["type"] for field in fields if field["name"] == column), "")
    return cell_error(path, column, match["value"], f"is not {WHAT_A_TYPE_HOLDS.get(kind, 'a ' + kind)}")


def csv_header(path: Path) -> list[str]:
    from .csvfile import RowStream

    return RowStream(path).header


def cell_error(path: Path, column: str, value: str, problem: str) -> str:
    """``path:line:column: name (column N) 'value' problem``, at the first cell of the
    column holding ``value``, then what to run."""
    from .csvfile import RowStream

    stream = RowStream(path)
    number = stream.header.index(column) + 1
    place = str(path)
    for record, row in stream:
        if row.get(column) == value:
            line, position = stream.position(record, column)
            place = f"{path}:{line}:{position}"
            break
    return (f"{place}: {column} (column {number}) {value!r} {problem}; run `jiceng validate` to list every "
            "problem of the package")


def load(name: str, root: Path | None = None) -> pd.DataFrame:
    """Load one table as a DataFrame with typed columns.

    Identifiers and text are ``string``, counts ``Int64``, values ``Float64``, flags
    ``boolean``, and vocabulary codes ``category`` with the vocabulary's codes as
    categories. Empty cells are missing values (``pd.NA``). A cell that is not of its
    column's type, or a code outside its vocabulary, raises ``ValueError`` naming the file,
    line, column and value.
    """
    resource = resource_name(name, root)
    frame = read_table((root or package_root()) / resource_descriptor(resource, root)["path"],
                       resource_schema(resource, root)["fields"])
    frame.attrs["jiceng_table"] = resource
    frame.attrs["jiceng_version"] = descriptor(root)["version"]
    frame.attrs["column_descriptions"] = column_descriptions(resource, root)
    return frame
