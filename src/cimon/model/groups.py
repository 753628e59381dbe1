"""A province's own peer groups from a file (山区26县, 革命老区县 …): one row per county and group.

The file is a CSV (UTF-8) with columns ``code`` (GB/T 2260) and ``group`` (the group's name; a county
in several groups has several rows)::

    code,group
    640422,山区县
    640423,山区县

:func:`with_groups` adds each group as a tag of the registry, so ``tag:<group>`` works wherever
peer groups are used (docs/analysis/peers.md). Every list should say where it comes from: keep the
source in a comment line (``# 来源：…``) at the top of the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

from cimon.errors import RegionError
from cimon.model.regions import RegionRegistry


def parse_groups(text: str, source: str) -> dict[str, list[str]]:
    """Code → its groups, in file order, from the text of a groups CSV."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    if not {"code", "group"} <= set(reader.fieldnames or []):
        raise RegionError(
            "分组文件需要 code（区划代码）和 group（分组名称）两列。",
            "A groups file needs the columns code and group.",
            source,
        )
    out: dict[str, list[str]] = {}
    for lineno, row in enumerate(reader, start=2):
        code = (row["code"] or "").strip()
        group = (row["group"] or "").strip()
        if not code.isdigit() or len(code) != 6 or not group:
            raise RegionError(
                f"第 {lineno} 行需要 6 位区划代码和分组名称（实际：{code!r}, {group!r}）。",
                f"Row {lineno} needs a six-digit code and a group name (got {code!r}, {group!r}).",
                f"{source}:{lineno}",
            )
        groups = out.setdefault(code, [])
        if group not in groups:
            groups.append(group)
    return out


def load_groups(path: str | Path) -> dict[str, list[str]]:
    """Read a groups CSV (see the module docs)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RegionError("找不到分组文件。", "Groups file not found.", str(p)) from None
    return parse_groups(text, str(p))


def with_groups(registry: RegionRegistry, groups: dict[str, list[str]]) -> RegionRegistry:
    """The registry with each county's groups added to its tags; a code the registry does not
    know is an error (a list for another province, or an outdated code)."""
    unknown = [c for c in groups if c not in registry]
    if unknown:
        raise RegionError(
            f"分组文件中的区划代码不在区划表中：{'、'.join(unknown[:5])}。",
            f"Codes in the groups file are not in the registry: {', '.join(unknown[:5])}.",
            registry.source,
        )
    regions = [
        replace(r, tags=r.tags + tuple(g for g in groups.get(r.code, []) if g not in r.tags))
        for r in registry
    ]
    return RegionRegistry(regions, registry.source)
