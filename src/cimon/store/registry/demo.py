"""Demo registries (模拟数据): a synthetic registry (:mod:`cimon.registry.synthetic`) written
into the store, so that the registry pages, the counts and their lists show something.

Loaded by ``cimon demo``'s database step and by ``cimon serve --demo`` (the first start). Every
record carries the label 模拟数据; loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from cimon.registry.synthetic import SYNTHETIC_LABEL, synthetic_registry
from cimon.store import audit
from cimon.store.registry.models import (
    Carrier,
    Enterprise,
    EnterpriseCounty,
    EnterpriseName,
    Qualification,
)
from cimon.store.registry.services import default_end

#: the demo's size: enough for every county to have a few of each kind
DEMO_ENTERPRISES = 1500
DEMO_CARRIERS = 300


def _day(value: Any) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def load_demo_registry(
    counties: Sequence[str],
    years: Sequence[int],
    *,
    n_enterprises: int = DEMO_ENTERPRISES,
    n_carriers: int = DEMO_CARRIERS,
    seed: int = 16,
    user: str = "demo",
) -> int:
    """Write a synthetic registry over ``counties`` and data ``years`` (labelled 模拟数据);
    returns the number of enterprises written (0 when demo registries are already there)."""
    if Enterprise.objects.filter(label=SYNTHETIC_LABEL).exists():
        return 0
    syn = synthetic_registry(n_enterprises, n_carriers, counties, years, seed=seed)
    from cimon.model.regions import default_registry

    known = {r.code: r.name for r in default_registry()}
    now = timezone.now()
    with transaction.atomic():
        ents = Enterprise.objects.bulk_create(
            [
                Enterprise(code=c, code_valid=True, label=SYNTHETIC_LABEL, created_at=now,
                           created_by=user)
                for c in syn.enterprises["code"]
            ],
            batch_size=500,
        )  # fmt: skip
        pk = dict(zip(syn.enterprises["id"], (e.pk for e in ents), strict=True))
        EnterpriseName.objects.bulk_create(
            [
                EnterpriseName(enterprise_id=pk[i], name=n, recorded_at=now)
                for i, n in zip(syn.enterprises["id"], syn.enterprises["name"], strict=True)
            ],
            batch_size=500,
        )
        EnterpriseCounty.objects.bulk_create(
            [
                EnterpriseCounty(enterprise_id=pk[r.enterprise], region_code=r.county,
                                 since=_day(r.since), recorded_at=now)
                for r in syn.history.itertuples()
            ],
            batch_size=500,
        )  # fmt: skip
        Qualification.objects.bulk_create(
            [
                Qualification(
                    enterprise_id=pk[r.enterprise], kind=r.kind, certificate=r.id,
                    start=_day(r.start),
                    end=default_end(str(r.kind), _day(r.start), _day(getattr(r, "end", None))),
                    revoked=_day(r.revoked), recorded_at=now,
                )
                for r in syn.qualifications.itertuples()
            ],
            batch_size=500,
        )  # fmt: skip
        Carrier.objects.bulk_create(
            [
                Carrier(
                    key=r.id, name=f"{known.get(str(r.county), r.county)}{r.kind}{str(r.id)[-4:]}（模拟）", kind=r.kind,
                    level=r.level, body=r.body, start=_day(r.start), region_code=r.county,
                    status=r.status, status_date=_day(r.status_date), label=SYNTHETIC_LABEL,
                    recorded_at=now,
                )
                for r in syn.carriers.itertuples()
            ],
            batch_size=500,
        )  # fmt: skip
        audit.record(user, "registry.demo", "registry", SYNTHETIC_LABEL,
                     enterprises=len(ents), carriers=len(syn.carriers))  # fmt: skip
    return len(ents)


def demo_registry_note(data_year: int, lang: str = "zh") -> str:
    """One line for the demo's report: what the registries hold and the 高企 count of a year."""
    from cimon.store.registry.tables import counts_on

    n_ent = Enterprise.objects.filter(label=SYNTHETIC_LABEL).count()
    n_car = Carrier.objects.current().filter(label=SYNTHETIC_LABEL).count()
    day = pd.Timestamp(data_year, 12, 31).date()
    table = counts_on(day).table
    hte = int(table.loc[table["kind"] == "高新技术企业", "count"].sum())
    if lang == "en":
        return (
            f"Registries ({SYNTHETIC_LABEL}, synthetic): {n_ent} enterprises, {n_car} carriers; "
            f"valid high-tech enterprises on {day}: {hte} (every count opens to its list: "
            "cimon registry count)"
        )
    return (
        f"名录（{SYNTHETIC_LABEL}）：企业 {n_ent} 家、载体 {n_car} 个；{day} 有效高新技术企业 "
        f"{hte} 家（每个数字都可查看名单：cimon registry count）"
    )
