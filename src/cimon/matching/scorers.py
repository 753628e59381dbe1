"""The registered scorers: one feature of a need–candidate pair each, in [0, 1].

Like the engine's methods (:mod:`cimon.engine.base`), a scorer is a pure function plus a thin
frozen dataclass of its parameters, declared once (:class:`cimon.engine.params.Param`) and checked by
the constructor; ``get_params()`` and ``replace(**kw)`` as there. The engine combines the scorers'
values with weights (:mod:`cimon.matching.engine`):

====================  ======================================================================
``text``              BM25 of the need's tokens against the candidate's title and abstract,
                      divided by the best BM25 among the candidates for that need (so 1.0 is
                      the best textual match, 0 no shared term)
``field``             the strength of the mapping GB/T 4754 industry → GB/T 13745 discipline
                      (1.0 direct, 0.5 related, 0 none or unknown)
``region``            1.0 same county, ``city`` same city, ``province`` same province, else 0
``maturity``          (TRL − 1) / (``full`` − 1), capped at 1; ``unknown`` when no TRL
====================  ======================================================================

Every scorer's ``score(batch, index)`` returns a needs × candidates float32 array.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import numpy as np

from cimon.engine.params import Param, check
from cimon.errors import MethodError
from cimon.matching.index import Index
from cimon.matching.taxonomy import field_map, industry_division, industry_section

__all__ = [
    "SCORERS",
    "Batch",
    "Field",
    "Maturity",
    "Region",
    "Scorer",
    "Text",
    "field_score",
    "make_scorer",
    "maturity_score",
    "region_score",
    "text_score",
]

S = TypeVar("S", bound="Scorer")
SCORERS: dict[str, type[Scorer]] = {}


@dataclass(frozen=True)
class Batch:
    """The needs being scored together: their tokens, industry codes and county codes."""

    tokens: Sequence[Sequence[str]]
    industries: Sequence[str]
    counties: np.ndarray  # int GB/T 2260 codes, 0 unknown

    def __len__(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True)
class Scorer:
    """Base of the scorers: a frozen dataclass of the parameters."""

    name: ClassVar[str] = ""
    title_zh: ClassVar[str] = ""
    title_en: ClassVar[str] = ""
    params: ClassVar[tuple[Param, ...]] = ()
    function: ClassVar[Callable[..., np.ndarray] | None] = None

    def __post_init__(self) -> None:
        check(f"matching.{self.name}", self.params, (), self.get_params(), None, None)

    def get_params(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def replace(self: S, **changes: Any) -> S:
        bad = [k for k in changes if k not in self.get_params()]
        if bad:
            raise MethodError(
                f"评分项 {self.name} 没有参数：{'、'.join(bad)}。",
                f"Scorer {self.name} has no parameter(s): {', '.join(bad)}.",
            )
        return dataclasses.replace(self, **changes)

    def score(self, batch: Batch, index: Index) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


def register(cls: type[S]) -> type[S]:
    if cls.name in SCORERS:
        raise ValueError(f"duplicate scorer {cls.name}")
    SCORERS[cls.name] = cls
    return cls


def make_scorer(spec: dict[str, Any]) -> Scorer:
    """A scorer from ``{"scorer": name, **params}``; an unknown name or parameter is an error."""
    name = str(spec.get("scorer"))
    cls = SCORERS.get(name)
    if cls is None:
        known = ", ".join(sorted(SCORERS))
        raise MethodError(
            f"没有名为“{name}”的评分项。可用：{known}。", f"No scorer '{name}'. Available: {known}."
        )
    params = {k: v for k, v in spec.items() if k != "scorer"}
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(params) - names)
    if unknown:
        raise MethodError(
            f"评分项 {name} 不接受参数：{'、'.join(unknown)}。",
            f"Scorer {name} takes no parameter(s) {', '.join(unknown)}.",
        )
    return cls(**params)


# --- the pure functions ---------------------------------------------------------------------------


def text_score(raw: np.ndarray) -> np.ndarray:
    """Raw BM25 (needs × candidates) divided by each need's best; a row without any shared term
    stays 0."""
    raw = np.asarray(raw, dtype=np.float32)
    if raw.size == 0:
        return raw.copy()
    top = raw.max(axis=1, keepdims=True)
    scale = np.divide(1, top, out=np.zeros_like(top), where=top > 0)
    return np.multiply(raw, scale, dtype=np.float32)  # one pass over needs × candidates


def field_score(industries: Sequence[str], codes: Sequence[str], inverse: np.ndarray) -> np.ndarray:
    """Mapping strength of each need's industry to each candidate's discipline (needs ×
    candidates), from the shipped concordance (:mod:`cimon.matching.taxonomy`). The candidates'
    disciplines come as distinct ``codes`` and, per candidate, the position of its code in them
    (``inverse``; what :class:`~cimon.matching.index.Index` keeps), so each need looks up each
    distinct code once."""
    fm = field_map()
    out = np.zeros((len(industries), len(inverse)), dtype=np.float32)
    cache: dict[str, np.ndarray] = {}
    for r, ind in enumerate(industries):
        key = industry_division(ind) or industry_section(ind) or ""
        if key not in cache:
            cache[key] = np.array([fm.affinity(ind, c) for c in codes], dtype=np.float32)
        out[r] = cache[key][inverse]
    return out


def region_score(
    counties: np.ndarray,
    regions: np.ndarray,
    city: float = 0.6,
    province: float = 0.3,
) -> np.ndarray:
    """1 for the same county, ``city`` for the same city (first four digits), ``province`` for
    the same province (first two), else 0; 0 where either code is unknown (0)."""
    a = np.asarray(counties, dtype=np.int64)[:, None]
    b = np.asarray(regions, dtype=np.int64)[None, :]
    known = (a > 0) & (b > 0)
    same_prov = known & (a // 10000 == b // 10000)
    same_city = known & (a // 100 == b // 100)
    same = known & (a == b)
    out = np.zeros(same.shape, dtype=np.float32)
    out[same_prov] = province
    out[same_city] = city
    out[same] = 1.0
    return out


def maturity_score(trl: np.ndarray, full: int = 8, unknown: float = 0.5) -> np.ndarray:
    """(TRL − 1) / (full − 1), capped at 1, per candidate; ``unknown`` where TRL is missing."""
    t = np.asarray(trl, dtype=np.float64)
    out = np.clip((t - 1) / (full - 1), 0, 1)
    return np.where(np.isnan(t), unknown, out).astype(np.float32)


# --- the classes ----------------------------------------------------------------------------------


@register
@dataclass(frozen=True)
class Text(Scorer):
    k1: float = 1.2
    b: float = 0.75
    name: ClassVar[str] = "text"
    title_zh: ClassVar[str] = "文本相关度（BM25，按该需求的最高分归一）"
    title_en: ClassVar[str] = "text relevance (BM25, divided by the need's best)"
    params: ClassVar[tuple[Param, ...]] = (
        Param("k1", "词频饱和参数", "term-frequency saturation", lo=0, open_lo=True, hi=10),
        Param("b", "长度归一参数", "length normalisation", lo=0, hi=1),
    )
    function = staticmethod(text_score)

    def score(self, batch: Batch, index: Index) -> np.ndarray:
        if (index.k1, index.b) != (self.k1, self.b):
            raise MethodError(
                "索引的 BM25 参数与评分项不一致，请重建索引。",
                "The index was built with other BM25 parameters; rebuild it.",
            )
        return text_score(index.bm25(batch.tokens))


@register
@dataclass(frozen=True)
class Field(Scorer):
    name: ClassVar[str] = "field"
    title_zh: ClassVar[str] = "领域对口（行业分类 ↔ 学科分类）"
    title_en: ClassVar[str] = "field match (industry ↔ discipline)"
    function = staticmethod(field_score)

    def score(self, batch: Batch, index: Index) -> np.ndarray:
        return field_score(batch.industries, index.discipline_codes, index.discipline_inverse)


@register
@dataclass(frozen=True)
class Region(Scorer):
    city: float = 0.6
    province: float = 0.3
    name: ClassVar[str] = "region"
    title_zh: ClassVar[str] = "地域（同县、同市、同省）"
    title_en: ClassVar[str] = "region (same county, city, province)"
    params: ClassVar[tuple[Param, ...]] = (
        Param("city", "同市得分", "score for the same city", lo=0, hi=1),
        Param("province", "同省得分", "score for the same province", lo=0, hi=1),
    )
    function = staticmethod(region_score)

    def score(self, batch: Batch, index: Index) -> np.ndarray:
        # each need against the distinct regions, then spread to the candidates
        distinct = region_score(batch.counties, index.region_codes, self.city, self.province)
        return distinct[:, index.region_inverse]


@register
@dataclass(frozen=True)
class Maturity(Scorer):
    full: int = 8
    unknown: float = 0.5
    name: ClassVar[str] = "maturity"
    title_zh: ClassVar[str] = "成熟度（技术就绪水平 TRL）"
    title_en: ClassVar[str] = "maturity (technology readiness level)"
    params: ClassVar[tuple[Param, ...]] = (
        Param("full", "满分的 TRL", "the TRL that scores 1", kind="integer", lo=2, hi=9),
        Param("unknown", "无 TRL 时的得分", "score without a TRL", lo=0, hi=1),
    )
    function = staticmethod(maturity_score)

    def score(self, batch: Batch, index: Index) -> np.ndarray:
        row = maturity_score(index.trl, self.full, self.unknown)
        return np.broadcast_to(row, (len(batch), len(row)))
