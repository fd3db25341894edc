"""The research API as a user calls it: one frame for offsets, labelled codes, joined
views, one district at a time, other packages, citations and self-describing tables.

Expected values come from the CSV text read with the csv module, not through jiceng.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

import jiceng


def csv_rows(relative: str, root: Path = ROOT) -> list[dict[str, str]]:
    with (root / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def table_rows(table: str, root: Path = ROOT) -> list[dict[str, str]]:
    return csv_rows(f"data/{table}.csv", root)


def schema(table: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{table}.json").read_text(encoding="utf-8"))


def vocabulary_labels(vocabulary: str) -> dict[str, tuple[str, str]]:
    rows = csv_rows(f"data/vocabularies/{vocabulary}.csv")
    return {row["code"]: (row["label_en"], row["label_zh"]) for row in rows}


def document_of(source_id: str) -> str:
    (row,) = [row for row in table_rows("sources") if row["source_id"] == source_id]
    return (ROOT / row["path"]).read_text(encoding="utf-8")


QUOTED_TABLES = [name for name in jiceng.tables() if "quote_start" in {f["name"] for f in schema(name)["fields"]}]
CODED = [(name, field["name"], field["x-vocabulary"])
         for name in jiceng.tables() for field in schema(name)["fields"] if field.get("x-vocabulary")]


# One frame of reference for offsets


def test_quoted_tables_are_found_by_their_schemas():
    assert {"initiatives", "metrics", "annotations", "non_metric_numbers"} <= set(QUOTED_TABLES)


@pytest.mark.parametrize("table", QUOTED_TABLES)
def test_document_text_sliced_at_a_rows_offsets_is_its_quote(table):
    frame = jiceng.load(table)
    assert len(frame) > 0
    for row in frame.itertuples():
        assert jiceng.document_text(row.source_id)[row.quote_start:row.quote_end] == row.quote, row[1]


def test_document_text_holds_each_districts_goals_quote():
    for row in jiceng.districts().dropna(subset=["goals_source_id"]).itertuples():
        document = jiceng.document_text(row.goals_source_id)
        assert document[row.goals_quote_start:row.goals_quote_end] == row.goals_quote


def test_document_text_is_the_whole_stored_file():
    for row in table_rows("sources"):
        assert jiceng.document_text(row["source_id"]) == document_of(row["source_id"])
        assert len(jiceng.document_text(row["source_id"])) == int(row["document_length"])


def test_source_text_says_where_the_essay_starts_in_its_document():
    for row in table_rows("sources"):
        essay = jiceng.source_text(row["source_id"])
        start, end = int(row["span_start"]), int(row["span_end"])
        assert (essay.start, essay.end, essay.path) == (start, end, row["path"])
        assert essay.text == document_of(row["source_id"])[start:end]
        assert essay.text.startswith(row["heading_zh"]) and str(essay) == essay.text


def test_an_essay_gives_a_rows_quote_from_its_document_offsets():
    for row in table_rows("metrics"):
        essay = jiceng.source_text(row["source_id"])
        assert essay.at(int(row["quote_start"]), int(row["quote_end"])) == row["quote"]


def test_slicing_an_essay_raises_and_says_which_frame_the_offsets_count_in():
    row = table_rows("metrics")[-1]
    essay = jiceng.source_text(row["source_id"])
    with pytest.raises(TypeError, match=r"document_text.*\.at\(quote_start, quote_end\)"):
        essay[int(row["quote_start"]):int(row["quote_end"])]


def test_an_essay_refuses_offsets_outside_its_span():
    sources = table_rows("sources")
    first, other = sources[0], sources[-1]
    assert first["source_id"] != other["source_id"], "regression fixture: the bundled page has three essays"
    essay = jiceng.source_text(other["source_id"])
    with pytest.raises(ValueError, match=f"not inside source {other['source_id']}"):
        essay.at(0, 5)


def test_cli_citation_states_offsets_in_the_document_it_names(run_cli):
    row = table_rows("metrics")[-1]
    quote_line = next(line for line in run_cli("cite", row["metric_id"]).lines() if line.startswith("Quote:"))
    found = re.search(r"characters (\d+)–(\d+) of the document (\S+);", quote_line)
    start, end, path = int(found[1]), int(found[2]), found[3]
    assert (ROOT / path).read_text(encoding="utf-8")[start:end] == row["quote"]


# Labels and joined views


@pytest.mark.parametrize(("table", "column", "vocabulary"), CODED, ids=[f"{t}.{c}" for t, c, _ in CODED])
def test_labels_stand_beside_each_code_column_in_english_and_chinese(table, column, vocabulary):
    frame = jiceng.load(table, labels=True)
    columns = list(frame.columns)
    assert columns[columns.index(column) + 1 : columns.index(column) + 3] == [f"{column}_en", f"{column}_zh"]
    labels = vocabulary_labels(vocabulary)
    for row, code in zip(frame.itertuples(index=False), [row[column] for row in table_rows(table)]):
        row = row._asdict()
        expected = labels[code] if code else (None, None)
        actual = tuple(None if pd.isna(row[f"{column}_{language}"]) else row[f"{column}_{language}"]
                       for language in ("en", "zh"))
        assert actual == expected


def test_labels_keep_every_column_and_type_of_the_plain_table():
    plain, labelled = jiceng.metrics(), jiceng.metrics(labels=True)
    assert labelled[plain.columns].dtypes.equals(plain.dtypes)
    pd.testing.assert_frame_equal(labelled[plain.columns], plain)


@pytest.mark.parametrize("table", ["metrics", "initiatives"])
def test_view_joins_district_source_and_initiative_with_prefixed_columns(table):
    view = jiceng.view(table)
    rows = table_rows(table)
    assert list(view[f"{table[:-1]}_id"]) == [row[f"{table[:-1]}_id"] for row in rows]
    assert view.columns.is_unique
    assert not [column for column in view.columns if re.search(r"_[xy]$", column)]
    districts = {row["district_id"]: row for row in table_rows("districts")}
    sources = {row["source_id"]: row for row in table_rows("sources")}
    for row, joined in zip(rows, view.itertuples()):
        assert joined.district_name_en == districts[row["district_id"]]["name_en"]
        assert joined.district_prefecture_zh == districts[row["district_id"]]["prefecture_zh"]
        assert joined.source_title_en == sources[row["source_id"]]["title_en"]
        assert joined.source_author_en == sources[row["source_id"]]["author_en"]


def test_metrics_view_names_the_initiative_each_figure_belongs_to():
    view = jiceng.view("metrics")
    names = {row["initiative_id"]: row["name_en"] for row in table_rows("initiatives")}
    expected = [names[row["initiative_id"]] if row["initiative_id"] else None for row in table_rows("metrics")]
    assert [None if pd.isna(name) else name for name in view["initiative_name_en"]] == expected
    assert any(expected) and None in expected, "the bundled metrics include tied and untied figures"


def test_view_leaves_out_the_joined_tables_copies_of_its_own_keys():
    columns = set(jiceng.view("metrics").columns)
    assert {"initiative_source_id", "initiative_district_id", "source_district_id"}.isdisjoint(columns)
    assert {"topic_en", "unit_zh", "initiative_kind_en", "initiative_scope_en"} <= columns


# One district


def test_district_gathers_its_rows_from_every_table():
    district_id = table_rows("districts")[-1]["district_id"]
    district = jiceng.district(district_id)
    source_ids = {row["source_id"] for row in table_rows("sources") if row["district_id"] == district_id}
    assert list(district.row["district_id"]) == [district_id]
    assert set(district.sources["source_id"]) == source_ids
    for table, key in (("initiatives", "initiative_id"), ("metrics", "metric_id")):
        expected = [row[key] for row in table_rows(table) if row["district_id"] == district_id]
        assert list(getattr(district, table)[key]) == expected
    for table, key in (("annotations", "annotation_id"), ("non_metric_numbers", "number_id"),
                       ("consistency_checks", "check_id")):
        expected = [row[key] for row in table_rows(table) if row["source_id"] in source_ids]
        assert list(getattr(district, table)[key]) == expected
    assert all(isinstance(part, pd.DataFrame) for part in district.parts.values())


def test_district_flags_every_row_that_names_a_known_defect():
    district_id = table_rows("districts")[0]["district_id"]
    flags = jiceng.district(district_id).flags
    kinds = {row["annotation_id"]: row["kind"] for row in table_rows("annotations")}
    expected = sorted((table, row[key], one, kinds[one])
                      for table, key in (("initiatives", "initiative_id"), ("metrics", "metric_id"))
                      for row in table_rows(table) if row["district_id"] == district_id
                      for one in row["annotation_ids"].split())
    assert expected, "regression fixture: every bundled district has a row tied to a defect"
    actual = sorted(zip(flags["table"], flags["row_id"], flags["annotation_id"], flags["annotation_kind"]))
    assert actual == expected


def test_district_is_found_by_its_chinese_or_english_name():
    row = table_rows("districts")[1]
    assert jiceng.district(row["name_zh"]).district_id == row["district_id"]
    assert jiceng.district(row["name_en"].upper()).district_id == row["district_id"]


def test_district_is_found_by_its_name_without_the_level_word():
    row = table_rows("districts")[1]
    short_en = row["name_en"].rsplit(" ", 1)[0]  # Zhushan District -> Zhushan
    assert jiceng.district(short_en.lower()).district_id == row["district_id"]
    assert jiceng.district(row["name_zh"][:-1]).district_id == row["district_id"]  # 珠山区 -> 珠山


def test_unknown_district_suggests_the_nearest_and_lists_the_known():
    row = table_rows("districts")[1]
    misspelt = row["name_en"][:-2] + "xx"
    with pytest.raises(LookupError, match=f"did you mean {row['district_id']} \\({row['name_en']}\\)\\?.*districts: "):
        jiceng.district(misspelt)


def test_a_short_name_two_districts_share_is_not_guessed():
    from jiceng.views import district_id_of

    districts = pd.DataFrame({"district_id": ["220521", "220502"], "name_zh": ["通化县", "通化市"],
                              "name_en": ["Tonghua County", "Tonghua City"]})
    assert district_id_of("Tonghua County", districts) == "220521"
    with pytest.raises(LookupError, match="'Tonghua' is the short name of 2 districts, 220502 通化市 and 220521 通化县; "
                                          "give the code"):
        district_id_of("Tonghua", districts)


# Another package


@pytest.fixture
def changed_copy(package_copy):
    rows = package_copy.rows("metrics")
    rows[0]["subject_en"] = "a subject only this copy has"
    package_copy.write_rows("metrics", rows)
    return package_copy


def test_package_path_reads_that_package_with_the_same_types(changed_copy):
    copy = jiceng.load("metrics", package=changed_copy.root)
    bundled = jiceng.load("metrics")
    assert copy["subject_en"].iloc[0] == "a subject only this copy has"
    assert copy.dtypes.equals(bundled.dtypes)
    assert jiceng.metrics(package=str(changed_copy.root))["subject_en"].iloc[0] == "a subject only this copy has"
    assert jiceng.view("metrics", package=changed_copy.root)["subject_en"].iloc[0] == "a subject only this copy has"
    metric_id = copy["metric_id"].iloc[0]
    assert "a subject only this copy has" in jiceng.cite(metric_id, package=changed_copy.root)
    district = jiceng.district(copy["district_id"].iloc[0], package=changed_copy.root)
    assert "a subject only this copy has" in set(district.metrics["subject_en"])
    assert jiceng.records("metrics", package=changed_copy.root)[0].subject_en == "a subject only this copy has"


def test_package_path_reads_that_packages_source_texts(changed_copy):
    source_id = table_rows("sources")[0]["source_id"]
    path = changed_copy.root / table_rows("sources")[0]["path"]
    path.write_text("x" + path.read_text(encoding="utf-8")[1:], encoding="utf-8")
    assert jiceng.document_text(source_id, package=changed_copy.root)[0] == "x"
    assert jiceng.document_text(source_id)[0] != "x"


@pytest.mark.parametrize("call", [
    lambda path: jiceng.load("metrics", package=path),
    lambda path: jiceng.view("metrics", package=path),
    lambda path: jiceng.district("220521", package=path),
    lambda path: jiceng.document_text("1f5f9208bb5fe543-1", package=path),
    lambda path: jiceng.cite("1f5f9208bb5fe543-1-m001", package=path),
    lambda path: jiceng.records("metrics", package=path),
], ids=["load", "view", "district", "document_text", "cite", "records"])
@pytest.mark.parametrize("where", ["empty", "missing"])
def test_a_path_that_is_not_a_package_is_one_clear_error(tmp_path, call, where):
    path = tmp_path if where == "empty" else tmp_path / "nowhere"
    what = "has no datapackage.json" if where == "empty" else "does not exist"
    with pytest.raises(FileNotFoundError, match=f"^{re.escape(str(path))} is not a jiceng data package: it {what}; "
                                                "give the directory that holds datapackage.json"):
        call(path)


# Citations and self-describing tables


def test_python_citation_is_the_text_the_command_prints(run_cli):
    for table, key in (("metrics", "metric_id"), ("initiatives", "initiative_id"), ("glossary", "term_id")):
        row_id = table_rows(table)[-1][key]
        assert jiceng.cite(row_id) == run_cli("cite", row_id).out


def test_python_citation_of_an_unknown_id_suggests_the_nearest():
    row_id = table_rows("metrics")[0]["metric_id"]
    with pytest.raises(LookupError, match=f"did you mean .*{row_id}"):
        jiceng.cite(row_id + "9")


@pytest.mark.parametrize("table", jiceng.tables())
def test_table_functions_document_every_column_as_the_models_describe_it(table):
    from jiceng.models import TABLES

    doc = getattr(jiceng, table).__doc__
    for name, info in TABLES[table].model_fields.items():
        assert f"``{name}``" in doc and info.description in doc, name


@pytest.mark.parametrize("table", jiceng.tables())
def test_loaded_tables_carry_their_column_descriptions_and_version(table):
    from jiceng.models import TABLES

    frame = jiceng.load(table, labels=True)
    descriptions = frame.attrs["column_descriptions"]
    assert list(descriptions) == list(frame.columns) or set(descriptions) == set(frame.columns)
    for name, info in TABLES[table].model_fields.items():
        assert descriptions[name] == info.description
    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert frame.attrs["jiceng_version"] == version


def test_views_and_labels_import_neither_pydantic_nor_frictionless():
    code = ("import sys, jiceng; jiceng.load('metrics', labels=True); jiceng.view('initiatives'); "
            "jiceng.district('220521'); jiceng.document_text('1f5f9208bb5fe543-1'); "
            "print(sorted(m for m in ('frictionless', 'pydantic') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
