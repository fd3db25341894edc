"""The data dictionary: one page per table and per vocabulary, and the glossary.

Field facts come from the same place as the Table Schemas: ``tableschema.table_field``
walks the model fields, so the dictionary cannot say anything the schemas do not.
"""

from __future__ import annotations

from collections import defaultdict

from jiceng.loading import pandas_dtype
from jiceng.models import TABLES, vocabulary_model
from jiceng.stats import COUNTING_RULE, counted
from jiceng.tableschema import foreign_keys, table_field
from jiceng.vocab import VOCABULARIES
from .data import DICTIONARY, VOCABULARY_INDEX, SiteData, table_uri, vocabulary_uri
from .data import table_name as table_of
from .markup import esc, href, link, md_escape, raw_block, table, tag

ALLOWED_VALUES_OPEN = 8  # longer lists of allowed values start folded


def field_rows(data: SiteData, uri: str, model: type) -> list[tuple[str, ...]]:
    """One table row per field: name, type, required, description, constraints and values."""
    keys = {key["fields"][0]: key["reference"] for key in foreign_keys(model)}
    primary = getattr(getattr(model, "table", None), "primary_key", "code")
    columns = model.columns() if hasattr(model, "columns") else list(model.model_fields)
    rows = []
    for name in columns:
        info = model.model_fields[name]
        schema = table_field(name, info, data.vocabularies)
        constraints = schema.get("constraints", {})
        notes = []
        if name == primary:
            notes.append(tag("strong", "primary key"))
        if name in keys:
            target = keys[name]
            table_name = table_of(target["resource"])
            notes.append("references " + link(f"{table_name}.{target['fields'][0]}", href(uri, table_uri(table_name))))
        if "pattern" in constraints:
            notes.append("pattern " + tag("code", esc(constraints["pattern"])))
        if "maxLength" in constraints:
            notes.append(f"at most {constraints['maxLength']:,} characters")
        if "minimum" in constraints:
            notes.append(f"minimum {constraints['minimum']}")
        if "x-unit" in schema:
            notes.append(f"unit: {esc(schema['x-unit'])}")
        example = (info.json_schema_extra or {}).get("example")
        if example:
            notes.append("example " + tag("code", esc(example)))
        vocabulary = schema.get("x-vocabulary")
        if vocabulary:
            notes.append(allowed_values(data, uri, vocabulary))
        description = esc(schema["description"]) + " " + tag("span", esc(schema["title"]), class_="jc-zh", lang="zh-Hans")
        rows.append((
            tag("code", esc(name)),
            esc(schema["type"]) + "<br>" + tag("small", esc(str(pandas_dtype(schema)))),
            "yes" if constraints.get("required") else "no",
            description,
            "<br>".join(notes),
        ))
    return rows


def allowed_values(data: SiteData, uri: str, vocabulary: str) -> str:
    terms = data.vocabularies.terms(vocabulary)
    items = "".join(
        tag("li", tag("code", esc(code)) + " " + esc(term.label_en) + " " + tag("span", esc(term.label_zh), lang="zh-Hans"))
        for code, term in terms.items()
    )
    # A link inside <summary> would be a control inside a control: it goes in the body.
    summary = tag("summary", f"allowed values ({len(terms)})")
    body = tag("p", "vocabulary " + link(vocabulary, href(uri, vocabulary_uri(vocabulary))))
    return tag("details", summary + body + tag("ul", items), open=len(terms) <= ALLOWED_VALUES_OPEN)


def key_target(key: dict) -> tuple[str, str]:
    """(table, column) a foreign key points at."""
    return table_of(key["reference"]["resource"]), key["reference"]["fields"][0]


def table_page(data: SiteData, name: str) -> str:
    model = TABLES[name]
    info = model.table
    uri = table_uri(name)
    keys = [
        tag("code", esc(key["fields"][0])) + " → "
        + link(".".join(key_target(key)), href(uri, table_uri(key_target(key)[0])))
        for key in foreign_keys(model)
    ]
    referenced_by = [
        link(f"{other}.{key['fields'][0]}", href(uri, table_uri(other)))
        for other, other_model in TABLES.items()
        for key in foreign_keys(other_model)
        if key_target(key)[0] == name
    ]
    schemas = (tag("code", f"schemas/{esc(name)}.json") + " · JSON Schema "
               + tag("code", f"schemas/json/{esc(name)}.schema.json"))
    facts = [
        ("File", tag("code", esc(info.path))),
        ("Table Schema", schemas),
        ("Rows", str(len(data.rows[name]))),
        ("Primary key", tag("code", esc(info.primary_key))),
        ("Foreign keys", ", ".join(keys) or "none"),
        ("Referenced by", ", ".join(referenced_by) or "none"),
        ("Load it", tag("code", f'jiceng.load("{esc(name)}")')),
    ]
    fields = table(("field", "type / pandas", "required", "description", "keys, constraints, allowed values"),
                   field_rows(data, uri, model), row_ids=[f"field-{c}" for c in model.columns()], css="jc-fields")
    return (
        f"# {md_escape(info.title)}: `{name}`\n\n{md_escape(info.description)}\n"
        + raw_block(table(("", ""), [(tag("strong", k), v) for k, v in facts], css="jc-facts"))
        + "\n## Fields\n"
        + raw_block(fields)
    )


def vocabulary_page(data: SiteData, name: str) -> str:
    spec = VOCABULARIES[name]
    uri = vocabulary_uri(name)
    terms = data.vocabularies.terms(name)
    usage = code_usage(data, name)
    used_by = [
        (table_name, field_name)
        for table_name, model in TABLES.items()
        for field_name, info in model.model_fields.items()
        if (info.json_schema_extra or {}).get("vocabulary") == name
    ]
    headers = ["code", "English", "中文", "definition", *spec.extra_columns, "rows"]
    rows = [
        (tag("code", esc(code)), esc(term.label_en), tag("span", esc(term.label_zh), lang="zh-Hans"),
         esc(term.definition_en), *(esc(term.extra.get(column, "")) for column in spec.extra_columns),
         str(usage.get(code, 0)))
        for code, term in terms.items()
    ]
    fields = ", ".join(link(f"{t}.{f}", href(uri, table_uri(t), f"field-{f}")) for t, f in used_by) or "none"
    return (
        f"# {md_escape(spec.title)}: `{name}`\n\n{md_escape(spec.description)}\n"
        + raw_block(tag("p", "File " + tag("code", esc(spec.path)) + f" · {len(terms)} codes · used by " + fields))
        + "\n## Codes\n"
        + raw_block(table(headers, rows, row_ids=[f"code-{code}" for code in terms], css="jc-vocabulary"))
        + "\n## Columns of the vocabulary file\n"
        + raw_block(table(("field", "type / pandas", "required", "description", "constraints"),
                          field_rows(data, uri, vocabulary_model(name))))
    )


def code_usage(data: SiteData, vocabulary: str) -> dict[str, int]:
    """How many rows use each code of a vocabulary, over every table: the rows every count
    counts (a withdrawn row is not), except in the status column, which tells them apart."""
    counts: dict[str, int] = defaultdict(int)
    for table_name, model in TABLES.items():
        for field_name, info in model.model_fields.items():
            if (info.json_schema_extra or {}).get("vocabulary") == vocabulary:
                for row in data.rows[table_name]:
                    if field_name == "status" or counted(getattr(row, "status", None)):
                        counts[getattr(row, field_name)] += 1
    return counts


def dictionary_index(data: SiteData) -> str:
    tables = [(link(name, href(DICTIONARY, table_uri(name))), esc(model.table.title), esc(model.table.description),
               esc(str(data.tally(name)))) for name, model in TABLES.items()]
    return (
        "# Data dictionary\n\nEvery table of the package, generated from the row models that also generate the "
        "Table Schemas, so this page and `schemas/*.json` always agree. Each table is one UTF-8 CSV file "
        "under `data/`; empty cells are missing values. Vocabulary codes are listed with their English and "
        "Chinese labels on the [vocabulary pages](../vocabularies/index.md); recurring political terms "
        f"are in the [glossary](../glossary.md). {COUNTING_RULE}\n"
        + raw_block(table(("table", "title", "one row per", "rows"), tables))
    )


def vocabularies_index(data: SiteData) -> str:
    rows = [(link(name, href(VOCABULARY_INDEX, vocabulary_uri(name))), esc(spec.title), esc(spec.description),
             str(len(data.vocabularies.terms(name)))) for name, spec in VOCABULARIES.items()]
    return (
        "# Controlled vocabularies\n\nCodes used in the tables, each with an English label, a Chinese label "
        "and a definition. They are data (`data/vocabularies/*.csv`): the schemas' allowed values are "
        "generated from them.\n"
        + raw_block(table(("vocabulary", "title", "what it is for", "codes"), rows))
    )
