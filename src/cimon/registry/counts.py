"""Counts of valid qualifications and carriers per county on a date, with the records behind
each count (the drill-down).

Three tables, each a :class:`pandas.DataFrame`:

* **qualifications** (资质): ``enterprise``, ``kind`` (高新技术企业, 科技型中小企业 …), ``start``,
  optional ``end`` (first day no longer valid), ``revoked`` (date of 撤销) and ``id`` (e.g. the
  certificate number). A 高新技术企业 certificate is valid three years from its date
  (:data:`VALIDITY_YEARS`): recognised on 2019-11-28 it is valid up to 2022-11-27, so it counts
  on 31 December 2021 and not on 31 December 2022. A kind without a rule and without ``end``
  stays valid until revoked.
* **history** (所在县区): ``enterprise``, ``county``, ``since`` (blank: from the beginning). On a
  date an enterprise is in the county of its latest ``since`` on or before that date, so one that
  moves counts in the new county from its move date.
* **carriers** (平台、载体): ``id``, ``kind``, ``level`` (国家/省/市), ``body`` (recognising
  body), ``start``, optional ``end``, ``county``, ``status`` (有效/撤销/到期) and ``status_date``
  (when a 撤销 or 到期 took effect). A carrier whose status is 撤销 or 到期 without a date is
  not counted on any date (its history is unknown; a person should give the date).

Validity is the half-open interval ``start ≤ date < min(end, revoked)``. An enterprise counts
once per county and kind however many certificates it holds (a re-recognition issued before
the old certificate expires does not count it twice); its drill-down row names the latest
certificate. Enterprises without a county on the date are not counted.

Everything is array logic over the whole tables (numpy, one sort per table when the
:class:`Registry` is built), so every county's counts on one date cost a few masks and one
group-by.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "ENDED_STATUSES",
    "KEYS",
    "VALIDITY_YEARS",
    "Counts",
    "Registry",
    "count_on",
    "count_years",
    "year_end",
]

#: Years a qualification of a kind is valid from its start, when no end is given.
VALIDITY_YEARS: dict[str, int] = {"高新技术企业": 3}
#: Carrier statuses that end validity from their ``status_date``.
ENDED_STATUSES = ("撤销", "到期")
#: The key columns of a count and of its drill-down rows.
KEYS = ("county", "source", "kind", "level")
_NEVER = np.iinfo(np.int64).max
#: What a date argument may be.
DateLike = str | dt.date | pd.Timestamp


def year_end(year: int) -> pd.Timestamp:
    """31 December of a data year: the date registry counts of that year are taken on."""
    return pd.Timestamp(year, 12, 31)


def _ns(values: Iterable[object] | pd.Series, missing: int) -> np.ndarray:
    """Dates as int64 nanoseconds; blanks become ``missing``."""
    s = pd.to_datetime(pd.Series(values), errors="raise")
    out = s.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    out[s.isna().to_numpy()] = missing
    return out


def _column(frame: pd.DataFrame, name: str, default: object) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series(default, index=frame.index)


@dataclass(frozen=True)
class Counts:
    """Counts on one date: ``table`` (columns :data:`KEYS` and ``count``) and ``records``
    (the drill-down: one row per counted enterprise or carrier, columns :data:`KEYS`,
    ``record``, ``item``, ``body`` (a carrier's recognising body), ``start``, ``end``).
    Every count equals the number of its rows in ``records``: the table is built from them."""

    on: pd.Timestamp
    table: pd.DataFrame
    records: pd.DataFrame

    def count(self, county: str, kind: str, level: str | None = None) -> int:
        """The count of one county and kind (all levels unless ``level`` is given)."""
        return len(self.drill(county, kind, level))

    def drill(self, county: str, kind: str, level: str | None = None) -> pd.DataFrame:
        """The records that made a count."""
        r = self.records
        mask = (r["county"] == county) & (r["kind"] == kind)
        if level is not None:
            mask &= r["level"] == level
        return r[mask]


@dataclass
class Registry:
    """The three tables prepared for counting (sorted, dates as integers). Build with
    :meth:`build`; count with :func:`count_on` or :meth:`count_on`."""

    quals: pd.DataFrame
    q_ent: np.ndarray  # enterprise codes (0..n-1) of each qualification
    q_start: np.ndarray
    q_end: np.ndarray
    h_ent: np.ndarray  # history sorted by (enterprise, since)
    h_since: np.ndarray
    h_county: np.ndarray
    n_ent: int
    carriers: pd.DataFrame
    c_start: np.ndarray
    c_end: np.ndarray

    @classmethod
    def build(
        cls,
        qualifications: pd.DataFrame | None = None,
        history: pd.DataFrame | None = None,
        carriers: pd.DataFrame | None = None,
    ) -> Registry:
        q = (qualifications if qualifications is not None else _empty_quals()).reset_index(
            drop=True
        )
        h = (history if history is not None else _empty_history()).reset_index(drop=True)
        c = (carriers if carriers is not None else _empty_carriers()).reset_index(drop=True)
        codes, _ = pd.factorize(pd.concat([q["enterprise"], h["enterprise"]], ignore_index=True))
        q_ent, h_ent = codes[: len(q)], codes[len(q) :]
        kind = q["kind"].astype(str)
        start = _ns(q["start"], _NEVER)  # a qualification without a start never counts
        end = _ns(_column(q, "end", None), _NEVER)
        for k, years in VALIDITY_YEARS.items():
            rule = (kind == k).to_numpy() & (end == _NEVER) & (start != _NEVER)
            if rule.any():
                shifted = pd.to_datetime(start[rule]) + pd.DateOffset(years=years)
                end[rule] = shifted.to_numpy(dtype="datetime64[ns]").astype(np.int64)
        end = np.minimum(end, _ns(_column(q, "revoked", None), _NEVER))
        quals = pd.DataFrame(
            {
                "enterprise": q["enterprise"].to_numpy(dtype=object),
                "kind": kind.to_numpy(dtype=object),
                "item": _column(q, "id", None).to_numpy(dtype=object),
            }
        )
        since = _ns(h["since"] if "since" in h.columns else [None] * len(h), np.iinfo(np.int64).min)
        order = np.lexsort((since, h_ent))
        h_county = h["county"].astype(str).to_numpy(dtype=object)[order]
        c_start = _ns(c["start"], _NEVER)
        c_end = _ns(_column(c, "end", None), _NEVER)
        status = _column(c, "status", "有效").fillna("有效").astype(str).to_numpy()
        ended = np.isin(status, ENDED_STATUSES)
        c_end = np.where(ended, np.minimum(c_end, _ns(_column(c, "status_date", None), -1)), c_end)
        carriers_out = pd.DataFrame(
            {
                "county": c["county"].astype(str).to_numpy(dtype=object),
                "kind": c["kind"].astype(str).to_numpy(dtype=object),
                "level": _column(c, "level", "").fillna("").astype(str).to_numpy(dtype=object),
                "record": c["id"].to_numpy(dtype=object),
                "body": _column(c, "body", "").fillna("").astype(str).to_numpy(dtype=object),
            }
        )
        return cls(
            quals, q_ent, start, end, h_ent[order], since[order], h_county,
            int(codes.max()) + 1 if len(codes) else 0, carriers_out, c_start, c_end,
        )  # fmt: skip

    def counties_on(self, on: DateLike) -> np.ndarray:
        """Each enterprise's county on ``on`` ("" when none), indexed by enterprise code."""
        t = _ns([on], 0)[0]
        out = np.full(self.n_ent, "", dtype=object)
        pos = np.flatnonzero(self.h_since <= t)
        if len(pos):
            ent = self.h_ent[pos]
            last = pos[np.r_[ent[1:] != ent[:-1], True]]
            out[self.h_ent[last]] = self.h_county[last]
        return out

    def count_on(self, on: DateLike) -> Counts:
        return count_on(self, on)


def _empty_quals() -> pd.DataFrame:
    return pd.DataFrame({"enterprise": [], "kind": [], "start": []})


def _empty_history() -> pd.DataFrame:
    return pd.DataFrame({"enterprise": [], "county": [], "since": []})


def _empty_carriers() -> pd.DataFrame:
    return pd.DataFrame({"id": [], "kind": [], "county": [], "start": []})


def count_on(registry: Registry, on: DateLike) -> Counts:
    """Every county's count of valid qualifications (per kind) and carriers (per kind and
    level) on the date ``on``, with the drill-down rows.

    Qualifications: valid on ``on`` (``start ≤ on < end``), one row per enterprise and kind
    (the latest certificate), in the enterprise's county on ``on``. Carriers: valid on ``on``
    (and not 撤销/到期 by then), in their county.
    """
    when = pd.Timestamp(on)
    t = _ns([when], 0)[0]
    r = registry
    valid = np.flatnonzero((r.q_start <= t) & (t < r.q_end))
    counties = r.counties_on(when)
    q = r.quals.iloc[valid]
    quals = pd.DataFrame(
        {
            "county": counties[r.q_ent[valid]],
            "source": "qualification",
            "kind": q["kind"].to_numpy(),
            "level": "",
            "record": q["enterprise"].to_numpy(),
            "_order": r.q_ent[valid],
            "item": q["item"].to_numpy(),
            "start": r.q_start[valid].astype("datetime64[ns]"),
            "end": r.q_end[valid],
        }
    )
    quals = quals[quals["county"] != ""]
    # one row per enterprise and kind: the certificate that started last
    quals = quals.sort_values("start", kind="stable").drop_duplicates(
        ["record", "kind"], keep="last"
    )
    cv = np.flatnonzero((r.c_start <= t) & (t < r.c_end))
    carriers = r.carriers.iloc[cv].assign(
        source="carrier",
        item=r.carriers["record"].to_numpy()[cv],
        start=r.c_start[cv].astype("datetime64[ns]"),
        end=r.c_end[cv],
        _order=cv,
    )
    quals["body"] = ""
    records = pd.concat([quals, carriers], ignore_index=True)
    end = records["end"].to_numpy(dtype=np.int64)
    records["end"] = pd.to_datetime(np.where(end == _NEVER, np.iinfo(np.int64).min, end))
    # ids may mix types (enterprise numbers, carrier codes): order by position, not by id
    records = records.sort_values([*KEYS, "_order"], kind="stable", ignore_index=True)[
        [*KEYS, "record", "item", "body", "start", "end"]
    ]
    table = records.groupby(list(KEYS), sort=True).size().rename("count").reset_index()
    return Counts(when, table, records)


def count_years(registry: Registry, years: Iterable[int]) -> dict[int, Counts]:
    """:func:`count_on` on 31 December (:func:`year_end`) of each data year."""
    return {int(y): count_on(registry, year_end(int(y))) for y in years}
