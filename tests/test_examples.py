"""The worked examples of docs/examples.md: each block runs as printed, and its ``answer``
is what the CSV files, read with the csv module and not through jiceng, say it must be."""

from __future__ import annotations

import contextlib
import csv
import html
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

from jiceng.bundle import repository_root

CHECKOUT = repository_root()
pytestmark = pytest.mark.skipif(CHECKOUT is None, reason="needs the source checkout")
PAGE = Path("docs") / "examples.md"


def rows(relative: str) -> list[dict[str, str]]:
    with (ROOT / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def table(name: str) -> list[dict[str, str]]:
    return rows(f"data/{name}.csv")


def labels(vocabulary: str) -> dict[str, str]:
    return {row["code"]: row["label_en"] for row in rows(f"data/vocabularies/{vocabulary}.csv")}


def district_names() -> dict[str, str]:
    return {row["district_id"]: row["name_en"] for row in table("districts")}


def examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (CHECKOUT / PAGE).read_text(encoding="utf-8"), flags=re.S)


def run_example(number: int) -> tuple[object, str]:
    """Run example ``number`` (1-based) alone, as a reader pastes it; its ``answer`` and what it prints."""
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(examples()[number - 1], f"{PAGE} example {number}", "exec"), namespace)
    return namespace["answer"], printed.getvalue()


def answer_of(number: int):
    return run_example(number)[0]


def shown_results() -> list[str]:
    """The text of each "It prints" block of the built Worked examples page."""
    from test_docs_build import built_site

    directory, result = built_site()
    assert result.returncode == 0, result.stderr
    page = (directory / "examples.html").read_text(encoding="utf-8")
    blocks = re.findall(r"It prints:</p>\s*<div[^>]*>(?:<span[^>]*></span>)?<pre[^>]*>(.*?)</pre>", page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]


@pytest.mark.parametrize("number", range(1, 6))
def test_the_page_shows_what_each_example_prints(number):
    shown = shown_results()
    assert len(shown) == len(examples())
    _, printed = run_example(number)
    assert printed.strip() and shown[number - 1].strip() == printed.strip()


def test_the_page_has_five_examples_and_is_in_the_navigation():
    assert len(examples()) == 5
    assert all("answer = " in example for example in examples())
    assert "examples.md" in (CHECKOUT / "mkdocs.yml").read_text(encoding="utf-8")


def test_example_1_finds_every_figure_tonghua_reports_about_party_members():
    (tonghua,) = [row["district_id"] for row in table("districts") if row["name_zh"] == "通化县"]
    expected = [row["metric_id"] for row in table("metrics")
                if row["district_id"] == tonghua and row["topic"] == "party_members"]
    assert expected, "regression fixture: 通化县 reports figures about Party members"
    assert list(answer_of(1)["metric_id"]) == expected


def test_example_2_counts_the_active_money_figures_of_each_district():
    money = {row["code"] for row in rows("data/vocabularies/units.csv") if row["quantity_kind"] == "money"}
    names = district_names()
    expected = Counter(names[row["district_id"]] for row in table("metrics")
                       if row["unit"] in money and row["status"] == "active")
    assert dict(answer_of(2)) == dict(expected)


def test_example_3_crosses_active_initiatives_by_district_and_scope():
    names, scopes = district_names(), labels("scopes")
    expected = Counter((names[row["district_id"]], scopes[row["scope"]])
                       for row in table("initiatives") if row["status"] == "active")
    answer = answer_of(3)
    actual = {(district, scope): int(answer.loc[district, scope])
              for district in answer.index for scope in answer.columns if answer.loc[district, scope]}
    assert actual == dict(expected)


def test_example_4_lists_every_link_from_a_row_to_an_annotation():
    kinds = {row["annotation_id"]: labels("annotation_kinds")[row["kind"]] for row in table("annotations")}
    expected = sorted((name, row[key], one, kinds[one])
                      for name, key in (("initiatives", "initiative_id"), ("metrics", "metric_id"))
                      for row in table(name) for one in row["annotation_ids"].split())
    answer = answer_of(4)
    actual = sorted(zip(answer["table"], answer["row_id"], answer["annotation_id"], answer["annotation_kind_en"]))
    assert actual == expected


def test_example_5_reads_the_quote_of_a_metric_from_its_document():
    (metric,) = [row for row in table("metrics") if row["metric_id"] == "1f5f9208bb5fe543-3-m027"]
    (source,) = [row for row in table("sources") if row["source_id"] == metric["source_id"]]
    document = (ROOT / source["path"]).read_text(encoding="utf-8")
    assert answer_of(5) == document[int(metric["quote_start"]):int(metric["quote_end"])] == metric["quote"]
