"""The data panel: a long table ``region_code, year, variable, value, status, source``.

``year`` is the data year (数据年度). ``status`` is one of reported / imputed / estimated / missing;
``source`` names the submission (or, for rubric items, the expert) a value came from. Rubric variables
may hold several rows per county and year — one per expert — which :meth:`Panel.wide` combines by the
variable's rule (mean or trimmed mean).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cimon.errors import PanelError
from cimon.model.framework import Framework

COLUMNS = ("region_code", "year", "variable", "value", "status", "source")
STATUSES = ("reported", "imputed", "estimated", "missing")


@dataclass
class Panel:
    """A long panel of variable values. Build with :meth:`from_frame`, or read a file with
    :func:`cimon.model.panel_file.read_panel`."""

    frame: pd.DataFrame
    source: str = "<panel>"

    @classmethod
    def from_frame(cls, df: pd.DataFrame, source: str = "<panel>") -> Panel:
        """Normalise column types; ``status`` defaults to reported, ``source`` to the file name."""
        missing = [c for c in ("region_code", "year", "variable", "value") if c not in df.columns]
        if missing:
            raise PanelError(
                f"数据表缺少列：{'、'.join(missing)}。长表需要 region_code、year、variable、value 列。",
                f"The panel lacks column(s): {', '.join(missing)}. A long panel needs "
                "region_code, year, variable, value.",
                source,
            )
        out = pd.DataFrame(
            {
                "region_code": df["region_code"].astype(str),
                "year": df["year"].astype(int),
                "variable": df["variable"].astype(str),
                "value": pd.to_numeric(df["value"], errors="raise").astype(float),
                "status": (df.get("status", "reported")),
                "source": (df.get("source", source)),
            }
        )
        out["status"] = out["status"].fillna("reported").astype(str)
        out["source"] = out["source"].fillna("").astype(str)
        return cls(out.reset_index(drop=True), source)

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.frame["year"].unique())

    def slice(
        self, years: Iterable[int], variables: Iterable[str], regions: Iterable[str]
    ) -> Panel:
        """The rows for the given years, variables and regions, in a canonical order: sorted by
        year, variable, region_code and source (string order), ties kept in their panel order."""
        years = sorted({int(y) for y in years})
        return self.cube(
            years, list(dict.fromkeys(variables)), list(dict.fromkeys(regions))
        ).panel()

    def data_hash(self) -> str:
        """sha256 of the canonical CSV of the panel: rows sorted by every column, one line
        ``region_code,year,variable,value,status,source`` per row, the value as its exact float
        hex (``float.hex``; empty when missing). Any change to a value, status or source changes
        it; row order does not."""
        f = self.frame
        keys = [_sort_codes(f[c].to_numpy()) for c in COLUMNS]
        order = np.lexsort(keys[::-1])
        h = hashlib.sha256()
        cols = [f[c].to_numpy() for c in COLUMNS]
        for start in range(0, len(order), _HASH_CHUNK):
            part = order[start : start + _HASH_CHUNK]
            code, year, var, value, status, source = (c[part].tolist() for c in cols)
            text = "".join(
                [
                    f"{a},{b},{c},{'' if v != v else float.hex(v)},{d},{e}\n"
                    for a, b, c, v, d, e in zip(code, year, var, value, status, source, strict=True)
                ]
            )
            h.update(text.encode())
        return h.hexdigest()

    def wide(
        self,
        year: int,
        variables: Sequence[str],
        regions: Sequence[str],
        framework: Framework | None = None,
    ) -> pd.DataFrame:
        """Regions × variables for one data year (NaN where absent). Rubric variables with several
        rows (one per expert) combine by the framework's rule for that variable; any other
        variable with several rows for a county takes their mean."""
        return self.cube([year], variables, regions, framework).table(year)

    def cube(
        self,
        years: Iterable[int],
        variables: Sequence[str],
        regions: Sequence[str],
        framework: Framework | None = None,
        codes: PanelCodes | None = None,
    ) -> PanelCube:
        """Dense values of several data years at once plus the rows they came from, in the
        canonical order of :meth:`slice`. One pass over the long table: the engine evaluates many
        years from one cube instead of pivoting per year. ``codes`` reuses :meth:`codes`."""
        return PanelCube.build(self, years, variables, regions, framework, codes)

    def codes(self) -> PanelCodes:
        """Integer codes of the region and variable columns (see :class:`PanelCodes`)."""
        return PanelCodes.of(self.frame)


@dataclass(frozen=True)
class PanelCodes:
    """Integer codes of a panel's ``region_code`` and ``variable`` columns (codes follow the
    string order of the sorted ``regions`` / ``variables``; a missing code is −1), computed once
    so that checks and pivots over many years share one pass over the strings."""

    year: np.ndarray
    region: np.ndarray
    regions: np.ndarray
    variable: np.ndarray
    variables: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame) -> PanelCodes:
        rcode, runiq = _factorize(frame["region_code"].to_numpy())
        vcode, vuniq = _factorize(frame["variable"].to_numpy())
        return cls(
            year=frame["year"].to_numpy(),
            region=rcode,
            regions=runiq,
            variable=vcode,
            variables=vuniq,
        )


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=True)`` (codes in string order, −1 where missing), hashing
    only the first value of each run of equal neighbours when runs are long — as they are in
    long tables sorted by variable or by county."""
    n = len(values)
    head = 8192
    runs = n > 4 * head and np.count_nonzero(values[1:head] != values[: head - 1]) < head // 4
    if runs:
        starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
        codes, uniques = pd.factorize(values[starts])
        codes = np.repeat(codes, np.diff(np.r_[starts, n]))
    else:
        codes, uniques = pd.factorize(values)
    uniques = np.asarray(uniques, dtype=object)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order) + 1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    rank[-1] = -1  # codes of −1 (missing) stay −1
    return rank[codes], uniques[order]


#: rows hashed per chunk by :meth:`Panel.data_hash` (bounds the temporary text)
_HASH_CHUNK = 200_000


def _sort_codes(values: np.ndarray) -> np.ndarray:
    """Integer keys that sort like ``values`` do in :meth:`pandas.DataFrame.sort_values`
    (missing last)."""
    if values.dtype.kind in "iub":
        return values
    if values.dtype.kind == "f":
        return values  # np.lexsort puts NaN last, as pandas does
    codes, uniques = pd.factorize(values, sort=True)
    codes = codes.astype(np.int64, copy=False)
    codes[codes < 0] = len(uniques)
    return codes


@dataclass(frozen=True)
class PanelCube:
    """Regions × variables matrices of several data years, built from a long panel in one pass.

    ``values[t, v, r]`` is variable ``variables[v]`` of region ``regions[r]`` in ``years[t]``
    (NaN where absent; several rows for one cell combined as :meth:`Panel.wide` says).
    ``rows`` holds the panel rows used, in the canonical order of :meth:`Panel.slice` (years
    ascending first, so the rows of consecutive years are one contiguous block); ``row_region``,
    ``row_variable`` and ``row_odd`` (status is not ``reported``) describe each of them.
    """

    years: tuple[int, ...]
    variables: tuple[str, ...]
    regions: tuple[str, ...]
    values: np.ndarray
    rows: pd.DataFrame
    bounds: np.ndarray
    row_region: np.ndarray
    row_variable: np.ndarray
    row_odd: np.ndarray
    source: str

    @classmethod
    def build(
        cls,
        panel: Panel,
        years: Iterable[int],
        variables: Sequence[str],
        regions: Sequence[str],
        framework: Framework | None = None,
        codes: PanelCodes | None = None,
    ) -> PanelCube:
        """See :meth:`Panel.cube`; ``codes`` reuses :meth:`Panel.codes` computed earlier."""
        years_t = tuple(sorted({int(y) for y in years}))
        variables_t, regions_t = tuple(variables), tuple(regions)
        codes = codes if codes is not None else panel.codes()
        f = panel.frame
        years_a = np.asarray(years_t, dtype=np.int64)
        wanted = np.isin(codes.year, years_a)
        rpos = pd.Index(regions_t, dtype=object).get_indexer(pd.Index(codes.regions, dtype=object))
        vpos = pd.Index(variables_t, dtype=object).get_indexer(
            pd.Index(codes.variables, dtype=object)
        )
        # lookup tables with a trailing entry for code −1 (a missing value)
        r_ok, v_ok = np.append(rpos >= 0, False), np.append(vpos >= 0, False)
        wanted &= r_ok[codes.region]
        wanted &= v_ok[codes.variable]
        if wanted.all():
            take = np.arange(len(wanted))
            year, rcode, vcode = codes.year, codes.region, codes.variable
        else:
            take = np.flatnonzero(wanted)
            year, rcode, vcode = codes.year[take], codes.region[take], codes.variable[take]
        runiq, vuniq = codes.regions, codes.variables
        ycode = np.searchsorted(years_a, year)

        # canonical order: year, variable, region_code (string order), then source within a
        # (year, variable, region) group; both sorts are stable, so ties keep their panel order
        key = (ycode * len(vuniq) + vcode) * len(runiq) + rcode
        if np.count_nonzero(key[1:] < key[:-1]) < len(key) // 64:  # long sorted runs: timsort
            order = np.argsort(key, kind="stable")
        else:
            order = np.lexsort((rcode, vcode, ycode))
        cell = key[order]
        same = cell[1:] == cell[:-1]
        multi = np.zeros(len(order), bool)
        multi[1:] |= same
        multi[:-1] |= same
        if multi.any():
            at = np.flatnonzero(multi)
            src = f["source"].to_numpy()[take[order[at]]]
            in_group = same[at[1:] - 1] & (np.diff(at) == 1)
            try:
                unsorted = bool((in_group & (src[1:] < src[:-1])).any())
            except TypeError:  # not all strings: let factorize order them
                unsorted = True
            if unsorted:  # sources out of order within a group
                scode, _ = pd.factorize(src, sort=True)
                order[at] = order[at][np.lexsort((scode, cell[at]))]
        rows_at = take[order]
        rows = pd.DataFrame({c: f[c].array.take(rows_at) for c in f.columns}, copy=False)
        yc, vc, rc = ycode[order], vpos[vcode[order]], rpos[rcode[order]]

        values = np.full((len(years_t), len(variables_t), len(regions_t)), np.nan)
        value = rows["value"].to_numpy(dtype=float)
        single = ~multi
        flat = values.reshape(-1)  # a view
        flat[((yc * len(variables_t) + vc) * len(regions_t) + rc)[single]] = value[single]
        if multi.any():
            rules = _combine_rules(variables_t, framework)
            _combine_groups(values, yc, vc, rc, value, multi, cell, rules)
        values.flags.writeable = False
        bounds = np.searchsorted(yc, np.arange(len(years_t) + 1))
        odd = (rows["status"].to_numpy() != "reported") if len(rows) else np.zeros(0, bool)
        return cls(
            years=years_t,
            variables=variables_t,
            regions=regions_t,
            values=values,
            rows=rows,
            bounds=bounds,
            row_region=rc,
            row_variable=vc,
            row_odd=np.asarray(odd, bool),
            source=panel.source,
        )

    def _year(self, year: int) -> int | None:
        i = int(np.searchsorted(self.years, year))
        return i if i < len(self.years) and self.years[i] == year else None

    def column(self, year: int, variable: str) -> np.ndarray:
        """One variable of one year as a read-only vector over the regions (NaN where absent,
        all NaN for a year outside the cube)."""
        t = self._year(year)
        if variable not in self.variables:
            raise KeyError(variable)
        v = self.variables.index(variable)
        if t is None:
            return np.full(len(self.regions), np.nan)
        return self.values[t, v]

    def table(self, year: int) -> pd.DataFrame:
        """Regions × variables of one year, as :meth:`Panel.wide` returns it."""
        t = self._year(year)
        m = np.full((len(self.regions), len(self.variables)), np.nan)
        if t is not None:
            m[:] = self.values[t].T
        return pd.DataFrame(
            m,
            index=pd.Index(list(self.regions), name="region_code"),
            columns=pd.Index(list(self.variables), name="variable"),
        )

    def span(self, first: int, last: int) -> slice:
        """Positions in ``rows`` of the years ``first`` … ``last`` (a contiguous block)."""
        lo = int(np.searchsorted(self.years, first))
        hi = int(np.searchsorted(self.years, last, side="right"))
        return slice(int(self.bounds[lo]), int(self.bounds[hi]))

    def panel(self, first: int | None = None, last: int | None = None) -> Panel:
        """The rows of the years ``first`` … ``last`` (default: all) as a panel, in canonical
        order: equal to ``panel.slice(those years, variables, regions)``. Shares memory with the
        cube (copy-on-write)."""
        if not self.years:
            return Panel(self.rows.reset_index(drop=True), self.source)
        span = self.span(
            self.years[0] if first is None else first, self.years[-1] if last is None else last
        )
        return Panel(self.rows.iloc[span].reset_index(drop=True), self.source)


def _combine_rules(variables: Sequence[str], framework: Framework | None) -> np.ndarray:
    """Per variable: True when several rows combine by trimmed mean (else mean)."""
    combine: dict[str, str] = {}
    if framework is not None:
        combine = {v.code: v.combine for v in framework.variables if v.kind == "rubric"}
    return np.array([combine.get(v, "mean") == "trimmed_mean" for v in variables], bool)


def _combine_groups(
    values: np.ndarray,
    yc: np.ndarray,
    vc: np.ndarray,
    rc: np.ndarray,
    value: np.ndarray,
    multi: np.ndarray,
    cell: np.ndarray,
    trimmed_rule: np.ndarray,
) -> None:
    """Write :func:`combine_scores` of every cell with several rows into ``values``, vectorised
    over cells with the same number of rows; bit for bit the same as calling it per cell (the
    per-row sums below add in the order ``ndarray.mean`` does)."""
    at = np.flatnonzero(multi)
    c = cell[at]
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    sizes = np.diff(np.r_[starts, len(at)])
    first = at[starts]
    for m in np.unique(sizes):
        g = sizes == m
        block = np.sort(value[at[starts[g][:, None] + np.arange(m)]], axis=1)  # NaN last
        present = (~np.isnan(block)).sum(axis=1)
        trim = trimmed_rule[vc[first[g]]]
        out = np.full(len(block), np.nan)
        for k in np.unique(present):
            if k == 0:
                continue
            for t in (False, True):
                sel = (present == k) & (trim == t)
                if not sel.any():
                    continue
                lo, hi = (1, k - 1) if t and k >= 3 else (0, k)
                x = np.ascontiguousarray(block[sel, lo:hi])
                if x.shape[1] < 8:
                    out[sel] = np.add.reduce(x, axis=1) / x.shape[1]
                else:  # numpy's pairwise summation order: reuse ndarray.mean row by row
                    out[sel] = [row.mean() for row in x]
        values[yc[first[g]], vc[first[g]], rc[first[g]]] = out


def combine_scores(scores: np.ndarray, how: str = "mean") -> float:
    """Combine several experts' scores for one item.

    ``mean`` is the arithmetic mean; ``trimmed_mean`` drops one highest and one lowest score before
    averaging (the usual 去掉一个最高分和一个最低分 rule; with fewer than 3 scores it is the mean).
    Missing scores are ignored; with none left the result is NaN.
    """
    x = np.sort(scores[~np.isnan(scores)])
    if x.size == 0:
        return math.nan
    if how == "trimmed_mean" and x.size >= 3:
        x = x[1:-1]
    return float(x.mean())
