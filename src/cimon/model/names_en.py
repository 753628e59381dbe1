"""English names of county-level units: Hanyu Pinyin of the stem plus the English administrative word.

西吉县 → Xiji County, 灵武市 → Lingwu City, 融水苗族自治县 → Rongshui Miao Autonomous County. Names
whose standard English form is not the pinyin (乌鲁木齐县 → Urumqi County, Inner Mongolian banners,
Tibetan and Uyghur names) come from an override table (``data/regions/names_en.csv``). Display only:
the Chinese name stays the identifier everywhere.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

#: Chinese administrative suffix → English word, longest first
KIND_EN = (
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("林区", "Forestry District"),
    ("特区", "Special District"),
    ("县", "County"),
    ("市", "City"),
    ("区", "District"),
    ("旗", "Banner"),
)
#: ethnic group names as they appear in autonomous-county names
ETHNIC_EN = {
    "各族": "Multi-Ethnic",
    "回族": "Hui",
    "苗族": "Miao",
    "侗族": "Dong",
    "瑶族": "Yao",
    "壮族": "Zhuang",
    "土家族": "Tujia",
    "布依族": "Bouyei",
    "彝族": "Yi",
    "仡佬族": "Gelao",
    "水族": "Shui",
    "仫佬族": "Mulao",
    "毛南族": "Maonan",
    "黎族": "Li",
    "畲族": "She",
    "满族": "Manchu",
    "蒙古族": "Mongol",
    "蒙古": "Mongol",
    "藏族": "Tibetan",
    "羌族": "Qiang",
    "傣族": "Dai",
    "白族": "Bai",
    "哈尼族": "Hani",
    "拉祜族": "Lahu",
    "佤族": "Va",
    "纳西族": "Naxi",
    "傈僳族": "Lisu",
    "独龙族": "Derung",
    "怒族": "Nu",
    "普米族": "Pumi",
    "景颇族": "Jingpo",
    "布朗族": "Blang",
    "哈萨克": "Kazakh",
    "哈萨克族": "Kazakh",
    "锡伯": "Xibe",
    "塔吉克": "Tajik",
    "土族": "Tu",
    "撒拉族": "Salar",
    "东乡族": "Dongxiang",
    "保安族": "Bonan",
    "裕固族": "Yugur",
    "朝鲜族": "Korean",
    "达斡尔族": "Daur",
    "鄂温克族": "Evenk",
    "京族": "Gin",
}


@lru_cache(maxsize=1)
def overrides() -> dict[str, str]:
    """Chinese name → standard English name from the bundled override table."""
    text = (resources.files("cimon.data") / "regions" / "names_en.csv").read_text("utf-8")
    return {row["name"]: row["name_en"] for row in csv.DictReader(io.StringIO(text))}


def pinyin(text: str) -> str:
    """Hanyu Pinyin without tones, syllables joined, first letter capitalised (固原 → Guyuan)."""
    from pypinyin import Style, lazy_pinyin

    joined = "".join(lazy_pinyin(text, style=Style.NORMAL, v_to_u=False))
    return joined[:1].upper() + joined[1:]


def _split_ethnic(stem: str) -> tuple[str, list[str]]:
    """融水苗族 → (融水, [Miao]); 彭水苗族土家族 → (彭水, [Miao, Tujia])."""
    found: list[str] = []
    rest = stem
    changed = True
    while changed and len(rest) > 2:
        changed = False
        for zh in sorted(ETHNIC_EN, key=len, reverse=True):
            if rest.endswith(zh) and len(rest) > len(zh) + 1:
                found.insert(0, ETHNIC_EN[zh])
                rest = rest[: -len(zh)]
                changed = True
                break
    return rest, found


def english_name(name: str) -> str:
    """The English name of a county-level unit.

    >>> english_name("西吉县"), english_name("灵武市"), english_name("红寺堡区")
    ('Xiji County', 'Lingwu City', 'Hongsibao District')
    >>> english_name("融水苗族自治县")
    'Rongshui Miao Autonomous County'
    >>> english_name("乌鲁木齐县")
    'Urumqi County'
    """
    table = overrides()
    if name in table:
        return table[name]
    for zh, en in KIND_EN:
        if name.endswith(zh) and len(name) > len(zh):
            stem = name[: -len(zh)]
            if zh.startswith("自治"):
                stem, groups = _split_ethnic(stem)
                return " ".join([pinyin(stem), *groups, en])
            return f"{pinyin(stem)} {en}"
    return pinyin(name)


#: English names of the provinces (省级), as in official English usage
PROVINCE_EN = {
    "北京市": "Beijing",
    "天津市": "Tianjin",
    "河北省": "Hebei",
    "山西省": "Shanxi",
    "内蒙古自治区": "Inner Mongolia Autonomous Region",
    "辽宁省": "Liaoning",
    "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang",
    "上海市": "Shanghai",
    "江苏省": "Jiangsu",
    "浙江省": "Zhejiang",
    "安徽省": "Anhui",
    "福建省": "Fujian",
    "江西省": "Jiangxi",
    "山东省": "Shandong",
    "河南省": "Henan",
    "湖北省": "Hubei",
    "湖南省": "Hunan",
    "广东省": "Guangdong",
    "广西壮族自治区": "Guangxi Zhuang Autonomous Region",
    "海南省": "Hainan",
    "重庆市": "Chongqing",
    "四川省": "Sichuan",
    "贵州省": "Guizhou",
    "云南省": "Yunnan",
    "西藏自治区": "Tibet Autonomous Region",
    "陕西省": "Shaanxi",
    "甘肃省": "Gansu",
    "青海省": "Qinghai",
    "宁夏回族自治区": "Ningxia Hui Autonomous Region",
    "新疆维吾尔自治区": "Xinjiang Uygur Autonomous Region",
}

#: prefecture-level names whose standard English is not the pinyin of the stem
CITY_EN = {
    "拉萨市": "Lhasa",
    "日喀则市": "Shigatse",
    "乌鲁木齐市": "Urumqi",
    "呼和浩特市": "Hohhot",
    "喀什地区": "Kashgar Prefecture",
    "和田地区": "Hotan Prefecture",
    "阿拉善盟": "Alxa League",
    "锡林郭勒盟": "Xilingol League",
    "兴安盟": "Hinggan League",
}


def city_english(name: str) -> str:
    """English name of a 设区市 / 地区 / 自治州 / 盟 (固原市 → Guyuan)."""
    if name in CITY_EN:
        return CITY_EN[name]
    for zh, en in (("自治州", "Autonomous Prefecture"), ("地区", "Prefecture"), ("盟", "League")):
        if name.endswith(zh) and len(name) > len(zh):
            stem = name[: -len(zh)]
            if zh == "自治州":
                stem, groups = _split_ethnic(stem)
                return " ".join([pinyin(stem), *groups, en])
            return f"{pinyin(stem)} {en}"
    if name.endswith("市") and len(name) > 2:
        return pinyin(name[:-1])
    return PROVINCE_EN.get(name, pinyin(name))
