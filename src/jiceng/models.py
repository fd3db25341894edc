"""The row models: the single source of truth for every table of the package.

Each class describes one CSV table: its fields (type, required, pattern, vocabulary,
description, Chinese title, unit) and, through field metadata, its foreign keys; the
table-level facts (file, primary key, ID letter, title, description) are its entry in
the table registry (``jiceng.registry``), which the loader reads without pydantic.
``jiceng schemas`` walks these classes to write the Table Schemas, ``datapackage.json``, the pandas dtypes and the data dictionary; a test regenerates
them and fails on any difference with what is committed.

Cross-field rules that the Table Schema standard cannot express (a range needs a
``value_max``; a percentage is a rate or a share; ...) live here as validators, so the
validator and ``jiceng.records()`` enforce them alike.

Long because: the eight tables' fields are declared here one entry each, with the
descriptions the data dictionary is generated from, beside the field helpers and the
cross-field rules they share; one file per table would scatter that one source of truth.
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .registry import DATA_TABLES, Table
from .sourcetext import occurrence
from .types import CELL_FORMS
from .vocab import Vocabularies, bundled

DOCUMENT_ID = r"^[0-9a-f]{16}$"
SOURCE_ID = r"^[0-9a-f]{16}-[1-9][0-9]*$"
DISTRICT_ID = r"^[1-8][0-9]{5}$"
PREFECTURE_ID = r"^[1-8][0-9]{3}00$"
PROVINCE_ID = r"^[1-8][0-9]0000$"
SHA256 = r"^[0-9a-f]{64}$"
SOURCE_PATH = r"^data/sources/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.txt$"
PARTIAL_DATE = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"
LANGUAGE_TAG = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
GLOSSARY_ID = r"^g-[a-z0-9]+(?:-[a-z0-9]+)*$"

# Maximum lengths of free text, in characters, so that a runaway cell (a file pasted into
# a note) is an error at its cell rather than a valid row. Each is several times the
# longest cell of its kind in the data (see tests/test_models.py).
WORD = 100  # names, places, printed numbers and periods, quote prefixes (longest: 23)
PHRASE = 1_000  # titles, English names, subjects, short descriptions (longest: 163)
TEXT = 10_000  # quotes, notes, descriptions, definitions, explanations (longest: 1,063)
# Quotation and title marks a source prints around a name: the name is written without them.
ENCLOSING_MARKS = (("“", "”"), ("《", "》"), ("「", "」"), ("‘", "’"), ('"', '"'))


def row_id_pattern(letter: str) -> str:
    """IDs embed their source ID, so they stay unique across thousands of sources."""
    return rf"^[0-9a-f]{{16}}-[1-9][0-9]*-{letter}[0-9]{{3,}}$"


def field(
    description: str,
    *,
    title_zh: str,
    default: Any = ...,
    pattern: str | None = None,
    vocabulary: str | None = None,
    foreign_key: str | None = None,
    unit: str | None = None,
    ge: float | None = None,
    example: str | None = None,
    max_length: int | None = None,
) -> Any:
    """A model field with the metadata that the generators need; free text (no pattern,
    no vocabulary) has a ``max_length``."""
    extra: dict[str, Any] = {"title_zh": title_zh}
    if vocabulary:
        extra["vocabulary"] = vocabulary
    if foreign_key:
        extra["foreign_key"] = foreign_key
    if unit:
        extra["unit"] = unit
    if example is not None:
        extra["example"] = example
    return Field(default, description=description, pattern=pattern, ge=ge, max_length=max_length,
                 json_schema_extra=extra)


def cell_form(type_name: str) -> BeforeValidator:
    """Refuse a CSV cell that the Table Schema would not read as ``type_name``."""
    form = re.compile(CELL_FORMS[type_name])

    def check(value: Any) -> Any:
        if isinstance(value, str) and not form.fullmatch(value):
            raise ValueError(f"{value!r} is not {'an' if type_name[0] in 'aeiou' else 'a'} {type_name}")
        return value

    return BeforeValidator(check)


Integer = Annotated[int, cell_form("integer")]
OptionalInteger = Annotated[int | None, cell_form("integer")]
Boolean = Annotated[bool, cell_form("boolean")]


def vocabularies_of(info: ValidationInfo) -> Vocabularies:
    """Validate against the vocabularies of the package being checked, if given."""
    context = info.context or {}
    return context.get("vocabularies") or bundled()


class Row(BaseModel):
    """Common behaviour of all rows: strict columns, vocabulary codes checked."""

    # allow_inf_nan=False: "inf" and "nan" parse as floats, but no figure of a source is either
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    table: ClassVar[Table]

    @classmethod
    def columns(cls) -> list[str]:
        """The table's columns in CSV order."""
        return list(cls.model_fields)

    @classmethod
    def coded_fields(cls) -> list[tuple[str, str]]:
        """(field, vocabulary) pairs, computed once per class: checked on every row."""
        if "_coded_fields" not in cls.__dict__:
            cls._coded_fields = [
                (name, extra["vocabulary"])
                for name, info in cls.model_fields.items()
                if (extra := info.json_schema_extra or {}).get("vocabulary")
            ]
        return cls._coded_fields

    @classmethod
    def foreign_keys(cls) -> list[tuple[str, str, str]]:
        """(column, table, column it refers to) for every ``foreign_key`` a field declares:
        the one reading of them, for the Table Schemas and for the key check."""
        return [
            (name, *target.split("."))
            for name, info in cls.model_fields.items()
            if (target := (info.json_schema_extra or {}).get("foreign_key"))
        ]

    @classmethod
    def english_fields(cls) -> list[str]:
        """Required English columns: a draft row may leave them empty while a curator works
        (``jiceng validate --allow-drafts``); the drafting tools never guess them."""
        return [name for name, info in cls.model_fields.items() if info.is_required() and name.endswith("_en")]

    @model_validator(mode="after")
    def _codes_are_in_their_vocabularies(self, info: ValidationInfo) -> Row:
        vocabularies = vocabularies_of(info)
        for name, vocabulary in self.coded_fields():
            value = getattr(self, name)
            if value is not None:
                codes = vocabularies.terms(vocabulary)
                if value not in codes:
                    close = difflib.get_close_matches(value, list(codes), n=1, cutoff=0.6)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    raise ValueError(
                        f"{name}: {value!r} is not a code of the {vocabulary} vocabulary "
                        f"(data/vocabularies/{vocabulary}.csv); {hint}use one of: {', '.join(codes)}"
                    )
        return self

    @model_validator(mode="after")
    def _id_starts_with_its_source(self) -> Row:
        letter = self.table.id_letter
        if letter and hasattr(self, "source_id"):
            row_id = getattr(self, self.table.primary_key)
            expected = f"{self.source_id}-{letter}"
            if not row_id.startswith(expected):
                raise ValueError(
                    f"{self.table.primary_key}: {row_id!r} must start with its source_id "
                    f"followed by -{letter} ({expected}NNN)"
                )
        return self


class Quoted(Row):
    """Provenance: the exact words of the source that support the row (W3C selectors)."""

    provenance_after: ClassVar[str]

    @classmethod
    def columns(cls) -> list[str]:
        """Descriptive columns first; the provenance columns after ``provenance_after``."""
        provenance = list(Quoted.model_fields)
        own = [name for name in cls.model_fields if name not in provenance]
        cut = own.index(cls.provenance_after) + 1
        return own[:cut] + provenance + own[cut:]

    quote: str = field(
        "The exact words of the source text that support this row (TextQuoteSelector "
        "`exact`). Must equal the source text between quote_start and quote_end.",
        title_zh="原文引文",
        max_length=TEXT,
    )
    quote_prefix: str | None = field(
        "Text immediately before the quote, given when the quote occurs more than once in "
        "the document (the whole source file, which may hold several essays); required when "
        "it recurs within the row's own source (TextQuoteSelector `prefix`).",
        title_zh="引文前文",
        default=None,
        max_length=WORD,
    )
    quote_suffix: str | None = field(
        "Text immediately after the quote, given when the quote occurs more than once in "
        "the document (the whole source file, which may hold several essays); required when "
        "it recurs within the row's own source (TextQuoteSelector `suffix`).",
        title_zh="引文后文",
        default=None,
        max_length=WORD,
    )
    quote_start: Integer = field(
        "Offset of the quote's first character in the source file, counted in Unicode "
        "code points of the UTF-8, NFC, LF text, starting at 0 (TextPositionSelector "
        "`start`, included). Filled by `jiceng locate`.",
        title_zh="引文起点",
        ge=0,
    )
    quote_end: Integer = field(
        "Offset just after the quote's last character (TextPositionSelector `end`, "
        "excluded), so that text[quote_start:quote_end] == quote.",
        title_zh="引文终点",
        ge=0,
    )

    @model_validator(mode="after")
    def _quote_span_matches_its_length(self) -> Quoted:
        if self.quote_end - self.quote_start != len(self.quote):
            raise ValueError(
                f"quote_end - quote_start = {self.quote_end - self.quote_start} but the quote "
                f"has {len(self.quote)} characters; `jiceng locate` shows where the quote differs from the "
                "source, and `jiceng locate --write` refills the offsets of a quote that is the source's words"
            )
        return self


def row_id_field(letter: str, title_zh: str) -> Any:
    """The primary key of a per-source table: source ID, a letter and a number."""
    return field(
        f"Stable ID: source ID, '-{letter}' and a number.",
        title_zh=title_zh,
        pattern=row_id_pattern(letter),
        example=f"1f5f9208bb5fe543-1-{letter}001",
    )


ANNOTATION_IDS = (r"^[0-9a-f]{16}-[1-9][0-9]*-a[0-9]{3,}( [0-9a-f]{16}-[1-9][0-9]*-a[0-9]{3,})*$")


def annotation_ids_field() -> Any:
    """Links from a fact row to what is known to be wrong near it, checked both ways."""
    return field(
        "Every annotation whose span overlaps the row's quote, and every annotation that a "
        "consistency check naming the row is tied to, separated by spaces; empty when there is "
        "none. The validator requires exactly these links, so a reader of the row sees what is "
        "known to be wrong near it.",
        title_zh="相关注释",
        pattern=ANNOTATION_IDS,
        default=None,
    )


def source_id_field(description: str) -> Any:
    return field(description, title_zh="来源编号", pattern=SOURCE_ID, foreign_key="sources.source_id")


def district_id_field(description: str) -> Any:
    return field(description, title_zh="区县代码", pattern=DISTRICT_ID, foreign_key="districts.district_id")


def status_field() -> Any:
    return field(
        "Whether the row is current (active) or has been withdrawn; withdrawn IDs are kept "
        "and never reused.",
        title_zh="状态",
        vocabulary="row_statuses",
        example="active",
    )


class Source(Row):
    """One authored text (an essay) and where it sits in the document it was cut from."""

    table: ClassVar[Table] = DATA_TABLES["sources"]

    source_id: str = field(
        "Stable ID of the text: the document ID, a hyphen and the text's position in the document.",
        title_zh="来源编号",
        pattern=SOURCE_ID,
        example="1f5f9208bb5fe543-1",
    )
    document_id: str = field(
        "ID of the document (page) the text was cut from: 16 hexadecimal digits, shared by "
        "all texts printed in the same file.",
        title_zh="文档编号",
        pattern=DOCUMENT_ID,
    )
    district_id: str = field(
        "The district whose Party committee the text reports on (GB/T 2260 code).",
        title_zh="区县代码",
        pattern=DISTRICT_ID,
        foreign_key="districts.district_id",
    )
    path: str = field(
        "Path of the verbatim document file, relative to the package root.",
        title_zh="原文文件路径",
        pattern=SOURCE_PATH,
    )
    sha256: str = field(
        "SHA-256 of the document file's bytes, as received.",
        title_zh="文件SHA-256",
        pattern=SHA256,
    )
    document_length: Integer = field(
        "Length of the whole document file in Unicode code points.",
        title_zh="文档长度",
        ge=0,
        unit="code points",
    )
    span_start: Integer = field(
        "Offset in the document where this text begins (its heading's first character).",
        title_zh="文本起点",
        ge=0,
    )
    span_end: Integer = field(
        "Offset in the document just after this text's last character.",
        title_zh="文本终点",
        ge=0,
    )
    heading_zh: str = field("The heading exactly as printed.", title_zh="原标题", max_length=PHRASE)
    title_zh: str = field("The title: the heading without its place-name prefix.", title_zh="标题", max_length=PHRASE)
    title_en: str = field("English translation of the title.", title_zh="标题英译", max_length=PHRASE)
    byline_zh: str | None = field("The byline exactly as printed.", title_zh="署名行", default=None, max_length=WORD)
    author_zh: str | None = field("Author's name as printed.", title_zh="作者", default=None, max_length=WORD)
    author_en: str | None = field(
        "Author's name in Hanyu Pinyin, surname first.", title_zh="作者拼音", default=None,
        max_length=WORD,
    )
    author_role_zh: str | None = field(
        "Author's office as printed in the byline.", title_zh="作者职务", default=None,
        max_length=WORD,
    )
    author_role_en: str | None = field(
        "English translation of the author's office.", title_zh="作者职务英译", default=None,
        max_length=PHRASE,
    )
    publication_zh: str | None = field(
        "Publication (newspaper, journal, website) as stated; empty when the source does not say.",
        title_zh="刊载媒体",
        default=None,
        max_length=PHRASE,
    )
    publication_en: str | None = field(
        "English name of the publication; empty when the source does not say.",
        title_zh="刊载媒体英译",
        default=None,
        max_length=PHRASE,
    )
    published: str | None = field(
        "Publication date as YYYY, YYYY-MM or YYYY-MM-DD; empty when neither stated nor "
        "safely inferable.",
        title_zh="发表日期",
        pattern=PARTIAL_DATE,
        default=None,
    )
    published_basis: str = field(
        "Whether the publication details are stated by the source, inferred by curators "
        "(reason in published_note) or not stated.",
        title_zh="发表信息依据",
        vocabulary="published_basis",
    )
    published_note: str | None = field(
        "Why publication details are empty or how they were inferred.",
        title_zh="发表信息说明",
        default=None,
        max_length=TEXT,
    )
    language: str = field("BCP 47 language tag of the text.", title_zh="语言", pattern=LANGUAGE_TAG)
    position_note: str | None = field(
        "Where the text sits in its document and any known defect of its extent.",
        title_zh="位置说明",
        default=None,
        max_length=TEXT,
    )
    notes: str | None = field("Curator notes.", title_zh="备注", default=None, max_length=TEXT)
    status: str = status_field()

    @model_validator(mode="after")
    def _span_is_ordered(self) -> Source:
        if not self.span_start < self.span_end <= self.document_length:
            raise ValueError(
                f"span [{self.span_start}, {self.span_end}) must satisfy "
                f"span_start < span_end <= document_length ({self.document_length})"
            )
        return self

    @model_validator(mode="after")
    def _inferred_details_say_why(self) -> Source:
        if self.published_basis == "inferred" and not self.published_note:
            raise ValueError("published_basis is 'inferred': give the reason in published_note")
        if self.published_basis == "not_stated" and (self.published or self.publication_zh):
            raise ValueError(
                "published_basis is 'not_stated' but a publication or date is filled in; "
                "use 'stated' or 'inferred'"
            )
        return self


class District(Row):
    """A county-level division, keyed by its GB/T 2260 code."""

    table: ClassVar[Table] = DATA_TABLES["districts"]

    district_id: str = field(
        "Six-digit GB/T 2260 administrative division code. Names collide across China "
        "(there are several 新城区), codes do not.",
        title_zh="行政区划代码",
        pattern=DISTRICT_ID,
        example="140110",
    )
    name_zh: str = field("Chinese name.", title_zh="名称", max_length=PHRASE)
    name_en: str = field("English name (Hanyu Pinyin plus District/County).", title_zh="英文名称", max_length=PHRASE)
    level: str = field("Administrative level.", title_zh="行政级别", vocabulary="district_levels")
    prefecture_id: str = field(
        "GB/T 2260 code of the prefecture-level division.", title_zh="地级代码", pattern=PREFECTURE_ID
    )
    prefecture_zh: str = field("Prefecture-level division, Chinese.", title_zh="地级市", max_length=WORD)
    prefecture_en: str = field("Prefecture-level division, English.", title_zh="地级市英文", max_length=WORD)
    province_id: str = field(
        "GB/T 2260 code of the province.", title_zh="省级代码", pattern=PROVINCE_ID
    )
    province_zh: str = field("Province, Chinese.", title_zh="省份", max_length=WORD)
    province_en: str = field("Province, English.", title_zh="省份英文", max_length=WORD)
    development_goals_zh: str | None = field(
        "Development goals the district's source states, as written; empty when none is stated.",
        title_zh="发展目标",
        default=None,
        max_length=PHRASE,
    )
    development_goals_en: str | None = field(
        "English translation of the stated development goals.",
        title_zh="发展目标英译",
        default=None,
        max_length=PHRASE,
    )
    goals_source_id: str | None = field(
        "Source that states the development goals.",
        title_zh="目标来源",
        pattern=SOURCE_ID,
        foreign_key="sources.source_id",
        default=None,
    )
    goals_quote: str | None = field(
        "Exact words stating the goals.", title_zh="目标引文", default=None,
        max_length=PHRASE,
    )
    goals_quote_start: OptionalInteger = field(
        "Offset of goals_quote in the source file.", title_zh="目标引文起点", ge=0, default=None
    )
    goals_quote_end: OptionalInteger = field(
        "Offset just after goals_quote.", title_zh="目标引文终点", ge=0, default=None
    )
    notes: str | None = field("Curator notes.", title_zh="备注", default=None, max_length=TEXT)
    status: str = status_field()

    @model_validator(mode="after")
    def _codes_nest(self) -> District:
        if not self.district_id.startswith(self.prefecture_id[:4]):
            raise ValueError(
                f"district_id {self.district_id} is not inside prefecture {self.prefecture_id}"
            )
        if not self.prefecture_id.startswith(self.province_id[:2]):
            raise ValueError(
                f"prefecture_id {self.prefecture_id} is not inside province {self.province_id}"
            )
        return self

    @model_validator(mode="after")
    def _goals_come_with_their_quote(self) -> District:
        goal_fields = (self.goals_source_id, self.goals_quote, self.goals_quote_start, self.goals_quote_end)
        if self.development_goals_zh and None in goal_fields:
            raise ValueError(
                "development_goals_zh is set: give goals_source_id, goals_quote, "
                "goals_quote_start and goals_quote_end too"
            )
        return self


class Initiative(Quoted):
    """A measure, body, platform, facility, designation or document a source reports."""

    provenance_after: ClassVar[str] = "description_en"
    table: ClassVar[Table] = DATA_TABLES["initiatives"]

    initiative_id: str = row_id_field("i", "举措编号")
    source_id: str = source_id_field("The source that describes it.")
    district_id: str = district_id_field("The district it belongs to (GB/T 2260 code).")
    name_zh: str = field(
        "Chinese name as written, without enclosing “” or 《》.", title_zh="名称",
        max_length=PHRASE,
    )
    name_en: str = field("English name.", title_zh="英文名称", max_length=PHRASE)
    name_basis: str = field(
        "Whether name_zh is printed as a name or is the phrase that describes it.",
        title_zh="名称依据",
        vocabulary="name_bases",
    )
    kind: str = field("What sort of thing it is.", title_zh="类型", vocabulary="initiative_kinds")
    category: str = field("Policy area.", title_zh="领域", vocabulary="initiative_categories")
    scope: str = field(
        "Whose initiative it is: the district's own (district), or that of the prefecture, "
        "province or national level, reported by the district (district_id stays the "
        "reporting district).",
        title_zh="层级",
        vocabulary="scopes",
        example="district",
    )
    description_zh: str = field("Short description in Chinese, faithful to the source.", title_zh="说明", max_length=PHRASE)
    description_en: str = field("Short description in English, faithful to the source.", title_zh="英文说明", max_length=TEXT)
    annotation_ids: str | None = annotation_ids_field()
    notes: str | None = field("Curator notes and judgement calls.", title_zh="备注", default=None, max_length=TEXT)
    status: str = status_field()

    @field_validator("name_zh")
    @classmethod
    def _name_without_enclosing_marks(cls, value: str) -> str:
        for opening, closing in ENCLOSING_MARKS:
            if value.startswith(opening) and value.endswith(closing) and closing not in value[1:-1]:
                raise ValueError(f"write the name without the enclosing {opening}{closing}: {value[1:-1]!r} "
                                 "(the marks are the source's punctuation, not part of the name)")
        return value


class Metric(Quoted):
    """One quantitative claim of a source, normalised, with its verbatim wording."""

    provenance_after: ClassVar[str] = "period_text"
    table: ClassVar[Table] = DATA_TABLES["metrics"]

    metric_id: str = row_id_field("m", "指标编号")
    source_id: str = source_id_field("The source that states it.")
    district_id: str = district_id_field("The district it is about (GB/T 2260 code).")
    initiative_id: str | None = field(
        "The initiative the figure belongs to, when the text ties them.",
        title_zh="所属举措",
        pattern=row_id_pattern("i"),
        foreign_key="initiatives.initiative_id",
        default=None,
    )
    subject_zh: str = field("What is counted or measured, in Chinese.", title_zh="指标对象", max_length=PHRASE)
    subject_en: str = field("What is counted or measured, in English.", title_zh="指标对象英译", max_length=PHRASE)
    topic: str = field(
        "What kind of thing is counted (Party organisations, Party members, money...), so "
        "that everything a district reports about one topic is one filter.",
        title_zh="主题",
        vocabulary="metric_topics",
        example="party_members",
    )
    value: float = field(
        "The value, normalised: 万 = 10^4, 亿 = 10^8 (6.4万 → 64000); the lower bound of a range.",
        title_zh="数值",
    )
    value_max: float | None = field(
        "Upper bound of a range (4—5名 → 5); empty otherwise.", title_zh="数值上限", default=None
    )
    unit: str = field("Unit of the value; money is CNY yuan.", title_zh="单位", vocabulary="units")
    qualifier: str = field(
        "How exact the value is: exact, approximate (约/左右), at_least (余/多/以上/不低于/"
        "不少于/至少/超过), at_most (不超过/以内/以下/最多), range.",
        title_zh="限定",
        vocabulary="qualifiers",
    )
    value_type: str = field(
        "What kind of figure it is: level, total, cumulative, increase, rate, share, standard...",
        title_zh="数值类型",
        vocabulary="value_types",
    )
    value_text: str = field(
        "The number exactly as written, with the qualifier and unit that adjoin it "
        "(6.4万余人次); one contiguous span of the quote, so a word set apart from the number "
        "stays outside (至少 in 至少召开1次 gives 1次; 5 in 5大板块, where 大 separates the noun).",
        title_zh="原文数值",
        max_length=WORD,
    )
    value_occurrence: OptionalInteger = field(
        "Which occurrence of value_text in the quote is this value, counting from 1; given "
        "only when value_text occurs more than once in the quote, so that a quote never has "
        "to be cut short (and lose its period) to make value_text unique.",
        title_zh="原文数值序次",
        ge=1,
        default=None,
    )
    period_text: str | None = field(
        "The period as written (近两年, 去年以来, 2019年, 1—6月); occurs in the quote; empty "
        "when the quote states none.",
        title_zh="原文时期",
        default=None,
        max_length=WORD,
    )
    annotation_ids: str | None = annotation_ids_field()
    notes: str | None = field("Curator notes and judgement calls.", title_zh="备注", default=None, max_length=TEXT)
    status: str = status_field()

    def value_offset(self) -> int | None:
        """Where value_text starts inside the quote: its value_occurrence-th occurrence
        (the only one when value_occurrence is empty); None if there is no such occurrence."""
        return occurrence(self.quote, self.value_text, self.value_occurrence)

    @model_validator(mode="after")
    def _range_iff_value_max(self) -> Metric:
        if (self.qualifier == "range") != (self.value_max is not None):
            raise ValueError(
                "qualifier is 'range' if and only if value_max is set "
                f"(qualifier={self.qualifier!r}, value_max={self.value_max!r})"
            )
        if self.value_max is not None and self.value > self.value_max:
            raise ValueError(f"value {self.value:g} is greater than value_max {self.value_max:g}")
        return self

    @model_validator(mode="after")
    def _unit_fits_value_type(self, info: ValidationInfo) -> Metric:
        vocabularies = vocabularies_of(info)
        unit = vocabularies.terms("units").get(self.unit)
        value_type = vocabularies.terms("value_types").get(self.value_type)
        if unit is None or value_type is None:
            return self  # unknown codes are reported by the vocabulary check
        kind = unit.quantity_kind
        allowed = value_type.quantity_kinds
        if allowed and kind not in allowed:
            raise ValueError(
                f"unit {self.unit!r} measures {kind or 'an unknown kind'}, which a "
                f"{self.value_type!r} value cannot have (allowed: {', '.join(allowed)})"
            )
        whole = unit.integer
        for name in ("value", "value_max"):
            number = getattr(self, name)
            if whole and number is not None and not float(number).is_integer():
                raise ValueError(f"{name} {number:g} must be a whole number of {self.unit}")
        if self.value < 0 and self.value_type != "increase":
            raise ValueError(f"value {self.value:g} is negative; only an increase can be negative")
        return self


class Annotation(Quoted):
    """A known defect of a source text, or a curator note, at an exact span."""

    provenance_after: ClassVar[str] = "kind"
    table: ClassVar[Table] = DATA_TABLES["annotations"]

    annotation_id: str = row_id_field("a", "注释编号")
    source_id: str = source_id_field("The source in which the defect is printed.")
    kind: str = field("Kind of defect or note.", title_zh="类型", vocabulary="annotation_kinds")
    description_en: str = field("What is wrong and how we know.", title_zh="英文说明", max_length=TEXT)
    description_zh: str | None = field("Short description in Chinese.", title_zh="说明", default=None, max_length=PHRASE)
    suggested_reading: str | None = field(
        "The corrected Chinese reading, where one can be suggested.", title_zh="建议读法", default=None,
        max_length=PHRASE,
    )
    related_source_id: str | None = field(
        "The source holding a second span that the annotation concerns: the other printing "
        "of a duplicated or misplaced passage, the passage an altered name, stray word or cut "
        "text belongs to, or the passage a curator note speaks of.",
        title_zh="关联来源",
        pattern=SOURCE_ID,
        foreign_key="sources.source_id",
        default=None,
    )
    related_start: OptionalInteger = field(
        "Offset of the other printing in the file.", title_zh="关联起点", ge=0, default=None
    )
    related_end: OptionalInteger = field(
        "Offset just after the other printing.", title_zh="关联终点", ge=0, default=None
    )
    status: str = status_field()

    @model_validator(mode="after")
    def _related_span_is_complete(self) -> Annotation:
        related = (self.related_source_id, self.related_start, self.related_end)
        if any(item is not None for item in related) and None in related:
            raise ValueError("related_source_id, related_start and related_end go together")
        if self.related_start is not None and self.related_end is not None:
            if self.related_start >= self.related_end:
                raise ValueError("related_start must be smaller than related_end")
        return self


class NonMetricNumber(Quoted):
    """A number printed in a source that is not a quantitative claim, and why."""

    provenance_after: ClassVar[str] = "related_id"
    table: ClassVar[Table] = DATA_TABLES["non_metric_numbers"]

    number_id: str = row_id_field("n", "数字编号")
    source_id: str = source_id_field("The source in which the number is printed.")
    number_text: str = field("The number-like words as written; inside the quote.", title_zh="原文数字", max_length=WORD)
    reason: str = field("Why it is not a metric.", title_zh="原因", vocabulary="non_metric_reasons")
    explanation_en: str = field("The reason in a sentence.", title_zh="英文解释", max_length=TEXT)
    related_id: str | None = field(
        "For a repeat of a duplicated passage: the row that covers the same number in the "
        "original printing.",
        title_zh="关联编号",
        default=None,
        max_length=WORD,
    )
    status: str = status_field()


class GlossaryTerm(Row):
    """A recurring political term with its one English rendering for the dataset."""

    table: ClassVar[Table] = DATA_TABLES["glossary"]

    term_id: str = field(
        "Stable ID: 'g-' and an English slug.", title_zh="术语编号", pattern=GLOSSARY_ID,
        example="g-two-coverages",
    )
    term_zh: str = field("The Chinese term.", title_zh="术语", max_length=WORD)
    term_en: str = field("The English rendering used throughout the dataset.", title_zh="英文译名", max_length=PHRASE)
    definition_en: str = field("What the term means in Chinese governance.", title_zh="英文释义", max_length=TEXT)
    usage_note: str | None = field(
        "Literal meaning, alternative renderings, usage.", title_zh="用法说明", default=None,
        max_length=TEXT,
    )
    status: str = status_field()


class ConsistencyCheck(Row):
    """Related figures that the validator recomputes: a growth rate, a share, a sum."""

    table: ClassVar[Table] = DATA_TABLES["consistency_checks"]

    check_id: str = row_id_field("c", "核对编号")
    source_id: str = source_id_field("The source that states the figures.")
    kind: str = field(
        "How the figures relate; fixes the order of metric_ids.",
        title_zh="核对类型",
        vocabulary="consistency_kinds",
    )
    metric_ids: str = field(
        "The metrics involved, separated by spaces, in the order the kind defines "
        "(growth_rate: increase, new level, rate; share_of_whole: share, whole; "
        "sum_of_parts: whole, then the parts).",
        title_zh="相关指标",
        pattern=r"^[0-9a-f]{16}-[1-9][0-9]*-m[0-9]{3,}( [0-9a-f]{16}-[1-9][0-9]*-m[0-9]{3,})+$",
    )
    description_en: str = field("What is checked, in a sentence.", title_zh="英文说明", max_length=TEXT)
    outcome: str = field(
        "The result of the recomputation: agrees or disagrees. The validator recomputes it "
        "and reports a row whose outcome differs.",
        title_zh="核对结果",
        vocabulary="consistency_outcomes",
        example="agrees",
    )
    recomputed: float = field(
        "The figure recomputed from the other metrics, to two decimals (growth_rate: the rate "
        "in %; share_of_whole: the part; sum_of_parts: the sum of the parts). The validator "
        "recomputes it.",
        title_zh="复核数值",
    )
    annotation_id: str | None = field(
        "The annotation that records the figures: required when they disagree, and then of "
        "kind inconsistent_value.",
        title_zh="关联注释",
        pattern=row_id_pattern("a"),
        foreign_key="annotations.annotation_id",
        default=None,
    )
    status: str = status_field()

    @property
    def metrics(self) -> list[str]:
        return self.metric_ids.split()


TABLES: dict[str, type[Row]] = {
    model.table.name: model
    for model in (Source, District, Initiative, Metric, Annotation, NonMetricNumber, ConsistencyCheck, GlossaryTerm)
}


class VocabularyTerm(BaseModel):
    """One entry of a controlled vocabulary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = field(
        "Stable code used in the data tables (lower_snake_case ASCII).",
        title_zh="代码",
        pattern=r"^[a-z][a-z0-9_]*$",
    )
    label_en: str = field("English label.", title_zh="英文标签", max_length=PHRASE)
    label_zh: str = field("Chinese label.", title_zh="中文标签", max_length=WORD)
    definition_en: str = field("What the code means and when to use it.", title_zh="英文定义", max_length=TEXT)


class UnitTerm(VocabularyTerm):
    """A unit, with the kind of quantity it measures."""

    quantity_kind: str = field(
        "The kind of quantity: count, money, area, duration or ratio.",
        title_zh="量的种类",
        pattern=r"^(count|money|area|duration|ratio)$",
    )
    integer: Boolean = field("Whether values in this unit must be whole numbers.", title_zh="整数")
    zh_forms: str | None = field(
        "Chinese unit words that map to this unit, separated by spaces.",
        title_zh="中文形式",
        default=None,
        max_length=WORD,
    )


class ValueTypeTerm(VocabularyTerm):
    """A value type, with the kinds of quantity it may have."""

    quantity_kinds: str = field(
        "Kinds of quantity this value type allows, separated by spaces.",
        title_zh="允许的量的种类",
        pattern=r"^(count|money|area|duration|ratio)( (count|money|area|duration|ratio))*$",
    )


VOCABULARY_MODELS: dict[str, type[VocabularyTerm]] = {"units": UnitTerm, "value_types": ValueTypeTerm}


def vocabulary_model(name: str) -> type[VocabularyTerm]:
    """The row model of a vocabulary file."""
    return VOCABULARY_MODELS.get(name, VocabularyTerm)
