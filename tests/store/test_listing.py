"""Ranked lists of frozen results (:mod:`cimon.store.evaluations.listing`): filters by province,
city, class and search text, paging at the edges, the distribution; on the national registry."""

from __future__ import annotations

from typing import Any

import pytest

from cimon.model.national import national_registry
from cimon.store.evaluations.listing import (
    MAX_PER_PAGE,
    Filters,
    cities_of,
    distribution,
    filters_from,
    paginate,
    provinces,
    select,
)

REG = national_registry()


def rows() -> list[dict[str, Any]]:
    n = len(REG)
    return [
        {
            "region_code": r.code,
            "name": r.name,
            "city": r.city,
            "score": round(99.9 - 99.8 * i / n, 2),
            "class": "ABC"[3 * i // n],
            "rank": i + 1,
        }
        for i, r in enumerate(REG)
    ]


def test_filters_from_query_parameters() -> None:
    f = filters_from({"province": " 宁夏回族自治区 ", "class": "A", "q": "x" * 80})
    assert f == Filters(province="宁夏回族自治区", city="", klass="A", q="x" * 50)
    assert f.active and f.query() == {"province": "宁夏回族自治区", "class": "A", "q": "x" * 50}
    assert not filters_from({}).active


def test_select_by_province_city_class_and_search() -> None:
    all_rows = rows()
    nx = select(all_rows, Filters(province="宁夏回族自治区"), REG)
    assert len(nx) == 22 and {r["province"] for r in nx} == {"宁夏回族自治区"}
    guyuan = select(all_rows, Filters(province="宁夏回族自治区", city="固原市"), REG)
    assert [r["region_code"] for r in guyuan] == ["640402", "640422", "640423", "640424", "640425"]
    c = select(all_rows, Filters(klass="C"), REG)
    assert len(c) == sum(1 for r in all_rows if r["class"] == "C")
    assert [r["region_code"] for r in select(all_rows, Filters(q="西吉"), REG)] == ["640422"]
    assert [r["name_en"] for r in select(all_rows, Filters(q="xiji county"), REG)] == [
        "Xiji County"
    ]
    assert len(select(all_rows, Filters(q="6404"), REG)) == 5  # a code prefix
    assert select(all_rows, Filters(province="火星省"), REG) == []
    # the rows keep their (rank) order
    kept = select(all_rows, Filters(klass="B"), REG)
    assert [r["rank"] for r in kept] == sorted(r["rank"] for r in kept)


def test_select_on_shared_rows_looks_the_registry_up_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The frozen rows a process shares get their provinces and English names once; a list
    that is not shared is looked up afresh (it may change), with the same result."""
    from cimon.store.evaluations import listing

    shared = rows()
    monkeypatch.setitem(listing._ROWS, (-1, "bench"), shared)
    first = select(shared, Filters(province="宁夏回族自治区"), REG)
    assert (id(shared), id(REG)) in listing._PLACES
    first_c = next(r["region_code"] for r in shared if r["class"] == "C")
    c_province = REG[first_c].province
    lookups: list[str] = []
    get = type(REG).__getitem__
    monkeypatch.setattr(type(REG), "__getitem__", lambda reg, c: lookups.append(c) or get(reg, c))
    assert select(shared, Filters(province="宁夏回族自治区"), REG) == first
    assert select(shared, Filters(klass="C"), REG)[0]["province"] == c_province
    assert lookups == []
    mine = rows()
    mine[0] = {**mine[0], "region_code": "640422"}  # changed: no stale province
    assert select(mine, Filters(q="640422"), REG)[0]["province"] == "宁夏回族自治区"
    assert len(lookups) == len(mine) and (id(mine), id(REG)) not in listing._PLACES


@pytest.mark.parametrize(
    ("number", "per_page", "expect"),
    [(1, 50, (1, 50, 1, 50)), (57, 50, (57, 44, 2801, 2844)), (999, 50, (57, 44, 2801, 2844)),
     (0, 50, (1, 50, 1, 50)), (1, 5000, (1, MAX_PER_PAGE, 1, MAX_PER_PAGE)),
     (2, 0, (2, 1, 2, 2))],
)  # fmt: skip
def test_paginate_edges(number: int, per_page: int, expect: tuple[int, int, int, int]) -> None:
    page = paginate(rows(), number, per_page)
    assert (page.number, len(page.rows), page.first, page.last) == expect
    assert page.total == len(REG)
    assert page.meta()["pages"] == -(-len(REG) // page.per_page)


def test_empty_list_is_one_empty_page() -> None:
    page = paginate([], 3, 50)
    assert (page.number, page.pages, page.first, page.last, page.rows) == (1, 1, 0, 0, [])


def test_distribution_counts_classes_and_scores() -> None:
    d = distribution(
        [
            {"class": "A", "score": 99.9},
            {"class": "A", "score": 100.0},
            {"class": "C", "score": 0},
            {"class": None, "score": None},
        ]
    )
    assert d["classes"] == {"A": 2, "C": 1}
    assert d["bins"][-1] == {"from": 95, "to": 100, "count": 2}  # 100 falls in the last bin
    assert d["bins"][0]["count"] == 1 and sum(b["count"] for b in d["bins"]) == 3


def test_provinces_and_cities_in_registry_order() -> None:
    ps = provinces(REG)
    assert len(ps) == 31 and ps[0] == "北京市" and ps[-1] == "新疆维吾尔自治区"
    assert cities_of(REG, "宁夏回族自治区") == ["银川市", "石嘴山市", "吴忠市", "固原市", "中卫市"]
