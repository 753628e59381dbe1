"""The stored registries (issue #16): lists imported all-or-nothing, every attempt kept, rows
matched by code or name, ambiguous rows left to a person and not counted until confirmed,
qualifications valid for their dates, enterprises counted in the county they moved to."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.web.conftest import XIJI, YUANZHOU

from cimon.registry.synthetic import synthetic_codes
from cimon.store.registry.models import (
    ACCEPTED,
    CARRIER,
    IN_REVIEW,
    REJECTED,
    Carrier,
    Enterprise,
    ListImport,
    Qualification,
    ReviewItem,
)
from cimon.store.registry.services import RegistryError, decide, import_list
from cimon.store.registry.tables import counts_on
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db

CODES = synthetic_codes(6, ["640422"], np.random.default_rng(7))
HEAD = "序号,企业名称,统一社会信用代码,证书编号,发证日期,有效期,所在县（市、区）\n"


def _csv(*rows: str) -> bytes:
    return (HEAD + "".join(r + "\n" for r in rows)).encode("utf-8")


def _hi(n: int, name: str, code: str, cert: str, day: str, county: str = "西吉县") -> str:
    return f"{n},{name},{code},{cert},{day},三年,{county}"


def _import(data: bytes, **kw: Any) -> Any:
    return import_list(data, "高企名单.csv", kind="高新技术企业", user="clerk", **kw)


def _count(day: str, county: str = XIJI, kind: str = "高新技术企业") -> int:
    return counts_on(day).count(county, kind)


def test_a_list_is_imported_and_a_2019_certificate_counts_in_2021_not_2022() -> None:
    r = _import(_csv(_hi(1, "宁夏甲科技有限公司", CODES[0], "GR201964000001", "2019-11-28"),
                     _hi(2, "宁夏乙科技有限公司", CODES[1], "GR202064000002", "2020-10-01")))  # fmt: skip
    assert r.ok and r.list_import.outcome == ACCEPTED and r.written == 2
    assert Enterprise.objects.count() == 2
    assert _count("2021-12-31") == 2
    assert _count("2022-12-31") == 1  # the 2019 certificate ended on 2022-11-28
    assert len(counts_on("2021-12-31").drill(XIJI, "高新技术企业")) == 2
    names = set(counts_on("2021-12-31").records["name"])
    assert names == {"宁夏甲科技有限公司", "宁夏乙科技有限公司"}
    # the QuerySets agree with the library's count
    from datetime import date

    qs = (
        Qualification.objects.current()
        .valid_on(date(2022, 12, 31))
        .in_county(XIJI, date(2022, 12, 31))
    )
    assert qs.count() == 1
    assert AuditEvent.objects.filter(action="registry.import.accepted").count() == 1


def test_a_list_with_a_bad_code_is_rejected_whole_and_kept() -> None:
    bad = CODES[1][:-1] + ("0" if CODES[1][-1] != "0" else "1")
    r = _import(_csv(_hi(1, "宁夏甲科技有限公司", CODES[0], "GR1", "2019-11-28"),
                     _hi(2, "宁夏乙科技有限公司", bad, "GR2", "2020-10-01")))  # fmt: skip
    assert not r.ok and r.list_import.outcome == REJECTED
    assert [i.code for i in r.report.errors] == ["code.invalid"]
    assert Enterprise.objects.count() == 0 and Qualification.objects.count() == 0
    kept = ListImport.objects.get()
    assert bytes(kept.content).startswith(HEAD.encode()) and kept.report["issues"]
    assert AuditEvent.objects.filter(action="registry.import.rejected").count() == 1


def test_an_ambiguous_name_goes_to_review_and_counts_only_once_confirmed() -> None:
    # two stored enterprises whose names differ only in the legal form: the same name key
    _import(_csv(_hi(1, "宁夏丙科技有限公司", CODES[2], "GR3", "2018-05-01"),
                 _hi(2, "宁夏丙科技股份有限公司", CODES[3], "GR4", "2017-05-01")))  # fmt: skip
    assert _count("2021-12-31") == 0  # both certificates ended by then
    r = import_list(
        "企业名称,所在县（市、区）,发证日期\n宁夏丙科技有限责任公司,西吉县,2021-03-01\n".encode(),
        "无代码.csv", kind="高新技术企业", user="clerk", list_kind="enterprise",
    )  # fmt: skip
    # the list has no code column: refused (an enterprise list needs codes)
    assert not r.ok
    r = _import(_csv(_hi(1, "宁夏丙科技有限责任公司", CODES[4], "GR5", "2021-03-01")))
    assert r.list_import.outcome == IN_REVIEW and len(r.reviews) == 1
    item = r.reviews[0]
    assert item.status == "conflict" or item.status == "ambiguous"
    assert len(item.candidates) == 2 and all(c["score"] == 100.0 for c in item.candidates)
    assert _count("2021-12-31") == 0  # not counted until a person decides
    with pytest.raises(RegistryError):
        decide(item, "confirmed", "reviewer", record="999999")  # not a candidate
    target = item.candidates[0]["record"]
    decide(item, "confirmed", "reviewer", record=target)
    assert _count("2021-12-31") == 1
    assert ListImport.objects.get(pk=r.list_import.pk).outcome == ACCEPTED
    with pytest.raises(RegistryError):
        decide(item, "rejected", "reviewer")  # settled once
    assert AuditEvent.objects.filter(action="registry.review.confirmed").count() == 1


def test_a_rejected_review_item_writes_nothing_and_new_creates_a_record() -> None:
    _import(_csv(_hi(1, "宁夏丁科技有限公司", CODES[2], "GR3", "2020-05-01"),
                 _hi(2, "宁夏丁科技股份有限公司", CODES[3], "GR4", "2020-05-01")))  # fmt: skip
    r = _import(_csv(_hi(1, "宁夏丁科技有限责任公司", CODES[4], "GR5", "2021-03-01"),
                     _hi(2, "宁夏丁科技公司", CODES[5], "GR6", "2021-03-01")))  # fmt: skip
    assert len(r.reviews) == 2
    before = Qualification.objects.count()
    decide(r.reviews[0], "rejected", "reviewer")
    assert Qualification.objects.count() == before
    assert ListImport.objects.get(pk=r.list_import.pk).outcome == IN_REVIEW
    decide(r.reviews[1].pk, "new", "reviewer")
    assert Enterprise.objects.count() == 3
    assert ReviewItem.objects.filter(decision="").count() == 0


def test_an_enterprise_that_moves_counts_in_the_new_county_from_its_move_date() -> None:
    _import(_csv(_hi(1, "宁夏戊科技有限公司", CODES[0], "GR7", "2019-01-10")))
    # re-recognised in 原州区: the list places it there from its new certificate's date
    _import(_csv(_hi(1, "宁夏戊科技有限公司", CODES[0], "GR8", "2021-06-01", "原州区")))
    assert Enterprise.objects.count() == 1
    assert _count("2021-05-31") == 1 and _count("2021-05-31", YUANZHOU) == 0
    assert _count("2021-06-01") == 0 and _count("2021-06-01", YUANZHOU) == 1
    ent = Enterprise.objects.get()
    assert Enterprise.objects.in_county(XIJI, __import__("datetime").date(2020, 1, 1)).get() == ent


def test_the_same_list_twice_writes_no_new_versions_and_a_changed_row_supersedes() -> None:
    data = _csv(_hi(1, "宁夏己科技有限公司", CODES[0], "GR9", "2019-01-10"))
    _import(data)
    _import(data)
    assert Qualification.objects.count() == 1 and ListImport.objects.count() == 2
    _import(_csv(_hi(1, "宁夏己科技有限公司", CODES[0], "GR9", "2019-02-10")))
    assert Qualification.objects.count() == 2
    assert Qualification.objects.current().get().start.month == 2
    old = Qualification.objects.exclude(superseded_at=None).get()
    assert old.start.month == 1 and old.superseded_by is not None


def test_carriers_are_imported_versioned_and_counted_by_level() -> None:
    head = "载体名称,载体类型,认定级别,认定单位,认定日期,所在县区,状态\n"
    data = (head + "西吉众创空间,众创空间,省,宁夏科技厅,2020-01-01,西吉县,有效\n"
            "西吉孵化器,科技企业孵化器,国家,科技部,2019-01-01,西吉县,有效\n").encode()  # fmt: skip
    r = import_list(data, "载体.csv", list_kind=CARRIER, user="clerk")
    assert r.ok and r.written == 2 and Carrier.objects.count() == 2
    c = counts_on("2021-12-31")
    assert c.count(XIJI, "众创空间", "省") == 1 and c.count(XIJI, "科技企业孵化器") == 1
    revoked = (head + "西吉众创空间,众创空间,省,宁夏科技厅,2020-01-01,西吉县,撤销\n").encode()
    import_list(revoked, "载体2.csv", list_kind=CARRIER, user="clerk")
    assert Carrier.objects.count() == 3 and Carrier.objects.current().count() == 2
    # 撤销 without a date: not counted on any date (a person should give the date)
    assert counts_on("2021-12-31").count(XIJI, "众创空间") == 0


def test_a_row_whose_code_is_held_cannot_be_declared_new() -> None:
    """A conflict (the code says one enterprise, the name another) declared new would give
    one valid code to two enterprises: refused, nothing written."""
    _import(_csv(_hi(1, "宁夏庚科技有限公司", CODES[0], "GR1", "2020-01-01"),
                 _hi(2, "宁夏辛科技有限公司", CODES[1], "GR2", "2020-01-01")))  # fmt: skip
    r = _import(_csv(_hi(1, "宁夏辛科技有限公司", CODES[0], "GR3", "2021-01-01")))
    item = r.reviews[0]
    assert item.status == "conflict"
    with pytest.raises(RegistryError):
        decide(item, "new", "reviewer")
    assert Enterprise.objects.count() == 2 and ReviewItem.objects.get().decision == ""
    decide(item, "confirmed", "reviewer", record=str(Enterprise.objects.get(code=CODES[0]).pk))
    assert Qualification.objects.filter(certificate="GR3").count() == 1


def test_a_failure_half_way_leaves_the_database_unchanged(monkeypatch: Any) -> None:
    """All or nothing: a failure after some rows are written (a bug, a lost connection) rolls
    back the rows, the import and its audit event."""
    from cimon.store.registry.writer import RowWriter

    seen: dict[str, int] = {}

    def flaky(self: Any, objs: Any) -> None:
        # the rows' enterprises and names are written by now; their qualifications fail
        seen["enterprises"] = Enterprise.objects.count()
        seen["qualifications"] = len(objs)
        raise RuntimeError("injected")

    monkeypatch.setattr(RowWriter, "create_qualifications", flaky)
    with pytest.raises(RuntimeError):
        _import(_csv(_hi(1, "宁夏壬科技有限公司", CODES[0], "GR1", "2020-01-01"),
                     _hi(2, "宁夏癸科技有限公司", CODES[1], "GR2", "2020-01-01")))  # fmt: skip
    assert seen == {"enterprises": 2, "qualifications": 2}
    assert Enterprise.objects.count() == Qualification.objects.count() == 0
    assert ListImport.objects.count() == 0 and not AuditEvent.objects.exists()
