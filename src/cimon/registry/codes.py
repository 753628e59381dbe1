"""统一社会信用代码 (unified social credit identifier) validation, GB 32100-2015.

An 18-character code, every character from the code's set of 31 (``0-9 A-H J-N P-R T U W-Y``;
no ``I O Z S V``)::

    9  1  440300  19220382 1  6
    │  │  │       │        │  └ 18: check character of the whole code (GB 32100, mod 31)
    │  │  │       └────────┴ 9–17: 主体标识码 = organisation code, its own check (GB 11714, mod 11)
    │  │  └ 3–8: region code of the registration authority (GB/T 2260 shape)
    │  └ 2: kind of organisation (机构类别), within its authority
    └ 1: registration authority (登记管理部门)

Check character (position 18): ``C18 = 31 − (Σ_{i=1..17} v(c_i)·w_i mod 31)``, with
``w_i = 3^(i−1) mod 31`` and ``v`` the character's index in the set; 31 is written ``0``.
Organisation code (GB 11714-1997): ``C9 = 11 − (Σ_{i=1..8} v(c_i)·w_i mod 11)`` with weights
``3 7 9 10 5 8 4 2`` and ``v`` 0–9 for digits, 10–35 for ``A``–``Z``; 10 is written ``X`` and 11
``0``.

References: GB 32100-2015《法人和其他组织统一社会信用代码编码规则》; GB 11714-1997《全国组织
机构代码编制规则》; GB/T 2260《中华人民共和国行政区划代码》.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = [
    "AUTHORITIES",
    "CHARSET",
    "KINDS",
    "WEIGHTS",
    "CodeCheck",
    "check_character",
    "check_code",
    "is_valid_code",
    "normalise_code",
    "organisation_check_character",
]

#: The 31 characters of a 统一社会信用代码, in the order of their values 0–30.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(CHARSET)}
#: Weights of positions 1–17: 3^(i−1) mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
#: GB 11714 weights of the eight body characters of an organisation code.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

#: Registration authorities (position 1), GB 32100-2015 table 1 (with the later assignments
#: of ``A`` and ``N``): code → (Chinese, English).
AUTHORITIES: dict[str, tuple[str, str]] = {
    "1": ("机构编制", "institutional establishment"),
    "2": ("外交", "foreign affairs"),
    "3": ("司法行政", "justice"),
    "4": ("文化", "culture"),
    "5": ("民政", "civil affairs"),
    "6": ("旅游", "tourism"),
    "7": ("宗教", "religious affairs"),
    "8": ("工会", "trade unions"),
    "9": ("工商", "industry and commerce (market regulation)"),
    "A": ("中央军委改革和编制办公室", "Central Military Commission establishment office"),
    "N": ("农业", "agriculture"),
    "Y": ("其他", "other"),
}

#: Kinds of organisation (position 2) allowed for each authority: authority → {kind: name}.
KINDS: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "外国律师事务所驻华代表机构",
        "3": "司法鉴定机构",
        "4": "仲裁委员会",
        "5": "公证机构",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {
        "1": "外国旅游部门常驻代表机构",
        "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
        "9": "其他",
    },
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}

#: First two digits of GB/T 2260 province-level codes (with 71 台湾, 81 香港, 82 澳门); a
#: registration authority of the central level writes ``100000``.
PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"}
    | {"65", "71", "81", "82"}
)
CENTRAL_REGION = "100000"


@dataclass(frozen=True)
class CodeCheck:
    """The result of checking one code: ``valid``, and when not, why (``reason`` is a stable
    key, ``zh``/``en`` say it in words), the 1-based ``position`` at fault (0: the whole code)
    and, for a wrong check character, the one ``expected``."""

    code: str
    valid: bool
    reason: str = ""
    zh: str = ""
    en: str = ""
    position: int = 0
    expected: str = ""

    @property
    def authority(self) -> tuple[str, str] | None:
        """The registration authority's name (Chinese, English), when position 1 is known."""
        return AUTHORITIES.get(self.code[:1]) if self.code else None

    @property
    def region(self) -> str:
        """Positions 3–8: the registration authority's region code."""
        return self.code[2:8] if len(self.code) == 18 else ""

    def message(self) -> str:
        """``zh`` and ``en`` on one line, or ``有效 / valid``."""
        return f"{self.zh} / {self.en}" if not self.valid else "有效 / valid"


def normalise_code(text: object) -> str:
    """A code as typed, made comparable: NFKC (full-width → half-width), spaces and dashes
    removed, upper case. Missing values (None, NaN) give ``""``."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    t = unicodedata.normalize("NFKC", str(text))
    return "".join(ch for ch in t if not ch.isspace() and ch not in "-‐—").upper()


def check_character(first17: str) -> str:
    """The 18th character for the first 17 of a code (every one from :data:`CHARSET`)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def organisation_check_character(body8: str) -> str:
    """The GB 11714 check character (``0``–``9`` or ``X``) of an organisation code's eight
    body characters (digits or upper-case letters)."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _bad(
    code: str, reason: str, zh: str, en: str, position: int = 0, expected: str = ""
) -> CodeCheck:
    return CodeCheck(code, False, reason, zh, en, position, expected)


def check_code(text: object) -> CodeCheck:
    """Check one 统一社会信用代码 against GB 32100-2015; the first fault found is reported.

    Checked in order: length (18), the character set, the registration authority (position 1),
    the kind for that authority (2), the region code's shape (3–8: six digits, a province
    prefix of GB/T 2260 or ``100000``), the organisation code's own check character (17, GB
    11714) and the code's check character (18). The code is normalised first
    (:func:`normalise_code`): full-width characters, spaces and lower case are accepted.
    """
    code = normalise_code(text)
    if not code:
        return _bad(code, "empty", "代码为空。", "The code is empty.")
    if len(code) != 18:
        return _bad(
            code,
            "length",
            f"代码应为 18 位，实为 {len(code)} 位。",
            f"A code has 18 characters; this one has {len(code)}.",
        )
    for i, ch in enumerate(code, start=1):
        if ch not in _VALUE:
            hint_zh = "（代码中不使用字母 I、O、Z、S、V）" if ch in "IOZSV" else ""
            hint_en = " (codes never use the letters I, O, Z, S, V)" if ch in "IOZSV" else ""
            return _bad(
                code,
                "charset",
                f"第 {i} 位“{ch}”不是代码字符{hint_zh}。",
                f"Position {i} '{ch}' is not a code character{hint_en}.",
                i,
            )
    auth, kind = code[0], code[1]
    if auth not in AUTHORITIES:
        return _bad(
            code,
            "authority",
            f"第 1 位登记管理部门代码“{auth}”不存在（应为 1–9、A、N 或 Y）。",
            f"Position 1: registration authority '{auth}' does not exist (1–9, A, N or Y).",
            1,
        )
    if kind not in KINDS[auth]:
        allowed = "、".join(KINDS[auth])
        return _bad(
            code,
            "kind",
            f"第 2 位机构类别代码“{kind}”不属于登记管理部门“{AUTHORITIES[auth][0]}”（应为 {allowed}）。",
            f"Position 2: kind '{kind}' does not exist for authority '{AUTHORITIES[auth][1]}' "
            f"({', '.join(KINDS[auth])}).",
            2,
        )
    region = code[2:8]
    bad_digit = next((i for i, ch in enumerate(region, start=3) if not ch.isdigit()), 0)
    if bad_digit:
        return _bad(
            code,
            "region",
            f"第 3–8 位应为 6 位数字的行政区划代码，第 {bad_digit} 位“{code[bad_digit - 1]}”不是数字。",
            f"Positions 3–8 are a six-digit region code; position {bad_digit} "
            f"'{code[bad_digit - 1]}' is not a digit.",
            bad_digit,
        )
    if region != CENTRAL_REGION and region[:2] not in PROVINCES:
        return _bad(
            code,
            "region",
            f"第 3–8 位行政区划代码“{region}”的省级代码“{region[:2]}”不存在（GB/T 2260）。",
            f"Positions 3–8: region code '{region}' has no province '{region[:2]}' (GB/T 2260).",
            3,
        )
    org = code[8:17]
    expected_org = organisation_check_character(org[:8])
    if org[8] != expected_org:
        return _bad(
            code,
            "organisation",
            f"第 9–17 位组织机构代码“{org}”的校验位（第 17 位）应为“{expected_org}”，实为“{org[8]}”"
            "（GB 11714）。",
            f"Positions 9–17: organisation code '{org}' should end in check character "
            f"'{expected_org}' at position 17, not '{org[8]}' (GB 11714).",
            17,
            expected_org,
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return _bad(
            code,
            "check",
            f"第 18 位校验码应为“{expected}”，实为“{code[17]}”（可能有一位抄错或两位颠倒）。",
            f"Position 18: the check character should be '{expected}', not '{code[17]}' (a "
            "character may be mistyped or two swapped).",
            18,
            expected,
        )
    return CodeCheck(code, True)


def is_valid_code(text: object) -> bool:
    """``check_code(text).valid``."""
    return check_code(text).valid
