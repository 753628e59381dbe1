"""County boundaries supplied by the department (GeoJSON keyed by county code), validated on load.

cimon ships no boundaries: the data found in packages are unlicensed or stale, and a published map
of China needs an official review number (审图号). A department that has an approved boundary file
passes it with ``--boundaries FILE.geojson``; the report then draws a real map coloured by class.

Format: a GeoJSON ``FeatureCollection``; each feature has a ``Polygon`` or ``MultiPolygon`` geometry
in longitude/latitude (WGS 84 or GCJ-02 — only the shape matters) and the county's six-digit
GB/T 2260 code in one of the properties ``code``, ``adcode``, ``region_code`` or ``gb`` (or the
property named by ``key``). Every county of the report must have exactly one feature; features of
other codes are ignored (a province-wide file serves every year).

Every error names the file and the feature (``features[3]``) and says what to do, in Chinese and
English.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cimon.errors import CimonError

KEYS = ("code", "adcode", "region_code", "gb")

Ring = tuple[tuple[float, float], ...]
Polygon = tuple[Ring, ...]  # outer ring first, then holes


class BoundaryError(CimonError):
    """A boundary file cannot be used."""


@dataclass(frozen=True)
class Boundaries:
    """County code → its polygons (each a tuple of rings of (lon, lat))."""

    shapes: dict[str, tuple[Polygon, ...]]
    source: str

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [x for polys in self.shapes.values() for p in polys for x, _ in p[0]]
        ys = [y for polys in self.shapes.values() for p in polys for _, y in p[0]]
        return min(xs), min(ys), max(xs), max(ys)

    def anchor(self, code: str) -> tuple[float, float]:
        """A point for the county's label: the area-weighted centroid of its largest outer ring."""
        ring = max((p[0] for p in self.shapes[code]), key=lambda r: abs(_area(r)))
        return _centroid(ring)


def _area(ring: Ring) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _centroid(ring: Ring) -> tuple[float, float]:
    a = _area(ring)
    if abs(a) < 1e-15:
        return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        f = x0 * y1 - x1 * y0
        cx += (x0 + x1) * f
        cy += (y0 + y1) * f
    return cx / (6 * a), cy / (6 * a)


def load_boundaries(
    path: str | Path, codes: Iterable[str] | None = None, key: str | None = None
) -> Boundaries:
    """Read and validate a boundary file; ``codes``: the counties that must be in it."""
    p = Path(path)
    src = str(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BoundaryError(
            "找不到边界文件。请检查路径；边界文件由本单位提供（GeoJSON，按区划代码标识各县）。",
            "Boundary file not found. Check the path; the department supplies it (GeoJSON with a "
            "county code per feature).",
            src,
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BoundaryError(
            f"无法读取边界文件（{exc}）。请保存为 UTF-8 编码的 GeoJSON。",
            f"Cannot read the boundary file ({exc}). Save it as UTF-8 GeoJSON.",
            src,
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BoundaryError(
            f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）。请用 GIS 软件重新导出 GeoJSON。",
            f"Not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). Export the GeoJSON "
            "again from your GIS software.",
            src,
        ) from None
    return parse_boundaries(data, src, codes, key)


def parse_boundaries(
    data: Any, source: str = "<geojson>", codes: Iterable[str] | None = None, key: str | None = None
) -> Boundaries:
    """Validate parsed GeoJSON (see the module docstring)."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError(
            '边界文件应是 GeoJSON FeatureCollection（顶层 "type": "FeatureCollection"）。',
            'The boundary file must be a GeoJSON FeatureCollection (top-level "type": '
            '"FeatureCollection").',
            f"{source}: type",
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError(
            "边界文件没有任何要素（features 为空）。",
            "The boundary file has no features (features is empty).",
            f"{source}: features",
        )
    keys = (key,) if key else KEYS
    shapes: dict[str, tuple[Polygon, ...]] = {}
    for i, feat in enumerate(features):
        where = f"{source}: features[{i}]"
        props = feat.get("properties") if isinstance(feat, dict) else None
        props = props if isinstance(props, dict) else {}
        found = next((props[k] for k in keys if props.get(k) not in (None, "")), None)
        if found is None:
            raise BoundaryError(
                f"该要素没有区划代码属性（{'、'.join(keys)} 之一）。请为每个县的要素填写六位区划代码。",
                f"This feature has no county-code property (one of {', '.join(keys)}). Give every "
                "county's feature its six-digit code.",
                where,
            )
        code = str(found).strip()
        if code.endswith(".0"):
            code = code[:-2]
        if not (code.isdigit() and len(code) == 6):
            raise BoundaryError(
                f"区划代码“{found}”不是六位数字（GB/T 2260）。",
                f"County code '{found}' is not six digits (GB/T 2260).",
                where,
            )
        if code in shapes:
            raise BoundaryError(
                f"区划代码 {code} 出现了不止一次。请把同一县的多块区域合并为一个 MultiPolygon 要素。",
                f"County code {code} appears more than once. Merge a county's parts into one "
                "MultiPolygon feature.",
                where,
            )
        shapes[code] = _geometry(feat.get("geometry"), f"{where} ({code})")
    if codes is not None:
        missing = [c for c in codes if c not in shapes]
        if missing:
            raise BoundaryError(
                f"边界文件缺少这些县的区划代码：{'、'.join(missing)}。请补充这些县的边界，或不使用 "
                "--boundaries（报告将使用方格示意图）。",
                f"The boundary file has no feature for {', '.join(missing)}. Add them, or leave out "
                "--boundaries (the report then draws a tile grid).",
                f"{source}: features",
            )
    return Boundaries(shapes, source)


def _geometry(geom: Any, where: str) -> tuple[Polygon, ...]:
    if not isinstance(geom, dict) or geom.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geom.get("type") if isinstance(geom, dict) else geom
        raise BoundaryError(
            f"几何类型应为 Polygon 或 MultiPolygon（实际：{kind}）。",
            f"The geometry must be a Polygon or MultiPolygon (got: {kind}).",
            f"{where}.geometry",
        )
    coords = geom.get("coordinates")
    polys = [coords] if geom["type"] == "Polygon" else coords
    if not isinstance(polys, list) or not polys:
        raise BoundaryError(
            "几何没有坐标。", "The geometry has no coordinates.", f"{where}.geometry.coordinates"
        )
    if geom["type"] == "Polygon":
        return (_polygon(coords, f"{where}.geometry.coordinates"),)
    return tuple(_polygon(p, f"{where}.geometry.coordinates[{k}]") for k, p in enumerate(polys))


def _polygon(rings: Any, where: str) -> Polygon:
    if not isinstance(rings, list) or not rings:
        raise BoundaryError("多边形没有环。", "The polygon has no rings.", where)
    return tuple(_ring(r, f"{where}[{k}]") for k, r in enumerate(rings))


def _ring(points: Any, where: str) -> Ring:
    if not isinstance(points, list) or len(points) < 4:
        raise BoundaryError(
            "多边形的环至少需要 4 个坐标点（首尾相同）。",
            "A polygon ring needs at least 4 positions (first = last).",
            where,
        )
    out: list[tuple[float, float]] = []
    for k, pt in enumerate(points):
        ok = isinstance(pt, Sequence) and not isinstance(pt, str) and len(pt) >= 2
        x = y = math.nan
        if ok:
            try:
                x, y = float(pt[0]), float(pt[1])
            except (TypeError, ValueError):
                ok = False
        if not ok or not (-180 <= x <= 180 and -90 <= y <= 90):
            raise BoundaryError(
                f"坐标 {pt!r} 不是经纬度（经度 −180…180，纬度 −90…90）。投影坐标请先转换为经纬度。",
                f"Position {pt!r} is not longitude/latitude (lon −180…180, lat −90…90). Convert "
                "projected coordinates to longitude/latitude first.",
                f"{where}[{k}]",
            )
        out.append((x, y))
    return tuple(out)
