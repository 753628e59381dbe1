"""Registry imports written in bulk (issue #16): the number of queries does not grow with the
list's rows, and the rows still follow the rules of a row written alone (names, moves,
qualification versions, carriers listed twice)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.web.conftest import XIJI, YUANZHOU

from cimon.registry.synthetic import synthetic_codes
from cimon.store.registry.models import (
    CARRIER,
    Carrier,
    Enterprise,
    EnterpriseCounty,
    EnterpriseName,
    Qualification,
)
from cimon.store.registry.services import enterprise_records, import_list
from cimon.store.registry.writer import county_on
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db

CODES = synthetic_codes(80, ["640422"], np.random.default_rng(11))
HEAD = "序号,企业名称,统一社会信用代码,证书编号,发证日期,有效期,所在县（市、区）\n"


def _name(i: int, form: str = "有限公司") -> str:
    """Names far apart (random organisation codes): no two are fuzzy candidates."""
    return f"宁夏{CODES[i][8:17]}科技{form}"


def _list(rows: list[tuple[str, str, str, str, str]]) -> bytes:
    body = "".join(
        f"{i},{name},{code},{cert},{day},三年,{county}\n"
        for i, (name, code, cert, day, county) in enumerate(rows, start=1)
    )
    return (HEAD + body).encode("utf-8")


def _rows(n: int, offset: int = 0, county: str = "西吉县", day: str = "2020-01-01") -> bytes:
    return _list([(_name(i), CODES[i], f"GR{i}", day, county) for i in range(offset, offset + n)])


def _queries(data: bytes) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = import_list(data, "高企名单.csv", kind="高新技术企业", user="clerk")
    assert r.ok
    return len(ctx.captured_queries)


def test_the_queries_of_an_import_do_not_grow_with_its_rows() -> None:
    """A row-by-row import makes several queries per row: 4 rows and 40 rows would differ
    by well over a hundred."""
    small = _queries(_rows(4))
    large = _queries(_rows(40, offset=4))
    assert large <= small
    # and again onto the stored records: a new version of every certificate, every one moved
    again = _queries(_rows(44, county="原州区", day="2021-01-01"))
    assert again <= small + 6
    assert Enterprise.objects.count() == 44
    assert Qualification.objects.current().count() == 44
    assert Qualification.objects.count() == 88
    for old in Qualification.objects.exclude(superseded_by=None):
        assert old.start == dt.date(2020, 1, 1) and old.superseded_by.start == dt.date(2021, 1, 1)
    assert EnterpriseCounty.objects.filter(region_code=YUANZHOU).count() == 44
    assert AuditEvent.objects.filter(action="registry.import.accepted").count() == 3


def test_rows_onto_stored_records_follow_the_single_row_rules() -> None:
    import_list(_rows(3), "a.csv", kind="高新技术企业", user="clerk")
    # renamed, moved on its new certificate's date, certificate re-issued with a new date
    data = _list(
        [
            ("宁夏新名科技有限公司", CODES[0], "GR0", "2020-02-01", "原州区"),
            (_name(1, "有限责任公司"), CODES[1], "GR1", "2020-01-01", "西吉县"),
            (_name(2), CODES[2], "GR2", "2020-01-01", "西吉县"),
        ]
    )
    r = import_list(data, "b.csv", kind="高新技术企业", user="clerk")
    assert r.ok and r.written == 3
    first = Enterprise.objects.get(code=CODES[0])
    assert first.name == "宁夏新名科技有限公司" and first.names.count() == 2
    # only the legal form differs: the same name key, no new name
    assert Enterprise.objects.get(code=CODES[1]).names.count() == 1
    assert EnterpriseCounty.objects.filter(enterprise=first).count() == 2
    assert Enterprise.objects.in_county(YUANZHOU, dt.date(2020, 2, 1)).get() == first
    assert Enterprise.objects.in_county(XIJI, dt.date(2020, 1, 31)).get(pk=first.pk) == first
    old = Qualification.objects.get(enterprise=first, superseded_at__isnull=False)
    new = Qualification.objects.current().get(enterprise=first)
    assert old.superseded_by == new and new.start == dt.date(2020, 2, 1)
    assert Qualification.objects.count() == 4  # the same facts again write nothing
    assert EnterpriseName.objects.count() == 4


def test_matching_records_carry_the_county_of_today() -> None:
    import_list(_rows(2), "a.csv", kind="高新技术企业", user="clerk")
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    moved = _list([(_name(0), CODES[0], "GR9", later, "原州区")])
    import_list(moved, "b.csv", kind="高新技术企业", user="clerk")
    rec = enterprise_records().set_index("code")["county"].to_dict()
    assert rec == {CODES[0]: XIJI, CODES[1]: XIJI}  # the move is dated in the future
    future = enterprise_records(dt.date.today() + dt.timedelta(days=31))
    assert set(future["county"]) == {XIJI, YUANZHOU}


def test_county_on_prefers_the_latest_dated_row() -> None:
    rows = [(None, 1, "A"), (dt.date(2020, 1, 1), 2, "B"), (dt.date(2020, 1, 1), 3, "C")]
    assert county_on(rows, dt.date(2019, 12, 31)) == "A"
    assert county_on(rows, dt.date(2020, 1, 1)) == "C"
    assert county_on([], dt.date(2020, 1, 1)) is None


def test_a_carrier_listed_twice_in_one_list_keeps_every_version_and_one_current() -> None:
    head = "载体名称,载体类型,认定级别,认定单位,认定日期,所在县区,状态\n"
    first = (head + "西吉众创空间,众创空间,省,宁夏科技厅,2020-01-01,西吉县,有效\n").encode()
    import_list(first, "载体.csv", list_kind=CARRIER, user="clerk")
    key = Carrier.objects.get().key
    assert key == f"C{Carrier.objects.get().pk}"
    twice = (
        head + "西吉众创空间,众创空间,省,宁夏科技厅,2020-01-01,西吉县,到期\n"
        "西吉众创空间,众创空间,国家,科技部,2021-01-01,西吉县,有效\n"
    ).encode()
    r = import_list(twice, "载体2.csv", list_kind=CARRIER, user="clerk")
    assert r.ok and r.written == 2
    current = Carrier.objects.current().get()
    assert current.key == key and current.level == "国家"
    # every version is kept, as row by row: the first, the 到期 one, the current one
    first, expired = Carrier.objects.exclude(pk=current.pk).order_by("pk")
    assert first.superseded_by == expired and expired.superseded_by == current
    assert expired.status == "到期" and expired.superseded_at is not None
