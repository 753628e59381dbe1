"""Places gained within a class, counted against the counties that were in that class in both
years (超越同类县) — the default reading of seed 000 四(二) “同类别内排名每提高1个位次的给予25万元”.

Two readings of “places gained within the class” (the rule set's option ``rank.places``):

* ``literal`` — the difference of the county's positions within the class: last year's position
  among last year's members of this year's class, minus this year's position. A county gains
  places whenever counties above it *leave* the class (jump up or fall down), even when it fell
  behind: in the 2023 demo 惠农区's score fell 1.80 and its overall rank fell 16 → 17, yet its place
  in class C rose 3 → 2 because two counties above it jumped to B.
* ``overtaken`` (default) — the same difference, counted only among the county's **stable peers**:
  the counties that were in this year's class in both years. Its value is the number of stable
  peers it overtook (ahead of it last year, not ahead this year) minus the number that overtook it,
  floored at 0; and no places at all for a county whose published score fell or whose overall rank
  fell — among the counties evaluated in both years, so a county entering or leaving the
  evaluation moves no one (the scheme's principle “鼓励跃升、激励进位”: money for real progress).

"Ahead" follows the tie rule ``ties``: ``min`` (the published ranks: tied counties share the
better rank) — *k* is ahead of *i* when its published score is higher; ``max`` — when it is at
least as high. Because the peer set is the same in both years, the net count is simply
``ahead_last_year − ahead_this_year`` among the peers; :func:`peer_places_rows` uses that to count
every replicate of the Monte Carlo with histograms instead of comparing every pair.

Pure numpy/pandas; no money here (:mod:`cimon.analysis.incentives` pays the places).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from cimon.analysis.money import Reason
from cimon.vocab import integer, number

READINGS: dict[str, tuple[str, str]] = {
    "overtaken": (
        "只计两年均在本类别的县（市、区）之间的位次变化（超越的县数减去被超越的县数）；得分或总排名下降的不计",
        "places counted only against counties in the class in both years (counties overtaken "
        "minus counties that overtook it); none when the score or the overall rank fell",
    ),
    "literal": (
        "本类别内的位次差（上年在本类别中的位次减本年位次），含因排在前面的县离开本类别而前移的位次",
        "the difference of positions within the class, including places gained because counties "
        "above left the class",
    ),
}
"""The readings of ``rank.places`` with a one-line description (Chinese, English)."""


class PlaceReading(Protocol):
    """What counting places reads of a rule set: ``rank.places`` and ``rank.class_changed``
    (a :class:`~cimon.analysis.rules.RuleSet`, or the ``places`` rule of
    :mod:`cimon.analysis.award_rules`)."""

    @property
    def places(self) -> str: ...

    @property
    def class_changed(self) -> str: ...


@dataclass(frozen=True)
class PeerPlaces:
    """One county's places against its stable peers.

    ``overtook``/``overtaken_by``: codes of the stable peers it passed and that passed it;
    ``places``: their difference floored at 0 (before the guards); ``overall``: the same over
    every county with a previous result (for ``rank.class_changed=overall``); ``overall_net``:
    that difference before the floor — negative when its overall rank among the counties
    evaluated in both years fell (a county entering or leaving the evaluation does not count)."""

    overtook: tuple[str, ...]
    overtaken_by: tuple[str, ...]
    places: int
    overall: int
    overall_net: int = 0


def peer_places(table: pd.DataFrame, ties: str = "min") -> dict[str, PeerPlaces]:
    """Places against stable peers for every county of a comparison table
    (:func:`cimon.analysis.compare.compare_results`: columns ``class_prev``, ``class``,
    ``score_prev``, ``score``). Counties without a previous result are left out."""
    codes = np.array([str(c) for c in table.index], dtype=object)
    prev = table["score_prev"].to_numpy(float)
    curr = table["score"].to_numpy(float)
    cls_prev = np.array(["" if not isinstance(x, str) else x for x in table["class_prev"]], object)
    cls = np.array([str(x) for x in table["class"]], dtype=object)
    matched = ~np.isnan(prev)
    p, c = np.where(matched, prev, 0.0), np.where(matched, curr, 0.0)
    # before[i, k]: county k was ahead of county i last year; now[i, k]: this year
    if ties == "max":
        before, now = p[None, :] >= p[:, None], c[None, :] >= c[:, None]
    else:
        before, now = p[None, :] > p[:, None], c[None, :] > c[:, None]
    others = matched[None, :] & ~np.eye(len(codes), dtype=bool)
    stable = others & ((cls_prev == cls)[None, :]) & (cls[None, :] == cls[:, None])
    net_all = ((before & others).sum(axis=1) - (now & others).sum(axis=1)).astype(int)
    took_m = stable & before & ~now
    lost_m = stable & ~before & now
    out: dict[str, PeerPlaces] = {}
    for i in np.flatnonzero(matched):
        took, lost = tuple(codes[took_m[i]]), tuple(codes[lost_m[i]])
        net = int(net_all[i])
        out[str(codes[i])] = PeerPlaces(took, lost, max(len(took) - len(lost), 0), max(net, 0), net)
    return out


_HIST_CELLS = 1 << 22  # histogram cells per block of replicates (32 MB of int64)


def _count_ahead(
    groups: np.ndarray, values: np.ndarray, member: np.ndarray, ties: str
) -> np.ndarray:
    """For every cell (replicate r, county i): how many members of the same replicate and group
    (``groups[r, i]``) are ahead of ``values[r, i]``, the county itself not counted.

    Integer scores have a small range, so, as :func:`cimon.analysis.replicates.rank_rows` does,
    this counts instead of comparing: per block of replicates, a histogram of the members' values
    per (replicate, group), summed from the top, read at each county's value —
    O(m·(n + groups·range)). A very wide range falls back to one sort and binary searches."""
    m = values.shape[0]
    v = values.astype(np.int64)
    g = groups.astype(np.int64)
    lo, hi = int(v.min(initial=0)), int(v.max(initial=0))
    span = hi - lo + 2  # one spare column: "above the highest value" is always 0
    n_groups = int(g.max(initial=0)) + 1
    x = v - lo
    if span * n_groups > _HIST_CELLS:
        base = (np.arange(m, dtype=np.int64)[:, None] * n_groups + g) * span
        pool = np.sort((base + x)[member])
        end = np.searchsorted(pool, base + span - 1, side="left")
        if ties == "max":
            start = np.searchsorted(pool, base + x, side="left")
        else:
            start = np.searchsorted(pool, base + x, side="right")
        ahead = end - start
    else:
        ahead = np.empty(v.shape, np.int64)
        block = max(1, _HIST_CELLS // (span * n_groups))
        for a in range(0, m, block):
            sl = slice(a, a + block)
            b = x[sl].shape[0]
            row = np.arange(b, dtype=np.int64)[:, None] * n_groups + g[sl]
            hist = np.bincount(
                (row * span + x[sl])[member[sl]], minlength=b * n_groups * span
            ).reshape(b * n_groups, span)
            at_least = np.cumsum(hist[:, ::-1], axis=1)[:, ::-1]  # members with value ≥ column
            col = x[sl] if ties == "max" else x[sl] + 1
            ahead[sl] = at_least[row, col]
    if ties == "max":
        ahead = ahead - member.astype(np.int64)  # a member is "as good as" itself
    return np.asarray(ahead, dtype=np.int64)


def peer_places_rows(
    cents: np.ndarray,
    prev_cents: np.ndarray,
    classes: np.ndarray,
    prev_classes: np.ndarray,
    matched: np.ndarray,
    ties: str = "min",
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`peer_places` for every replicate at once (replicates × counties, integer scores).

    ``prev_cents``/``prev_classes`` are last year's values of each county in this year's order
    (any value where ``matched`` is False). Returns (places against stable peers in this year's
    class, places against every matched county), both **before** the floor at 0 (a negative
    overall value: the overall rank among the counties of both years fell); counted as
    :func:`_count_ahead` says."""
    match = np.broadcast_to(np.asarray(matched, bool)[None, :], cents.shape)
    stable = match & (prev_classes == classes)
    cls = np.asarray(classes, np.int64)
    zero = np.zeros_like(cls)
    in_class = _count_ahead(cls, prev_cents, stable, ties) - _count_ahead(cls, cents, stable, ties)
    overall = _count_ahead(zero, prev_cents, match, ties) - _count_ahead(zero, cents, match, ties)
    # no county is counted against itself: a county is never strictly ahead of itself, and with
    # ties=max _count_ahead takes a member's own count back out
    return in_class, overall


PRINCIPLE_ZH = "鼓励跃升、激励进位"
"""The scheme's principle (seed 000, preamble: “按照科学施策、典型带动、鼓励跃升、激励进位的原则”)."""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _names(codes: Sequence[str], names: Mapping[str, str] | None, sep: str) -> str:
    return sep.join((names or {}).get(c, c) for c in codes)


#: the reason a county whose class changed gains no places under ``rank.class_changed=none``
NO_PLACES_ON_CLASS_CHANGE = Reason(
    "places.class_changed",
    "类别发生变化，按规则选项 rank.class_changed=none 不计同类别内进位",
    "Class changed; rank.class_changed=none counts no places",
)


def _overtaken(
    row: Mapping[str, Any], rules: PlaceReading, steps: int, reasons: list[Reason]
) -> int:
    klass = str(row["class"])
    opt = "rank.places=overtaken"
    if steps > 0 and rules.class_changed == "none":
        reasons.append(NO_PLACES_ON_CLASS_CHANGE)
        return 0
    cr, pos = integer(row.get("class_rank")), integer(row.get("position_prev"))
    literal = 0 if cr is None or pos is None else pos - cr
    moved_zh = (
        f"（{klass}类内位次由第 {pos} 位变为第 {cr} 位，系他县离开{klass}类所致）"
        if steps == 0 and literal > 0
        else ""
    )
    moved_en = (
        f" (its place in class {klass} went {pos} → {cr} because counties above it left the class)"
        if steps == 0 and literal > 0
        else ""
    )
    change = number(row.get("change"))
    if change is not None and change < 0:
        reasons.append(
            Reason(
                "places.score_fell",
                f"得分下降 {-change:.2f} 分，按规则选项 {opt}（“{PRINCIPLE_ZH}”，只奖励实际进步）"
                f"不计进位激励{moved_zh}",
                f"Score fell by {-change:.2f}; {opt} (principle “{PRINCIPLE_ZH}”: only "
                f"real progress is paid) pays no place money{moved_en}",
            )
        )
        return 0
    rp, r = integer(row.get("rank_prev")), integer(row.get("rank"))
    published_fell = rp is not None and r is not None and r > rp
    net = integer(row.get("peer_overall_net"))
    # among the counties evaluated in both years, so a county entering or leaving the
    # evaluation does not move it (the published ranks when the row has no count)
    if (net < 0) if net is not None else published_fell:
        if published_fell:
            fell_zh, fell_en = f"总排名由第 {rp} 位降至第 {r} 位", f"Overall rank fell {rp} → {r}"
        else:
            fell_zh = "在两年均参评的县（市、区）中，超越它的多于被它超越的（总排名实际下降）"
            fell_en = "Among the counties evaluated in both years more overtook it than it overtook"
        reasons.append(
            Reason(
                "places.rank_fell",
                f"{fell_zh}，按规则选项 {opt}（“{PRINCIPLE_ZH}”）不计进位激励{moved_zh}",
                f"{fell_en}; {opt} (principle “{PRINCIPLE_ZH}”) pays no place money{moved_en}",
            )
        )
        return 0
    overall = steps > 0 and rules.class_changed == "overall"
    key = "peer_places_overall" if overall else "peer_places"
    if key not in row:
        raise ValueError(
            f"rank.places=overtaken needs the row's {key!r} (use awards_for_table, which adds it)"
        )
    places = int(row[key] or 0)
    if overall:
        reasons.append(
            Reason(
                "places.class_changed",
                f"类别发生变化，按规则选项 rank.class_changed=overall 以总排名计：净超越上年排在其前的 "
                f"{places} 个县（市、区）（{opt}），进位 {places} 个位次",
                f"Class changed; rank.class_changed=overall counts overall places: net {places} "
                f"county(ies) overtaken ({opt})",
            )
        )
        return places
    took = tuple(row.get("overtook") or ())
    lost = tuple(row.get("overtaken_by") or ())
    names = row.get("peer_names")
    peers_zh = f"两年均在{klass}类的县（市、区）"
    peers_en = f"counties in class {klass} in both years"
    if places > 0 or took:
        head_zh = f"跃升后在{klass}类内超越" if steps > 0 else f"{klass}类内超越"
        head_en = "after the jump it overtook" if steps > 0 else "overtook"
        zh = f"{head_zh} {len(took)} 个{peers_zh}（{_names(took, names, '、')}）"
        en = f"In class {klass} it {head_en} {len(took)} of the {peers_en}"
        if lost:
            zh += f"，被 {len(lost)} 个超越（{_names(lost, names, '、')}）"
            en += f" and was overtaken by {len(lost)}"
        reasons.append(
            Reason(
                "places.class_changed" if steps > 0 else "places",
                f"{zh}，进位 {places} 个位次（按规则选项 {opt}）",
                f"{en}: {places} place(s) gained ({opt})",
            )
        )
    elif steps == 0 and literal > 0:
        reasons.append(
            Reason(
                "places.not_overtaken",
                f"{moved_zh.strip('（）')}，未超越{peers_zh}，按规则选项 {opt}（“{PRINCIPLE_ZH}”）"
                "不计进位激励",
                f"{_cap(moved_en.strip(' ()'))}; it overtook none of the {peers_en}, so "
                f"{opt} (principle “{PRINCIPLE_ZH}”) pays no place money",
            )
        )
    return places


def count_places(
    row: Mapping[str, Any], rules: PlaceReading, steps: int, reasons: list[Reason]
) -> int:
    """Places gained by one county (a comparison row; ``steps`` ≥ 0 classes moved up), counted
    as ``rank.places`` and ``rank.class_changed`` say (a rule set, or the ``places`` rule of
    :mod:`cimon.analysis.award_rules`); the reasons are appended to
    ``reasons``. Under ``overtaken`` the row must carry the counts of :func:`peer_places`
    (``peer_places``, ``peer_places_overall``; :func:`cimon.analysis.incentives.awards_for_table`
    adds them)."""
    if rules.places == "overtaken":
        return _overtaken(row, rules, steps, reasons)
    klass = row["class"]
    cr, pos = integer(row.get("class_rank")), integer(row.get("position_prev"))
    if steps == 0:
        if cr is None or pos is None:
            return 0
        places = pos - cr
        if places > 0:
            reasons.append(
                Reason(
                    "places",
                    f"{klass}类内排名由第 {pos} 位升至第 {cr} 位",
                    f"Rank within class {klass} rose from {pos} to {cr}",
                )
            )
        return max(places, 0)
    if rules.class_changed == "none":
        reasons.append(NO_PLACES_ON_CLASS_CHANGE)
        return 0
    if rules.class_changed == "overall":
        rp, r = integer(row.get("rank_prev")), integer(row.get("rank"))
        places = 0 if rp is None or r is None else max(rp - r, 0)
        reasons.append(
            Reason(
                "places.class_changed",
                f"类别发生变化，按规则选项 rank.class_changed=overall 以总排名计：由第 {rp} 位升至第 {r} 位，进位 {places} 个位次",
                f"Class changed; rank.class_changed=overall counts overall places: {rp} → {r}, {places} place(s)",
            )
        )
        return places
    places = 0 if cr is None or pos is None else max(pos - cr, 0)
    reasons.append(
        Reason(
            "places.class_changed",
            f"跃升后在{klass}类内排第 {cr} 位；上年得分在上年{klass}类中应排第 {pos} 位"
            f"（按规则选项 rank.class_changed=entry），进位 {places} 个位次",
            f"After the jump it ranks {cr} in class {klass}; last year's score would have ranked "
            f"{pos} among last year's class {klass} (rank.class_changed=entry): {places} place(s)",
        )
    )
    return places
