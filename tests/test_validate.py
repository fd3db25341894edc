"""``jiceng validate``: each check catches its defect at the right file, line and column.

Every test breaks a temporary copy of the bundled package in one way, runs the
validator on it and asserts the exact ``path:line:column: [check]`` of the message,
exit status 1, and that the copy's bytes are unchanged by validation.
"""

from __future__ import annotations

import json

import pytest
from conftest import Cell, PackageCopy, assert_reported, copy_package

from jiceng.validate.report import Problem


def test_bundled_package_is_valid(run_cli):
    outcome = run_cli("validate")
    assert outcome.exit_code == 0, outcome.out
    assert outcome.lines()[-1].endswith(": valid")


def test_copy_of_bundled_package_is_valid(run_cli, package_copy):
    outcome = run_cli("validate", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.out


def test_wrong_type_is_a_type_error_at_its_cell(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "value", "sixty-four")
    line = assert_reported(run_cli, package_copy, cell, "type-error")
    assert "'value'" in line and "sixty-four" in line


def test_unknown_vocabulary_code_is_a_constraint_error(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "unit", "persons_typo")
    line = assert_reported(run_cli, package_copy, cell, "constraint-error")
    assert "persons_typo" in line


def test_duplicated_id_is_a_primary_key_error_on_the_second_row(run_cli, package_copy):
    first = package_copy.rows("metrics")[0]["metric_id"]
    cell = package_copy.set_cell("metrics", 1, "metric_id", first)
    line = assert_reported(run_cli, package_copy, cell, "primary-key")
    assert first in line


def test_dangling_foreign_key_is_reported_at_the_reference(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "source_id", "1f5f9208bb5fe543-99")
    assert_reported(run_cli, package_copy, cell, "foreign-key")


def test_quote_not_at_its_offsets_is_reported_at_quote_start(run_cli, package_copy):
    row = package_copy.rows("metrics")[0]
    package_copy.set_cell("metrics", 0, "quote_end", str(int(row["quote_end"]) + 1))
    cell = package_copy.set_cell("metrics", 0, "quote_start", str(int(row["quote_start"]) + 1))
    line = assert_reported(run_cli, package_copy, cell, "quote-offsets")
    assert "jiceng locate" in line


def test_altered_source_file_is_a_hash_mismatch(run_cli, package_copy):
    source = package_copy.rows("sources")[0]
    path = package_copy.root / source["path"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("晋源区", "晋原区", 1), encoding="utf-8", newline="")
    cell = package_copy.find("sources", 0, "sha256")
    assert_reported(run_cli, package_copy, cell, "source-hash")


def test_value_above_value_max_breaks_the_row_model(run_cli, package_copy):
    package_copy.set_cell("metrics", 0, "qualifier", "range")
    package_copy.set_cell("metrics", 0, "value_max", "1")
    cell = package_copy.set_cell("metrics", 0, "value", "2")
    line = assert_reported(run_cli, package_copy, cell, "row-model")
    assert f"[row-model] row {package_copy.rows('metrics')[0]['metric_id']}: value 2 is greater than value_max" in line


@pytest.mark.parametrize(("name", "enclosing"), [("“邻里议事会”", "“”"), ("《社区工作条例》", "《》")])
def test_an_initiative_name_inside_its_quotation_marks_breaks_the_row_model(run_cli, package_copy, name, enclosing):
    cell = package_copy.set_cell("initiatives", 0, "name_zh", name)
    line = assert_reported(run_cli, package_copy, cell, "row-model")
    row_id = package_copy.rows("initiatives")[0]["initiative_id"]
    assert f"[row-model] row {row_id}: field 'name_zh': write the name without the enclosing {enclosing}: " \
           f"{name[1:-1]!r}" in line


@pytest.mark.parametrize("name", ["“百姓说事”平台", "“一委一站一居”工作模式", "“A”和“B”", "邻里议事会"])
def test_an_initiative_name_with_quotation_marks_inside_it_is_valid(name):
    from jiceng.models import Initiative

    assert Initiative._name_without_enclosing_marks(name) == name


def test_range_without_value_max_breaks_the_row_model(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    index = next(i for i, row in enumerate(rows) if not row["value_max"])
    cell = package_copy.set_cell("metrics", index, "qualifier", "range")
    line = assert_reported(run_cli, package_copy, cell, "row-model")
    assert "if and only if value_max" in line


def test_id_of_another_source_breaks_the_row_model(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "metric_id", "0000000000000000-1-m001")
    line = assert_reported(run_cli, package_copy, cell, "row-model")
    assert "must start with its source_id" in line


@pytest.mark.parametrize(
    ("bad_path", "reason"),
    [
        ("../outside.csv", "climbs out"),
        ("/etc/passwd", "absolute"),
        ("https://example.org/metrics.csv", "URL"),
    ],
    ids=["parent-directory", "absolute", "url"],
)
def test_resource_path_leaving_the_package_is_refused(run_cli, package_copy, bad_path, reason):
    descriptor_path = package_copy.root / "datapackage.json"
    text = descriptor_path.read_text(encoding="utf-8")
    original = '"path": "data/glossary.csv"'
    assert original in text
    descriptor_path.write_text(text.replace(original, f'"path": "{bad_path}"'), encoding="utf-8")
    broken = descriptor_path.read_text(encoding="utf-8").split("\n")
    line = next(i for i, item in enumerate(broken, start=1) if bad_path in item)
    column = broken[line - 1].index(f'"{bad_path}"') + 1
    message = assert_reported(run_cli, package_copy, Cell("datapackage.json", line, column), "path-safety")
    assert reason in message


def test_symlink_pointing_outside_the_package_is_refused(run_cli, package_copy, tmp_path):
    outside = tmp_path / "outside.csv"
    glossary = package_copy.root / "data" / "glossary.csv"
    outside.write_bytes(glossary.read_bytes())
    glossary.unlink()
    glossary.symlink_to(outside)
    assert_reported(run_cli, package_copy, Cell("data/glossary.csv", 1, 1), "path-safety")


def test_hand_edited_schema_is_schema_drift(run_cli, package_copy):
    schema_path = package_copy.root / "schemas" / "metrics.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"][0]["description"] = "edited by hand"
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lines = schema_path.read_text(encoding="utf-8").split("\n")
    line = next(i for i, item in enumerate(lines, start=1) if "edited by hand" in item)
    assert_reported(run_cli, package_copy, Cell("schemas/metrics.json", line, 1), "schema-drift")


def test_essay_span_not_at_its_heading_is_a_source_span_error(run_cli, package_copy):
    row = package_copy.rows("sources")[1]
    cell = package_copy.set_cell("sources", 1, "span_start", str(int(row["span_start"]) + 3))
    assert_reported(run_cli, package_copy, cell, "source-span")


def test_row_of_another_district_is_an_attribution_error(run_cli, package_copy):
    districts = [row["district_id"] for row in package_copy.rows("districts")]
    row = package_copy.rows("metrics")[0]
    other = next(district for district in districts if district != row["district_id"])
    cell = package_copy.set_cell("metrics", 0, "district_id", other)
    assert_reported(run_cli, package_copy, cell, "attribution")


def test_quote_from_another_essay_is_outside_its_source(run_cli, package_copy):
    sources = package_copy.rows("sources")
    rows = package_copy.rows("metrics")
    index = next(i for i, row in enumerate(rows) if row["source_id"] == sources[0]["source_id"])
    package_copy.set_cell("metrics", index, "district_id", sources[1]["district_id"])
    package_copy.set_cell("metrics", index, "metric_id", rows[index]["metric_id"].replace(
        sources[0]["source_id"], sources[1]["source_id"]) + "9")
    cell = package_copy.set_cell("metrics", index, "source_id", sources[1]["source_id"])
    cell = package_copy.find("metrics", index, "quote_start")
    assert_reported(run_cli, package_copy, cell, "quote-selector")


def test_quote_printed_twice_without_prefix_is_ambiguous(run_cli, package_copy):
    source = package_copy.rows("sources")[0]
    text = (package_copy.root / source["path"]).read_text(encoding="utf-8")
    word = "进一步"
    start = text.index(word, int(source["span_start"]))
    assert text.count(word) > 1
    rows = package_copy.rows("initiatives")
    index = next(i for i, row in enumerate(rows) if row["source_id"] == source["source_id"])
    for column, value in (("quote", word), ("quote_prefix", ""), ("quote_suffix", ""),
                          ("quote_start", str(start)), ("quote_end", str(start + len(word))),
                          ("name_basis", "descriptive")):
        package_copy.set_cell("initiatives", index, column, value)
    cell = package_copy.find("initiatives", index, "quote")
    assert_reported(run_cli, package_copy, cell, "quote-selector")


def test_value_text_missing_from_quote_is_a_content_error(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "value_text", "９９９万")
    assert_reported(run_cli, package_copy, cell, "quote-content")


def test_renamed_column_is_a_structure_error_on_the_header(run_cli, package_copy):
    path = package_copy.root / "data" / "metrics.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value_text", "value_txt", 1), encoding="utf-8", newline="")
    line = assert_reported(run_cli, package_copy, Cell("data/metrics.csv", 1, 1), "csv-structure")
    assert "value_text" in line and "value_txt" in line


def test_byte_order_mark_is_an_encoding_error(run_cli, package_copy):
    path = package_copy.root / "data" / "metrics.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert_reported(run_cli, package_copy, Cell("data/metrics.csv", 1, 1), "encoding")


def test_gbk_file_is_an_encoding_error_at_the_first_bad_byte(run_cli, package_copy):
    path = package_copy.root / "data" / "districts.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    lines = text.split("\n")
    line = next(i for i, item in enumerate(lines, start=1) if any(ord(char) > 127 for char in item))
    column = next(i for i, char in enumerate(lines[line - 1], start=1) if ord(char) > 127)
    assert_reported(run_cli, package_copy, Cell("data/districts.csv", line, column), "encoding")


def test_invalid_descriptor_json_is_reported_with_its_position(run_cli, package_copy):
    path = package_copy.root / "datapackage.json"
    path.write_text('{\n  "name": "jiceng",\n  "resources": [,]\n}\n', encoding="utf-8")
    assert_reported(run_cli, package_copy, Cell("datapackage.json", 3, 17), "descriptor")


def github_property(text: str) -> str:
    """A workflow-command property as GitHub's toolkit escapes it: % CR LF, then : and ,."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def test_github_format_prints_one_whole_workflow_annotation_per_problem(run_cli, tmp_path):
    package_copy = PackageCopy(copy_package(tmp_path / "pull 7, take 2: 100%"))
    cell = package_copy.set_cell("metrics", 0, "value", "abc")
    outcome = run_cli("validate", str(package_copy.root), "--format", "github")
    assert outcome.exit_code == 1
    path = str(package_copy.root / cell.path)
    assert "," in path and ":" in path and "%" in path
    expected = (f"::error file={github_property(path)},line={cell.line},col={cell.column},"
                f"title=Wrong type::[type-error] ")
    assert any(line.startswith(expected) for line in outcome.lines()), outcome.out


def test_github_annotation_escapes_percent_and_line_breaks_in_the_message():
    problem = Problem("data/a,b:c.csv", 3, 7, "consistency", "off by 5%\r\nsee a1, a2: both")
    assert problem.github() == ("::error file=data/a%2Cb%3Ac.csv,line=3,col=7,title=Related figures disagree"
                                "::[consistency] off by 5%25%0D%0Asee a1, a2: both")


def test_json_format_is_a_machine_readable_report(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "value", "abc")
    outcome = run_cli("validate", str(package_copy.root), "--format", "json")
    report = json.loads(outcome.out)
    assert outcome.exit_code == 1 and report["valid"] is False
    assert {"path": str(package_copy.root / cell.path), "line": cell.line, "column": cell.column,
            "check": "type-error"}.items() <= report["problems"][0].items()


def test_max_errors_caps_each_check_and_counts_the_rest(run_cli, package_copy):
    rows = package_copy.rows("metrics")
    for row in rows[:5]:
        row["value"] = "x"
    package_copy.write_rows("metrics", rows)
    outcome = run_cli("validate", str(package_copy.root), "--max-errors", "2")
    type_errors = [line for line in outcome.lines() if "[type-error]" in line and line.startswith("/")]
    assert len(type_errors) == 2
    assert "... and 3 more [type-error] problem(s)" in outcome.out


def test_missing_directory_is_a_message_not_a_traceback(run_cli, tmp_path):
    outcome = run_cli("validate", str(tmp_path / "nowhere"))
    assert outcome.exit_code == 1
    assert "no such directory" in outcome.err


def test_datapackage_json_path_is_accepted_as_the_package(run_cli, package_copy):
    outcome = run_cli("validate", str(package_copy.root / "datapackage.json"))
    assert outcome.exit_code == 0, outcome.out


def test_missing_table_file_is_a_file_error(run_cli, package_copy):
    (package_copy.root / "data" / "glossary.csv").unlink()
    line = assert_reported(run_cli, package_copy, Cell("data/glossary.csv", 1, 1), "file")
    assert "not found" in line


def test_source_text_not_in_nfc_is_reported_where_it_breaks(run_cli, package_copy):
    source = package_copy.rows("sources")[0]
    path = package_copy.root / source["path"]
    text = path.read_text(encoding="utf-8")
    offset = text.index("晋源区", int(source["span_start"]) + 30)
    path.write_text(text[:offset] + "e\u0301" + text[offset:], encoding="utf-8", newline="")
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    assert_reported(run_cli, package_copy, Cell(source["path"], line, column), "source-text")


def test_related_span_given_in_part_is_reported_at_its_first_column(run_cli, package_copy):
    rows = package_copy.rows("annotations")
    index = next(i for i, row in enumerate(rows) if not row["related_source_id"])
    cell = package_copy.set_cell("annotations", index, "related_source_id", rows[index]["source_id"])
    line = assert_reported(run_cli, package_copy, cell, "row-model")
    assert "related_source_id, related_start and related_end go together" in line


def metric_whose_value_text_recurs(copy):
    """A metric rewritten so that its value_text occurs twice in its quote: the quote is
    extended to the next occurrence of the same words in its source (found here by search)."""
    sources = {row["source_id"]: row for row in copy.rows("sources")}
    rows = copy.rows("metrics")
    for index, row in enumerate(rows):
        text = (copy.root / sources[row["source_id"]]["path"]).read_text(encoding="utf-8")
        start, end = int(row["quote_start"]), int(row["quote_end"])
        again = text.find(row["value_text"], end, int(sources[row["source_id"]]["span_end"]))
        if again >= 0 and "\n" not in text[end:again] and row["quote"].count(row["value_text"]) == 1:
            return index, text[start : again + len(row["value_text"])], start
    raise AssertionError("no metric's value_text recurs later in its paragraph")


def test_value_text_occurring_twice_needs_value_occurrence(run_cli, package_copy):
    index, quote, start = metric_whose_value_text_recurs(package_copy)
    package_copy.set_cell("metrics", index, "quote", quote)
    package_copy.set_cell("metrics", index, "quote_end", str(start + len(quote)))
    line = assert_reported(run_cli, package_copy, package_copy.find("metrics", index, "value_text"), "quote-content")
    assert "set value_occurrence" in line


def test_value_occurrence_picks_the_first_of_two_and_validates(run_cli, package_copy):
    index, quote, start = metric_whose_value_text_recurs(package_copy)
    rows = package_copy.rows("metrics")
    rows[index].update(quote=quote, quote_end=str(start + len(quote)), value_occurrence="1")
    package_copy.write_rows("metrics", rows)
    outcome = run_cli("validate", str(package_copy.root))
    problems = [line for line in outcome.lines() if "metrics.csv" in line and "[quote-content]" in line]
    assert not problems, outcome.out


def test_value_occurrence_beyond_the_occurrences_is_a_content_error(run_cli, package_copy):
    cell = package_copy.set_cell("metrics", 0, "value_occurrence", "2")
    line = assert_reported(run_cli, package_copy, cell, "quote-content")
    assert "leave it empty" in line
