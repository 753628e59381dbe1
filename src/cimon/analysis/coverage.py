"""Village coverage (issue #17): villages with at least one service / all villages, per county and
per town. Pure pandas, vectorised: millions of service rows are reduced to their distinct village
codes first (one hash pass), so the arithmetic is on the size of the village list.

The village frame is the registry's (:func:`cimon.registry.villages.villages`: code, name, kind,
town_code, town_name, county_code, county_name); the service frame needs only a ``village_code``
column. When it also carries ``county_code`` (or ``town_code``), rows whose county (town) does not
match the village code's own are reported in :attr:`Coverage.mismatched`; the village code decides
where a service counts. Codes that are empty, malformed or not in the village frame are reported in
:attr:`Coverage.unknown` with the number of rows, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: reasons for a service code that counts nowhere
REASONS = {
    "missing": ("缺少村级代码", "no village code"),
    "malformed": ("村级代码应为 12 位数字", "a village code must be 12 digits"),
    "outside": (
        "不在所给村级名录中（代码错误或属于名录以外的地区）",
        "not in the given village list (a wrong code, or a place outside the list)",
    ),
}
COUNT_COLUMNS = ("villages", "served", "unserved", "share")


@dataclass(frozen=True)
class Coverage:
    """Coverage of a village list by service rows.

    ``counties``: county_code, county_name, villages, served, unserved, share (0–1);
    ``towns``: town_code, town_name, county_code, county_name and the same counts;
    ``unserved``: the village rows with no service; ``unknown``: village_code, rows, reason,
    reason_en; ``mismatched``: village_code, the given county_code/town_code, the code's own, rows.
    """

    counties: pd.DataFrame
    towns: pd.DataFrame
    unserved: pd.DataFrame
    unknown: pd.DataFrame
    mismatched: pd.DataFrame
    service_rows: int
    served_villages: int

    @property
    def villages(self) -> int:
        return int(self.counties["villages"].sum())

    @property
    def share(self) -> float:
        """Served villages / all villages over the whole list (0 for an empty list)."""
        n = self.villages
        return self.served_villages / n if n else 0.0


def _counts(flags: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    g = flags.groupby(keys, sort=True, observed=True)["served"]
    out = g.agg(villages="size", served="sum").reset_index()
    out["served"] = out["served"].astype("int64")
    out["villages"] = out["villages"].astype("int64")
    out["unserved"] = out["villages"] - out["served"]
    out["share"] = out["served"] / out["villages"]
    return out


def _as_text(values: pd.Series) -> pd.Series:
    """Codes as text: integers (a column read as numbers) keep their digits, NaN stays NaN."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("int64").astype(str)
    if pd.api.types.is_float_dtype(values.dtype):
        ok = values.notna() & (values == values.round())
        return values.where(~ok, values[ok].astype("int64").astype(str)).where(values.notna())
    return values


def _mismatched(served: pd.DataFrame, column: str, village_codes: pd.Index) -> pd.DataFrame:
    parts = []
    for level, width in (("county_code", 6), ("town_code", 9)):
        if level not in served.columns:
            continue
        sizes = served.groupby([column, level], sort=False, observed=True).size()
        pairs: pd.DataFrame = sizes.rename("rows").reset_index()
        pairs = pairs[pairs[column].isin(village_codes)]
        given = _as_text(pairs[level]).astype(str)
        own = pairs[column].str[:width]
        bad = pairs[given != own]
        if len(bad):
            parts.append(
                pd.DataFrame(
                    {
                        "village_code": bad[column].to_numpy(),
                        "level": level,
                        "given": given[given != own].to_numpy(),
                        "own": own[given != own].to_numpy(),
                        "rows": bad["rows"].to_numpy(),
                    }
                )
            )
    cols = ["village_code", "level", "given", "own", "rows"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def coverage(
    villages: pd.DataFrame,
    served: pd.DataFrame | pd.Series,
    column: str = "village_code",
) -> Coverage:
    """Coverage of ``villages`` (the registry frame) by ``served`` (a frame with ``column``, or a
    Series of village codes; one row per service, repeats allowed)."""
    frame = served.to_frame(column) if isinstance(served, pd.Series) else served
    if column not in frame.columns:
        raise KeyError(f"served frame has no column {column!r}")
    codes = _as_text(frame[column])
    rows_per_code = codes.value_counts(dropna=False)
    distinct = rows_per_code.index
    known = pd.Index(villages["code"].astype(str))
    hit = distinct.isin(known)
    served_codes = pd.Index(distinct[hit]).astype(str)
    flags = villages[["code", "town_code", "town_name", "county_code", "county_name"]].copy()
    flags["served"] = flags["code"].isin(served_codes)

    counties = _counts(flags, ["county_code", "county_name"])
    towns = _counts(flags, ["town_code", "town_name", "county_code", "county_name"])
    unserved = villages[~flags["served"].to_numpy()].reset_index(drop=True)

    miss = rows_per_code[~hit]
    text = pd.Series(miss.index, dtype=object)
    is_missing = text.isna() | (text.astype(str).str.strip() == "")
    well_formed = text.astype(str).str.fullmatch(r"\d{12}")
    reason = pd.Series("outside", index=text.index).where(well_formed, "malformed")
    reason = reason.where(~is_missing, "missing")
    unknown = pd.DataFrame(
        {
            "village_code": text.where(~is_missing, ""),
            "rows": miss.to_numpy().astype("int64"),
            "reason": reason.map(lambda r: REASONS[r][0]),
            "reason_en": reason.map(lambda r: REASONS[r][1]),
        }
    )
    unknown = unknown.sort_values(["village_code"], kind="stable").reset_index(drop=True)

    typed = frame if codes is frame[column] else frame.assign(**{column: codes})
    return Coverage(
        counties=counties,
        towns=towns,
        unserved=unserved,
        unknown=unknown,
        mismatched=_mismatched(typed, column, served_codes),
        service_rows=len(frame),
        served_villages=int(flags["served"].sum()),
    )
