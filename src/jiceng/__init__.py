"""jiceng 基层: what Chinese local Party committees report about urban grassroots governance.

Load any table as a typed pandas DataFrame:

```python
import jiceng
metrics = jiceng.load("metrics")      # or jiceng.metrics()
jiceng.tables()                       # the table names
jiceng.view("metrics")                # joined with district, source, initiative
jiceng.district("220521")             # everything about 通化县
jiceng.document_text("1f5f9208bb5fe543-1")   # the text the offsets count in
```

Every initiative and metric row carries the exact quote that supports it and its
offsets in the verbatim source text, so each can be checked against the original words.

Every function that reads data takes ``package=PATH`` to read another copy of the
package (a checkout, a fork, a contributor's branch) instead of the bundled one.

Imports are deferred: ``import jiceng`` loads neither pandas, pydantic nor frictionless,
and loading tables never imports pydantic or frictionless.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _docs

from .version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    import frictionless
    import pandas as pd

    from .models import Row
    from .sourcetext import Essay
    from .views import District

__all__ = [
    "__version__",
    "annotations",
    "cite",
    "consistency_checks",
    "district",
    "districts",
    "document_text",
    "glossary",
    "initiatives",
    "load",
    "load_all",
    "metrics",
    "non_metric_numbers",
    "package",
    "records",
    "source_text",
    "sources",
    "tables",
    "view",
    "vocabularies",
    "vocabulary",
]


def __dir__() -> list[str]:
    """What ``dir(jiceng)`` and tab completion show: the public names only, not the
    helpers the module imports for itself (``TYPE_CHECKING``, ``_docs``...)."""
    return sorted(__all__)


def _root(package: str | Path | None) -> Path | None:
    from .loading import package_directory

    return package_directory(package)


def tables() -> list[str]:
    """The names of the data tables, in dependency order."""
    from .loading import TABLE_NAMES

    return list(TABLE_NAMES)


def vocabularies(package: str | Path | None = None) -> list[str]:
    """The names of the controlled vocabularies (units, qualifiers, value_types, ...)."""
    from .loading import vocabulary_names

    return vocabulary_names(_root(package))


def load(name: str, *, labels: bool = False, package: str | Path | None = None) -> pd.DataFrame:
    """Load a table (or a vocabulary) as a pandas DataFrame with real dtypes.

    ``name`` is one of `tables()` or `vocabularies()`; ``non_metric_numbers`` and
    ``non-metric-numbers`` are the same table. An unknown name raises ``ValueError``
    listing the valid ones. ``labels=True`` adds ``<column>_en`` and ``<column>_zh``, the
    vocabulary's labels, beside every code column (``unit_en``, ``topic_zh``, ...).
    ``package=PATH`` reads the package in that directory. ``df.attrs`` holds the table,
    the version and the description of every column (``df.attrs["column_descriptions"]``).

    ``labels`` is False by default, unlike ``view()`` and ``district()``: a loaded table has
    exactly the columns of its CSV file, its data dictionary and the exports, so that a
    frame can be compared with the file, written back or joined by its keys without extra
    columns; ``view()`` and ``district()`` are for reading, where the labels are wanted.
    """
    from .loading import load as _load

    root = _root(package)
    frame = _load(name, root)
    if labels:
        from .views import with_labels

        frame = with_labels(frame, name, root)
    return frame


def load_all(*, labels: bool = False, package: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every data table, keyed by name."""
    return {name: load(name, labels=labels, package=package) for name in tables()}


def vocabulary(name: str, package: str | Path | None = None) -> pd.DataFrame:
    """A controlled vocabulary: code, English and Chinese label, definition."""
    from .loading import VOCABULARY_PREFIX, resource_name

    root = _root(package)
    resource = resource_name(name, root)
    if not resource.startswith(VOCABULARY_PREFIX):
        raise ValueError(f"{name!r} is a table, not a vocabulary; vocabularies: {', '.join(vocabularies(root))}")
    return load(resource, package=root)


def sources(*, labels: bool = False, package: str | Path | None = None) -> pd.DataFrame:
    """Authored texts: author, district, title, verbatim file, sha256 and span."""
    return load("sources", labels=labels, package=package)


def districts(*, labels: bool = False, package: str | Path | None = None) -> pd.DataFrame:
    """County-level divisions keyed by GB/T 2260 code."""
    return load("districts", labels=labels, package=package)


def initiatives(*, labels: bool = False, package: str | Path | None = None) -> pd.DataFrame:
    """Named programmes, mechanisms, bodies, platforms, documents and measures, with quotes."""
    return load("initiatives", labels=labels, package=package)


def metrics(*, labels: bool = False, package: str | Path | None = None) -> pd.DataFrame:
    """Quantitative claims, normalised, with unit, qualifier, value type and quote."""
    return load("metrics", labels=labels, package=package)


def annotations(*, labels: bool = False, package: str | Path | None = None) -> pd.DataFrame:
    """Known defects of the source texts, and curator notes, at exact spans."""
    return load("annotations", labels=labels, package=package)


def non_metric_numbers(*, labels: bool = False, package: str | Path | None = None) -> pd.DataFrame:
    """Numbers in the sources that are not claims (years, names, slogans), with reasons."""
    return load("non_metric_numbers", labels=labels, package=package)


def consistency_checks(*, labels: bool = False, package: str | Path | None = None) -> pd.DataFrame:
    """Related figures (growth rates, shares, sums) that the validator recomputes."""
    return load("consistency_checks", labels=labels, package=package)


def glossary(*, labels: bool = False, package: str | Path | None = None) -> pd.DataFrame:
    """Recurring political terms with the dataset's English renderings."""
    return load("glossary", labels=labels, package=package)


# help() lists every column of each table with its description, from the bundled schemas.
for _table in (sources, districts, initiatives, metrics, annotations, non_metric_numbers, consistency_checks, glossary):
    _table.__doc__ = _docs.table_docstring(_table.__name__, _table.__doc__ or "")
del _table


def view(name: str, *, labels: bool = True, package: str | Path | None = None) -> pd.DataFrame:
    """A table joined with the rows its keys name, ready for analysis.

    ``view("metrics")`` adds, beside each metric, its district (``district_name_en``,
    ``district_prefecture_zh``, ...), its source (``source_title_en``, ``source_author_en``,
    ...) and its initiative (``initiative_name_en``, ``initiative_kind``, ...): every
    joined column is prefixed by the key that joins it, never suffixed ``_x``/``_y``.
    Columns that would repeat the table's own keys are left out. With ``labels`` (the
    default) every code column has its ``_en`` and ``_zh`` labels beside it: a view is for
    reading, so codes come with their words; ``load()``, which returns the table as stored,
    leaves them off unless asked.
    """
    from .views import view as _view

    return _view(name, labels=labels, root=_root(package))


def district(code: str, *, labels: bool = True, package: str | Path | None = None) -> District:
    """Everything about one district, by GB/T 2260 code or name (``"220521"``, ``"通化县"``).

    The result's parts are DataFrames: ``row`` (its row of ``districts``), ``sources``,
    ``initiatives``, ``metrics``, ``annotations``, ``non_metric_numbers``,
    ``consistency_checks`` and ``flags`` (one row per link, in ``annotation_ids``, from one of
    its rows to an annotation: a known defect of the source or a curator note, with its kind
    and description). An unknown code
    raises ``LookupError`` naming the districts. ``labels`` is True by default, as for
    ``view()``: the parts are for reading, so codes come with their English and Chinese
    labels (``load()`` returns tables as stored, without them unless asked).
    """
    from .views import district as _district

    return _district(code, labels=labels, root=_root(package))


def records(name: str, package: str | Path | None = None) -> list[Row]:
    """The rows of a table as validated pydantic objects (raises on an invalid row)."""
    from .loading import resource_name
    from .rows import read_records

    root = _root(package)
    return read_records(resource_name(name, root), root)


def package(path: str | Path | None = None) -> frictionless.Package:
    """The bundled data (or the package at ``path``) as a ``frictionless.Package``
    (imports frictionless)."""
    import frictionless

    from .bundle import DESCRIPTOR, package_root

    root = _root(path) or package_root()
    return frictionless.Package(str(root / DESCRIPTOR), basepath=str(root))


def document_text(source_id: str, package: str | Path | None = None) -> str:
    """The whole document a source was cut from: the text that every offset counts in.

    For every row of a quoted table (initiatives, metrics, annotations,
    non_metric_numbers), ``document_text(row.source_id)[row.quote_start:row.quote_end]
    == row.quote``. One stored document may hold several sources (essays of one page).
    """
    from .sourcetext import source_document_text

    return source_document_text(source_id, _root(package))


def source_text(source_id: str, package: str | Path | None = None) -> Essay:
    """One source's words with where they start in their document.

    Returns an ``Essay``: ``.text`` (the words), ``.start`` and ``.end`` (its span, in
    document offsets), ``.at(quote_start, quote_end)`` (a row's quote). It cannot be sliced
    directly, because the tables' offsets count in the whole document: slicing raises
    ``TypeError`` saying so. ``str(essay)`` is the text.
    """
    from .sourcetext import essay

    return essay(source_id, _root(package))


def cite(row_id: str, package: str | Path | None = None) -> str:
    """How to cite one row: the same text as ``jiceng cite ROW_ID``.

    An unknown ID raises ``LookupError`` with the nearest IDs.
    """
    from .citation import cite as _cite

    return _cite(row_id, _root(package)).text()
