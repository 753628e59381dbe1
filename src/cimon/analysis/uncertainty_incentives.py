"""The incentive money re-decided in every replicate of an uncertainty analysis
(:func:`incentive_summary`, used by :func:`cimon.analysis.uncertainty.monte_carlo`): how sure each
jump, each rank gain and each amount is, and the province's total owed."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from cimon.analysis.codes import CodeMap
from cimon.analysis.compare import compare_results
from cimon.analysis.incentives import award, awards_for_table
from cimon.analysis.places import peer_places_rows
from cimon.analysis.replicates import Outcome, rank_rows
from cimon.analysis.rules import RuleSet, check_classes
from cimon.analysis.uncertainty_result import INCENTIVE_COLUMNS, QUANTILES
from cimon.engine.run import Run


def incentive_summary(
    run: Run,
    previous: Run,
    outcome: Outcome,
    prev_out: Outcome,
    rules: RuleSet,
    code_map: CodeMap | None = None,
) -> tuple[pd.DataFrame, dict[str, int], np.ndarray]:
    """Re-decide the incentives in every replicate.

    Returns one row per county awarded money in the nominal evaluation — ``p_jump`` (the same
    jump happens: from a lower class into the nominal class; NaN without a nominal jump),
    ``p_places`` (a rank gain is paid; NaN without nominal rank money), ``p_award`` (any money),
    ``p_amount`` (exactly the nominal amount), ``expected`` (mean amount, whole 元, half to even)
    and ``amounts`` ({amount: probability}) — and the province's total owed per replicate
    (``p05``, ``median``, ``p95``, ``nominal``; integer 元), and every replicate's amounts
    (replicates × counties, integer 元).

    The award of a replicate is :func:`cimon.analysis.incentives.award` applied to that
    replicate's classes and places, counted as the rule set's ``rank.places`` says: under
    ``overtaken`` (:func:`cimon.analysis.places.peer_places_rows`) against the counties in the
    class in both years of that replicate, none when the replicate's score or overall rank (among
    the counties of both years) fell;
    under ``literal`` places come from counts (class bands are score intervals):
    rank within the class = rank − counties in better classes; last year's position in this
    year's class = last year's rank − last year's counties in better classes when the class is
    the same, one behind all of last year's members when the county came from below.
    """
    labels = [b.label for b in run.framework.classes]
    res, pres = run.results, previous.results
    check_classes(rules, labels)
    table = compare_results(pres, res, labels, code_map, ties=rules.ties)
    nominal = awards_for_table(table, rules, run.year)
    n_rep, n = outcome.classes.shape
    n_cls = len(labels)
    prev_pos = {str(c): k for k, c in enumerate(pres.index)}
    j = np.array([prev_pos.get(str(pc), -1) if pc is not None else -1 for pc in table["prev_code"]])
    matched = j >= 0

    def ranks(out: Outcome, engine_ties: str) -> np.ndarray:
        if rules.ties == engine_ties:
            return np.asarray(out.ranks)
        return rank_rows(np.asarray(out.cents), rules.ties)

    r_curr = ranks(outcome, _ties(run))
    r_prev = ranks(prev_out, _ties(previous))
    c_curr = np.asarray(outcome.classes, np.int64)
    c_prev = np.asarray(prev_out.classes, np.int64)
    # counties per class and replicate, and how many are in a better class (index < b)
    cnt_curr = np.stack([(c_curr == b).sum(axis=1) for b in range(n_cls)], axis=1)
    cnt_prev = np.stack([(c_prev == b).sum(axis=1) for b in range(n_cls)], axis=1)
    better_curr = np.cumsum(cnt_curr, axis=1) - cnt_curr
    better_prev = np.cumsum(cnt_prev, axis=1) - cnt_prev
    rows = np.arange(n_rep)[:, None]
    class_rank = r_curr - better_curr[rows, c_curr]
    jj = np.where(matched, j, 0)
    cp = c_prev[:, jj]
    rp = r_prev[:, jj]
    same = cp == c_curr
    from_below = cp > c_curr
    position = np.where(
        same, rp - better_prev[rows, c_curr], np.where(from_below, cnt_prev[rows, c_curr] + 1, 1)
    )
    if rules.places == "overtaken":
        # places against the counties in the class in both years; none when the score or the
        # overall rank fell (cimon.analysis.places)
        s_curr = np.asarray(outcome.cents, np.int64)
        s_prev = np.asarray(prev_out.cents, np.int64)[:, jj]
        in_class, overall = peer_places_rows(s_curr, s_prev, c_curr, cp, matched, rules.ties)
        real = (s_curr >= s_prev) & (overall >= 0)  # score and rank (both years' counties)
        pe = np.where(real, np.clip(in_class, 0, n), 0)
        po = np.where(real, np.clip(overall, 0, n), 0)
    else:
        pe = np.clip(position - class_rank, 0, n)  # places, within the class
        po = np.clip(rp - r_curr, 0, n)  # places, overall
    cp_code = np.where(matched[None, :], cp, n_cls)  # n_cls: no previous result
    key = ((cp_code * n_cls + c_curr) * (n + 1) + pe) * (n + 1) + po
    county = np.broadcast_to(np.arange(n), key.shape)
    # one award() per distinct (county kind, previous class, class, places)
    kinds = table["match"].astype(str).to_numpy()
    kind_code, kind_names = pd.factorize(kinds)
    full = key * len(kind_names) + kind_code[county]
    uniq, inverse = np.unique(full, return_inverse=True)
    amounts_u = np.empty(len(uniq), np.int64)
    jumps_u = np.empty(len(uniq), np.int64)
    ranks_u = np.empty(len(uniq), np.int64)
    for u_i, code in enumerate(uniq.tolist()):
        k, kind = divmod(code, len(kind_names))
        rest, po_v = divmod(k, n + 1)
        rest, pe_v = divmod(rest, n + 1)
        cpv, cv = divmod(rest, n_cls)
        row = {
            "code": "-",
            "name": "-",
            "class_prev": labels[cpv] if cpv < n_cls else None,
            "class": labels[cv],
            "match": kind_names[kind],
            "prev_code": "-",
            "class_rank": 1,
            "position_prev": 1 + pe_v,
            "rank": 1,
            "rank_prev": 1 + po_v,
            "change": 0.0,  # the overtaken guards are applied above
            "peer_places": pe_v,
            "peer_places_overall": po_v,
        }
        a = award(row, rules, run.year, first_year=False)
        amounts_u[u_i], jumps_u[u_i], ranks_u[u_i] = a.total, a.jump, a.rank + a.bonus
    inverse = inverse.reshape(key.shape)
    amount = amounts_u[inverse]
    jump = jumps_u[inverse]
    rank_money = ranks_u[inverse]
    totals = amount.sum(axis=1)
    q = np.quantile(totals, QUANTILES, method="inverted_cdf")
    budget = {
        "nominal": int(sum(a.total for a in nominal)),
        "p05": int(q[0]),
        "median": int(q[1]),
        "p95": int(q[2]),
    }
    out: list[dict[str, Any]] = []
    for i, a in enumerate(nominal):
        if a.total <= 0:
            continue
        col = amount[:, i]
        lvl = labels.index(a.klass)
        jumped = (c_curr[:, i] == lvl) & (cp_code[:, i] > lvl) & (jump[:, i] > 0)
        values, counts = np.unique(col, return_counts=True)
        out.append(
            {
                "code": a.code,
                "name": a.name,
                "class_prev": a.class_prev,
                "class": a.klass,
                "jump": a.jump,
                "rank_money": a.rank + a.bonus,
                "amount": a.total,
                "p_jump": float(jumped.mean()) if a.jump > 0 else float("nan"),
                "p_places": float((rank_money[:, i] > 0).mean())
                if a.rank + a.bonus > 0
                else float("nan"),
                "p_award": float((col > 0).mean()),
                "p_amount": float((col == a.total).mean()),
                "expected": _mean_yuan(col),
                "amounts": {
                    int(v): float(c) / n_rep
                    for v, c in sorted(zip(values.tolist(), counts.tolist(), strict=True))
                },
            }
        )
    return pd.DataFrame(out, columns=INCENTIVE_COLUMNS), budget, amount


def _ties(run: Run) -> str:
    return str(run.log["classify"].get("ties", "min"))


def _mean_yuan(amounts: np.ndarray) -> int:
    """Mean of integer amounts as whole 元, exact (Fraction), half to even."""
    return round(Fraction(int(amounts.sum()), len(amounts)))
