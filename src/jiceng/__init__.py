"""jiceng 基层: what Chinese local Party committees report about urban grassroots governance.

Load any table as a typed pandas DataFrame::

    import jiceng
    metrics = jiceng.load("metrics")      # or jiceng.metrics()
    jiceng.tables()                       # the table names
    jiceng.source_text("1f5f9208bb5fe543-1")

Every initiative and metric row carries the exact quote that supports it and its
offsets in the verbatim source text, so each can be checked against the original words.

Imports are deferred: ``import jiceng`` loads neither pandas, pydantic nor frictionless,
and loading tables never imports pydantic or frictionless.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.2.0"

if TYPE_CHECKING:
    import frictionless
    import pandas as pd

    from .models import Row

__all__ = [
    "__version__",
    "annotations",
    "consistency_checks",
    "districts",
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
    "vocabularies",
    "vocabulary",
]


def tables() -> list[str]:
    """The names of the data tables, in dependency order."""
    from .loading import TABLE_NAMES

    return list(TABLE_NAMES)


def vocabularies() -> list[str]:
    """The names of the controlled vocabularies (units, qualifiers, value_types, ...)."""
    from .loading import vocabulary_names

    return vocabulary_names()


def load(name: str) -> pd.DataFrame:
    """Load a table (or a vocabulary) as a pandas DataFrame with real dtypes.

    ``name`` is one of `tables()` or `vocabularies()`; ``non_metric_numbers`` and
    ``non-metric-numbers`` are the same table. An unknown name raises ``ValueError``
    listing the valid ones.
    """
    from .loading import load as _load

    return _load(name)


def load_all() -> dict[str, pd.DataFrame]:
    """Every data table, keyed by name."""
    return {name: load(name) for name in tables()}


def vocabulary(name: str) -> pd.DataFrame:
    """A controlled vocabulary: code, English and Chinese label, definition."""
    from .loading import VOCABULARY_PREFIX, resource_name

    resource = resource_name(name)
    if not resource.startswith(VOCABULARY_PREFIX):
        raise ValueError(f"{name!r} is a table, not a vocabulary; vocabularies: {', '.join(vocabularies())}")
    return load(resource)


def sources() -> pd.DataFrame:
    """Authored texts: author, district, title, verbatim file, sha256 and span."""
    return load("sources")


def districts() -> pd.DataFrame:
    """County-level divisions keyed by GB/T 2260 code."""
    return load("districts")


def initiatives() -> pd.DataFrame:
    """Named programmes, mechanisms, bodies, platforms and documents, with quotes."""
    return load("initiatives")


def metrics() -> pd.DataFrame:
    """Quantitative claims, normalised, with unit, qualifier, value type and quote."""
    return load("metrics")


def annotations() -> pd.DataFrame:
    """Known defects of the source texts, and curator notes, at exact spans."""
    return load("annotations")


def non_metric_numbers() -> pd.DataFrame:
    """Numbers in the sources that are not claims (years, names, slogans), with reasons."""
    return load("non_metric_numbers")


def consistency_checks() -> pd.DataFrame:
    """Related figures (growth rates, shares, sums) that the validator recomputes."""
    return load("consistency_checks")


def glossary() -> pd.DataFrame:
    """Recurring political terms with the dataset's English renderings."""
    return load("glossary")


def records(name: str) -> list[Row]:
    """The rows of a table as validated pydantic objects (raises on an invalid row)."""
    from .loading import resource_name
    from .rows import read_records

    return read_records(resource_name(name))


def package() -> frictionless.Package:
    """The bundled data as a ``frictionless.Package`` (imports frictionless)."""
    import frictionless

    from .bundle import DESCRIPTOR, package_root

    root = package_root()
    return frictionless.Package(str(root / DESCRIPTOR), basepath=str(root))


def source_text(source_id: str) -> str:
    """The verbatim text of one source: its span of the stored document file."""
    from .sourcetext import text_of_source

    return text_of_source(source_id)
