"""The generated files match the models, and the models' metadata follow the rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jiceng import __version__
from jiceng.bundle import package_root
from jiceng.models import TABLES, Quoted, vocabulary_model
from jiceng import columns
from jiceng.tableschema import COLUMNS_MODULE, columns_module, generated_files
from jiceng.vocab import VOCABULARIES, bundled

ROOT = package_root()
GENERATED = generated_files()


@pytest.mark.parametrize("relative", sorted(GENERATED))
def test_committed_generated_file_matches_the_models(relative):
    committed = (ROOT / relative).read_text(encoding="utf-8")
    assert committed == GENERATED[relative], f"{relative} is stale: run `jiceng schemas`"


def test_the_plain_columns_module_matches_the_models():
    committed = Path(columns.__file__).read_text(encoding="utf-8")
    assert committed == columns_module(), f"{COLUMNS_MODULE} is stale: run `jiceng schemas`"


def test_the_plain_columns_module_says_what_the_models_say():
    for name, model in TABLES.items():
        assert columns.COLUMNS[name] == tuple(model.columns())
        lengths = {column: item.max_length for column, info in model.model_fields.items()
                   for item in info.metadata if getattr(item, "max_length", None)}
        assert columns.MAX_LENGTHS[name] == lengths
        codes = {column: (vocabulary, model.model_fields[column].is_required())
                 for column, vocabulary in model.coded_fields()}
        assert columns.VOCABULARY_COLUMNS[name] == codes


def test_no_stray_schema_files_are_committed():
    committed = {str(path.relative_to(ROOT)) for path in (ROOT / "schemas").rglob("*.json")}
    assert committed == {relative for relative in GENERATED if relative.startswith("schemas/")}


def test_descriptor_version_is_the_package_version():
    assert json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"] == __version__


def test_descriptor_states_the_data_and_code_licences():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert [licence["name"] for licence in descriptor["licenses"]] == ["CC-BY-4.0", "MIT"]
    assert "source texts" in descriptor["licenses"][0]["title"]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_field_is_documented_in_english_and_chinese(name):
    for field_name, info in TABLES[name].model_fields.items():
        assert info.description and info.description.endswith("."), field_name
        assert re.search(r"[\u4e00-\u9fff]", (info.json_schema_extra or {}).get("title_zh", "")), field_name


@pytest.mark.parametrize("name", sorted(TABLES))
def test_field_names_are_lower_snake_case_and_primary_key_first(name):
    model = TABLES[name]
    columns = model.columns()
    assert columns[0] == model.table.primary_key
    assert sorted(columns) == sorted(model.model_fields)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", column) for column in columns)


def test_quoted_tables_carry_all_selector_columns():
    for model in TABLES.values():
        if issubclass(model, Quoted):
            assert {"quote", "quote_prefix", "quote_suffix", "quote_start", "quote_end"} <= set(model.columns())


def test_foreign_keys_point_at_primary_keys():
    for model in TABLES.values():
        for info in model.model_fields.values():
            target = (info.json_schema_extra or {}).get("foreign_key")
            if target:
                table, column = target.split(".")
                assert TABLES[table].table.primary_key == column


def test_every_vocabulary_named_by_a_field_exists_and_is_used():
    named = {
        (info.json_schema_extra or {}).get("vocabulary")
        for model in TABLES.values()
        for info in model.model_fields.values()
    } - {None}
    assert named == set(VOCABULARIES)
    for name in named:
        assert bundled().codes(name), f"vocabulary {name} has no codes"


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_vocabulary_files_carry_the_columns_their_model_declares(name):
    header = (ROOT / VOCABULARIES[name].path).read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    assert header == list(vocabulary_model(name).model_fields)
    assert tuple(header[4:]) == VOCABULARIES[name].extra_columns


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_vocabulary_term_has_labels_in_both_languages_and_a_definition(name):
    for term in bundled().terms(name).values():
        assert term.label_en and term.definition_en, term.code
        assert re.search(r"[\u4e00-\u9fff]", term.label_zh), term.code


def test_schemas_command_check_passes_on_the_checkout(run_cli):
    outcome = run_cli("schemas", "--check")
    assert outcome.exit_code == 0, outcome.out + outcome.err


def test_schemas_command_check_reports_a_stale_file_without_writing(run_cli, package_copy):
    target = package_copy.root / "schemas" / "glossary.json"
    target.write_text("{}\n", encoding="utf-8")
    outcome = run_cli("schemas", str(package_copy.root), "--check")
    assert outcome.exit_code == 1
    assert "schemas/glossary.json: stale" in outcome.out
    assert target.read_text(encoding="utf-8") == "{}\n"


def test_schemas_command_rewrites_a_stale_file(run_cli, package_copy):
    target = package_copy.root / "schemas" / "glossary.json"
    target.write_text("{}\n", encoding="utf-8")
    outcome = run_cli("schemas", str(package_copy.root))
    assert outcome.exit_code == 0
    assert target.read_text(encoding="utf-8") == GENERATED["schemas/glossary.json"]


def test_schemas_command_checks_and_rewrites_the_plain_columns_module_of_a_checkout(run_cli, package_copy):
    module = package_copy.root / COLUMNS_MODULE
    module.parent.mkdir(parents=True)
    module.write_text("COLUMNS = {}\n", encoding="utf-8")
    outcome = run_cli("schemas", str(package_copy.root), "--check")
    assert outcome.exit_code == 1
    assert f"{COLUMNS_MODULE}: stale" in outcome.out
    assert run_cli("schemas", str(package_copy.root)).exit_code == 0
    assert module.read_text(encoding="utf-8") == Path(columns.__file__).read_text(encoding="utf-8")


def test_schemas_command_writes_no_columns_module_into_a_package_that_is_not_a_checkout(run_cli, package_copy):
    assert run_cli("schemas", str(package_copy.root)).exit_code == 0
    assert not (package_copy.root / COLUMNS_MODULE).exists()
