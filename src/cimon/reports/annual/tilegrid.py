"""Tile-grid map (方格地图): one square per county, the counties of each 设区市 in one block.

cimon ships no county boundaries (licensing, and a published map of China needs an official review
number, 审图号). Without a boundary file from the department (:mod:`cimon.reports.annual.geo`) the
report draws this schematic instead: it shows every county with its class and no geography, so it
is not a map in the legal sense.

Layout (:func:`tile_layout`): cities in registry order; a city with ``n`` counties is a block
``ceil(√n)`` squares wide, filled row by row in registry order; blocks go left to right with one
empty column between them and wrap onto a new band when the next block would pass ``max_width``.
Each band leaves one row on top for the city names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from cimon.model.regions import Region


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    city: str
    col: int
    row: int  # 0 at the top


@dataclass(frozen=True)
class CityLabel:
    city: str
    col: float  # centre of the block
    row: int


@dataclass(frozen=True)
class TileGrid:
    tiles: tuple[Tile, ...]
    labels: tuple[CityLabel, ...]
    width: int
    height: int


def tile_layout(regions: Sequence[Region], max_width: int = 18) -> TileGrid:
    """Place every region on the grid (see the module docstring)."""
    cities: dict[str, list[Region]] = {}
    for r in regions:
        cities.setdefault(r.city, []).append(r)
    tiles: list[Tile] = []
    labels: list[CityLabel] = []
    x = 0
    top = 0
    band_height = 0
    width = 0
    for city, members in cities.items():
        w = max(1, math.ceil(math.sqrt(len(members))))
        h = math.ceil(len(members) / w)
        if x > 0 and x + w > max_width:
            top += band_height + 1
            x = 0
            band_height = 0
        labels.append(CityLabel(city, x + (w - 1) / 2, top))
        for k, r in enumerate(members):
            tiles.append(Tile(r.code, r.name, city, x + k % w, top + 1 + k // w))
        band_height = max(band_height, h + 1)
        width = max(width, x + w)
        x += w + 1
    return TileGrid(tuple(tiles), tuple(labels), width, top + band_height)
