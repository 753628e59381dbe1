"""Towns and villages as text, CSV or Excel (``cimon regions villages``, issue #17).

Every cell goes through :mod:`cimon.safe` (workbook cells stay text, CSV cells starting with
``= + - @`` get an apostrophe), so a name can never become a live formula.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from cimon.registry.villages import DATA_YEAR, KIND_EN, SOURCE, VILLAGE_COLUMNS
from cimon.safe import append, defuse, save

#: export headers, Chinese / English
HEADERS = {
    "code": ("村级代码", "village code"),
    "name": ("名称", "name"),
    "kind": ("类型", "kind"),
    "town_code": ("乡级代码", "town code"),
    "town_name": ("乡镇（街道）", "town"),
    "county_code": ("县级代码", "county code"),
    "county_name": ("县（市、区）", "county"),
}


def villages_text(towns: pd.DataFrame, villages: pd.DataFrame, lang: str = "zh") -> str:
    """Each town with its kind and number of villages, then its villages (code, name, kind)."""
    en = lang == "en"
    by_town = {k: g for k, g in villages.groupby("town_code", sort=True)}
    lines: list[str] = []
    for t in towns.itertuples(index=False):
        group = by_town.get(str(t.code))
        n = 0 if group is None else len(group)
        kind = KIND_EN.get(str(t.kind), str(t.kind)) if en else str(t.kind)
        lines.append(
            f"{t.code} {t.name} ({kind}): {n} villages"
            if en
            else f"{t.code} {t.name}（{kind}）：{n} 个村级单位"
        )
        if group is not None:
            for v in group.itertuples(index=False):
                vk = KIND_EN.get(str(v.kind), str(v.kind)) if en else str(v.kind)
                lines.append(
                    f"    {v.code} {v.name} ({vk})" if en else f"    {v.code} {v.name}（{vk}）"
                )
    total = (
        f"{len(towns)} towns, {len(villages)} villages (NBS {DATA_YEAR})"
        if en
        else f"共 {len(towns)} 个乡级单位、{len(villages)} 个村级单位（{DATA_YEAR} 年统计用区划代码）"
    )
    lines.append(total)
    return "\n".join(lines)


def villages_csv(villages: pd.DataFrame) -> str:
    """One row per village, the columns of :data:`VILLAGE_COLUMNS` with bilingual headers."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f"{HEADERS[c][0]} / {HEADERS[c][1]}" for c in VILLAGE_COLUMNS])
    for row in villages[list(VILLAGE_COLUMNS)].itertuples(index=False):
        w.writerow([defuse(str(x)) for x in row])
    return buf.getvalue()


def write_villages(villages: pd.DataFrame, path: Path) -> None:
    """Write ``villages`` to ``path``: ``.xlsx`` (a sheet of villages and a sheet naming the
    source) or CSV (UTF-8 with BOM, so that Excel reads the Chinese)."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.create_sheet("村级单位 villages")
        wb.remove(wb.worksheets[0])
        append(ws, [f"{HEADERS[c][0]} / {HEADERS[c][1]}" for c in VILLAGE_COLUMNS])
        for row in villages[list(VILLAGE_COLUMNS)].itertuples(index=False):
            append(ws, [str(x) for x in row])
        note = wb.create_sheet("来源 source")
        append(note, ["来源 / source", SOURCE])
        append(note, ["年份 / year", DATA_YEAR])
        save(wb, path)
        return
    path.write_text(villages_csv(villages), encoding="utf-8-sig")
