"""Boundary files: a valid GeoJSON keyed by county code draws a real map; every problem is a clear
error in Chinese and English naming the file and the feature."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cimon.reports.annual import charts
from cimon.reports.annual.content import AnnualContent
from cimon.reports.annual.geo import BoundaryError, load_boundaries, parse_boundaries


def square(x: float, y: float, size: float = 0.2) -> list[list[list[float]]]:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def collection(codes: list[str], key: str = "code") -> dict[str, Any]:
    feats = []
    for k, code in enumerate(codes):
        geom: dict[str, Any] = {
            "type": "Polygon",
            "coordinates": square(105 + 0.25 * (k % 6), 36 + 0.25 * (k // 6)),
        }
        if k == 0:  # a county in two parts
            geom = {
                "type": "MultiPolygon",
                "coordinates": [square(105, 36), square(104.5, 35.5, 0.1)],
            }
        feats.append({"type": "Feature", "properties": {key: code, "name": "x"}, "geometry": geom})
    return {"type": "FeatureCollection", "features": feats}


def test_valid_file_draws_a_map(content: AnnualContent, tmp_path: Path) -> None:
    codes = [c.code for c in content.counties]
    path = tmp_path / "b.geojson"
    data = collection([*codes, "110101"], key="adcode")  # other counties are ignored
    path.write_text(json.dumps(data), encoding="utf-8")
    b = load_boundaries(path, codes)
    assert set(codes) <= set(b.shapes) and len(b.shapes[codes[0]]) == 2
    x, y = b.anchor(codes[1])
    assert 105 < x < 106.5 and 36 < y < 37
    fig = charts.map_figure(content, "zh", b)
    polygons = [p for p in fig.axes[0].patches if type(p).__name__ == "Polygon"]
    assert len(polygons) == len(codes) + 1  # one county in two parts
    assert charts.png(fig)[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("mutate", "where", "zh", "en"),
    [
        (
            lambda d: d.update(type="Feature"),
            "b.geojson: type",
            "FeatureCollection",
            "FeatureCollection",
        ),
        (
            lambda d: d["features"][2]["properties"].pop("code"),
            "features[2]",
            "区划代码属性",
            "county-code property",
        ),
        (
            lambda d: d["features"][1]["properties"].update(code="6401"),
            "features[1]",
            "六位数字",
            "six digits",
        ),
        (
            lambda d: d["features"][3]["properties"].update(code="640104"),
            "features[3]",
            "不止一次",
            "more than once",
        ),
        (
            lambda d: d["features"][4].update(geometry={"type": "Point", "coordinates": [1, 2]}),
            "features[4] (",
            "Polygon",
            "Polygon",
        ),
        (
            lambda d: d["features"][5]["geometry"]["coordinates"][0].__setitem__(
                1, [500000, 4000000]
            ),
            "coordinates[0][1]",
            "经纬度",
            "longitude/latitude",
        ),
        (lambda d: d["features"].pop(), "b.geojson: features", "缺少这些县", "no feature for"),
    ],
)
def test_errors_name_file_and_feature(
    content: AnnualContent, tmp_path: Path, mutate: Any, where: str, zh: str, en: str
) -> None:
    codes = [c.code for c in content.counties]
    data = collection(codes)
    mutate(data)
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BoundaryError) as err:
        load_boundaries(path, codes)
    assert where in str(err.value.where) and str(path) in str(err.value.where)
    assert zh in err.value.zh and en in err.value.en


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match="找不到边界文件"):
        load_boundaries(tmp_path / "none.geojson")
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection",\n "features": [', encoding="utf-8")
    with pytest.raises(BoundaryError) as err:
        load_boundaries(bad)
    assert "第 2 行" in err.value.zh and "line 2" in err.value.en
    with pytest.raises(BoundaryError, match="没有任何要素"):
        parse_boundaries({"type": "FeatureCollection", "features": []})
