"""Assess every commissioner of a year at once: :func:`assess` (issue #17 item 3).

Input: one row per commissioner (a :class:`pandas.DataFrame`; column ``commissioner_id``, ``name``
and ``county_code`` always, plus the columns the rules read — :data:`COUNT_COLUMNS`,
``satisfaction``, ``unit_rating``, ``county_grade`` …). Missing values: a blank count
(:data:`COUNT_COLUMNS`) is 0 (nothing was logged); a blank ``satisfaction``, ``unit_rating`` or
``county_grade`` is "not given" and each rule says what that means (``missing: reweight`` — the
rule is not counted and its weight is shared among the counted rules — or ``zero``). Impossible
values (a negative count, more tasks done than required, a mean rating above the scale, a grade
that is not a grade) raise :class:`AssessmentInputError` naming the column and the commissioners.

Output (same index): ``score`` (0–100, rounded to ``score_decimals``; NaN when no rule counted),
``grade`` (final), ``grade_by_score``, ``capped`` (a hard rule lowered the grade), ``quota_cut``
(the 优秀 quota lowered it), ``quota_rank`` / ``quota_places`` (the candidate's place among the
优秀 candidates of its scope and the places the quota gives), ``points_<label>`` per scored rule,
``reasons_zh`` / ``reasons_en`` (the grade, the score and each rule's figures, the thresholds, the
hard rules that applied and the quota).

Formula: ``score = 100 × Σ wᵢ·sᵢ / Σ wᵢ`` over the counted rules (sᵢ the rule's sub-score 0–1);
the grade by score is the best grade whose threshold the rounded score reaches (a score exactly at
a threshold gets that grade); hard rules cap it; then the quota.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cimon.analysis.commissioners.kinds import GRADE_INDEX, Cap, Part, fmt, pick, words
from cimon.analysis.commissioners.rules import (
    GRADES,
    GRADES_EN,
    AssessmentInputError,
    AssessmentRules,
    Quota,
)

ID_COLUMNS = ("commissioner_id", "name", "county_code")
COUNT_COLUMNS = ("service_days", "records", "tasks_required", "tasks_done", "ratings")
GRADE_COLUMNS = ("unit_rating", "county_grade")


def assess(frame: pd.DataFrame, rules: AssessmentRules, *, reasons: bool = True) -> pd.DataFrame:
    """Score and grade every row of ``frame`` by ``rules``; see the module's docstring.
    ``reasons=False`` leaves out ``reasons_zh`` / ``reasons_en`` (most of the time: for a
    dashboard's counts; the assessment of record keeps them)."""
    f = _inputs(frame, rules)
    n = len(f)
    parts: list[tuple[str, float, Part]] = []
    caps: list[Cap] = []
    for rule in rules.rules:
        part, cap = _apply(rule, f)
        if part is not None:
            parts.append((rule.label, rule.weight, part))
        if cap is not None:
            caps.append(cap)
    num = np.zeros(n)
    den = np.zeros(n)
    out = pd.DataFrame({c: f[c].to_numpy() for c in ID_COLUMNS}, index=frame.index)
    for label, w, p in parts:
        counted = ~np.isnan(p.points)
        num += np.where(counted, w * p.points, 0.0)
        den += np.where(counted, w, 0.0)
        out[f"points_{label}"] = np.round(
            np.where(counted, w * p.points, np.nan), rules.score_decimals
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.round(np.where(den > 0, 100.0 * num / den, np.nan), rules.score_decimals)
    by_score = np.full(n, len(GRADES) - 1)
    for i in range(len(GRADES) - 2, -1, -1):
        by_score = np.where(score >= rules.thresholds[GRADES[i]] - 1e-9, i, by_score)
    grade = by_score.copy()
    cap_zh = words(n, "")
    cap_en = words(n, "")
    for cap in caps:
        if not cap.hit.any():
            continue
        g = np.broadcast_to(np.asarray(cap.grade), (n,))
        hit = cap.hit & (g >= by_score)  # rules that set the grade are reasons
        grade = np.where(cap.hit, np.maximum(grade, g), grade)
        first = cap_zh == ""
        cap_zh = pick(hit, cap_zh + pick(first, "", "；") + cap.zh, cap_zh)
        cap_en = pick(hit, cap_en + pick(first, "", "; ") + cap.en, cap_en)
    capped = grade > by_score
    rank, places, cut = _quota(f, score, grade, rules.quota)
    grade = np.where(cut, GRADE_INDEX["良好"], grade)
    out["score"] = score
    out["grade"] = np.asarray(GRADES, dtype=object)[grade]
    out["grade_by_score"] = np.asarray(GRADES, dtype=object)[by_score]
    out["capped"] = capped
    out["quota_cut"] = cut
    out["quota_rank"] = rank
    out["quota_places"] = places
    if reasons:
        out["reasons_zh"], out["reasons_en"] = _reasons(out, parts, by_score, rules, cap_zh, cap_en)
    return out


def _apply(rule: Any, f: pd.DataFrame) -> tuple[Part | None, Cap | None]:
    """A rule's score and cap on every row, computed once per distinct combination of the
    columns it reads (days, records, grades repeat a lot) and spread back to the rows."""
    cols = list(rule.needs())
    if not cols:
        return rule.score(f), rule.cap(f)
    key = f.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
    _, first = np.unique(key, return_index=True)
    uniq = f.iloc[first][cols].reset_index(drop=True)  # row k: the first row of group k
    inverse = key
    part, cap = rule.score(uniq), rule.cap(uniq)
    if part is not None:
        part = Part(part.points[inverse], part.zh[inverse], part.en[inverse])
    if cap is not None:
        g = np.asarray(cap.grade)
        cap = Cap(cap.hit[inverse], g[inverse] if g.ndim else g, cap.zh[inverse], cap.en[inverse])
    return part, cap


def _inputs(frame: pd.DataFrame, rules: AssessmentRules) -> pd.DataFrame:
    """The columns the rules read, blanks filled as documented; impossible values raise."""
    need = list(ID_COLUMNS)
    for rule in rules.rules:
        need += [c for c in rule.needs() if c not in need]
    if rules.quota is not None:
        need += [c for c in rules.quota.tie_break if c not in need]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise AssessmentInputError(
            f"考核数据缺少列：{'、'.join(missing)}。请补齐这些列（见 docs/commissioners-assessment.md）。",
            f"The assessment table lacks columns: {', '.join(missing)}. Add them (see docs/commissioners-assessment.md).",
            ", ".join(missing),
        )
    f = frame[need].reset_index(drop=True)
    for c in need:
        if c in COUNT_COLUMNS:
            v = pd.to_numeric(f[c], errors="coerce")
            _bad(f, v.isna() & f[c].notna(), c, "不是数字", "is not a number")
            v = v.fillna(0.0)
            _bad(f, v < 0, c, "为负数", "is negative")
            f[c] = v.astype(float)
    if "tasks_done" in f and "tasks_required" in f:
        _bad(f, f["tasks_done"] > f["tasks_required"], "tasks_done",
             "大于 tasks_required（完成的规定任务多于规定任务）", "exceeds tasks_required")  # fmt: skip
    for rule in rules.rules:
        if rule.name == "satisfaction":
            v = pd.to_numeric(f["satisfaction"], errors="coerce")
            _bad(
                f,
                v.isna() & f["satisfaction"].notna(),
                "satisfaction",
                "不是数字",
                "is not a number",
            )
            _bad(f, (v < 0) | (v > rule.scale), "satisfaction",
                 f"超出 0–{rule.scale:g}", f"is outside 0–{rule.scale:g}")  # fmt: skip
            f["satisfaction"] = v
    for c in GRADE_COLUMNS:
        if c in f:
            codes, values = pd.factorize(f[c].astype(object), use_na_sentinel=True)
            clean = [v.strip() or None if isinstance(v, str) else v for v in values.tolist()]
            u = pd.Series(clean, dtype=object)
            num = pd.to_numeric(u, errors="coerce")
            ok_u = (u.isna() | u.isin(GRADES) | ((num >= 0) & (num <= 100))).to_numpy()
            col = np.array([*clean, None], dtype=object)[codes]  # code -1 (blank) → None
            ok = pd.Series(np.append(ok_u, True)[codes])
            _bad(f, ~ok, c, f"不是等次（{'、'.join(GRADES)}）或 0–100 分",
                 f"is not a grade ({', '.join(GRADES)}) or 0–100 points")  # fmt: skip
            f[c] = col
    return f


def _bad(f: pd.DataFrame, mask: pd.Series, column: str, zh: str, en: str) -> None:
    if not mask.any():
        return
    ids = f.loc[mask, "commissioner_id"].astype(str).head(5).tolist()
    more = int(mask.sum()) - len(ids)
    tail_zh, tail_en = (f" 等 {int(mask.sum())} 人", f" and {more} more") if more > 0 else ("", "")
    raise AssessmentInputError(
        f"列 {column} 的值{zh}：特派员 {'、'.join(ids)}{tail_zh}。请改正这些记录后重新考核。",
        f"Column {column} {en} for commissioners {', '.join(ids)}{tail_en}. Correct them and assess again.",
        column,
    )


def quota_places(share: float, n: np.ndarray | int, rounding: str) -> np.ndarray:
    """The number of 优秀 places for ``n`` assessed commissioners (``floor`` / ``round`` half
    up / ``ceil``; a hair of tolerance so that 15% of 20 is exactly 3)."""
    x = np.asarray(n, dtype=float) * share
    if rounding == "floor":
        return np.floor(x + 1e-9).astype(int)
    if rounding == "ceil":
        return np.ceil(x - 1e-9).astype(int)
    return np.floor(x + 0.5 + 1e-9).astype(int)


def _quota(
    f: pd.DataFrame, score: np.ndarray, grade: np.ndarray, q: Quota | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(place among the scope's 优秀 candidates, places the quota gives, cut by the quota)."""
    n = len(f)
    rank = np.zeros(n, dtype=int)
    cut = np.zeros(n, dtype=bool)
    if q is None:
        return rank, np.zeros(n, dtype=int), cut
    scope = (
        f["county_code"].astype(str) if q.scope == "county" else pd.Series(np.zeros(n, dtype=int))
    )
    size = scope.map(scope.value_counts()).to_numpy(int)
    places = quota_places(q.share, size, q.rounding)
    cand = np.flatnonzero(grade == 0)
    if not len(cand):
        return rank, places, cut
    keys = ["score", *q.tie_break]
    sub = pd.DataFrame({"scope": scope.to_numpy()[cand], "score": score[cand], "pos": cand})
    for c in q.tie_break:
        sub[c] = pd.to_numeric(f[c], errors="coerce").to_numpy(float)[cand]
    sub[keys] = sub[keys].fillna(-np.inf)
    sub = sub.sort_values(["scope", *keys], ascending=[True] + [False] * len(keys), kind="stable")
    new_scope = sub["scope"].ne(sub["scope"].shift())
    new_tie = new_scope | sub[keys].ne(sub[keys].shift()).any(axis=1)
    position = sub.groupby("scope", sort=False).cumcount().to_numpy() + 1
    tie = new_tie.cumsum().to_numpy()
    first = pd.Series(position).groupby(tie).transform("min").to_numpy()
    last = pd.Series(position).groupby(tie).transform("max").to_numpy()
    allowed = places[sub["pos"].to_numpy()]
    keep = (first <= allowed) if q.ties == "include" else (last <= allowed)
    rank[sub["pos"].to_numpy()] = first
    cut[sub["pos"].to_numpy()] = ~keep
    return rank, places, cut


def _reasons(
    out: pd.DataFrame,
    parts: list[tuple[str, float, Part]],
    by_score: np.ndarray,
    rules: AssessmentRules,
    cap_zh: np.ndarray,
    cap_en: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The reasons of every row, built on whole columns (object arrays of str)."""
    n = len(out)
    grade = out["grade"].to_numpy(object)
    score = out["score"].to_numpy(float)
    s_txt = fmt(score, rules.score_decimals)
    zh: list[Any] = [grade, "：得分 ", s_txt]
    en: list[Any] = [
        np.array([GRADES_EN[g] for g in grade.tolist()], dtype=object),
        ": score ",
        s_txt,
    ]
    if parts:
        zh.append("（")
        en.append(" (")
        for k, (_, _, p) in enumerate(parts):
            zh += [p.zh] if k == 0 else ["；", p.zh]
            en += [p.en] if k == 0 else ["; ", p.en]
        zh.append("）")
        en.append(")")
    th_zh, th_en = words(n, ""), words(n, "")
    for i, g in enumerate(GRADES):
        if i < len(GRADES) - 1:
            z = f"，达到{g}线 {rules.thresholds[g]:g} 分"
            e = f", at or above the {GRADES_EN[g]} line of {rules.thresholds[g]:g}"
            if i > 0:
                better = GRADES[i - 1]
                z += f"、未达{better}线 {rules.thresholds[better]:g} 分"
                e += f", below the {GRADES_EN[better]} line of {rules.thresholds[better]:g}"
        else:
            low = GRADES[-2]
            z = f"，低于{low}线 {rules.thresholds[low]:g} 分"
            e = f", below the {GRADES_EN[low]} line of {rules.thresholds[low]:g}"
        th_zh = pick(by_score == i, z, th_zh)
        th_en = pick(by_score == i, e, th_en)
    nodata = np.isnan(score)
    zh.append(pick(nodata, "，没有可计分的考核项", th_zh))
    en.append(pick(nodata, ", no rule could be scored", th_en))
    has_cap = cap_zh != ""
    zh += [pick(has_cap, "；", ""), cap_zh]
    en += [pick(has_cap, "; ", ""), cap_en]
    q = rules.quota
    cut = out["quota_cut"].to_numpy(bool)
    if q is not None and cut.any():
        scope_zh = "本县" if q.scope == "county" else "全省"
        scope_en = "in the county" if q.scope == "county" else "in the province"
        rnd = {"floor": "向下取整", "round": "四舍五入", "ceil": "向上取整"}[q.rounding]
        tie = "并列者均不占用名额" if q.ties == "exclude" else "并列者均保留"
        pct = f"{q.share * 100:g}%"
        r = fmt(out["quota_rank"].to_numpy(float))
        places = fmt(out["quota_places"].to_numpy(float))
        qzh = (f"；优秀名额为{scope_zh}考核人数的 {pct}（{rnd}，共 " + places + " 名），本人在优秀候选中排第 "
               + r + f" 名（{tie}），调整为良好")  # fmt: skip
        qen = (f"; the 优秀 quota is {pct} of those assessed {scope_en} (" + places + f" places, {q.rounding}); "
               "ranked " + r + f" among the candidates (ties {q.ties}d), so graded good")  # fmt: skip
        zh.append(pick(cut, qzh, ""))
        en.append(pick(cut, qen, ""))
    zh.append("。")
    en.append(".")
    return join(zh, n), join(en, n)


def join(pieces: list[Any], n: int) -> np.ndarray:
    """Concatenate text columns and constants row by row, once (no growing copies)."""
    cols = [np.full(n, x, dtype=object) if isinstance(x, str) else x for x in pieces]
    return np.array(["".join(t) for t in zip(*cols, strict=True)], dtype=object)
