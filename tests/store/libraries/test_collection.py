"""成果征集 (#18): open → submit → review (conflicted experts excluded) → 公示 under the
evaluations' notice rules (no backdating, minimum days, objections) → the published catalogue,
and its Word and Excel exports (no formula from user text, no contact)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from tests.store.libraries.test_calls import expert
from tests.web.conftest import XIJI

from cimon.store.libraries import collection as col_svc
from cimon.store.libraries import services as lib
from cimon.store.libraries.call_models import COL_NOTICE, COL_PUBLISHED, Collection
from cimon.store.libraries.catalogue_export import catalogue_docx, catalogue_xlsx
from cimon.store.libraries.services import LibraryError
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def achievement(owner: Any, title: str) -> Any:
    item = lib.create_achievement(owner, title, abstract="摘要", discipline="210", trl=7,
                                  mode="转让", holder="某大学（联系人 张三 13900000000）")  # fmt: skip
    return lib.publish_achievement(item, owner)


def reviewed(users: dict[str, Any]) -> tuple[Collection, list[Any]]:
    """A collection in review with two entries, both decided (the first selected)."""
    col = col_svc.create_collection(users["department"], "先进适用技术成果征集", TODAY.year,
                                    TODAY, TODAY + dt.timedelta(days=30))  # fmt: skip
    a = col_svc.submit_entry(col, users["viewer"], achievement(users["viewer"], "马铃薯脱毒快繁"),
                             "某农科院", region_code=XIJI)  # fmt: skip
    b = col_svc.submit_entry(col, users["county"], achievement(users["county"], "=HYPERLINK(1)"),
                             "某企业")  # fmt: skip
    col_svc.close_collection(col, users["department"])
    col_svc.select_entry(a, users["department"], True, "评审通过")
    col_svc.select_entry(b, users["department"], True)
    return col, [a, b]


def test_submissions_only_while_open_and_only_published(users: dict[str, Any]) -> None:
    with pytest.raises(LibraryError, match="早于"):
        col_svc.create_collection(users["department"], "x", 2026, TODAY, TODAY - dt.timedelta(1))
    col = col_svc.create_collection(users["department"], "x", TODAY.year, TODAY, TODAY)
    draft = lib.create_achievement(users["viewer"], "草稿成果")
    with pytest.raises(LibraryError, match="尚未发布"):
        col_svc.submit_entry(col, users["viewer"], draft, "某单位")
    item = achievement(users["viewer"], "成果")
    with pytest.raises(LibraryError, match="征集期"):
        col_svc.submit_entry(col, users["viewer"], item, "某单位", today=TODAY + dt.timedelta(1))
    entry = col_svc.submit_entry(col, users["viewer"], item, "某单位")
    assert entry.achievement_version == item.current
    with pytest.raises(LibraryError, match="已报送"):
        col_svc.submit_entry(col, users["viewer"], item, "某单位")
    col_svc.close_collection(col, users["department"])
    with pytest.raises(LibraryError, match="不能执行此操作"):
        col_svc.submit_entry(col, users["viewer"], achievement(users["viewer"], "二"), "某单位")


def test_a_reviewer_of_the_submitting_unit_is_excluded(users: dict[str, Any]) -> None:
    col = col_svc.create_collection(users["department"], "x", TODAY.year, TODAY, TODAY)
    entry = col_svc.submit_entry(
        col, users["viewer"], achievement(users["viewer"], "成果"), "某农科院"
    )
    same, other = expert("li"), expert("wang")
    col_svc.assign_reviewer(col, users["department"], same, "某农科院")
    col_svc.assign_reviewer(col, users["department"], other, "某大学")
    col_svc.close_collection(col, users["department"])
    with pytest.raises(LibraryError, match="回避"):
        col_svc.score_entry(entry, same, 90)
    col_svc.score_entry(entry, other, 70)
    col_svc.score_entry(entry, other, 85)
    assert col_svc.entry_mean(entry) == 85


def test_notice_rules_no_backdating_minimum_days_override(users: dict[str, Any]) -> None:
    col, _ = reviewed(users)
    with pytest.raises(LibraryError, match="早于今天"):
        col_svc.put_on_notice(col, users["department"], TODAY - dt.timedelta(days=3))
    with pytest.raises(LibraryError, match="少于规定的 7 天"):
        col_svc.put_on_notice(col, users["department"], TODAY, TODAY + dt.timedelta(days=2))
    with pytest.raises(LibraryError, match="早于开始日期"):
        col_svc.put_on_notice(col, users["department"], TODAY, TODAY - dt.timedelta(days=2))
    start = TODAY - dt.timedelta(days=10)
    col_svc.put_on_notice(col, users["department"], start, start + dt.timedelta(days=6),
                          override_reason="已于线下公示")  # fmt: skip
    col.refresh_from_db()
    assert col.status == COL_NOTICE and col.notice_override == "已于线下公示"
    event = AuditEvent.objects.get(action="collection.notice")
    assert event.detail["override_reason"] == "已于线下公示" and event.detail["rules_broken"]


def test_every_entry_is_decided_before_notice(users: dict[str, Any]) -> None:
    col = col_svc.create_collection(users["department"], "x", TODAY.year, TODAY, TODAY)
    entry = col_svc.submit_entry(col, users["viewer"], achievement(users["viewer"], "成果"), "单位")
    col_svc.close_collection(col, users["department"])
    with pytest.raises(LibraryError, match="未作出入选决定"):
        col_svc.put_on_notice(col, users["department"])
    col_svc.select_entry(entry, users["department"], False)
    with pytest.raises(LibraryError, match="没有入选"):
        col_svc.put_on_notice(col, users["department"])


def test_objections_and_publication_make_the_catalogue(users: dict[str, Any]) -> None:
    col, (_, b) = reviewed(users)
    col_svc.put_on_notice(col, users["department"])
    col.refresh_from_db()
    assert (col.notice_start, col.notice_end) == (TODAY, TODAY + dt.timedelta(days=6))
    with pytest.raises(LibraryError, match="晚于今天"):
        col_svc.record_objection(col, users["department"], raised_by="某人", content="x",
                                 received_on=TODAY + dt.timedelta(days=1))  # fmt: skip
    obj = col_svc.record_objection(col, users["department"], raised_by="某公司",
                                   content="该成果系抄袭", entry=b)  # fmt: skip
    with pytest.raises(LibraryError, match="公示期满后"):
        col_svc.publish_collection(col, users["department"], today=col.notice_end)
    after = TODAY + dt.timedelta(days=7)
    with pytest.raises(LibraryError, match="未处理的异议"):
        col_svc.publish_collection(col, users["department"], today=after)
    with pytest.raises(LibraryError, match="处理意见"):
        col_svc.handle_objection(obj, users["department"], "upheld", " ")
    col_svc.handle_objection(obj, users["department"], "upheld", "经核查属实，撤销入选")
    assert col_svc.catalogue() == []  # not published yet
    col_svc.publish_collection(col, users["department"], today=after)
    col.refresh_from_db()
    assert col.status == COL_PUBLISHED
    rows = col_svc.catalogue()
    assert [(r.title, r.unit, r.region_code) for r in rows] == [
        ("马铃薯脱毒快繁", "某农科院", XIJI)
    ]
    assert "13900000000" not in repr(rows)  # the holder's contact is not in the catalogue


def test_exports_are_safe_and_carry_no_contact(users: dict[str, Any]) -> None:
    from docx import Document
    from openpyxl import load_workbook

    col, _ = reviewed(users)
    col_svc.put_on_notice(col, users["department"])
    col_svc.publish_collection(col, users["department"], today=TODAY + dt.timedelta(days=7))
    rows = col_svc.catalogue()
    assert {r.title for r in rows} == {"马铃薯脱毒快繁", "=HYPERLINK(1)"}
    wb = load_workbook(io.BytesIO(catalogue_xlsx(rows, {XIJI: "西吉县"}, label="模拟数据")))
    ws = wb.active
    assert ws is not None
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert "=HYPERLINK(1)" in values and "西吉县" in values and "模拟数据" in values
    assert not any("13900000000" in str(v) for v in values)
    doc = Document(io.BytesIO(catalogue_docx(rows, {XIJI: "西吉县"})))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "先进适用技术成果目录" in text and "共 2 项" in text
    table = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert table[0][1] == "成果名称"
    assert [table[1][1], table[1][6]] == ["马铃薯脱毒快繁", "某农科院"]
    assert doc.sections[0].left_margin is not None
