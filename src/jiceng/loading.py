"""Load the bundled tables into pandas with real dtypes.

The dtypes come from the generated Table Schemas (``schemas/*.json``), not from the
pydantic models, so this path imports neither pydantic nor frictionless: loading stays
as cheap as reading the CSV files.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .bundle import DESCRIPTOR, package_root
from .registry import TABLE_NAMES, VOCABULARY_RESOURCE_PREFIX
from .types import pandas_dtype

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
    """Accept ``non_metric_numbers``, ``non-metric-numbers`` and ``units`` alike."""
    wanted = name.strip().lower().replace("_", "-")
    names = {item["name"] for item in descriptor(root)["resources"]}
    if wanted in names:
        return wanted
    if VOCABULARY_PREFIX + wanted in names:
        return VOCABULARY_PREFIX + wanted
    tables = ", ".join(TABLE_NAMES)
    vocabularies = ", ".join(vocabulary_names(root))
    raise ValueError(
        f"jiceng has no table called {name!r}. Tables: {tables}. Vocabularies: {vocabularies}."
    )


def vocabulary_names(root: Path | None = None) -> list[str]:
    return [
        item["name"][len(VOCABULARY_PREFIX):].replace("-", "_")
        for item in descriptor(root)["resources"]
        if item["name"].startswith(VOCABULARY_PREFIX)
    ]


def dtypes(name: str, root: Path | None = None) -> dict[str, Any]:
    """Column → pandas dtype for a table, generated from its schema."""
    fields = resource_schema(resource_name(name, root), root)["fields"]
    return {field["name"]: pandas_dtype(field) for field in fields}


def column_descriptions(name: str, root: Path | None = None) -> dict[str, str]:
    """Column → description, from the table's schema (written in the models)."""
    fields = resource_schema(resource_name(name, root), root)["fields"]
    return {field["name"]: field.get("description", "") for field in fields}


def load(name: str, root: Path | None = None) -> pd.DataFrame:
    """Load one table as a DataFrame with typed columns.

    Identifiers and text are ``string``, counts ``Int64``, values ``Float64``, flags
    ``boolean``, and vocabulary codes ``category`` with the vocabulary's codes as
    categories. Empty cells are missing values (``pd.NA``).
    """
    resource = resource_name(name, root)
    frame = pd.read_csv(
        (root or package_root()) / resource_descriptor(resource, root)["path"],
        dtype=dtypes(resource, root),  # typed while parsing: converting column by column after took 7x as long
        keep_default_na=False,
        na_values=[""],
        true_values=["true"],
        false_values=["false"],
        encoding="utf-8",
    )
    frame.attrs["jiceng_table"] = resource
    frame.attrs["jiceng_version"] = descriptor(root)["version"]
    frame.attrs["column_descriptions"] = column_descriptions(resource, root)
    return frame
