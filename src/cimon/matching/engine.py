"""The matching engine: a weighted sum of the registered scorers, top-k per need, with reasons.

    score(need, candidate) = Σ_s w_s · f_s(need, candidate),   Σ_s w_s = 1,  f_s ∈ [0, 1]

with the scorers of :mod:`cimon.matching.scorers` and the default weights :data:`DEFAULT_WEIGHTS`
(text 0.80, field 0.10, maturity 0.05, region 0.05; chosen from a small grid on the labelled
set, see docs/libraries.md). When the engine has a text scorer, a candidate that shares no term
with the need (text = 0) and whose field does not match (field = 0) is never returned: region
and maturity alone say nothing about whether it solves the problem. Equal scores keep the
candidates' order.

Each :class:`Match` carries its features and an :class:`Explanation` in Chinese and English: the
shared terms (the most informative first), the field match, the region relation and the TRL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cimon.errors import MethodError
from cimon.matching.index import Candidate, Index, build_index, region_ints
from cimon.matching.records import Need
from cimon.matching.scorers import Batch, Scorer, Text, make_scorer
from cimon.matching.segment import tokenize
from cimon.matching.taxonomy import field_map
from cimon.matching.topk import GROUP_SCORERS, fast_top_rows, select_top

__all__ = [
    "DEFAULT_WEIGHTS",
    "Engine",
    "Explanation",
    "Match",
    "explain",
    "match",
    "rank",
    "top_ids",
]

DEFAULT_WEIGHTS: dict[str, float] = {"text": 0.8, "field": 0.1, "maturity": 0.05, "region": 0.05}
#: needs scored together: bounds the dense needs × candidates arrays (128 × 100,000 float32 ≈ 50 MB)
BATCH = 128
#: needs ranked together by :func:`top_ids`'s fast path: of 128, 256 and 512 (3,072 needs against
#: 100,000 achievements in bench/matching.py's data) 128 took the least CPU, 3.4 s against 3.7–4.0 s;
#: 128 × 100,000 float32 is 50 MB per array, about four at the peak
FAST_BATCH = 128


@dataclass(frozen=True)
class Explanation:
    """Why a candidate was recommended."""

    shared_terms: tuple[str, ...]
    field_zh: str
    field_en: str
    region_zh: str
    region_en: str
    maturity_zh: str
    maturity_en: str

    def render(self, lang: str = "zh") -> str:
        terms = "、".join(self.shared_terms) if lang == "zh" else ", ".join(self.shared_terms)
        if lang == "en":
            return (
                f"shared terms: {terms or 'none'}; field: {self.field_en}; "
                f"region: {self.region_en}; maturity: {self.maturity_en}"
            )
        return f"共同词：{terms or '无'}；领域：{self.field_zh}；地域：{self.region_zh}；成熟度：{self.maturity_zh}"


@dataclass(frozen=True)
class Match:
    need: str
    candidate: str
    rank: int
    score: float
    features: dict[str, float]
    explanation: Explanation


@dataclass(frozen=True)
class Engine:
    """The scoring configuration: scorer specs and their weights (parameters only)."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    scorers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        w = dict(self.weights)
        if any(v < 0 for v in w.values()) or not w or abs(sum(w.values()) - 1) > 1e-6:
            raise MethodError(
                f"匹配权重须非负且合计为 1（实际 {w}）。",
                f"Matching weights must be non-negative and sum to 1 (got {w}).",
            )
        for name in w:
            self.scorer(name)  # unknown names and bad parameters fail here

    def scorer(self, name: str) -> Scorer:
        return make_scorer({"scorer": name, **dict(self.scorers.get(name, {}))})

    def get_params(self) -> dict[str, Any]:
        return {
            "weights": dict(self.weights),
            "scorers": {k: dict(v) for k, v in self.scorers.items()},
        }

    def index(self, candidates: Sequence[Candidate]) -> Index:
        """The index of ``candidates`` with this engine's BM25 parameters."""
        text = self.scorer("text")
        assert isinstance(text, Text)
        return build_index(candidates, text.k1, text.b)

    def scores(
        self,
        needs: Sequence[Need],
        index: Index,
        tokens: Sequence[Sequence[str]] | None = None,
        keep_parts: bool = True,
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Total scores (needs × candidates) and, with ``keep_parts``, each scorer's values
        (``tokens``: the needs' tokens when already segmented). Without ``keep_parts`` each
        scorer's array is reused in place, which saves passes over the needs × candidates
        arrays (the benchmark's all-needs path)."""
        batch = Batch(
            tokens=[tokenize(n.text) for n in needs] if tokens is None else tokens,
            industries=[n.industry for n in needs],
            counties=region_ints([n.county for n in needs]),
        )
        parts: dict[str, np.ndarray] = {}
        total = np.zeros((len(needs), len(index)), dtype=np.float32)
        related = np.zeros(total.shape, dtype=bool) if "text" in self.weights else None
        for name, w in self.weights.items():
            part = self.scorer(name).score(batch, index)
            if name in ("text", "field") and related is not None:
                related |= part > 0  # shares a term or a field: may be returned
            if keep_parts:
                parts[name] = part
            if part.ndim == 2 and part.strides[0] == 0:  # the same row for every need
                total += np.float32(w) * part[0]
            elif keep_parts:
                total += np.float32(w) * part
            else:
                part *= np.float32(w)
                total += part
        if related is not None:
            total[~related] = -1  # nothing to do with the problem: never returned
        return total, parts


def _top_rows(total: np.ndarray, k: int) -> list[np.ndarray]:
    """Per row, the indices of the ``k`` best scores, best first (equal scores by candidate
    order, also at the ``k``-th place), leaving out scores below 0."""
    k = min(k, total.shape[1])
    if k <= 0:
        return [np.zeros(0, dtype=np.int64) for _ in range(total.shape[0])]
    return select_top(total, k)


def rank(
    needs: Sequence[Need], index: Index, engine: Engine | None = None, k: int = 10
) -> list[list[Match]]:
    """The top-``k`` candidates of ``index`` for every need, with explanations, in batches."""
    engine = engine or Engine()
    out: list[list[Match]] = []
    for start in range(0, len(needs), BATCH):
        chunk = needs[start : start + BATCH]
        toks = [tokenize(n.text) for n in chunk]
        total, parts = engine.scores(chunk, index, toks)
        tops = _top_rows(total, k)
        for r, need in enumerate(chunk):
            top = tops[r]
            out.append(
                [
                    Match(
                        need=need.id,
                        candidate=index.ids[c],
                        rank=i + 1,
                        score=float(total[r, c]),
                        features={n: float(p[r, c]) for n, p in parts.items()},
                        explanation=explain(
                            need,
                            index,
                            int(c),
                            {n: float(p[r, c]) for n, p in parts.items()},
                            toks[r],
                        ),
                    )
                    for i, c in enumerate(top)
                ]
            )
    return out


def top_ids(
    needs: Sequence[Need],
    index: Index,
    engine: Engine | None = None,
    k: int = 10,
    fast: bool = True,
) -> list[list[str]]:
    """Only the ranked candidate ids (no explanations): what evaluation and the benchmark use.

    With ``fast`` (the default) and only the shipped scorers, the scores are computed by
    :func:`cimon.matching.topk.fast_top_rows` (one sparse product and one gather per batch of
    :data:`FAST_BATCH` needs); ``fast=False`` ranks from :meth:`Engine.scores` (the reference).
    """
    engine = engine or Engine()
    if not fast or not set(engine.weights) <= GROUP_SCORERS | {"text"}:
        out: list[list[str]] = []
        for start in range(0, len(needs), BATCH):
            total, _ = engine.scores(needs[start : start + BATCH], index, keep_parts=False)
            out += [[index.ids[c] for c in top] for top in _top_rows(total, k)]
        return out
    scorers = {name: engine.scorer(name) for name in engine.weights}
    text = scorers.get("text")
    if isinstance(text, Text) and (index.k1, index.b) != (text.k1, text.b):
        raise MethodError(
            "索引的 BM25 参数与评分项不一致，请重建索引。",
            "The index was built with other BM25 parameters; rebuild it.",
        )
    out = []
    for start in range(0, len(needs), FAST_BATCH):
        chunk = needs[start : start + FAST_BATCH]
        toks = [tokenize(n.text) for n in chunk]
        tops = fast_top_rows(chunk, index, dict(engine.weights), dict(scorers), k, toks)
        out += [[index.ids[c] for c in top] for top in tops]
    return out


def match(
    need: Need, candidates: Sequence[Candidate], k: int = 10, engine: Engine | None = None
) -> list[Match]:
    """The ``k`` best achievements (or talent profiles) for one need, best first, with reasons.

    Builds the index of ``candidates`` each call; to match many needs against one set, build it
    once with :meth:`Engine.index` and call :func:`rank`.
    """
    engine = engine or Engine()
    return rank([need], engine.index(candidates), engine, k)[0]


def explain(
    need: Need,
    index: Index,
    c: int,
    features: Mapping[str, float],
    need_tokens: Sequence[str] | None = None,
) -> Explanation:
    """The reasons for candidate ``c`` (its position in ``index``) for ``need`` (whose tokens may
    be given when already known)."""
    need_toks = set(tokenize(need.text) if need_tokens is None else need_tokens)
    shared = [t for t in need_toks & index.tokens[c]]
    shared.sort(key=lambda t: (-index.idf[index.vocab[t]] if t in index.vocab else 0, t))
    # a term inside a longer shared term adds nothing (冷凉蔬菜 already says 蔬菜)
    shared = [t for t in shared if not any(t != o and t in o for o in shared)][:6]
    fm = field_map()
    disc = str(index.disciplines[c])
    strength = fm.affinity(need.industry, disc)
    ind_name, disc_name = fm.industry_name(need.industry), fm.discipline_name(disc)
    if not need.industry or not disc:
        field_zh, field_en = "未知（需求或成果缺少分类代码）", "unknown (a code is missing)"
    else:
        level = {1.0: ("直接对口", "direct"), 0.5: ("相关", "related")}.get(
            strength, ("不对口", "none")
        )
        field_zh = f"{need.industry} {ind_name} ↔ {disc} {disc_name}：{level[0]}"
        field_en = f"{need.industry} ↔ discipline {disc}: {level[1]}"
    r = features.get("region")
    rel = _region_relation(need.county, int(index.regions[c]))
    trl = index.trl[c]
    mat_zh = f"TRL {int(trl)}" if trl == trl else "未填 TRL"
    mat_en = f"TRL {int(trl)}" if trl == trl else "TRL not given"
    return Explanation(
        tuple(shared),
        field_zh,
        field_en,
        rel[0] + (f"（{r:.1f}）" if r is not None else ""),
        rel[1],
        mat_zh,
        mat_en,
    )


def _region_relation(county: str, region: int) -> tuple[str, str]:
    a = int(county) if str(county).isdigit() and len(str(county)) == 6 else 0
    if not a or not region:
        return "未知", "unknown"
    if a == region:
        return "同县", "same county"
    if a // 100 == region // 100:
        return "同市", "same city"
    if a // 10000 == region // 10000:
        return "同省", "same province"
    return "外省", "another province"
