"""The national comparison's validation and aggregation, on hand cases (issue #20)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from cimon.analysis.national_compare import (
    KEY_SOURCED,
    PublishedCounty,
    PublishedError,
    PublishedProvince,
    compare,
    parse_published,
    rank_percentile,
)
from cimon.model.national import national_registry

NX = ["640104", "640105", "640106", "640121"]  # 兴庆区 西夏区 金凤区 永宁县


def doc(**over: Any) -> dict[str, Any]:
    rows = [{"rank": i + 1, "region_code": c, "score": 90.0 - 10 * i, "class": "ABBC"[i]}
            for i, c in enumerate(NX)]  # fmt: skip
    base = {
        "year": 2025,
        "version": 2,
        "published_at": "2026-03-01T09:00:00+08:00",
        "framework": {"id": "nx-2021", "version": "2021.1"},
        "results": rows,
    }
    base.update(over)
    return base


def parse(d: dict[str, Any], province: str = "宁夏") -> PublishedProvince:
    return parse_published(json.dumps(d).encode(), province, national_registry(), "x.json")


def test_parse_takes_the_api_answer() -> None:
    p = parse(doc())
    assert p.province == "宁夏回族自治区" and p.year == 2025 and p.version == 2
    assert p.framework == "nx-2021 2021.1" and p.published_at.year == 2026
    assert [c.code for c in p.counties] == NX and p.counties[0].name == "兴庆区"
    assert p.class_counts() == {"A": 1, "B": 2, "C": 1}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"year": "2025"}, "year"),
        ({"published_at": "yesterday"}, "published_at"),
        ({"framework": {}}, "framework.id"),
        ({"results": []}, "results"),
    ],
)
def test_parse_rejects_bad_fields(change: dict[str, Any], words: str) -> None:
    with pytest.raises(PublishedError) as exc:
        parse(doc(**change))
    assert words in exc.value.en and words in exc.value.zh


def test_parse_rejects_rows_all_or_nothing() -> None:
    d = doc()
    d["results"][1]["region_code"] = "620102"  # 城关区, 甘肃
    d["results"][2]["score"] = "high"
    d["results"][3]["region_code"] = "640104"  # a repeat
    with pytest.raises(PublishedError) as exc:
        parse(d)
    en = exc.value.en
    assert "3 problem(s)" in en and "results[1].region_code 620102" in en and "甘肃省" in en
    assert "results[2].score" in en and "results[3].region_code 640104 repeats" in en
    assert exc.value.where == "x.json"


def test_parse_rejects_unknown_province_and_non_json() -> None:
    with pytest.raises(PublishedError, match="--province"):
        parse(doc(), "火星")
    with pytest.raises(PublishedError, match="JSON"):
        parse_published(b"\xff\xfe", "宁夏", national_registry())
    with pytest.raises(PublishedError, match="MB"):
        parse_published(b" " * (8 * 1024 * 1024 + 1), "宁夏", national_registry())


def province(
    name: str, fw: str, rows: list[tuple[str, float, str]], year: int = 2025
) -> PublishedProvince:
    ranked = sorted(rows, key=lambda r: -r[1])
    return PublishedProvince(
        name, year, 1, datetime(year + 1, 3, 1, tzinfo=UTC), fw, "1",
        tuple(PublishedCounty(c, c, s, k, i + 1) for i, (c, s, k) in enumerate(ranked)),
    )  # fmt: skip


def test_compare_by_hand() -> None:
    reg = national_registry()
    gx = [r.code for r in reg if r.province == "广西壮族自治区"]
    key = [r.code for r in reg if r.province == "广西壮族自治区" and "重点帮扶县" in r.tags]
    other = [c for c in gx if c not in key]
    # 广西: two key counties (ranks 2 and 4 of 5), three others
    now = province("广西壮族自治区", "f1", [(other[0], 90, "A"), (key[0], 80, "A"),
                   (other[1], 70, "B"), (key[1], 60, "C"), (other[2], 50, "C")])  # fmt: skip
    before = province("广西壮族自治区", "f1", [(other[0], 85, "B"), (key[0], 75, "B"),
                      (other[1], 70, "B"), (key[1], 65, "B"), (other[2], 55, "B")], 2024)  # fmt: skip
    nx = province("宁夏回族自治区", "f2", [("640104", 60, "B"), ("640105", 40, "C")])
    c = compare([now, nx], {"广西壮族自治区": before}, reg)
    assert c.labels == ("A", "B", "C") and not c.scores_comparable
    assert c.frameworks == {"f1 1": ("广西壮族自治区",), "f2 1": ("宁夏回族自治区",)}
    g, n = c.rows  # in GB/T 2260 order: 广西 45…, 宁夏 64…
    assert g.n == 5 and g.units == 111 and g.counts == {"A": 2, "B": 1, "C": 2}
    assert g.shares["A"] == pytest.approx(0.4)
    assert g.score_q == (50, 60, 70, 80, 90)
    assert g.key_n == 2 and g.key_shares == {"A": 0.5, "B": 0.0, "C": 0.5}
    assert g.key_rank_pct == pytest.approx((0.25 + 0.75) / 2)
    assert g.prev_year == 2024 and g.share_change["B"] == pytest.approx(0.2 - 1.0)
    assert g.median_change == pytest.approx(0.0) and (g.up, g.down) == (2, 2)
    assert n.key_n == 0 and n.key_rank_pct is None and n.prev_year is None
    assert n.score_q == (40, 45, 50, 55, 60)


def test_progress_scores_only_under_one_framework() -> None:
    reg = national_registry()
    now = province("宁夏回族自治区", "f1", [("640104", 60, "B")])
    before = province("宁夏回族自治区", "f0", [("640104", 50, "B")], 2024)
    (row,) = compare([now], {"宁夏回族自治区": before}, reg).rows
    assert row.median_change is None and row.share_change == {"B": 0.0}


def test_rank_percentile_and_key_sourcing() -> None:
    assert rank_percentile(1, 5) == 0 and rank_percentile(5, 5) == 1 and rank_percentile(1, 1) == 0
    tagged = sum(1 for r in national_registry() if "重点帮扶县" in r.tags)
    assert (tagged, 160) == KEY_SOURCED == (93, 160)  # the page's "93 of 160" stays true
