"""``jiceng draft``: propose the rows of a source from its text, for a curator to review.

The drafter reads an essay the way a curator starts: every quantity the parser finds
becomes a metric (value, bound and unit word from :mod:`jiceng.quantity`, a unit code and
value type guessed from the words around it, the period phrase of its sentence, the clause
as quote); every other number-like token becomes a non-metric row with a guessed reason;
every quoted name (“…”, 《…》) and every name of a body, platform or mechanism the
pattern sees becomes an initiative; a paragraph that ends without sentence punctuation
and a stated total whose parts (其中…) do not add up become annotation candidates.

Every proposal has status ``draft``, so ``jiceng validate`` refuses it until a curator has
checked it against the source, filled the English and set it to ``active``. Nothing is
tuned to the bundled essays: the rules are those of Chinese official prose (statistics
are written in Arabic digits; a Chinese numeral is a count only with a unit and is mostly
part of a word, a name or a slogan).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .models import Annotation, ConsistencyCheck, Initiative, Metric, NonMetricNumber, Row
from .quantity import Quantity, find_number_tokens, find_quantities
from .tablefile import TableShapeError, new_id, next_free_numbers, read_table_rows, write_table
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


class DraftError(Exception):
    """An ID that names no source of the package, or a table that cannot be rewritten."""


@dataclass
class Drafted:
    """The proposed rows, by table, and the tables' columns."""

    rows: dict[str, list[dict[str, str]]] = field(default_factory=lambda: {
        name: [] for name in ("metrics", "non_metric_numbers", "initiatives", "annotations", "consistency_checks")})

    def count(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


@dataclass
class Essay:
    source_id: str
    district_id: str
    text: str
    start: int
    end: int
    free: dict[str, int]
    covered: list[tuple[int, int]] = field(default_factory=list)
    annotated: list[tuple[int, int]] = field(default_factory=list)

    def is_covered(self, start: int, end: int) -> bool:
        return any(lo <= start and end <= hi for lo, hi in self.covered)


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


def quoted(essay: Essay, start: int, end: int) -> dict[str, object]:
    """Quote cells for text[start:end], with a prefix where the words occur more than once."""
    text = essay.text
    quote = text[start:end]
    prefix = unique_prefix(text, start, quote, essay.start, essay.end)
    return {"quote": quote, "quote_prefix": prefix or None, "quote_start": start, "quote_end": end}


# -- metrics -------------------------------------------------------------------------------


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


def draft_metrics(essay: Essay, drafted: Drafted, units: dict[str, str]) -> list[tuple[Quantity, dict]]:
    text = essay.text
    found = []
    names = [(m.start(), m.end()) for m in QUOTED_NAME.finditer(text, essay.start, essay.end)]
    for quantity in find_quantities(text[essay.start:essay.end]):
        start, end = quantity.start + essay.start, quantity.end + essay.start
        if not is_statistic(quantity) or is_version(text, end) or essay.is_covered(start, end):
            continue
        if any(lo < start and end < hi for lo, hi in names):
            continue  # inside a name or title: a non-metric number
        sentence = clause_bounds(text, start, end, essay.start, essay.end, SENTENCE_END)
        clause = clause_bounds(text, start, end, essay.start, essay.end)
        period = period_of(text, sentence, start)
        quote_start = min(clause[0], period[0]) if period else clause[0]
        quote_end = clause[1]
        if text.count(quantity.text, quote_start, quote_end) != 1:
            quote_start, period = start, None  # the figure's words recur in its clause: quote from the figure on
            again = text.find(quantity.text, end, quote_end)
            if again >= 0:
                quote_end = again  # ... and up to where they recur
        before = text[clause[0]:start]
        after = text[end:clause[1]]
        qualifier = quantity.qualifier
        if qualifier == "exact" and LOWER_BOUND.search(before[-8:]):
            qualifier = "at_least"  # 每季度至少召开1次: the bound governs the verb phrase
        unit = unit_code(quantity, before, after, units)
        subject = subject_of(before, after)
        row = {
            "metric_id": new_id(essay.source_id, "m", essay.free), "source_id": essay.source_id,
            "district_id": essay.district_id, "subject_zh": subject or None, "value": quantity.value,
            "value_max": quantity.value_max, "unit": unit, "qualifier": qualifier,
            "value_type": value_type(quantity, unit, text[quote_start:start]), "value_text": quantity.text,
            "topic": topic_of(unit, text[clause[0]:clause[1]]),
            "period_text": text[period[0]:period[1]] if period else None,
            **quoted(essay, quote_start, quote_end), "status": "draft",
        }
        drafted.rows["metrics"].append(row)
        essay.covered.append((start, end))
        if period:
            essay.covered.append(period)
        found.append((quantity, row))
    return found


# -- non-metric numbers --------------------------------------------------------------------


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


def draft_non_metrics(essay: Essay, drafted: Drafted, words: dict[str, str]) -> None:
    text = essay.text
    for start, end, _ in find_number_tokens(text[essay.start:essay.end]):
        start, end = start + essay.start, end + essay.start
        if essay.is_covered(start, end):
            continue
        word_start, word_end, reason = number_word(text, start, end, essay.start, essay.end, words)
        drafted.rows["non_metric_numbers"].append({
            "number_id": new_id(essay.source_id, "n", essay.free), "source_id": essay.source_id,
            "number_text": text[word_start:word_end], "reason": reason,
            **quoted(essay, word_start, word_end), "status": "draft",
        })
        essay.covered.append((word_start, word_end))


# -- initiatives -----------------------------------------------------------------------------


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


def draft_initiatives(essay: Essay, drafted: Drafted, known_names: set[str], words: dict[str, str]) -> None:
    text = essay.text
    proposals = []
    for match in QUOTED_NAME.finditer(text, essay.start, essay.end):
        group = 1 if match.group(1) is not None else 2
        name = match.group(group)
        if re.search(r"[。！？]", name) or name in words:
            continue  # a quotation, or an ordinary word in quotes (“最后一公里”)
        proposals.append((match.start(group), match.end(group), name, "as_written", group == 2))
    spans = [(start, end) for start, end, *_ in proposals]
    for match in SEEN_NAME.finditer(text, essay.start, essay.end):
        start, end = match.span(1)
        if not any(lo <= start < hi or lo < end <= hi for lo, hi in spans):
            proposals.append((start, end, match.group(1), "descriptive", False))
    for start, end, name, basis, title in sorted(proposals):
        if name in known_names:
            continue
        known_names.add(name)
        clause_start, _ = clause_bounds(text, start, start, essay.start, essay.end)
        _, clause_end = clause_bounds(text, end, end, essay.start, essay.end)
        clause_start = min(clause_start, start - 1 if basis == "as_written" else start)
        clause_end = max(clause_end, end + 1 if basis == "as_written" else end)
        drafted.rows["initiatives"].append({
            "initiative_id": new_id(essay.source_id, "i", essay.free), "source_id": essay.source_id,
            "district_id": essay.district_id, "name_zh": name, "name_basis": basis,
            "kind": kind_of(name, title, text[end + 1:end + 5] if basis == "as_written" else ""),
            "scope": "district",  # most rows are the district's own; the curator marks a higher level
            "description_zh": text[clause_start:clause_end],
            **quoted(essay, clause_start, clause_end), "status": "draft",
        })


# -- annotation candidates -------------------------------------------------------------------


def draft_split_sentences(essay: Essay, drafted: Drafted) -> None:
    """A body paragraph that ends without sentence punctuation runs on into the next one."""
    text = essay.text
    lines = []
    offset = essay.start
    for line in text[essay.start:essay.end].split("\n"):
        if line.strip():
            lines.append((offset, offset + len(line.rstrip())))
        offset += len(line) + 1
    for (start, end), (next_start, next_end) in zip(lines, lines[1:]):
        paragraph = text[start:end]
        if paragraph[-1:] in SENTENCE_FINAL or not re.search(r"[，。；]", paragraph):
            continue
        if any(lo <= end and next_start <= hi for lo, hi in essay.annotated):
            continue  # an annotation already covers this break
        quote_start = max(start, end - 6)
        quote_end = min(next_end, next_start + 6)
        drafted.rows["annotations"].append({
            "annotation_id": new_id(essay.source_id, "a", essay.free), "source_id": essay.source_id,
            "kind": "split_sentence", **quoted(essay, quote_start, quote_end),
            "description_zh": "段落在句中断开（段末无句末标点）。", "status": "draft",
        })


def draft_consistency(essay: Essay, drafted: Drafted, metrics: list[tuple[Quantity, dict]]) -> None:
    """A total followed by 其中 and two or more parts in the same unit that do not add up."""
    text = essay.text
    for index, (_, whole) in enumerate(metrics):
        marker = text.find("其中", whole["quote_end"] - 1, whole["quote_end"] + 3)
        if marker < 0:
            continue
        sentence_end = clause_bounds(text, marker, marker, essay.start, essay.end, "。\n")[1]
        parts = [row for _, row in metrics[index + 1:]
                 if row["quote_start"] < sentence_end and row["unit"] == whole["unit"] and row["qualifier"] == "exact"]
        if len(parts) < 2 or abs(sum(float(row["value"]) for row in parts) - float(whole["value"])) < 1e-9:
            continue
        annotation_id = new_id(essay.source_id, "a", essay.free)
        start = whole["quote_start"]
        drafted.rows["annotations"].append({
            "annotation_id": annotation_id, "source_id": essay.source_id, "kind": "inconsistent_value",
            **quoted(essay, start, sentence_end), "status": "draft",
        })
        drafted.rows["consistency_checks"].append({
            "check_id": new_id(essay.source_id, "c", essay.free), "source_id": essay.source_id,
            "kind": "sum_of_parts", "metric_ids": " ".join(row["metric_id"] for row in [whole, *parts]),
            "annotation_id": annotation_id, "outcome": "disagrees",
            "recomputed": sum(float(row["value"]) for row in parts), "status": "draft",
        })
        for row in [whole, *parts]:
            row.setdefault("tied", []).append(annotation_id)


# -- the command -----------------------------------------------------------------------------

TABLE_MODELS: dict[str, type[Row]] = {
    "metrics": Metric, "non_metric_numbers": NonMetricNumber, "initiatives": Initiative,
    "annotations": Annotation, "consistency_checks": ConsistencyCheck,
}


def spans_of_existing(rows: dict[str, list[dict[str, str]]], source_id: str) -> list[tuple[int, int]]:
    """Document spans that existing rows of a source already account for."""
    covered = []
    for row in rows["metrics"]:
        if row["source_id"] != source_id or not row.get("quote_start"):
            continue
        for words in (row.get("value_text"), row.get("period_text")):
            index = row["quote"].find(words) if words else -1
            if index >= 0:
                start = int(row["quote_start"]) + index
                covered.append((start, start + len(words)))
    for row in rows["non_metric_numbers"]:
        if row["source_id"] == source_id and row.get("quote_start") and row.get("quote_end"):
            covered.append((int(row["quote_start"]), int(row["quote_end"])))
    return covered


def unambiguous_unit_forms(vocabularies: Vocabularies) -> dict[str, str]:
    """Chinese unit words that name one unit code only (个 and 名 name several)."""
    codes: dict[str, set[str]] = {}
    for code, term in vocabularies.terms("units").items():
        for form in term.zh_forms:
            codes.setdefault(form, set()).add(code)
    return {form: next(iter(found)) for form, found in codes.items() if len(found) == 1}


def draft(root: Path, wanted: str, write: bool = True) -> tuple[Drafted, list[dict[str, str]]]:
    """Propose rows for source ``wanted`` (or every essay of document ``wanted``) of the
    package at ``root``; write them (status draft) unless ``write`` is false."""
    from .models import Source

    try:
        sources = read_table_rows(root / Source.table.path, Source.columns())
        existing = {name: read_table_rows(root / model.table.path, model.columns())
                    for name, model in TABLE_MODELS.items()}
    except TableShapeError as error:
        raise DraftError(str(error)) from None
    chosen = [row for row in sources if wanted in (row["source_id"], row["document_id"])]
    if not chosen:
        known = sorted({row["source_id"] for row in sources} | {row["document_id"] for row in sources})
        close = difflib.get_close_matches(wanted, known, n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; give a source_id or document_id of sources.csv"
        raise DraftError(f"{wanted!r} is no source or document of this package{hint}")
    vocabularies = Vocabularies(root)
    units = unambiguous_unit_forms(vocabularies)
    words = lexicon(vocabularies)
    drafted = Drafted()
    free = next_free_numbers(row.get(model.table.primary_key, "") for name, model in TABLE_MODELS.items()
                             for row in existing[name])
    for source in chosen:
        try:
            text = (root / source["path"]).read_text(encoding="utf-8")
            essay = Essay(source["source_id"], source["district_id"], text, int(source["span_start"]),
                          int(source["span_end"]), free, spans_of_existing(existing, source["source_id"]))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise DraftError(f"source {source['source_id']}: its text, span or rows cannot be read ({error}); "
                             "run `jiceng validate` and fix what it reports") from None
        known = {row["name_zh"] for row in existing["initiatives"] if row["source_id"] == source["source_id"]}
        essay.annotated = [(int(row["quote_start"]), int(row["quote_end"])) for row in existing["annotations"]
                           if row["source_id"] == source["source_id"] and row["quote_start"] and row["quote_end"]]
        metrics = draft_metrics(essay, drafted, units)
        draft_non_metrics(essay, drafted, words)
        draft_initiatives(essay, drafted, known, words)
        draft_split_sentences(essay, drafted)
        draft_consistency(essay, drafted, metrics)
    link_annotations(drafted, existing["annotations"])
    if write:
        for name, model in TABLE_MODELS.items():
            if drafted.rows[name]:
                write_table(root / model.table.path, model.columns(), existing[name] + drafted.rows[name])
    return drafted, chosen


def link_annotations(drafted: Drafted, existing: list[dict[str, str]]) -> None:
    """Fill ``annotation_ids`` of the drafted metrics and initiatives as the validator
    expects them: every annotation of the source whose span overlaps the row's quote, and
    the annotation of a drafted consistency check that names the row."""
    spans = [(row["source_id"], int(row["quote_start"]), int(row["quote_end"]), row["annotation_id"])
             for row in [*existing, *drafted.rows["annotations"]]
             if row.get("quote_start") not in (None, "") and row.get("quote_end") not in (None, "")]
    for name in ("metrics", "initiatives"):
        for row in drafted.rows[name]:
            start, end = int(row["quote_start"]), int(row["quote_end"])
            links = [annotation for source, lo, hi, annotation in spans
                     if source == row["source_id"] and lo < end and start < hi]
            links += row.pop("tied", [])
            row["annotation_ids"] = " ".join(dict.fromkeys(sorted(links))) or None


def to_fill(drafted: Drafted) -> list[str]:
    """What the curator must do with the drafts, table by table."""
    lines = []
    needs = {
        "metrics": "check value, unit, qualifier, value_type, topic and period_text against the quote; write subject_zh "
                   "and subject_en; shorten the quote to the words that support the figure",
        "non_metric_numbers": "check the reason; write explanation_en; a quote must not cover a metric's number",
        "initiatives": "keep only real programmes, bodies, platforms and documents; check scope; write name_en, "
                       "category and description_en; name_zh without enclosing quotes",
        "annotations": "keep only real defects; write description_en (and suggested_reading)",
        "consistency_checks": "check that the parts are the whole's only parts; write description_en",
    }
    for name, rows in drafted.rows.items():
        if rows:
            lines.append(f"data/{name}.csv: {len(rows)} draft row(s) ({rows[0][TABLE_MODELS[name].table.primary_key]}"
                         f"…): {needs[name]}")
    return lines
