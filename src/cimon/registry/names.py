"""Enterprise names made comparable for matching (企业名称规范化).

The same enterprise reaches a province's lists written many ways: ``寧夏某某科技有限責任公司``,
``宁夏某某科技有限公司``, ``宁夏某某科技（集团）有限公司 ``, ``宁夏 某某科技股份有限公司``. The key
built here is what the matcher compares (:mod:`cimon.registry.match`):

1. NFKC: full-width letters, digits and brackets become half-width (``（）`` → ``()``);
2. every other bracket (``【】〔〕[]｛｝``) becomes ``()``; white space is removed;
3. Traditional → Simplified Chinese (OpenCC ``t2s``, as :func:`cimon.model.regions.normalise_name`);
4. Latin letters lower case;
5. the legal form at the end (有限责任公司, 股份有限公司, 有限公司, 股份公司, 公司, "Co., Ltd.",
   "Company Limited", "Limited" …) is reduced to one canonical ``公司``, and ``(集团)`` to ``集团``.

Region prefixes (``宁夏``, ``银川市``) and bracketed place names (``华为技术(深圳)``) are kept: two
enterprises may differ only there. A branch (``分公司``) keeps its parent's name, normalised the
same way, so ``X有限公司银川分公司`` and ``X有限责任公司银川分公司`` agree but differ from ``X有限公司``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = ["CANONICAL_FORM", "LEGAL_FORMS", "name_key", "name_keys"]

#: What every legal form becomes in a key.
CANONICAL_FORM = "公司"
#: Legal forms, longest first, as they appear after steps 1–4 (lower case, no spaces).
LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
    "companylimited",
    "co.,ltd.",
    "co.,ltd",
    "co.ltd.",
    "co.ltd",
    "co.,limited",
    "corporation",
    "limited",
    "company",
    "ltd.",
    "ltd",
    "co.",
    "公司",
)
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")",
                           "{": "(", "}": ")", "〈": "(", "〉": ")", "《": "(", "》": ")"})  # fmt: skip
_SPACE = re.compile(r"[\s\u3000\u00a0\u200b]+")
_FORM_AT_END = re.compile("(" + "|".join(re.escape(f) for f in LEGAL_FORMS) + r")[,.]*$")
_FORM_BEFORE_BRANCH = re.compile(
    "(" + "|".join(re.escape(f) for f in LEGAL_FORMS[:4]) + ")(?=.+分公司$)"
)


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _before_t2s(name: object) -> str:
    if name is None or (isinstance(name, float) and name != name):
        return ""
    text = unicodedata.normalize("NFKC", str(name)).translate(_BRACKETS)
    return _SPACE.sub("", text)


def _after_t2s(text: str) -> str:
    text = text.lower().replace("(集团)", "集团")
    if text.endswith("分公司"):
        return _FORM_BEFORE_BRANCH.sub(CANONICAL_FORM, text, count=1)
    m = _FORM_AT_END.search(text)
    if m and m.start() > 0:
        text = text[: m.start()].rstrip(",. ") + CANONICAL_FORM
    return text


def name_key(name: object) -> str:
    """The matching key of one enterprise name (see the module's docstring); ``""`` for a
    missing name.

    >>> name_key("寧夏 某某科技有限責任公司")
    '宁夏某某科技公司'
    >>> name_key("Huawei Technologies Co., Ltd.")
    'huaweitechnologies公司'
    """
    return _after_t2s(str(_t2s().convert(_before_t2s(name))))


def name_keys(names: Iterable[object]) -> list[str]:
    """:func:`name_key` of many names at once: OpenCC converts them in one call (a name
    cannot hold a line break once white space is removed, so lines keep names apart), which
    is about ten times faster than one call per name on 500,000 names."""
    pre = [_before_t2s(n) for n in names]
    if not pre:
        return []
    converted = str(_t2s().convert("\n".join(pre))).split("\n")
    if len(converted) != len(pre):  # never expected; fall back to one name at a time
        converted = [str(_t2s().convert(p)) for p in pre]
    return [_after_t2s(t) for t in converted]
