"""The robustness part of the annual report's content: an uncertainty-analysis result
(:mod:`cimon.analysis.uncertainty`) read per county into :class:`CountyRobustness`, with a clear
error when it does not fit the report (another year, counties or columns missing)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cimon.errors import CimonError
from cimon.reports.annual.content_types import CountyRobustness

ROBUSTNESS_COLUMNS = (
    "p_nominal",
    "stable",
    "rank_median",
    "rank_p05",
    "rank_p95",
    "score_p05",
    "score_median",
    "score_p95",
)


def county_robustness(
    result: Any | None, year: int, codes: list[str], labels: tuple[str, ...], source: str
) -> dict[str, CountyRobustness] | None:
    """Per-county robustness from an uncertainty-analysis result; a clear error when it does not
    fit this report (another year, counties or columns missing)."""
    if result is None:
        return None
    r_year = int(getattr(result, "year", year))
    if r_year != year:
        raise CimonError(
            f"稳健性分析结果是 {r_year} 年度的，报告是 {year} 年度的。请使用同一评价年度的分析结果。",
            f"The robustness result is for {r_year}, the report for {year}. Use the analysis of the "
            "same evaluation year.",
            source,
        )
    frame = getattr(result, "counties", None)
    need = [*ROBUSTNESS_COLUMNS, *(f"p_{k}" for k in labels)]
    if not isinstance(frame, pd.DataFrame) or any(c not in frame.columns for c in need):
        have = list(frame.columns) if isinstance(frame, pd.DataFrame) else []
        lacking = [c for c in need if c not in have]
        raise CimonError(
            f"稳健性分析结果缺少各县的列：{'、'.join(lacking)}。请用 cimon robustness 重新生成。",
            f"The robustness result lacks the county columns {', '.join(lacking)}. Produce it again "
            "with cimon robustness.",
            f"{source}: counties",
        )
    index = [str(c) for c in frame.index]
    missing = [c for c in codes if c not in index]
    if missing:
        raise CimonError(
            f"稳健性分析结果中没有这些县：{'、'.join(missing)}。请对同一数据和区划重新进行稳健性分析。",
            f"The robustness result has no row for {', '.join(missing)}. Run the robustness analysis "
            "again on the same data and regions.",
            f"{source}: counties",
        )
    frame = frame.set_axis(index)
    replicates = int(getattr(result, "replicates", 0))
    out = {}
    for code in codes:
        row: Any = frame.loc[code]
        out[code] = CountyRobustness(
            replicates=replicates,
            p_nominal=float(row["p_nominal"]),
            stable=bool(row["stable"]),
            p_classes={k: float(row[f"p_{k}"]) for k in labels},
            rank_median=float(row["rank_median"]),
            rank_p05=int(row["rank_p05"]),
            rank_p95=int(row["rank_p95"]),
            score_p05=float(row["score_p05"]),
            score_median=float(row["score_median"]),
            score_p95=float(row["score_p95"]),
        )
    return out
