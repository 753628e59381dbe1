"""Cell and region flags of a run: engine flags (undefined, imputed, treated, missing) and the
``input:<status>`` tags of the data year's rows that are not ``reported``; each flag in words
(:func:`explain_flag`, used by every output)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from cimon.model.framework import Framework
from cimon.vocab import Term


def _bits_equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) | (np.isnan(a) & np.isnan(b))


@dataclass(frozen=True)
class _InputTags:
    """``input:<status>`` flags from the data year's rows whose status is not ``reported``: one
    entry per (row, indicator reading the row's variable), in row order."""

    region: np.ndarray
    indicator: np.ndarray
    status: np.ndarray

    @classmethod
    def of(
        cls,
        framework: Framework,
        region_pos: np.ndarray,
        variables: np.ndarray,
        statuses: np.ndarray,
    ) -> _InputTags:
        by_var: dict[str, list[int]] = {}
        for j, ind in enumerate(framework.indicators):
            for v in ind.variables:
                by_var.setdefault(v, []).append(j)
        region: list[int] = []
        indicator: list[int] = []
        status: list[str] = []
        for i, var, st in zip(
            region_pos.tolist(), variables.tolist(), statuses.tolist(), strict=True
        ):
            if i < 0:
                continue
            for j in by_var.get(str(var), ()):
                region.append(i)
                indicator.append(j)
                status.append(f"input:{st}")
        return cls(
            np.asarray(region, dtype=np.int64),
            np.asarray(indicator, dtype=np.int64),
            np.asarray(status, dtype=object),
        )


@lru_cache(maxsize=64)
def _flag_table(imp_names: tuple[str, ...], trt_names: tuple[str, ...]) -> np.ndarray:
    """Joined engine flags for each of the 16 combinations (bit 1 undefined, 2 imputed, 4 treated,
    8 missing) and each indicator."""
    table = np.empty((16, len(imp_names)), dtype=object)
    for mask in range(16):
        for j, (imp, trt) in enumerate(zip(imp_names, trt_names, strict=True)):
            parts = (
                (1, "undefined"),
                (2, f"imputed:{imp}"),
                (4, f"treated:{trt}"),
                (8, "missing"),
            )
            table[mask, j] = ";".join(p for bit, p in parts if mask & bit)
    table.flags.writeable = False
    return table


def _flags(
    undefined: np.ndarray,
    imputed: np.ndarray,
    treated: np.ndarray,
    missing: np.ndarray,
    imp_names: Sequence[str],
    trt_names: Sequence[str],
    tags: _InputTags,
) -> tuple[np.ndarray, list[str]]:
    """Flag strings per cell, ``;``-joined in the order undefined, ``imputed:<method>``,
    ``treated:<method>``, missing, then the input tags in the order their rows come (each once),
    and per region (the sorted union of its cells' flags).

    Vectorised: the four engine flags of a cell depend only on which of them are set and on the
    indicator, so their strings come from a 16 × k table; only cells with input tags are joined
    one by one."""
    n, k = undefined.shape
    table = _flag_table(tuple(imp_names), tuple(trt_names))
    cells = np.full((n, k), "", dtype=object)
    fi, fj = np.nonzero(undefined | imputed | treated | missing)
    bits = undefined[fi, fj] * 1 + imputed[fi, fj] * 2 + treated[fi, fj] * 4 + missing[fi, fj] * 8
    cells[fi, fj] = table[bits, fj]

    # region × flag pairs, flags numbered in string order so a region's flags come out sorted
    flagged = [np.nonzero(m) for m in (undefined, imputed, treated, missing)]
    pair_region = [rows for rows, _ in flagged]
    pair_flag = [
        np.full(len(flagged[0][0]), "undefined", dtype=object),
        "imputed:" + np.asarray(imp_names, dtype=object)[flagged[1][1]],
        "treated:" + np.asarray(trt_names, dtype=object)[flagged[2][1]],
        np.full(len(flagged[3][0]), "missing", dtype=object),
    ]
    if len(tags.region):
        cell = tags.region * k + tags.indicator
        scode, suniq = pd.factorize(tags.status)
        first = np.unique(cell * len(suniq) + scode, return_index=True)[1]
        first.sort()  # each (cell, status) once, in row order
        cell, status = cell[first], tags.status[first]
        order = np.argsort(cell, kind="stable")
        cell, status = cell[order], status[order]
        starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
        joined = status[starts]
        for g in np.flatnonzero(np.diff(np.r_[starts, len(cell)]) > 1).tolist():
            end = starts[g + 1] if g + 1 < len(starts) else len(cell)
            joined[g] = ";".join(status[starts[g] : end].tolist())
        i, j = np.divmod(cell[starts], k)
        base = cells[i, j]
        cells[i, j] = np.where(base == "", joined, base + ";" + joined)
        pair_region.append(cell // k)
        pair_flag.append(status)
    region_of = np.concatenate(pair_region)
    flag_of = np.concatenate(pair_flag)
    out = [""] * n
    if len(region_of):
        fcode, funiq = pd.factorize(flag_of, sort=True)
        pair = np.unique(region_of * len(funiq) + fcode)
        names = np.asarray(funiq, dtype=object)[pair % len(funiq)].tolist()
        per_region: dict[int, list[str]] = {}
        for r, name in zip((pair // len(funiq)).tolist(), names, strict=True):
            per_region.setdefault(r, []).append(name)
        for r, group in per_region.items():
            out[r] = ";".join(group)
    return cells, out


def explain_flag(flag: str, lang: str = "zh") -> str:
    """A flag code in words: ``imputed:carry_forward`` → ``插补(carry_forward)``.

    ================  ===========================  ==========================================
    code              中文                          English
    ================  ===========================  ==========================================
    imputed:<m>       插补(<m>)                     imputed (<m>)
    missing           缺失记0分                      missing, scored 0
    treated:<m>       已截断/缩尾处理(<m>)           capped/winsorised (<m>)
    undefined         分母或基期为零无法计算           undefined: zero denominator or base
    input:estimated   估算数据                       estimated input data
    ================  ===========================  ==========================================
    """
    kind, _, method = flag.partition(":")
    zh_en = {
        "missing": Term("缺失记0分", "missing, scored 0"),
        "undefined": Term("分母或基期为零无法计算", "undefined: zero denominator or base"),
    }
    if flag in zh_en:
        return zh_en[flag](lang)
    if kind == "imputed":
        return f"插补({method})" if lang != "en" else f"imputed ({method})"
    if kind == "treated":
        return f"已截断/缩尾处理({method})" if lang != "en" else f"capped/winsorised ({method})"
    if kind == "input":
        statuses = {
            "estimated": Term("估算数据", "estimated input data"),
            "imputed": Term("报送时已插补", "imputed at the source"),
            "missing": Term("报送时标为缺失", "reported as missing"),
        }
        return statuses.get(method, Term(f"输入状态：{method}", f"input status: {method}"))(lang)
    return flag


def flags_in_words(flags: str | Iterable[str], lang: str = "zh") -> str:
    """``"missing;imputed:carry_forward"`` → ``"缺失记0分；插补(carry_forward)"``."""
    items = [f for f in (flags.split(";") if isinstance(flags, str) else flags) if f]
    return ("; " if lang == "en" else "；").join(explain_flag(f, lang) for f in items)
