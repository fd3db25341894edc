"""Tests for jiceng.quantity.

The table of source 000 lists every quantity expression on that page, one row per place it
occurs, with the expected values worked out by hand from the Chinese (万 = 10^4, 亿 = 10^8;
余/多/以上/不低于 = at least; 约 = approximate). Each row names the expression by a short
piece of surrounding text that occurs nowhere else on the page (or, for the page's
duplicated paragraph, at both copies), so positions are found without the code under test.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiceng.quantity import (
    Quantity,
    QuantityError,
    find_number_tokens,
    find_quantities,
    format_value,
    parse_quantity,
)

SOURCE_000 = Path(__file__).resolve().parents[1] / "data" / "sources" / "000_1f5f9208bb5fe543.txt"


class Row(NamedTuple):
    context: str
    text: str
    value: int
    value_max: int | None
    qualifier: str
    unit: str | None


EXACT, ABOUT, AT_LEAST, RANGE = "exact", "approximate", "at_least", "range"

PAGE_000 = [
    Row("的一条红线", "一条", 1, None, EXACT, "条"),
    Row("九条措施", "九条", 9, None, EXACT, "条"),
    Row("47个软弱", "47个", 47, None, EXACT, "个"),
    Row("打造出42个", "42个", 42, None, EXACT, "个"),
    Row("37个红旗", "37个", 37, None, EXACT, "个"),
    Row("选派14名", "14名", 14, None, EXACT, "名"),
    Row("选派73名", "73名", 73, None, EXACT, "名"),
    Row("新建党组织54个", "54个", 54, None, EXACT, "个"),
    Row("“两个覆盖”", "两个", 2, None, EXACT, "个"),
    Row("增加17名", "17名", 17, None, EXACT, "名"),
    Row("增至169名", "169名", 169, None, EXACT, "名"),
    Row("不低于120万元标准", "不低于120万元", 1_200_000, None, AT_LEAST, "元"),
    Row("增加88万元", "88万元", 880_000, None, EXACT, "元"),
    Row("达到169万元", "169万元", 1_690_000, None, EXACT, "元"),
    Row("增长率108%", "108%", 108, None, EXACT, "%"),
    Row("投入240.2万元", "240.2万元", 2_402_000, None, EXACT, "元"),
    Row("近两年", "两年", 2, None, EXACT, "年"),
    Row("投入约2000万元", "约2000万元", 20_000_000, None, ABOUT, "元"),
    Row("全区27个社区", "27个", 27, None, EXACT, "个"),
    Row("达到500平方米以上", "500平方米以上", 500, None, AT_LEAST, "平方米"),
    Row("干部6.4万余人次", "6.4万余人次", 64_000, None, AT_LEAST, "人次"),
    Row("农民1.2万余人", "1.2万余人", 12_000, None, AT_LEAST, "人"),
    Row("等6个文件", "6个", 6, None, EXACT, "个"),
    Row("，3个街道均", "3个", 3, None, EXACT, "个"),
    Row("吸收4—5名", "4—5名", 4, 5, RANGE, "名"),
    Row("区委与36个", "36个", 36, None, EXACT, "个"),
    Row("一支队伍", "一支", 1, None, EXACT, "支"),
    Row("街巷长27名", "27名", 27, None, EXACT, "名"),
    Row("小巷管家81名", "81名", 81, None, EXACT, "名"),
    Row("新城社区3个区域", "3个", 3, None, EXACT, "个"),
    # The 晋源 report carries a copy of a 珠山 paragraph, so these two occur twice.
    Row("是一项系统工程", "一项", 1, None, EXACT, "项"),
    Row("《2018—2022年", "2018—2022年", 2018, 2022, RANGE, "年"),
    Row("最后一公里", "一公里", 1, None, EXACT, "公里"),
    Row("改建了一批", "一批", 1, None, EXACT, "批"),
    Row("“15分钟", "15分钟", 15, None, EXACT, "分钟"),
    Row("工作者397名", "397名", 397, None, EXACT, "名"),
    Row("选拔7人", "7人", 7, None, EXACT, "人"),
    Row("选聘4人", "4人", 4, None, EXACT, "人"),
    Row("156个市", "156个", 156, None, EXACT, "个"),
    Row("396个机关", "396个", 396, None, EXACT, "个"),
    Row("6459名在职", "6459名", 6459, None, EXACT, "名"),
    Row("单位113个", "113个", 113, None, EXACT, "个"),
    Row("干部15886人次", "15886人次", 15886, None, EXACT, "人次"),
    Row("党建2.0版", "2.0", 2, None, EXACT, None),
    Row("就达3000多人次", "3000多人次", 3000, None, AT_LEAST, "人次"),
    Row("问题780多件", "780多件", 780, None, AT_LEAST, "件"),
    Row("2019年，珠山区", "2019年", 2019, None, EXACT, "年"),
    Row("投入600万元", "600万元", 6_000_000, None, EXACT, "元"),
    Row("面积约1600平方米", "约1600平方米", 1600, None, ABOUT, "平方米"),
    Row("等一批社会组织", "一批", 1, None, EXACT, "批"),
    Row("新厂街道等3个街道", "3个", 3, None, EXACT, "个"),
    Row("社区等3个社区", "3个", 3, None, EXACT, "个"),
    Row("16个临时", "16个", 16, None, EXACT, "个"),
    Row("2000多名党员", "2000多名", 2000, None, AT_LEAST, "名"),
    Row("小巷670条", "670条", 670, None, EXACT, "条"),
    Row("改造1.3万户", "1.3万户", 13_000, None, EXACT, "户"),
    Row("改造4.3万户", "4.3万户", 43_000, None, EXACT, "户"),
    Row("道路16条", "16条", 16, None, EXACT, "条"),
    Row("项目70个", "70个", 70, None, EXACT, "个"),
    Row("等6个指导性", "6个", 6, None, EXACT, "个"),
    Row("建立56个", "56个", 56, None, EXACT, "个"),
    Row("“四项清单”", "四项", 4, None, EXACT, "项"),
    # 至少 does not touch the number here: "每季度至少召开1次" is exactly one meeting.
    Row("召开1次", "1次", 1, None, EXACT, "次"),
    Row("问题100余件", "100余件", 100, None, AT_LEAST, "件"),
    Row("项目150余个", "150余个", 150, None, AT_LEAST, "个"),
    Row("党支部38个", "38个", 38, None, EXACT, "个"),
    Row("党小组283个", "283个", 283, None, EXACT, "个"),
    Row("对100多家", "100多家", 100, None, AT_LEAST, "家"),
    Row("业和20余家", "20余家", 20, None, AT_LEAST, "家"),
    Row("明确5大板块", "5", 5, None, EXACT, None),
    Row("履行8个", "8个", 8, None, EXACT, "个"),
    Row("和76项", "76项", 76, None, EXACT, "项"),
    Row("承担占20%", "20%", 20, None, EXACT, "%"),
    Row("实事369件", "369件", 369, None, EXACT, "件"),
    Row("增长600元", "600元", 600, None, EXACT, "元"),
    Row("户”235个", "235个", 235, None, EXACT, "个"),
    Row("单元长1000余人", "1000余人", 1000, None, AT_LEAST, "人"),
    Row("，1400余名", "1400余名", 1400, None, AT_LEAST, "名"),
    Row("心愿1658个", "1658个", 1658, None, EXACT, "个"),
    Row("”498个", "498个", 498, None, EXACT, "个"),
    Row("问题836件", "836件", 836, None, EXACT, "件"),
    Row("\n680万元", "680万元", 6_800_000, None, EXACT, "元"),
    Row("物资2500万元", "2500万元", 25_000_000, None, EXACT, "元"),
    Row("“N+1”", "1", 1, None, EXACT, None),
    Row("“1+1", "1", 1, None, EXACT, None),
    Row("+1+N”", "1", 1, None, EXACT, None),
    Row("帮建1个", "1个", 1, None, EXACT, "个"),
    # The idiom 邻里一家亲 is a numeral plus a unit word all the same; callers filter.
    Row("邻里一家亲", "一家", 1, None, EXACT, "家"),
    Row("品牌30余个", "30余个", 30, None, AT_LEAST, "个"),
    Row("开放20个", "20个", 20, None, EXACT, "个"),
    Row("只跑一次", "一次", 1, None, EXACT, "次"),
    Row("投资40万元", "40万元", 400_000, None, EXACT, "元"),
    Row("为326名", "326名", 326, None, EXACT, "名"),
    Row("服务41.2万个小时", "41.2万个小时", 412_000, None, EXACT, "小时"),
    Row("线路2条", "2条", 2, None, EXACT, "条"),
    Row("基地1处", "1处", 1, None, EXACT, "处"),
    Row("楼栋51个", "51个", 51, None, EXACT, "个"),
    Row("等一批具有", "一批", 1, None, EXACT, "批"),
    Row("荣获2019年", "2019年", 2019, None, EXACT, "年"),
    Row("工商户692户", "692户", 692, None, EXACT, "户"),
    Row("就业3000余人", "3000余人", 3000, None, AT_LEAST, "人"),
    Row("人员250余人", "250余人", 250, None, AT_LEAST, "人"),
    Row("，1—6月", "1—6月", 1, 6, RANGE, "月"),
    Row("达3.3亿元", "3.3亿元", 330_000_000, None, EXACT, "元"),
    Row("“365志愿", "365", 365, None, EXACT, None),
    Row("小分队212支", "212支", 212, None, EXACT, "支"),
    Row("时长46万小时", "46万小时", 460_000, None, EXACT, "小时"),
    Row("，3个志愿", "3个", 3, None, EXACT, "个"),
    Row("荣誉50余项", "50余项", 50, None, AT_LEAST, "项"),
]


@pytest.fixture(scope="module")
def page() -> str:
    return SOURCE_000.read_text(encoding="utf-8")


def occurrences(page: str, row: Row) -> list[int]:
    """Start offsets of ``row.text`` at every place its context occurs."""
    assert row.text in row.context
    offset = row.context.index(row.text)
    starts = []
    found = page.find(row.context)
    while found != -1:
        starts.append(found + offset)
        found = page.find(row.context, found + 1)
    return starts


def fields(quantity: Quantity) -> tuple:
    return (quantity.value, quantity.value_max, quantity.qualifier, quantity.unit_text)


# --- the page -----------------------------------------------------------------------------


@pytest.mark.parametrize("row", PAGE_000, ids=[f"{row.text}@{row.context}" for row in PAGE_000])
def test_parse_reads_each_expression_on_page_000(row: Row) -> None:
    quantity = parse_quantity(row.text)
    assert fields(quantity) == (row.value, row.value_max, row.qualifier, row.unit)
    assert type(quantity.value) is int
    assert (quantity.text, quantity.start, quantity.end) == (row.text, 0, len(row.text))


def test_every_tabulated_context_is_on_the_page(page: str) -> None:
    missing = [row for row in PAGE_000 if not occurrences(page, row)]
    assert missing == []


def test_find_locates_each_page_000_expression_at_its_exact_position(page: str) -> None:
    by_start = {quantity.start: quantity for quantity in find_quantities(page)}
    for row in PAGE_000:
        for start in occurrences(page, row):
            quantity = by_start.get(start)
            assert quantity is not None, f"{row.text!r} at {start} not found"
            assert quantity.text == row.text
            assert quantity.end == start + len(row.text)
            assert page[quantity.start : quantity.end] == row.text
            assert fields(quantity) == (row.value, row.value_max, row.qualifier, row.unit)


def test_page_000_yields_exactly_the_tabulated_quantities(page: str) -> None:
    expected = sorted((start, row.text) for row in PAGE_000 for start in occurrences(page, row))
    found = [(quantity.start, quantity.text) for quantity in find_quantities(page)]
    assert found == expected


def test_every_arabic_number_on_page_000_lies_inside_a_quantity(page: str) -> None:
    quantities = find_quantities(page)
    arabic = [token for token in find_number_tokens(page) if token[2][0].isascii()]
    assert len(arabic) > 100
    for start, end, token in arabic:
        assert any(q.start <= start and end <= q.end for q in quantities), token


# --- multipliers and exactness ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("6.4万", 64_000),
        ("41.2万", 412_000),
        ("1.1万", 11_000),  # 1.1 * 10000 is 11000.000000000002 in binary floats
        ("0.07万", 700),  # 0.07 * 10000 is 700.0000000000001
        ("3.3亿", 330_000_000),  # 3.3 * 1e8 is 329999999.99999994
        ("1.2万亿", 1_200_000_000_000),
        ("5千", 5000),
        ("3千万", 30_000_000),
        ("2百万", 2_000_000),
    ],
)
def test_wan_and_yi_multiply_decimals_exactly(text: str, value: int) -> None:
    quantity = parse_quantity(text)
    assert quantity.value == value
    assert type(quantity.value) is int


def test_long_numbers_are_not_rounded() -> None:
    digits = "123456789012345678901234567890"
    assert parse_quantity(f"{digits}万").value == int(digits) * 10_000


def test_value_that_is_not_whole_comes_back_as_nearest_float() -> None:
    assert parse_quantity("0.00001万").value == 0.1
    assert parse_quantity("2.5小时").value == 2.5


def test_wan_yuan_folds_into_yuan() -> None:
    assert fields(parse_quantity("88万元")) == (880_000, None, EXACT, "元")


def test_yu_between_number_and_wan_still_multiplies() -> None:
    assert fields(parse_quantity("100多万元")) == (1_000_000, None, AT_LEAST, "元")
    assert fields(parse_quantity("10余万人")) == (100_000, None, AT_LEAST, "人")
    assert fields(parse_quantity("1万多人")) == (10_000, None, AT_LEAST, "人")


# --- numerals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("十二个", 12, "个"),
        ("两千人", 2000, "人"),
        ("三百五十名", 350, "名"),
        ("一千零八户", 1008, "户"),
        ("三百万元", 3_000_000, "元"),
        ("二〇一九年", 2019, "年"),
        ("二零二零年", 2020, "年"),
        ("十二", 12, None),
    ],
)
def test_chinese_numerals_are_converted(text: str, value: int, unit: str | None) -> None:
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.unit_text) == (value, unit)


@pytest.mark.parametrize(("text", "value"), [("五〇个", 50), ("一〇", 10), ("〇五", 5)])
def test_two_chinese_digits_with_a_zero_are_read_digit_by_digit(text: str, value: int) -> None:
    # 五〇 is five, zero: fifty, the way a year's 二〇 is written, not a range.
    assert parse_quantity(text).value == value


@pytest.mark.parametrize("text", ["三五个", "一两个", "一二人"])
def test_run_together_chinese_digits_are_not_one_number(text: str) -> None:
    # 三五个 means three to five, 一两个 one or two: neither is 35 or 12.
    with pytest.raises(QuantityError):
        parse_quantity(text)
    assert find_quantities(text) == []
    assert [q.text for q in find_quantities(f"{text}，47个")] == ["47个"]


def test_full_width_digits_and_percent_sign_are_read() -> None:
    assert fields(parse_quantity("１２０万元")) == (1_200_000, None, EXACT, "元")
    assert fields(parse_quantity("５０％")) == (50, None, EXACT, "%")
    assert fields(parse_quantity("３．５万人")) == (35_000, None, EXACT, "人")


def test_thousands_separators_are_dropped() -> None:
    assert parse_quantity("1,200人").value == 1200
    assert parse_quantity("1,200,000元").value == 1_200_000


def test_unit_synonyms_fold_but_month_and_months_stay_apart() -> None:
    assert parse_quantity("41.2万个小时").unit_text == "小时"
    assert parse_quantity("3个百分点").unit_text == "百分点"
    assert parse_quantity("3个月").unit_text == "个月"  # a duration
    assert parse_quantity("3月").unit_text == "月"  # March


def test_longest_unit_wins() -> None:
    assert parse_quantity("5人次").unit_text == "人次"
    assert parse_quantity("5平方米").unit_text == "平方米"


def test_bare_arabic_number_has_no_unit() -> None:
    assert fields(parse_quantity("2000")) == (2000, None, EXACT, None)


# --- qualifiers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("约2000万元", "approximate"),
        ("大约30人", "approximate"),
        ("50人左右", "approximate"),
        ("100余件", "at_least"),
        ("3000多人次", "at_least"),
        ("500平方米以上", "at_least"),
        ("不低于120万元", "at_least"),
        ("至少3次", "at_least"),
        ("不少于10个", "at_least"),
        ("超过1万人", "at_least"),
        ("不超过3人", "at_most"),
        ("35岁以下", "at_most"),
        ("30分钟以内", "at_most"),
        ("不足10%", "at_most"),
        ("不到5天", "at_most"),
        ("47个", "exact"),
    ],
)
def test_qualifier_words_set_the_bound(text: str, qualifier: str) -> None:
    assert parse_quantity(text).qualifier == qualifier


def test_a_bound_beats_about_when_both_are_written() -> None:
    assert parse_quantity("约100余人").qualifier == "at_least"


def test_yue_inside_a_word_is_not_about() -> None:
    # 签约 (sign) and 节约 (save) end in 约 but say nothing about precision.
    signed = find_quantities("签约5个项目，节约100万元")
    assert [(q.text, q.qualifier) for q in signed] == [("5个", "exact"), ("100万元", "exact")]


# --- ranges -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["4—5名", "4-5名", "4～5名", "4~5名", "4至5名", "4－5名", "4–5名"])
def test_range_separators(text: str) -> None:
    assert fields(parse_quantity(text)) == (4, 5, "range", "名")


def test_chinese_range() -> None:
    assert fields(parse_quantity("三至五个")) == (3, 5, "range", "个")


def test_month_range_is_returned_for_callers_to_classify() -> None:
    assert fields(parse_quantity("1—6月")) == (1, 6, "range", "月")
    assert fields(parse_quantity("1月至6月")) == (1, 6, "range", "月")


def test_right_multiplier_covers_bare_left_end() -> None:
    assert fields(parse_quantity("4—5万元")) == (40_000, 50_000, "range", "元")
    assert fields(parse_quantity("4万—5万元")) == (40_000, 50_000, "range", "元")
    # Scaling 8000 by 万 would make the range run backwards, so 8000 stays 8000.
    assert fields(parse_quantity("8000—1万元")) == (8000, 10_000, "range", "元")


def test_backwards_range_is_an_error_for_parse() -> None:
    with pytest.raises(QuantityError, match="backwards"):
        parse_quantity("5—4名")


def test_backwards_range_falls_back_to_its_left_number_when_scanning() -> None:
    found = find_quantities("5—4名")
    summary = [(q.text, q.start, q.value, q.unit_text) for q in found]
    assert summary == [("5", 0, 5, None), ("4名", 2, 4, "名")]


def test_range_with_different_units_is_not_a_range() -> None:
    with pytest.raises(QuantityError, match="different units"):
        parse_quantity("3个—5名")
    assert [q.text for q in find_quantities("3个—5名")] == ["3个", "5名"]


# --- what is not a quantity ---------------------------------------------------------------


def test_ordinals_are_not_quantities() -> None:
    assert find_quantities("第3名，第一批，第十九次") == []


def test_vague_counts_are_not_quantities() -> None:
    assert find_quantities("数十个单位、几百人、千家万户") == []


def test_numbers_glued_to_latin_letters_are_not_quantities() -> None:
    assert find_quantities("5G网络、G20峰会") == []


def test_chinese_numeral_without_unit_is_not_found_in_running_text() -> None:
    assert find_quantities("统一部署，一线岗位，三会一课") == []


def test_qualifier_word_must_touch_the_number() -> None:
    (quantity,) = find_quantities("每季度至少召开1次联席会议")
    assert (quantity.text, quantity.qualifier) == ("1次", "exact")


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "约", "万元", "47个软弱", "第3名", "数十个", "5G", "47个 48个"]
)
def test_parse_rejects_anything_but_one_expression(text: str) -> None:
    with pytest.raises(QuantityError) as raised:
        parse_quantity(text)
    assert repr(text) in str(raised.value)


def test_quantity_error_is_a_value_error() -> None:
    assert issubclass(QuantityError, ValueError)


def test_parse_offsets_ignore_surrounding_spaces() -> None:
    quantity = parse_quantity("  47个\u3000")
    assert (quantity.text, quantity.start, quantity.end) == ("47个", 2, 5)


def test_quantity_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_quantity("47个").value = 48  # type: ignore[misc]


# --- number tokens ------------------------------------------------------------------------


def test_number_tokens_cover_arabic_with_wan_and_chinese_runs() -> None:
    assert find_number_tokens("6.4万余人次，两千人，第3名") == [(0, 4, "6.4万"), (8, 10, "两千"), (13, 14, "3")]


def test_number_tokens_include_idioms_that_are_not_quantities() -> None:
    tokens = [token for _, _, token in find_number_tokens("千家万户，三会一课")]
    assert tokens == ["千", "万", "三", "一"]


def test_number_tokens_count_shuang_so_that_double_and_dual_are_accounted_for() -> None:
    tokens = [token for _, _, token in find_number_tokens("双创双修、“双评议”")]
    assert tokens == ["双", "双", "双"]


# What a number token is, written the plain way: a run of Arabic digits (a decimal part, a
# 万 or 亿 after it), a run of Chinese numerals, or 首 before a measure word.
PLAIN_NUMBER_TOKEN = re.compile("[0-9０-９]+(?:[.．][0-9０-９]+)?[万亿]?|[〇零一二两双三四五六七八九十百千万亿]+|首(?=[批次届个家位轮期])")


@settings(max_examples=300)
@given(st.text(alphabet="0159０９.．万亿〇零一两双十百千第年人首批先，a \n", max_size=40))
def test_number_tokens_are_the_plain_patterns_tokens(text) -> None:
    expected = [(match.start(), match.end(), match[0]) for match in PLAIN_NUMBER_TOKEN.finditer(text)]
    assert find_number_tokens(text) == expected


def test_number_tokens_after_text_and_across_kinds() -> None:
    assert find_number_tokens("共1.5万人、3.名、２０１９年十二亿") == [
        (1, 5, "1.5万"), (7, 8, "3"), (11, 15, "２０１９"), (16, 19, "十二亿")]


def test_number_tokens_count_shou_as_an_ordinal_only_before_a_measure_word() -> None:
    text = "首批重点实施了项目，首次召开会议；首先，首都"
    assert find_number_tokens(text) == [(0, 1, "首"), (10, 11, "首")]


# --- format_value -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((64_000, None, "at_least", "person-times"), "≥ 64,000 person-times"),
        ((20_000_000, None, "approximate", "yuan"), "≈ 20,000,000 yuan"),
        ((4, 5, "range", "persons"), "4–5 persons"),
        ((64_000, None, "exact", "persons"), "64,000 persons"),
        ((3, None, "at_most", "persons"), "≤ 3 persons"),
        ((108, None, "exact", "%"), "108%"),
        ((2.5, None, "exact", "hours"), "2.5 hours"),
        ((2000.0, None, "exact", ""), "2,000"),
    ],
)
def test_format_value_for_people(args: tuple, expected: str) -> None:
    assert format_value(*args) == expected


def test_format_value_rejects_unknown_qualifier_and_open_range() -> None:
    with pytest.raises(ValueError, match="qualifier"):
        format_value(1, None, "roughly", "persons")
    with pytest.raises(ValueError, match="value_max"):
        format_value(1, None, "range", "persons")


# --- properties ---------------------------------------------------------------------------

MULTIPLIERS = {"": 1, "千": 1_000, "万": 10_000, "亿": 100_000_000, "万亿": 10**12}
# (prefix, word after the number, suffix, expected qualifier)
QUALIFIER_FORMS = [
    ("", "", "", "exact"),
    ("约", "", "", "approximate"),
    ("大约", "", "", "approximate"),
    ("", "", "左右", "approximate"),
    ("不低于", "", "", "at_least"),
    ("不少于", "", "", "at_least"),
    ("至少", "", "", "at_least"),
    ("", "余", "", "at_least"),
    ("", "多", "", "at_least"),
    ("", "", "以上", "at_least"),
    ("不超过", "", "", "at_most"),
    ("不足", "", "", "at_most"),
    ("不到", "", "", "at_most"),
    ("", "", "以下", "at_most"),
    ("", "", "以内", "at_most"),
]
# unit as written -> unit_text expected
UNITS = {
    "人": "人",
    "人次": "人次",
    "名": "名",
    "个": "个",
    "元": "元",
    "个小时": "小时",
    "小时": "小时",
    "平方米": "平方米",
    "%": "%",
    "％": "%",
    "户": "户",
    "件": "件",
    "项": "项",
    "年": "年",
    "倍": "倍",
}
SEPARATORS = ["—", "-", "～", "~", "至", "－"]


@settings(deadline=None)
@given(
    n=st.integers(min_value=0, max_value=10**9),
    multiplier=st.sampled_from(sorted(MULTIPLIERS)),
    form=st.sampled_from(QUALIFIER_FORMS),
    unit=st.sampled_from(sorted(UNITS)),
    word_before_multiplier=st.booleans(),
)
def test_arabic_expression_round_trips(
    n: int,
    multiplier: str,
    form: tuple[str, str, str, str],
    unit: str,
    word_before_multiplier: bool,
) -> None:
    prefix, word, suffix, qualifier = form
    if word_before_multiplier:
        text = f"{prefix}{n}{word}{multiplier}{unit}{suffix}"  # 100多万元
    else:
        text = f"{prefix}{n}{multiplier}{word}{unit}{suffix}"  # 6.4万余人次
    quantity = parse_quantity(text)
    assert quantity.value == n * MULTIPLIERS[multiplier]
    assert quantity.qualifier == qualifier
    assert quantity.unit_text == UNITS[unit]
    assert quantity.text == text


@settings(deadline=None)
@given(
    n=st.integers(min_value=0, max_value=10**12),
    form=st.sampled_from(QUALIFIER_FORMS),
    unit=st.sampled_from(sorted(UNITS)),
)
def test_chinese_expression_round_trips(n: int, form: tuple[str, str, str, str], unit: str) -> None:
    prefix, word, suffix, qualifier = form
    text = f"{prefix}{cn2an.an2cn(n)}{word}{unit}{suffix}"
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.qualifier, quantity.unit_text) == (n, qualifier, UNITS[unit])
    assert [(q.start, q.end) for q in find_quantities(text)] == [(0, len(text))]


@given(st.decimals(min_value=0, max_value=10**7, places=4, allow_nan=False, allow_infinity=False))
def test_wan_multiplies_decimal_exactly(number: Decimal) -> None:
    quantity = parse_quantity(f"{number:f}万人")
    assert quantity.value == int(number * 10_000)
    assert type(quantity.value) is int


@given(st.decimals(min_value=0, max_value=10**3, places=8, allow_nan=False, allow_infinity=False))
def test_wan_with_long_fraction_gives_the_nearest_float(number: Decimal) -> None:
    expected = number.scaleb(4)
    value = parse_quantity(f"{number:f}万").value
    if expected == expected.to_integral_value():
        assert value == int(expected)
    else:
        assert value == float(expected)


@given(
    low=st.integers(min_value=0, max_value=10**6),
    high=st.integers(min_value=0, max_value=10**6),
    separator=st.sampled_from(SEPARATORS),
    unit=st.sampled_from(sorted(UNITS)),
)
def test_range_is_ordered_or_rejected(low: int, high: int, separator: str, unit: str) -> None:
    text = f"{low}{separator}{high}{unit}"
    if low > high:
        with pytest.raises(QuantityError):
            parse_quantity(text)
        return
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.value_max, quantity.qualifier) == (low, high, "range")


# Characters the grammar cares about, mixed with anything at all.
GRAMMAR_ALPHABET = list("0123456789０９.．,万亿千百十一二两三五〇零约余多以上下内左右不低于超过足到少至—-~～个人名元次%％第数G ")
noisy_char = st.one_of(st.sampled_from(GRAMMAR_ALPHABET), st.characters())
noisy_text = st.text(alphabet=noisy_char, max_size=40)


@settings(max_examples=300, deadline=None)
@given(noisy_text)
def test_parse_raises_only_quantity_error(text: str) -> None:
    try:
        quantity = parse_quantity(text)
    except QuantityError:
        return
    assert text[quantity.start : quantity.end] == quantity.text == text.strip()
    if quantity.value_max is not None:
        assert quantity.value <= quantity.value_max


@settings(max_examples=300, deadline=None)
@given(noisy_text)
def test_found_quantities_are_ordered_disjoint_and_reparse_alike(text: str) -> None:
    previous_end = 0
    for quantity in find_quantities(text):
        assert previous_end <= quantity.start < quantity.end
        previous_end = quantity.end
        assert text[quantity.start : quantity.end] == quantity.text
        if quantity.qualifier == "range":
            assert quantity.value <= quantity.value_max
        reparsed = parse_quantity(quantity.text)
        assert fields(reparsed) == fields(quantity)


@given(noisy_text)
def test_number_token_spans_slice_back_to_their_token(text: str) -> None:
    previous_end = 0
    for start, end, token in find_number_tokens(text):
        assert text[start:end] == token
        assert previous_end <= start < end
        previous_end = end
