"""Turn CSV records into pydantic rows, keeping each record's place in its file."""

from __future__ import annotations

from pathlib import Path

from .bundle import package_root
from .csvfile import RowStream, TextFileError
from .models import TABLES, Row
from .registry import table
from .vocab import Vocabularies


def read_records(resource: str, root: Path | None = None) -> list[Row]:
    """Validated row objects of one table; a bad row raises with its line number."""
    try:
        name = table(resource).name
    except KeyError:
        name = resource
    if name not in TABLES:
        raise ValueError(f"{resource!r} has no row model; tables: {', '.join(TABLES)}")
    root = root or package_root()
    context = {"vocabularies": Vocabularies(root)}
    model = TABLES[name]
    result = []
    try:
        for record, values in RowStream(root / model.table.path):
            try:
                result.append(model.model_validate(values, context=context))
            except Exception as error:
                raise ValueError(
                    f"{model.table.path}:{record.start_line}: invalid row; run `jiceng validate` "
                    f"for details ({error})"
                ) from None
    except TextFileError as error:
        raise ValueError(f"{model.table.path}:{error.line}:{error.column}: {error.message}") from None
    return result
