"""The tile grid: one square per county, no two on one square, the counties of a 设区市 together
and under their city's name; wide provinces wrap onto new bands."""

from __future__ import annotations

import itertools

from cimon.model.regions import Region, default_registry
from cimon.reports.annual.tilegrid import tile_layout


def test_ningxia_grid() -> None:
    regions = list(default_registry())
    grid = tile_layout(regions)
    assert [t.code for t in grid.tiles] == [r.code for r in regions]
    assert len({(t.col, t.row) for t in grid.tiles}) == len(regions)
    assert [lab.city for lab in grid.labels] == ["银川市", "石嘴山市", "吴忠市", "固原市", "中卫市"]
    for lab in grid.labels:
        cols = {t.col for t in grid.tiles if t.city == lab.city}
        assert min(cols) <= lab.col <= max(cols)
        assert all(t.row > lab.row for t in grid.tiles if t.city == lab.city)
    # blocks do not interleave: a gap column between cities
    spans = [
        (
            min(t.col for t in grid.tiles if t.city == c.city),
            max(t.col for t in grid.tiles if t.city == c.city),
        )
        for c in grid.labels
    ]
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
    assert grid.width <= 18


def test_large_province_wraps() -> None:
    regions = [
        Region(f"{c:02d}{k:04d}", f"县{c}-{k}", f"{c:02d}0000", f"市{c}", "省", "县")
        for c in range(10)
        for k in range(9)
    ]
    grid = tile_layout(regions, max_width=16)
    assert grid.width <= 16 and len({t.row for t in grid.tiles}) > 3
    assert len({(t.col, t.row) for t in grid.tiles}) == 90
    assert max(t.row for t in grid.tiles) < grid.height
