"""Counts on a date with their drill-down: 高企 validity, county moves, re-recognition, carriers'
statuses; every count equals its list and a naive per-record count."""

from __future__ import annotations

import pandas as pd
import pytest

from cimon.model.regions import default_registry
from cimon.registry.counts import Registry, count_on, count_years, year_end
from cimon.registry.synthetic import synthetic_registry

HI = "高新技术企业"


def registry(
    quals: list[tuple], history: list[tuple], carriers: pd.DataFrame | None = None
) -> Registry:
    return Registry.build(
        pd.DataFrame(quals, columns=["enterprise", "kind", "start", "id"]),
        pd.DataFrame(history, columns=["enterprise", "county", "since"]),
        carriers,
    )


@pytest.mark.parametrize("day", ["2019-01-02", "2019-11-28", "2019-12-31"])
def test_a_2019_gaoqi_counts_in_2021_data_and_not_in_2022(day: str) -> None:
    """Issue #16: a 高企 recognised in 2019 counts on 31 Dec 2021 and not on 31 Dec 2022."""
    reg = registry([("e1", HI, day, "GR2019")], [("e1", "640104", None)])
    assert count_on(reg, year_end(2021)).count("640104", HI) == 1
    assert count_on(reg, year_end(2022)).count("640104", HI) == 0
    assert count_on(reg, "2018-12-31").count("640104", HI) == 0


def test_three_years_to_the_day() -> None:
    reg = registry([("e1", HI, "2019-11-28", "GR")], [("e1", "640104", None)])
    assert count_on(reg, "2022-11-27").count("640104", HI) == 1
    assert count_on(reg, "2022-11-28").count("640104", HI) == 0


def test_a_move_counts_in_the_new_county_from_its_date() -> None:
    """Issue #16: an enterprise that moves counts in the new county from its move date."""
    reg = registry(
        [("e1", HI, "2019-06-01", "GR")],
        [("e1", "640104", None), ("e1", "640105", "2020-07-01")],
    )
    before, on_move = count_on(reg, "2020-06-30"), count_on(reg, "2020-07-01")
    assert (before.count("640104", HI), before.count("640105", HI)) == (1, 0)
    assert (on_move.count("640104", HI), on_move.count("640105", HI)) == (0, 1)


def test_re_recognition_does_not_count_twice() -> None:
    reg = registry(
        [("e1", HI, "2018-10-01", "GR2018"), ("e1", HI, "2021-09-01", "GR2021")],
        [("e1", "640104", None)],
    )
    counts = count_on(reg, "2021-09-30")  # both certificates valid
    assert counts.count("640104", HI) == 1
    assert counts.drill("640104", HI)["item"].tolist() == ["GR2021"]


def test_revoked_and_explicit_ends() -> None:
    quals = pd.DataFrame(
        {
            "enterprise": ["a", "b", "c"],
            "kind": [HI, HI, "科技型中小企业"],
            "start": ["2019-03-01", "2019-03-01", "2021-05-01"],
            "end": [None, None, "2022-05-01"],
            "revoked": [None, "2020-06-01", None],
        }
    )
    hist = pd.DataFrame({"enterprise": ["a", "b", "c"], "county": "640104", "since": None})
    reg = Registry.build(quals, hist)
    assert count_on(reg, "2020-12-31").count("640104", HI) == 1  # b revoked
    assert count_on(reg, "2021-12-31").count("640104", "科技型中小企业") == 1
    assert count_on(reg, "2022-12-31").count("640104", "科技型中小企业") == 0


def test_carriers_by_kind_level_and_status() -> None:
    carriers = pd.DataFrame(
        {
            "id": ["P1", "P2", "P3", "P4"],
            "kind": ["众创空间"] * 4,
            "level": ["国家", "省", "省", "市"],
            "body": "科技厅",
            "start": ["2018-01-01", "2018-01-01", "2018-01-01", "2023-01-01"],
            "county": "640104",
            "status": ["有效", "撤销", "到期", "有效"],
            "status_date": [None, "2021-03-01", None, None],
        }
    )
    reg = Registry.build(carriers=carriers)
    c2020, c2021 = count_on(reg, year_end(2020)), count_on(reg, year_end(2021))
    assert c2020.count("640104", "众创空间") == 2  # P3: 到期 without a date never counts
    assert c2021.count("640104", "众创空间") == 1
    assert c2021.count("640104", "众创空间", "国家") == 1
    assert c2021.drill("640104", "众创空间")["record"].tolist() == ["P1"]
    assert c2021.drill("640104", "众创空间")["body"].tolist() == ["科技厅"]


def naive(s, on: pd.Timestamp) -> dict[tuple[str, str, str, str], int]:
    """Per-record loops, the obvious way: the reference for the vectorised counts."""
    county: dict[object, str] = {}
    for e, c, since in sorted(
        s.history.itertuples(index=False),
        key=lambda r: (r[0], pd.Timestamp.min if pd.isna(r[2]) else r[2]),
    ):
        if pd.isna(since) or since <= on:
            county[e] = c
    seen: set[tuple[object, str]] = set()
    out: dict[tuple[str, str, str, str], int] = {}
    for q in s.qualifications.itertuples(index=False):
        end = q.end if not pd.isna(q.end) else q.start + pd.DateOffset(years=3)
        if not pd.isna(q.revoked):
            end = min(end, q.revoked)
        if q.start <= on < end and q.enterprise in county and (q.enterprise, q.kind) not in seen:
            seen.add((q.enterprise, q.kind))
            key = (county[q.enterprise], "qualification", q.kind, "")
            out[key] = out.get(key, 0) + 1
    for c in s.carriers.itertuples(index=False):
        end = pd.Timestamp.max
        if c.status in ("撤销", "到期"):
            end = c.status_date if not pd.isna(c.status_date) else pd.Timestamp.min
        if c.start <= on < end:
            key = (c.county, "carrier", c.kind, c.level)
            out[key] = out.get(key, 0) + 1
    return out


def test_every_count_equals_its_list_and_the_naive_count() -> None:
    """Issue #16: a derived count equals the length of its drill-down list, on every county and
    year of a synthetic registry (模拟数据), and the per-record count."""
    counties = [r.code for r in default_registry()]  # the demo's 22 counties
    s = synthetic_registry(3_000, 400, counties, range(2016, 2024), seed=7)
    reg = Registry.build(s.qualifications, s.history, s.carriers)
    for year, counts in count_years(reg, range(2016, 2024)).items():
        table = counts.table
        for row in table.itertuples(index=False):
            assert len(counts.drill(row.county, row.kind, row.level)) == row.count
        assert table["count"].sum() == len(counts.records)
        got = {
            (r.county, r.source, r.kind, r.level): r.count for r in table.itertuples(index=False)
        }
        assert got == naive(s, year_end(year)), year
