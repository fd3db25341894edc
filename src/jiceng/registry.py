"""The table registry: every fact about a table that is not a column, in one place.
(``jiceng.tables()``, the public list of the data tables' names, is a function: hence
this module's name.)

One entry per table, data tables and vocabularies alike: its one name (``non_metric_numbers``,
``units``), kind, file, the resource name it is published under in datapackage.json
(``non-metric-numbers``, ``vocab-units``: a public interface, kept as published), primary
key, ID letter, whether its rows quote a source, the columns that label a row (diff) and
summarise it (cite), its identity rule (what a row names, for the stable-ID check), title
and description. :func:`table` accepts every spelling a user or a file may use.

Plain data on purpose: the loader imports this module, and it must import neither
pydantic nor frictionless. The row models (``jiceng.models``) take their ``table`` from
here and add the columns; a test checks that the quoted tables are the models' ``Quoted``
subclasses and that the two agree on names and keys.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

VOCABULARY_DIR = "data/vocabularies"
VOCABULARY_RESOURCE_PREFIX = "vocab-"
QUOTE_SPAN = ("quote_start", "quote_end")


@dataclass(frozen=True)
class IdentitySpec:
    """Which cells say what a row names (``jiceng.releases.identity`` compares them):
    the source column, a span (two offset columns) or the words of one column located
    inside the quote, and name columns (one name in common suffices)."""

    text: str
    source: str | None = None
    span: tuple[str, str] | None = None
    words: str | None = None
    names: tuple[str, ...] = ()
    names_split: bool = False  # one cell of space-separated names (metric_ids)
    span_label: str = "quote span"


CODE_IDENTITY = IdentitySpec("the code is the identity")


@dataclass(frozen=True)
class Table:
    """What is known of a table beyond its columns."""

    name: str
    title: str
    description: str
    primary_key: str
    kind: str = "data"  # or "vocabulary"
    id_letter: str | None = None
    quoted: bool = False
    label_columns: tuple[str, ...] = ("label_en",)
    summary: Callable[[Mapping[str, Any]], str] | None = None
    identity: IdentitySpec = CODE_IDENTITY
    extra_columns: tuple[str, ...] = ()  # a vocabulary's columns beyond code and labels

    @property
    def path(self) -> str:
        return f"{VOCABULARY_DIR}/{self.name}.csv" if self.kind == "vocabulary" else f"data/{self.name}.csv"

    @property
    def resource_name(self) -> str:
        prefix = VOCABULARY_RESOURCE_PREFIX if self.kind == "vocabulary" else ""
        return prefix + self.name.replace("_", "-")

    @property
    def export_name(self) -> str:
        """The name of the table in the exports (Parquet file, SQLite table, sheet)."""
        return ("vocab_" if self.kind == "vocabulary" else "") + self.name

    @property
    def snapshot_name(self) -> str:
        """The name a release snapshot (ids.json) gives the table: published, kept."""
        return f"vocabularies/{self.name}" if self.kind == "vocabulary" else self.name


def vocabulary(name: str, title: str, description: str, extra_columns: tuple[str, ...] = ()) -> Table:
    return Table(name, title, description, "code", kind="vocabulary", extra_columns=extra_columns)


def number(value: Any, grouped: bool = True) -> str:
    """A figure written out in full as a reader writes it, never in exponent form:
    1,690,000 and 41.2 (``grouped=False``: 1690000, the form a CSV cell takes)."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value.is_integer():
        return f"{int(value):,}" if grouped else str(int(value))
    text = f"{value:,.10f}" if grouped else f"{value:.10f}"
    return text.rstrip("0").rstrip(".")


# Units whose English word is not their code's words with an -s for more than one
UNIT_WORDS = {"person_time": ("person-time", "person-times"), "yuan": ("yuan", "yuan"), "percent": ("%", "%")}


def quantity(value: Any, unit: str, value_max: Any = None) -> str:
    """A value (or range) with its unit in words, singular or plural by the value: 1 post,
    47 organisations, 40–50 hours, 108%."""
    figure = number(value) + (f"–{number(value_max)}" if value_max is not None else "")
    singular, plural = UNIT_WORDS.get(unit, (unit.replace("_", " "), unit.replace("_", " ") + "s"))
    word = singular if value_max is None and float(value) == 1 else plural
    return figure + word if word == "%" else f"{figure} {word}"


def summary_of_metric(row: Mapping[str, Any]) -> str:
    return (f"{row['subject_en']}: {quantity(row['value'], row['unit'], row.get('value_max'))} "
            f"({row['qualifier']}, {row['value_type']}); as written: {row['value_text']}")


def summary_of_initiative(row: Mapping[str, Any]) -> str:
    return f"{row['name_zh']} ({row['name_en']}): {row['kind']}, {row['category']}"


def summary_of_annotation(row: Mapping[str, Any]) -> str:
    return f"{row['kind']}: {row['description_en']}"


def summary_of_non_metric_number(row: Mapping[str, Any]) -> str:
    return f"{row['number_text']}: not a metric ({row['reason']}): {row['explanation_en']}"


def summary_of_consistency_check(row: Mapping[str, Any]) -> str:
    return row["description_en"]


def summary_of_glossary_term(row: Mapping[str, Any]) -> str:
    return f"{row['term_zh']}: {row['term_en']}. {row['definition_en']}"


def summary_of_district(row: Mapping[str, Any]) -> str:
    return (f"{row['name_zh']} {row['name_en']}, {row['prefecture_en']}, {row['province_en']} "
            f"(GB/T 2260 {row['district_id']})")


def summary_of_source(row: Mapping[str, Any]) -> str:
    return f"{row['title_zh']} [{row['title_en']}]"


DATA_TABLES: dict[str, Table] = {entry.name: entry for entry in (
    Table(
        name="sources",
        title="Sources",
        description="One row per authored text: its author, district, title, the verbatim "
        "file it is printed in, that file's sha256, and the span of the file it occupies.",
        primary_key="source_id",
        quoted=False,
        label_columns=('title_zh',),
        summary=summary_of_source,
        identity=IdentitySpec("same document_id and an overlapping span [span_start, span_end)",
                              source="document_id", span=("span_start", "span_end"), span_label="span"),
    ),
    Table(
        name="districts",
        title="Districts",
        description="County-level divisions (districts, counties, county-level cities) keyed "
        "by their six-digit GB/T 2260 administrative division code, with their prefecture "
        "and province and the development goals their sources state.",
        primary_key="district_id",
        quoted=False,
        label_columns=('name_zh', 'name_en'),
        summary=summary_of_district,
        identity=IdentitySpec("the GB/T 2260 code is the identity (names may change)"),
    ),
    Table(
        name="initiatives",
        title="Initiatives",
        description="What counts as an initiative (the same rule for every source, so that "
        "counts per district mean the same thing): (1) every named programme, project, campaign, "
        "mechanism, work model, body, team, platform, facility, list, brand, pilot, award or "
        "title, event and policy document a source presents, whether the name is printed "
        "(name_basis as_written) or only described (descriptive); (2) every distinct measure the "
        "source reports the district or a body in it taking, named or not: an action with its "
        "own verb and object (assigning or recruiting cadres, reallocating staffing quotas, "
        "setting funding, removing duties, mobilising units), kind measure. Not rows: components "
        "or working rules of another row (described there), figures that report a result "
        "(metrics), headings and general statements of intent. A quoted slogan or formula is a "
        "row only when it names something implemented; one that states a principle, goal or "
        "manner is described in the row of its measure and its numerals are non-metric numbers. "
        "Rows of a higher level that a district reports (a city's model, a provincial outline, a "
        "national conference) belong to that district, with their scope.",
        primary_key="initiative_id",
        id_letter="i",
        quoted=True,
        label_columns=('name_zh',),
        summary=summary_of_initiative,
        identity=IdentitySpec("same source_id, an overlapping quote span and name_zh or name_en kept",
                              source="source_id", span=QUOTE_SPAN, names=("name_zh", "name_en")),
    ),
    Table(
        name="metrics",
        title="Metrics",
        description="Every quantitative claim of a source: counts, money, areas, "
        "person-times, rates and standards, normalised (万 = 10^4, 亿 = 10^8) with "
        "unit, qualifier and value type, and the verbatim words.",
        primary_key="metric_id",
        id_letter="m",
        quoted=True,
        label_columns=('subject_zh', 'value_text'),
        summary=summary_of_metric,
        identity=IdentitySpec("same source_id and an overlapping position of value_text in the source",
                              source="source_id", words="value_text"),
    ),
    Table(
        name="annotations",
        title="Annotations",
        description="Known defects of the source texts (duplicated or misplaced passages, "
        "typos, sentences cut at a paragraph break, inconsistent or implausible figures) and "
        "curator notes, each at an exact span, with a suggested reading.",
        primary_key="annotation_id",
        id_letter="a",
        quoted=True,
        label_columns=('kind', 'quote'),
        summary=summary_of_annotation,
        identity=IdentitySpec("same source_id, an overlapping quote span and the same kind",
                              source="source_id", span=QUOTE_SPAN, names=("kind",)),
    ),
    Table(
        name="non_metric_numbers",
        title="Non-metric numbers",
        description="Numbers printed in the sources that are not quantitative claims — years "
        "in titles, numbers inside names and slogans (“三基建设”), ordinary words (进一步), "
        "repeats of a duplicated passage — each with the reason. With the metrics, they "
        "account for every number of every source (`jiceng audit`).",
        primary_key="number_id",
        id_letter="n",
        quoted=True,
        label_columns=('number_text',),
        summary=summary_of_non_metric_number,
        identity=IdentitySpec("same source_id and an overlapping position of number_text in the source",
                              source="source_id", words="number_text"),
    ),
    Table(
        name="consistency_checks",
        title="Consistency checks",
        description="Where a source states related figures (an increase, a new total and a "
        "growth rate; a share of a whole; parts and their sum), the metrics involved and how "
        "to recompute them. `jiceng validate` recomputes each and reports any disagreement "
        "that no annotation explains.",
        primary_key="check_id",
        id_letter="c",
        quoted=False,
        label_columns=('kind',),
        summary=summary_of_consistency_check,
        identity=IdentitySpec("same source_id and at least one metric in common",
                              source="source_id", names=("metric_ids",), names_split=True),
    ),
    Table(
        name="glossary",
        title="Glossary",
        description="Recurring political and administrative terms with the single English "
        "rendering the dataset uses for each.",
        primary_key="term_id",
        quoted=False,
        label_columns=('term_zh', 'term_en'),
        summary=summary_of_glossary_term,
        identity=IdentitySpec("the same term_zh", names=("term_zh",)),
    ),
)}
"""The data tables, in dependency order (a table's foreign keys name earlier tables)."""

VOCABULARIES: dict[str, Table] = {entry.name: entry for entry in (
    vocabulary(
        "units",
        "Units",
        "Units of measurement for metric values; money is always Chinese yuan (CNY).",
        ("quantity_kind", "integer", "zh_forms"),
    ),
    vocabulary(
        "qualifiers",
        "Qualifiers",
        "How exact a stated value is: exact, approximate, a lower or upper bound, a range.",
    ),
    vocabulary(
        "value_types",
        "Value types",
        "What kind of figure a metric is: a level, a total, an increase, a rate, a standard...",
        ("quantity_kinds",),
    ),
    vocabulary(
        "initiative_kinds",
        "Initiative kinds",
        "What sort of thing an initiative is: a policy document, a mechanism, a body, a platform...",
    ),
    vocabulary(
        "initiative_categories",
        "Initiative categories",
        "The policy area an initiative belongs to.",
    ),
    vocabulary(
        "scopes",
        "Scopes",
        "Whose initiative a row is: the reporting district's own, or of the prefecture, province "
        "or national level, reported by the district.",
    ),
    vocabulary(
        "metric_topics",
        "Metric topics",
        "What kind of thing a metric counts (Party organisations, Party members, money...).",
    ),
    vocabulary(
        "annotation_kinds",
        "Annotation kinds",
        "Kinds of known defects of a source text and of curator notes.",
    ),
    vocabulary(
        "non_metric_reasons",
        "Non-metric reasons",
        "Why a number printed in a source is not a quantitative claim.",
    ),
    vocabulary(
        "consistency_kinds",
        "Consistency kinds",
        "How related figures of a source are recomputed against each other.",
    ),
    vocabulary(
        "consistency_outcomes",
        "Consistency outcomes",
        "Whether the figures of a consistency check agree when recomputed.",
    ),
    vocabulary(
        "district_levels",
        "District levels",
        "The administrative level of a county-level division.",
    ),
    vocabulary(
        "published_basis",
        "Publication basis",
        "Whether a source's publication details are stated, inferred or not stated.",
    ),
    vocabulary(
        "name_bases",
        "Name bases",
        "Whether an initiative's Chinese name is printed as such or described in the text.",
    ),
    vocabulary(
        "row_statuses",
        "Row statuses",
        "Whether a row is a draft awaiting review, current, or withdrawn (IDs are never reused).",
    ),
)}

REGISTRY: dict[str, Table] = {**DATA_TABLES, **VOCABULARIES}
TABLE_NAMES: tuple[str, ...] = tuple(DATA_TABLES)
QUOTED_TABLES: tuple[str, ...] = tuple(name for name, entry in DATA_TABLES.items() if entry.quoted)


def spellings(entry: Table) -> set[str]:
    """Every way a user, a file or a release snapshot may name ``entry``."""
    names = {entry.name, entry.resource_name, entry.name.replace("_", "-"), entry.path,
             entry.path.rsplit("/", 1)[-1], entry.snapshot_name}
    if entry.kind == "vocabulary":
        names |= {f"vocabulary:{entry.name}", entry.export_name, f"{VOCABULARY_DIR}/{entry.name}"}
    return names


SPELLINGS: dict[str, Table] = {spelling: entry for entry in REGISTRY.values() for spelling in spellings(entry)}


def table(name: str) -> Table:
    """The registry entry that ``name`` means, in any spelling (``non-metric-numbers``,
    ``vocab-units``, ``vocab_units``, ``vocabulary:units``, ``data/metrics.csv``...).

    Raises KeyError with the tables' names and a "did you mean" for a near miss."""
    wanted = name.strip()
    found = SPELLINGS.get(wanted) or SPELLINGS.get(wanted.lower())
    if found is not None:
        return found
    import difflib  # only for the message of a name that is not found

    close = difflib.get_close_matches(wanted.lower(), SPELLINGS, n=1, cutoff=0.7)
    hint = f"; did you mean {SPELLINGS[close[0]].name}?" if close else "."
    raise KeyError(f"jiceng has no table called {name!r}{hint} Tables: {', '.join(TABLE_NAMES)}. "
                   f"Vocabularies: {', '.join(VOCABULARIES)}.")
