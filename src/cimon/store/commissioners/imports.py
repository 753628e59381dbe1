"""Importing the 科技特派员 lists (名单) and service logs provinces keep in Excel (issue #17).

The file is read by the pure parser (:func:`cimon.intake.commissioners.read_roster` /
:func:`~cimon.intake.commissioners.read_service_log`: bounded, all-or-nothing, errors by cell),
then checked against the store: in a service log, each name must be one stored commissioner (a
name two commissioners share is refused: import those rows by hand), each 服务村 a village of the
village registry (:mod:`cimon.registry.villages`) — a 12-digit code, or a village name (团结村
or 团结村委会) found once in the counties the commissioner is dispatched to (in the platform's
province when it has no dispatch yet) —, and a service already stored (same
commissioner, date, village and kind) is refused; in a 名单, a person already stored (same name
and unit) is refused. Every record is written in one transaction, or none; every attempt is kept
(:func:`cimon.store.libraries.imports.keep_attempt`: the file byte for byte, its report, what it
created), accepted or refused, with an audit event ``commissioner.import``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd
from django.db import transaction

from cimon.intake.commissioners import CommissionerRead, read_roster, read_service_log
from cimon.model.regions import RegionRegistry
from cimon.registry import villages as vr
from cimon.store.commissioners import people, work
from cimon.store.commissioners.models import (
    CommissionerVersion,
    Dispatch,
    DispatchUnit,
)
from cimon.store.commissioners.names import ACCEPTED, ACTIVE, ENDED, SERVICE_KINDS
from cimon.store.commissioners.records import ServiceRecord
from cimon.store.libraries.imports import keep_attempt
from cimon.store.libraries.models_talent import ImportAttempt

__all__ = ["KINDS", "import_commissioners"]

#: the kinds of file: the 名单 and the service log
KINDS = ("roster", "services")


def _error(read: CommissionerRead, row: int, field: str, value: str, zh: str, en: str,
           fix_zh: str, fix_en: str, code: str = "row.unresolved") -> None:  # fmt: skip
    col = read.columns.get(field, "")
    read.report.add(code, zh, en, fix_zh, fix_en, sheet=read.sheet,
                    cell=f"{col}{row}" if col else f"{row}:{row}", variable=field, value=value)  # fmt: skip


def _current_names() -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for cid, name in CommissionerVersion.objects.filter(superseded_at__isnull=True).values_list(
        "commissioner_id", "name"
    ):
        out[name].append(cid)
    return out


def _check_roster(read: CommissionerRead) -> None:
    stored = set(
        CommissionerVersion.objects.filter(superseded_at__isnull=True).values_list(
            "name", "institution"
        )
    )
    for r in read.rows.to_dict("records"):
        if (r["name"], r["unit"]) in stored:
            _error(read, r["row"], "name", r["name"],
                   f"“{r['name']}”（{r['unit'] or '未填单位'}）已在库中（重复导入）。",
                   f"'{r['name']}' ({r['unit'] or 'no unit'}) is already stored (imported before).",
                   "请从名单中删除已导入的行后重新导入。",
                   "Delete the rows imported before and import again.", "row.stored")  # fmt: skip


def _aliases(name: str) -> set[str]:
    """The ways a log names a village: 团结村委会 → 团结村委会, 团结村; 东街居委会 → 东街居委会,
    东街社区, 东街."""
    out = {name}
    if name.endswith("村委会"):
        out.add(name[:-2])
    elif name.endswith("居委会"):
        out |= {name[:-3] + "社区", name[:-3]}
    return out


def _village_names(counties: set[str]) -> dict[str, dict[str, list[str]]]:
    """county → village name → codes (a name may repeat within a county)."""
    out: dict[str, dict[str, list[str]]] = {}
    for county in counties:
        names: dict[str, list[str]] = defaultdict(list)
        try:
            frame = vr.villages(county=county)
        except vr.VillageError:
            frame = pd.DataFrame(columns=["code", "name"])
        for code, name in zip(frame["code"], frame["name"], strict=True):
            for alias in _aliases(str(name)):
                names[alias].append(str(code))
        out[county] = names
    return out


def _resolve_services(read: CommissionerRead) -> list[dict[str, Any]]:
    """The rows with ``commissioner_id`` and ``village_code``; errors added to the report."""
    names = _current_names()
    rows: list[dict[str, Any]] = read.rows.to_dict("records")  # type: ignore[assignment]
    ids = {n: c[0] for n, c in names.items() if len(c) == 1}
    counties: dict[int, set[str]] = defaultdict(set)
    for cid, county in Dispatch.objects.filter(
        commissioner_id__in=list(ids.values()), status__in=(ACCEPTED, ENDED)
    ).values_list("commissioner_id", "county_code"):
        counties[cid].add(county)
    from cimon.store.platform import platform_registry

    province = set(platform_registry().codes)
    by_name = _village_names(province | {c for cs in counties.values() for c in cs})
    out: list[dict[str, Any]] = []
    for r in rows:
        name, village = r["name"], str(r["village"]).strip()
        if len(names.get(name, [])) != 1:
            two = len(names.get(name, [])) > 1
            _error(read, r["row"], "name", name,
                   f"库中有 {len(names[name])} 位名为“{name}”的特派员，无法确定是哪一位。" if two
                   else f"库中没有名为“{name}”的特派员。",
                   f"{len(names[name])} stored commissioners are named '{name}'." if two
                   else f"No stored commissioner is named '{name}'.",
                   "请在平台上逐条录入这些服务记录。" if two else "请先导入名单，或改正姓名的写法。",
                   "Log these services on the platform one by one." if two
                   else "Import the list first, or correct the name.")  # fmt: skip
            continue
        cid = ids[name]
        code = ""
        if vr.is_village_code(village):
            try:
                code = vr.village(village).code
            except vr.VillageError as exc:
                _error(read, r["row"], "village", village, exc.zh, exc.en,
                       "请填写统计用区划代码中的村级代码，或填写村名。",
                       "Enter a village code of the NBS division codes, or the village's name.")  # fmt: skip
                continue
        else:
            where = counties[cid] or province  # no dispatch yet: the province's villages
            found = sorted({c for cty in where for c in by_name[cty].get(village, [])})
            if len(found) != 1:
                many = len(found) > 1
                _error(read, r["row"], "village", village,
                       f"“{village}”在该特派员的服务县中有 {len(found)} 个同名村。" if many
                       else f"在该特派员的服务县中找不到村“{village}”。",
                       f"'{village}' names {len(found)} villages in the commissioner's counties." if many
                       else f"No village '{village}' in the commissioner's counties.",
                       "请填写 12 位村级代码（统计用区划代码）。",
                       "Enter the 12-digit village code (NBS division code).")  # fmt: skip
                continue
            code = found[0]
        out.append({**r, "commissioner_id": cid, "village_code": code})
    stored = set(
        ServiceRecord.objects.current()
        .filter(commissioner_id__in={r["commissioner_id"] for r in out})
        .values_list("commissioner_id", "date", "village_code", "kind")
    )
    kind_key = {zh: key for key, (zh, _en) in SERVICE_KINDS.items()}
    for r in out:
        key = (r["commissioner_id"], r["date"].date(), r["village_code"], kind_key[r["kind"]])
        if key in stored:
            _error(read, r["row"], "date", f"{r['date']:%Y-%m-%d}",
                   f"该服务（{r['name']}、{r['date']:%Y-%m-%d}、{r['village']}、{r['kind']}）已在库中（重复导入）。",
                   f"This service ({r['name']}, {r['date']:%Y-%m-%d}, {r['village']}, {r['kind']}) is already stored.",
                   "请删除已导入的行后重新导入。", "Delete the rows imported before and import again.",
                   "row.stored")  # fmt: skip
    return out


def _write_roster(read: CommissionerRead, user: Any, label: str) -> list[int]:
    units = dict(DispatchUnit.objects.values_list("name", "pk"))
    created = []
    for r in read.rows.to_dict("records"):
        unit = None
        if r["unit"]:
            if r["unit"] not in units:
                units[r["unit"]] = people.create_unit(user, r["unit"], label=label).pk
            unit = DispatchUnit.objects.get(pk=units[r["unit"]])
        person = people.create_commissioner(
            user, unit=unit, status=ACTIVE, label=label, name=r["name"],
            institution=r["unit"], title=r["title"], expertise_text=r["field"], phone=r["phone"],
        )  # fmt: skip
        created.append(person.pk)
    return created


def _write_services(rows: list[dict[str, Any]], user: Any, label: str) -> list[int]:
    from cimon.store.commissioners.models import Commissioner

    persons = Commissioner.objects.in_bulk({r["commissioner_id"] for r in rows})
    return [
        work.log_service(
            persons[r["commissioner_id"]], user, date=r["date"].date(),
            village_code=r["village_code"], kind=r["kind"], people_reached=int(r["people"]),
            notes=r["content"] or "", label=label,
        ).pk
        for r in rows
    ]  # fmt: skip


def import_commissioners(
    kind: str,
    data: bytes,
    file_name: str,
    user: Any,
    *,
    regions: RegionRegistry | None = None,
    year: int | None = None,
    label: str = "",
) -> tuple[ImportAttempt, CommissionerRead]:
    """Import a 名单 (``roster``) or a service log (``services``), all or nothing. ``regions``
    resolves a roster's counties; ``year``: every service date must fall in it. Returns the
    kept attempt and the read (its report says why a refused file was refused)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if kind == "roster":
        read = read_roster(data, file_name, regions=regions)
    else:
        read = read_service_log(data, file_name, year=year)
    with transaction.atomic():
        resolved: list[dict[str, Any]] = []
        if read.ok:
            if kind == "roster":
                _check_roster(read)
            else:
                resolved = _resolve_services(read)
        ok = read.ok
        attempt = keep_attempt(f"comm_{kind}", data, file_name, user, read.report, ok)
        if ok:
            attempt.created = (
                _write_roster(read, user, label)
                if kind == "roster"
                else _write_services(resolved, user, label)
            )
            attempt.save(update_fields=["created"])
        from cimon.store import audit

        audit.record(
            user, "commissioner.import", "import", attempt.pk,
            new={"kind": kind, "rows": len(attempt.created)}, status=attempt.status,
            file=file_name, sha256=attempt.sha256,
        )  # fmt: skip
    if not ok:
        read.rows = read.rows.iloc[0:0]
    return attempt, read
