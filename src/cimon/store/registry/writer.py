"""Writing list rows into the registries in bulk (issue #16: a 20,000-row list in < 30 s).

A :class:`RowWriter` loads, once, what the rows it writes depend on — the enterprises' codes,
latest names, county rows and current qualifications (or the current carriers) — applies the
rows one after the other **in memory** with exactly the rules of a row written alone, and
:meth:`RowWriter.flush` writes the result with ``bulk_create``/``bulk_update`` (a few queries
per table, whatever the number of rows). The caller holds the transaction: all or nothing.

Row rules (the same for an import and for a person's review decision):

* **enterprise, onto a record**: a new name when it changed (its key differs from the latest
  name's); a county row from the qualification's date (else today) when the enterprise is not
  in the listed county on that date (a move); the qualification.
* **enterprise, new**: the enterprise (refused when its valid code is already held), its name,
  its county from the beginning, the qualification.
* **qualification**: the current one of the same kind and certificate (same kind and start
  without a certificate) is kept when its facts are the same, else superseded by a new version.
* **carrier**: a new version superseding the current one of its ``key`` when its facts
  changed; a new carrier gets the key ``C<pk>``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.utils import timezone

from cimon.errors import CimonError
from cimon.registry.counts import VALIDITY_YEARS
from cimon.registry.names import name_key
from cimon.store.registry.models import (
    CARRIER,
    VALID,
    Carrier,
    Enterprise,
    EnterpriseCounty,
    EnterpriseName,
    ListImport,
    Qualification,
)

BATCH = 1000
#: ids per ``IN (…)`` query (below SQLite's variable limit)
CHUNK = 900
_EARLIEST = dt.date.min


class RegistryError(CimonError):
    """A registry action that cannot be done (a review item already settled …)."""


def day_of(value: Any) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def text_of(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def default_end(kind: str, start: dt.date | None, end: dt.date | None) -> dt.date | None:
    """The end a qualification is stored with: as given, else the kind's validity from its
    start (高新技术企业: three years, :data:`cimon.registry.counts.VALIDITY_YEARS`), so that the
    QuerySets and the library's counts agree."""
    if end is None and start is not None and kind in VALIDITY_YEARS:
        return (pd.Timestamp(start) + pd.DateOffset(years=VALIDITY_YEARS[kind])).date()
    return end


def _chunks(ids: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _pk(target: Hashable) -> int:
    """An enterprise's pk from a match (an int, or a float when the column had blanks) or a
    review decision (text)."""
    return int(float(target)) if isinstance(target, float) else int(str(target))


def county_rows() -> dict[int, list[tuple[dt.date | None, int, str]]]:
    """Every current county row, by enterprise: ``(since, pk, region_code)``."""
    out: dict[int, list[tuple[dt.date | None, int, str]]] = defaultdict(list)
    for e, pk, region, since in EnterpriseCounty.objects.current().values_list(
        "enterprise_id", "pk", "region_code", "since"
    ):
        out[e].append((since, pk, region))
    return out


def county_on(rows: Iterable[tuple[dt.date | None, int, str]], day: dt.date) -> str | None:
    """The county on ``day`` of an enterprise with these county rows: the row with the latest
    ``since`` on or before ``day`` (a blank ``since`` only when no dated row applies; the
    latest row among equals), as :meth:`EnterpriseQuerySet.with_county` picks it."""
    best: tuple[bool, dt.date, int] | None = None
    region = None
    for since, pk, r in rows:
        if since is not None and since > day:
            continue
        rank = (since is not None, since or _EARLIEST, pk)
        if best is None or rank > best:
            best, region = rank, r
    return region


@dataclass
class _Ent:
    """An enterprise as the rows see it: stored (``pk``) or to be created (``obj``)."""

    pk: int | None
    name: str
    counties: list[tuple[dt.date | None, int, str]]
    quals: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # kind → current
    obj: Enterprise | None = None


@dataclass
class RowWriter:
    """Rows of one list import (or one review decision) applied in memory, then written in
    bulk by :meth:`flush` (see the module's docstring)."""

    li: ListImport
    list_kind: str
    user: str
    now: dt.datetime
    label: str = ""
    _ents: dict[int, _Ent] = field(default_factory=dict)
    _codes: set[str] = field(default_factory=set)
    _new_ents: list[_Ent] = field(default_factory=list)
    _names: list[tuple[_Ent, str]] = field(default_factory=list)
    _counties: list[tuple[_Ent, str, dt.date | None]] = field(default_factory=list)
    _quals: list[tuple[_Ent, dict[str, Any]]] = field(default_factory=list)
    _superseded: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    _carriers: dict[str, Carrier] = field(default_factory=dict)
    _new_carriers: list[tuple[Carrier, Carrier | None]] = field(default_factory=list)
    _seq: int = 0

    # ---- loading
    def load(
        self,
        targets: Iterable[Hashable],
        kinds: Iterable[str] = (),
        new_codes: Iterable[str] = (),
    ) -> None:
        """Load what rows onto ``targets`` (enterprise pks or carrier keys) of ``kinds``
        depend on; ``new_codes``: the codes of rows that may become new enterprises (those
        already held by a valid code are refused)."""
        if self.list_kind == CARRIER:
            for part in _chunks(sorted({str(t) for t in targets})):
                for c in Carrier.objects.current().filter(key__in=part):
                    self._carriers[c.key] = c
            return
        pks = sorted({_pk(t) for t in targets})
        for part in _chunks(sorted({c for c in new_codes if c})):
            self._codes.update(
                Enterprise.objects.filter(code_valid=True, code__in=part).values_list(
                    "code", flat=True
                )
            )
        names: dict[int, str] = {}
        counties: dict[int, list[tuple[dt.date | None, int, str]]] = defaultdict(list)
        kinds = sorted({k for k in kinds if k})
        quals: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for part in _chunks(pks):
            for e, n in (
                EnterpriseName.objects.filter(enterprise_id__in=part)
                .order_by("enterprise_id", "id")
                .values_list("enterprise_id", "name")
            ):
                names[e] = n  # the latest wins
            for e, pk, region, since in (
                EnterpriseCounty.objects.current()
                .filter(enterprise_id__in=part)
                .values_list("enterprise_id", "pk", "region_code", "since")
            ):
                counties[e].append((since, pk, region))
            qs = Qualification.objects.current().filter(enterprise_id__in=part)
            if kinds:
                qs = qs.filter(kind__in=kinds)
            for q in qs.order_by("id").values("pk", "enterprise_id", "kind", "certificate",
                                              "start", "end"):  # fmt: skip
                quals[q["enterprise_id"]][q["kind"]].append(q)
        for pk in pks:
            self._ents[pk] = _Ent(pk, names.get(pk, ""), counties.get(pk, []),
                                  dict(quals.get(pk, {})))  # fmt: skip
        self._seq = 1 + max([r[1] for e in self._ents.values() for r in e.counties], default=0)

    # ---- rows
    def apply(self, data: dict[str, Any], target: Hashable | None) -> Any:
        """Apply one row onto ``target`` (None: a new record). Returns the record (an
        :class:`_Ent` or a :class:`Carrier`); its id is known after :meth:`flush`
        (:meth:`record_id`)."""
        if self.list_kind == CARRIER:
            return self._apply_carrier(data, None if target is None else str(target))
        start = day_of(data.get("start") or data.get("date"))
        qkind = text_of(data.get("kind"))
        end = default_end(qkind, start, day_of(data.get("end")))
        name = text_of(data.get("name"))
        county = text_of(data.get("county"))
        if target is None:
            code = text_of(data.get("code"))
            valid = bool(data.get("_code_valid")) and bool(code)
            if valid and code in self._codes:
                raise RegistryError(
                    f"统一社会信用代码 {code} 已属于名录中的另一家企业，不能作为新记录；请确认该企业。",
                    f"The code {code} already belongs to an enterprise of the registry; it cannot "
                    "be a new record: confirm that enterprise instead.",
                )
            if valid:
                self._codes.add(code)
            obj = Enterprise(code=code, code_valid=valid, label=self.label, created_at=self.now,
                             created_by=self.user, source=self.li)  # fmt: skip
            ent = _Ent(None, name, [], {}, obj)
            self._new_ents.append(ent)
            self._names.append((ent, name))
            if county:
                self._add_county(ent, county, None)
        else:
            ent = self._ents[_pk(target)]
            if name and ent.name != name and name_key(name) != name_key(ent.name):
                self._names.append((ent, name))
                ent.name = name
            if county:
                # a list that places the enterprise elsewhere: it moved, at the latest on the
                # date of the qualification it lists (else on the day of the import)
                day = start or timezone.localdate()
                if county_on(ent.counties, day) != county:
                    self._add_county(ent, county, day)
        if qkind:
            self.write_qualification(ent, qkind, text_of(data.get("certificate")), start, end)
        return ent

    def _add_county(self, ent: _Ent, county: str, since: dt.date | None) -> None:
        ent.counties.append((since, self._seq, county))
        self._seq += 1
        self._counties.append((ent, county, since))

    def write_qualification(
        self,
        ent: _Ent,
        kind: str,
        certificate: str,
        start: dt.date | None,
        end: dt.date | None,
    ) -> None:
        """A new qualification, or a new version of the same one (same kind and certificate,
        or same kind and start) when its facts changed; the same facts again write nothing."""
        current = ent.quals.setdefault(kind, [])
        same = [
            q for q in current
            if (q["certificate"] == certificate if certificate else q["start"] == start)
        ]  # fmt: skip
        old = same[-1] if same else None
        if old is not None and (old["start"], old["end"], old["certificate"]) == (
            start,
            end,
            certificate,
        ):
            return
        new: dict[str, Any] = {"pk": None, "kind": kind, "certificate": certificate,
                               "start": start, "end": end}  # fmt: skip
        if old is not None:
            current.remove(old)
            self._superseded.append((old, new))
        current.append(new)
        self._quals.append((ent, new))

    def _apply_carrier(self, data: dict[str, Any], key: str | None) -> Carrier:
        fields = {
            "name": text_of(data.get("name")),
            "code": text_of(data.get("code")),
            "kind": text_of(data.get("kind")),
            "level": text_of(data.get("level")),
            "body": text_of(data.get("body")),
            "start": day_of(data.get("start") or data.get("date")),
            "end": day_of(data.get("end")),
            "region_code": text_of(data.get("county")),
            "status": text_of(data.get("status")) or VALID,
            "status_date": day_of(data.get("status_date")),
        }
        old = self._carriers.get(key) if key else None
        if old is not None and all(getattr(old, k) == v for k, v in fields.items()):
            return old
        if old is not None and old.pk is None:  # listed twice: its first version is kept,
            old.superseded_at = self.now  # written already superseded (one current per key)
        new = Carrier(key=key or "", label=self.label, source=self.li, recorded_at=self.now,
                      **fields)  # fmt: skip
        self._new_carriers.append((new, old))
        if key:
            self._carriers[key] = new
        return new

    def record_id(self, record: Any) -> str:
        """The id of a record :meth:`apply` returned, once flushed."""
        if isinstance(record, Carrier):
            return record.key
        return str(record.pk if record.pk is not None else record.obj.pk)

    # ---- writing
    def flush(self) -> None:
        """Write everything applied, in bulk (inside the caller's transaction)."""
        if self.list_kind == CARRIER:
            self._flush_carriers()
            return
        created = Enterprise.objects.bulk_create(
            [e.obj for e in self._new_ents if e.obj is not None], batch_size=BATCH
        )
        for ent, obj in zip(self._new_ents, created, strict=True):
            ent.pk = obj.pk
        li, now = self.li, self.now
        EnterpriseName.objects.bulk_create(
            [EnterpriseName(enterprise_id=e.pk, name=n, recorded_at=now, source=li)
             for e, n in self._names],
            batch_size=BATCH,
        )  # fmt: skip
        EnterpriseCounty.objects.bulk_create(
            [EnterpriseCounty(enterprise_id=e.pk, region_code=c, since=s, recorded_at=now,
                              source=li)
             for e, c, s in self._counties],
            batch_size=BATCH,
        )  # fmt: skip
        self.create_qualifications(
            [
                Qualification(enterprise_id=e.pk, kind=q["kind"], certificate=q["certificate"],
                              start=q["start"], end=q["end"], source=li, recorded_at=now)
                for e, q in self._quals
            ]
        )  # fmt: skip
        old = [
            Qualification(pk=o["pk"], superseded_at=now, superseded_by_id=new["pk"])
            for o, new in self._superseded
        ]
        Qualification.objects.bulk_update(old, ["superseded_at", "superseded_by"], batch_size=BATCH)
        self._new_ents, self._names, self._counties = [], [], []
        self._quals, self._superseded = [], []

    def create_qualifications(self, objs: list[Qualification]) -> None:
        """Insert the new qualifications and note their pks (for ``superseded_by``)."""
        created = Qualification.objects.bulk_create(objs, batch_size=BATCH)
        for (_, q), obj in zip(self._quals, created, strict=True):
            q["pk"] = obj.pk

    def _flush_carriers(self) -> None:
        now = self.now
        olds = [old for _, old in self._new_carriers if old is not None and old.pk is not None]
        # the old version stops being current first: at most one current row per key
        Carrier.objects.filter(pk__in=[o.pk for o in olds]).update(superseded_at=now)
        fresh = [new for new, _ in self._new_carriers]
        for i, new in enumerate(fresh):
            if not new.key:
                new.key = f"new-{self.li.pk}-{i}"  # replaced by C<pk> below
        created = Carrier.objects.bulk_create(fresh, batch_size=BATCH)
        keyed = []
        for new, obj in zip(fresh, created, strict=True):
            new.pk = obj.pk
            if new.key.startswith(f"new-{self.li.pk}-"):
                new.key = f"C{obj.pk}"
                keyed.append(new)
        Carrier.objects.bulk_update(keyed, ["key"], batch_size=BATCH)
        linked = []
        for new, old in self._new_carriers:
            if old is not None:
                old.superseded_at, old.superseded_by = now, new
                linked.append(old)
        Carrier.objects.bulk_update(linked, ["superseded_at", "superseded_by"], batch_size=BATCH)
        self._new_carriers = []
