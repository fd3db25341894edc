"""The table registry (jiceng.registry): one entry per table, agreeing with the row models
and the published datapackage.json, found by any spelling a user or a file may use."""

from __future__ import annotations

import json

import pytest

from jiceng.bundle import package_root
from jiceng.models import TABLES, Quoted
from jiceng.registry import DATA_TABLES, QUOTED_TABLES, REGISTRY, TABLE_NAMES, VOCABULARIES, table

PUBLISHED = json.loads((package_root() / "datapackage.json").read_text(encoding="utf-8"))


def test_quoted_tables_are_the_models_quoted_subclasses():
    assert set(QUOTED_TABLES) == {name for name, model in TABLES.items() if issubclass(model, Quoted)}


def test_every_model_takes_its_table_facts_from_the_registry():
    assert list(TABLES) == list(TABLE_NAMES)
    for name, model in TABLES.items():
        assert model.table is DATA_TABLES[name]
        assert model.table.primary_key in model.model_fields


def test_label_summary_and_identity_columns_are_columns_of_their_table():
    for name, entry in DATA_TABLES.items():
        columns = set(TABLES[name].model_fields)
        identity = entry.identity
        named = {*entry.label_columns, *identity.names, *(identity.span or ()),
                 *filter(None, (identity.source, identity.words))}
        assert named <= columns, (name, named - columns)


def test_resource_names_and_paths_are_those_published_in_datapackage_json():
    published = {item["name"]: item["path"] for item in PUBLISHED["resources"]}
    assert {entry.resource_name: entry.path for entry in REGISTRY.values()} == published


@pytest.mark.parametrize("spelling", [
    "non_metric_numbers", "non-metric-numbers", "Non_Metric_Numbers", "data/non_metric_numbers.csv",
    "non_metric_numbers.csv",
])
def test_a_data_table_is_found_by_every_spelling(spelling):
    assert table(spelling).name == "non_metric_numbers"


@pytest.mark.parametrize("spelling", [
    "value_types", "vocab-value-types", "vocab_value_types", "vocabulary:value_types",
    "vocabularies/value_types", "data/vocabularies/value_types.csv", "value-types",
])
def test_a_vocabulary_is_found_by_every_spelling(spelling):
    found = table(spelling)
    assert (found.name, found.kind, found.primary_key) == ("value_types", "vocabulary", "code")


def test_an_unknown_table_name_says_which_table_was_meant():
    with pytest.raises(KeyError, match=r"no table called 'metric'; did you mean metrics\?"):
        table("metric")


def test_no_two_tables_share_a_spelling():
    from jiceng.registry import spellings

    seen: dict[str, str] = {}
    for entry in REGISTRY.values():
        for spelling in spellings(entry):
            assert seen.setdefault(spelling, entry.name) == entry.name, spelling


def test_vocabularies_and_data_tables_are_disjoint_kinds():
    assert {entry.kind for entry in DATA_TABLES.values()} == {"data"}
    assert {entry.kind for entry in VOCABULARIES.values()} == {"vocabulary"}


def test_an_unknown_table_name_without_a_near_miss_lists_every_table_and_vocabulary():
    with pytest.raises(KeyError) as raised:
        table("zzzz")
    assert raised.value.args[0] == (f"jiceng has no table called 'zzzz'. Tables: {', '.join(DATA_TABLES)}. "
                                    f"Vocabularies: {', '.join(VOCABULARIES)}.")
