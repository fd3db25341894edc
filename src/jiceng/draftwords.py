"""How official prose says what a number is: the word lists and guessers ``jiceng draft`` reads a clause with.

Each function looks at the words around a figure or a name and guesses one cell of a
draft row (the unit code, the value type, the period, the topic, why a number is not a
metric, the kind of an initiative); :mod:`jiceng.draft` applies them essay by essay.
The lists are those of Chinese official reports in general, not of the bundled essays.
"""

from __future__ import annotations

import re

from .quantity import Quantity
from .vocab import Vocabularies

CLAUSE_END = "，。；！？：\n"
SENTENCE_END = "。；！？\n"
SENTENCE_FINAL = "。！？；：”’」』…）)"
CJK_DIGITS = "〇零一二两三四五六七八九十百千万亿"
STATISTIC_DIGITS = "0123456789０１２３４５６７８９"

# Words for the period of a figure, as reports write them.
PERIOD = re.compile(
    r"近年来|近[一二两三四五六七八九十0-9]+年(?:来|以来)?|(?:去年|今年|上半年|下半年)(?:以来|底|末)?"
    r"|目前|截至[^，。；]{1,12}|较[0-9]{4}年|[0-9]{4}年(?:以来|底|末|上半年|下半年|[0-9]{1,2}月)?"
    r"|[0-9]{1,2}[—–\-~～至][0-9]{1,2}月|(?<=[，。；\n])[^，。；、\n]{2,12}(?:以来|期间)|^[^，。；、\n]{2,12}(?:以来|期间)"
    r"|累计")

# Unit words whose unit code does not depend on the noun.
FIXED_UNITS = {"元": "yuan", "%": "percent", "平方米": "square_metre", "小时": "hour", "人次": "person_time",
               "人": "person", "次": "event", "场": "event", "期": "event", "件": "item", "项": "item",
               "条": "item", "处": "facility", "座": "facility", "栋": "facility", "家": "organisation",
               "支": "organisation"}
# Nouns that decide the unit code of 个, 名 and 户, the head noun (the rightmost) winning.
NOUN_UNITS = (
    ("organisation", ("党组织", "党支部", "党小组", "党委", "支部", "单位", "企业", "组织", "机关", "工商户", "协会",
                      "队伍", "小分队", "商户", "小组")),
    ("territorial_unit", ("街道", "社区", "乡镇", "镇", "村", "网格")),
    ("facility", ("场所", "中心", "阵地", "基地", "站", "楼栋", "楼宇", "驿站", "食堂", "书屋", "广场", "园")),
    ("household", ("户",)),
    ("post", ("编制", "职数")),
    ("item", ("项目", "文件", "问题", "职能", "职责", "板块", "品牌", "线路", "道路", "事", "心愿", "荣誉")),
    ("person", ("干部", "党员", "书记", "人员", "工作者", "群众", "居民", "人才", "老年人", "志愿者", "委员")),
)
INCREASE = re.compile(r"(?:增加|增长|提高|提升|减少|下降)了?$")
STANDARD = re.compile(r"不低于|不少于|至少|每[^，。；]{0,6}$|标准")
LOWER_BOUND = re.compile(r"(?:至少|不少于|不低于)[^，。；0-9]{0,6}$")
TARGET = re.compile(r"力争|计划|目标|到20[0-9]{2}年")
LEVEL = re.compile(r"目前|现有|共有|共设|共组建|全[区县市]共|增至|达到$")

# Ordinary words and idioms with a numeral in them (the non_metric_reasons vocabulary
# lists more examples, which are read from it as well).
LEXICAL = ("进一步", "一线", "一批", "统一", "一系列", "一项", "一体化", "一盘棋", "最后一公里", "最后一米", "千家万户",
           "一起", "一道", "一些", "唯一", "一致", "一定", "一般", "一切", "一方面", "同一", "一流", "一心", "一同",
           "一直", "一体", "一律", "一把手", "一站式", "一张网", "之一", "一大批", "一手", "百姓", "万众", "一份",
           "一件件", "一个个", "下一步", "第一书记", "一次性", "万家", "千方百计", "一年来", "多一", "第一时间", "一呼百应", "百花", "一呼")
PLACE_SUFFIX = re.compile(r"^[\u4e00-\u9fff]{0,2}?(?:省|市|县|区|镇|乡|村|街道|社区|路|街|山|湖|河)")
KINDS = (
    ("responsibility_system", ("责任制",)),
    ("mechanism", ("机制", "制度", "体系", "办法", "规则", "流程")),
    ("official_list", ("清单",)),
    ("platform", ("平台", "APP", "App", "热线", "小程序", "公众号")),
    ("alliance", ("联盟", "共同体", "联合体")),
    ("institution", ("委员会", "领导小组", "党委", "党支部", "党小组", "党组", "联席会议")),
    ("facility", ("中心", "驿站", "基地", "阵地", "之家", "家园", "书屋", "食堂", "服务站", "工作站", "广场")),
    ("team", ("服务队", "小分队", "志愿队", "工作队", "团队", "队伍", "队")),
    ("work_model", ("模式", "格局", "工作法")),
    ("brand", ("品牌",)),
    ("campaign", ("活动", "评选", "创建", "行动", "大赛", "竞赛")),
    ("pilot", ("试点", "示范")),
    ("project", ("项目",)),
    ("programme", ("工程", "建设", "提升", "计划", "服务")),
)
QUOTED_NAME = re.compile(r"“([^“”\n]{2,40})”|《([^《》\n]{2,80})》")
SEEN_NAME = re.compile(
    r"(?:建立|建设|打造|成立|组建|推行|实施|搭建|创建|设立|建成)(?:了)?"
    r"([\u4e00-\u9fff]{2,12}?(?:机制|平台|服务中心|委员会|联盟|领导小组|工作站|服务站|驿站|共同体))")


def clause_bounds(text: str, start: int, end: int, lo: int, hi: int, stops: str = CLAUSE_END) -> tuple[int, int]:
    """The clause (between stops, inside [lo, hi)) that holds text[start:end]."""
    left = max((text.rfind(stop, lo, start) for stop in stops), default=-1)
    left = max(left + 1, lo)
    rights = [position for stop in stops if (position := text.find(stop, end, hi)) >= 0]
    right = min(rights) if rights else hi
    while left < start and text[left] in " \u3000":
        left += 1
    return left, right


def unique_prefix(text: str, quote_start: int, quote: str, lo: int, hi: int) -> str:
    """The shortest text before a quote that makes prefix + quote unique in [lo, hi)."""
    for size in range(0, 41):
        prefix = text[max(lo, quote_start - size): quote_start]
        needle = prefix + quote
        first = text.find(needle, lo, hi)
        if first >= 0 and text.find(needle, first + 1, hi) < 0:
            return prefix
        if quote_start - size <= lo:
            break
    return text[max(lo, quote_start - 40): quote_start]


def unit_code(quantity: Quantity, before: str, after: str, units: dict[str, str]) -> str | None:
    """The unit code: fixed by the unit word, or by the head noun near the number."""
    word = quantity.unit_text
    if word in FIXED_UNITS:
        return FIXED_UNITS[word]
    if word in units:
        return units[word]
    # the head noun: the rightmost noun just after the number, else just before it
    best = head_noun(after.split("、", 1)[0][:10]) or head_noun(before.rsplit("、", 1)[-1][-10:])
    if word == "名":
        return "post" if best == "post" else "person"
    if word == "户":
        return "organisation" if best == "organisation" else "household"
    return best or ("item" if word in (None, "个") else None)


def subject_of(before: str, after: str) -> str:
    """What is counted: the words after the figure up to the next 、, else those before it."""
    following = after.split("、", 1)[0].strip()
    if len(following) >= 2:
        return following
    return re.sub(r"^(?:其中|另有|共有|全[区县市]共有)", "", before.rsplit("、", 1)[-1].strip()) or before.strip()


def head_noun(words: str) -> str | None:
    """The unit code of the rightmost noun in ``words`` (the longer noun on a tie)."""
    best, where = None, (-1, 0)
    for code, nouns in NOUN_UNITS:
        for noun in nouns:
            position = words.rfind(noun)
            if position >= 0 and (position + len(noun), len(noun)) > where:
                best, where = code, (position + len(noun), len(noun))
    return best


def value_type(quantity: Quantity, unit: str | None, clause_before: str) -> str:
    if TARGET.search(clause_before):
        return "target"
    if unit == "percent":
        return "share" if "占" in clause_before else "rate"
    if quantity.qualifier == "at_least" and STANDARD.search(clause_before + quantity.text):
        return "standard"
    if STANDARD.search(clause_before):
        return "standard"
    if INCREASE.search(clause_before):
        return "increase"
    if "累计" in clause_before:
        return "cumulative"
    if LEVEL.search(clause_before):
        return "level"
    return "total"


def period_of(text: str, sentence: tuple[int, int], value_start: int) -> tuple[int, int] | None:
    """The period phrase governing a figure: the nearest before it in its sentence (a
    named period before 累计, which only says the figure is cumulative)."""
    lo, _ = sentence
    found = [(m.start() + lo, m.end() + lo) for m in PERIOD.finditer(text[lo:value_start])]
    named = [span for span in found if text[span[0]:span[1]] != "累计"]
    chosen = named or found
    return chosen[-1] if chosen else None


def is_statistic(quantity: Quantity) -> bool:
    """Statistics are printed in Arabic digits; a year, a month or a day is a date."""
    if quantity.text.lstrip("约不低于少至超过逾大")[:1] not in STATISTIC_DIGITS and not quantity.text[:1].isdigit():
        if not any(char in STATISTIC_DIGITS for char in quantity.text):
            return False
    return quantity.unit_text not in ("年", "月", "日", "周年")


def is_version(text: str, end: int) -> bool:
    """2.0版, 3.0版本: a version label, not a figure."""
    return text[end:end + 1] == "版"


# What a metric counts, guessed from its unit and the words of its clause, first match wins;
# the curator checks it like every other draft cell (see data/vocabularies/metric_topics.csv).
TOPIC_CUES = (
    ("money", r"元|经费|资金|投入|投资"),
    ("training", r"培训"),
    ("party_members", r"党员"),
    ("party_organisations", r"党组织|党支部|党委|党工委|党小组|支部"),
    ("cadres_and_staff", r"干部|书记|工作者|网格员|编制|人员|委员"),
    ("honours_and_brands", r"荣誉|称号|品牌|奖|冠军"),
    ("facilities_and_venues", r"中心|阵地|场所|基地|驿站|站|平方米|面积"),
    ("documents_and_rules", r"文件|方案|制度|清单|职责|职能|会议"),
    ("economy_and_employment", r"企业|商户|工商户|就业|销售|产值"),
    ("urban_construction", r"道路|改造|小区|街巷|棚户|基础设施"),
    ("governance_units", r"网格|街道|社区"),
    ("residents_and_households", r"群众|居民|住户|老年人"),
)
TOPIC_BY_UNIT = {"yuan": "money", "square_metre": "facilities_and_venues", "facility": "facilities_and_venues",
                 "territorial_unit": "governance_units", "post": "cadres_and_staff"}


def topic_of(unit: str | None, clause: str) -> str:
    """A guess at the metric's topic: the unit where it decides, else the first cue in the clause."""
    if unit in ("yuan", "post", "territorial_unit"):
        return TOPIC_BY_UNIT[unit]
    for topic, cue in TOPIC_CUES:
        if re.search(cue, clause):
            return topic
    return TOPIC_BY_UNIT.get(unit or "", "services_and_activities")


def lexicon(vocabularies: Vocabularies) -> dict[str, str]:
    """Words with numerals whose reason is known: the built-in words, then the examples
    the non_metric_reasons vocabulary gives in its definitions."""
    words = {word: "lexical" for word in LEXICAL}
    for code, term in vocabularies.terms("non_metric_reasons").items():
        for example in re.findall(r"[\u4e00-\u9fff0-9—…]{2,}", term.definition_en):
            example = example.strip("…")
            if any(char in CJK_DIGITS + STATISTIC_DIGITS for char in example) and code in ("lexical", "ordinal"):
                words.setdefault(example, code)
    return words


def number_word(text: str, start: int, end: int, lo: int, hi: int, words: dict[str, str]) -> tuple[int, int, str]:
    """The word around a number token and the reason it is not a metric."""
    for word, reason in sorted(words.items(), key=lambda item: -len(item[0])):
        for offset in range(len(word)):
            left = start - offset
            if left >= lo and text.startswith(word, left) and left + len(word) >= end:
                return left, left + len(word), reason
    inside = enclosing_name(text, start, lo, hi)
    token = text[start:end]
    if inside:
        year = re.match(r"(?:19|20)[0-9]{2}(?:[—–\-](?:19|20)[0-9]{2})?年", text[start:inside[1]])
        if year:
            return start, start + year.end(), "year_or_date"
        return inside[0], inside[1], "name_or_slogan"
    if re.fullmatch(r"[0-9]{4}", token) and text[end:end + 1] == "年":
        return start, end + 1, "year_or_date"
    if token[-1:] in STATISTIC_DIGITS and text[end:end + 1] in "月日":
        return start, end + 1, "year_or_date"
    if is_version(text, end):
        return start, end + 1, "version_label"
    if text[start - 1:start] == "第":
        return start - 1, min(hi, end + 1), "ordinal"
    if token == "首":  # a number token only before a measure word: 首批, 首次, 首届
        return start, min(hi, end + 1), "ordinal"
    if text[end:end + 1] == "是" and len(token) == 1:
        return start, end + 1, "ordinal"
    if text[end:end + 1] in "级方" and "、" in text[max(lo, start - 10):start]:
        return start, end + 1, "structural"
    if PLACE_SUFFIX.match(text[end:end + 3]):
        place = PLACE_SUFFIX.match(text[end:end + 3])
        return start, end + place.end(), "name_or_slogan"
    # a numbered formula (三会一课, 三岗十八级) or an abbreviation (三基, 五民)
    word_end = end
    while word_end < hi and word_end - end < 6 and text[word_end] not in CLAUSE_END + "、，“”《》（）() ":
        word_end += 1
    tail = text[end:word_end]
    if any(char in CJK_DIGITS for char in tail[1:4]):
        return start, word_end, "name_or_slogan"
    return start, min(word_end, end + 2), "name_or_slogan" if tail[:1] and tail[:1] not in "个名位" else "lexical"


def enclosing_name(text: str, position: int, lo: int, hi: int) -> tuple[int, int] | None:
    """The inner span of the “…” or 《…》 around ``position``, if any."""
    for opening, closing in (("“", "”"), ("《", "》")):
        left = text.rfind(opening, lo, position)
        if left < 0 or text.rfind(closing, left, position) >= 0:
            continue
        right = text.find(closing, position, hi)
        if right >= 0 and "\n" not in text[left:right]:
            return left + 1, right
    return None


def kind_of(name: str, title: bool, type_word: str = "") -> str:
    """The kind, from the word that follows a quoted name (“…”机制) or from the name."""
    if title:
        return "policy_document"
    for kind, endings in KINDS:
        if any(type_word.startswith(ending) for ending in endings):
            return kind
    for kind, endings in KINDS:
        if any(name.endswith(ending) for ending in endings):
            return kind
    for kind, endings in KINDS:
        if any(ending in name for ending in endings):
            return kind
    return "programme"


def counts_alike(part: dict, whole: dict) -> bool:
    """The same unit, or the same measure word (个, 名) where the part names no noun of its own
    (服务站48个，其中新建32个: the parts' unit could not be read from a noun)."""
    if part["unit"] == whole["unit"]:
        return True
    word = part["value_text"][-1:]
    return bool(word) and not word.isdigit() and word == whole["value_text"][-1:]


def unambiguous_unit_forms(vocabularies: Vocabularies) -> dict[str, str]:
    """Chinese unit words that name one unit code only (个 and 名 name several)."""
    codes: dict[str, set[str]] = {}
    for code, term in vocabularies.terms("units").items():
        for form in term.zh_forms:
            codes.setdefault(form, set()).add(code)
    return {form: next(iter(found)) for form, found in codes.items() if len(found) == 1}
