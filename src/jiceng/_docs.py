"""Docstrings of the table functions, written from the bundled Table Schemas.

The schemas are generated from the models, so ``help(jiceng.metrics)`` lists the same
columns and descriptions as the data dictionary. Reading them costs a few small JSON
files at import; a missing file leaves the one-line summary rather than failing.
"""

from __future__ import annotations

import json
import textwrap

from .bundle import DESCRIPTOR, bundled_root
from .registry import table


def table_docstring(name: str, summary: str) -> str:
    """The summary, how to call the function, and one entry per column."""
    usage = (
        f"``jiceng.{name}()`` is ``jiceng.load({name!r})``; ``labels=True`` adds the English "
        "and Chinese label beside each code column, ``package=PATH`` reads another package. "
        "Labels are off by default so that the frame has the table's own columns, as in the CSV "
        "file, the data dictionary and the exports (``view()`` and ``district()``, made for "
        "reading, add them by default)."
    )
    lines = [summary, "", *textwrap.wrap(usage, 88)]
    try:
        fields = bundled_fields(name)
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return "\n".join(lines)
    lines += ["", "Columns:", ""]
    for field in fields:
        vocabulary = f" Codes: vocabulary {field['x-vocabulary']}." if field.get("x-vocabulary") else ""
        text = f"{field['description']}{vocabulary}"
        lines.append(f"- ``{field['name']}`` ({field['type']}): {text}")
    return "\n".join(lines)


def bundled_fields(name: str) -> list[dict]:
    root = bundled_root()
    if root is None:
        raise OSError("no bundled package")
    descriptor = json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))
    resource = next(item for item in descriptor["resources"] if item["name"] == table(name).resource_name)
    schema = resource["schema"]
    if isinstance(schema, str):
        schema = json.loads((root / schema).read_text(encoding="utf-8"))
    return schema["fields"]
