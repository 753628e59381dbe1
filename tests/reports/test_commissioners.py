"""Exports of the commissioners' assessment: Excel (no live formula) and the 优秀 list in Word."""

from __future__ import annotations

import io

import pandas as pd
from docx import Document
from openpyxl import load_workbook

from cimon.analysis.commissioners import assess, parse_assessment_rules
from cimon.reports.commissioners import assessment_xlsx, excellent_docx, excellent_rows

RULES = {
    "id": "t", "version": "1", "thresholds": {"优秀": 90, "良好": 75, "合格": 60},
    "rules": [{"kind": "service_days", "weight": 100, "target": 100}],
}  # fmt: skip
NAMES = {"640105": "西夏区", "640104": "兴庆区"}


def assessed() -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {"commissioner_id": 1, "name": "=cmd|' /C calc'!A0", "county_code": "640104",
             "service_days": 95, "unit": "宁夏大学", "field": "枸杞"},
            {"commissioner_id": 2, "name": "李四", "county_code": "640105", "service_days": 99,
             "unit": "农科院", "field": "葡萄"},
            {"commissioner_id": 3, "name": "王五", "county_code": "640104", "service_days": 97,
             "unit": "农科院", "field": "滩羊"},
            {"commissioner_id": 4, "name": "赵六", "county_code": "640104", "service_days": 50,
             "unit": "农科院", "field": "滩羊"},
        ]
    )  # fmt: skip
    out = assess(frame, parse_assessment_rules(RULES))
    return out.join(frame[["unit", "field"]])


def test_excellent_rows_by_county_order_then_score() -> None:
    rows = excellent_rows(assessed(), NAMES)
    assert [(r["county"], r["name"], r["score"]) for r in rows] == [
        ("西夏区", "李四", "99.00"),
        ("兴庆区", "王五", "97.00"),
        ("兴庆区", "=cmd|' /C calc'!A0", "95.00"),
    ]


def test_xlsx_keeps_formula_looking_names_as_text() -> None:
    data = assessment_xlsx(assessed(), 2026, NAMES, label="模拟数据")
    wb = load_workbook(io.BytesIO(data))
    ws = wb["考核结果"]
    assert ws["C2"].value == "=cmd|' /C calc'!A0" and ws["C2"].data_type == "s"
    assert ws["F5"].value == "不合格" and ws["I5"].value.startswith("不合格：得分 50.00")
    top = wb["优秀名单"]
    assert [c.value for c in top[1]] == [
        "序号",
        "县（市、区）",
        "姓名",
        "派出单位",
        "服务领域",
        "得分",
    ]
    assert top.max_row == 4 and top["C4"].data_type == "s"
    assert wb["说明"]["A1"].value == "模拟数据"


def test_docx_title_publicity_and_table() -> None:
    doc = Document(io.BytesIO(excellent_docx(assessed(), 2026, NAMES, label="模拟数据")))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "模拟数据"
    assert texts[1] == "2026年度科技特派员考核优秀等次人员名单（公示）"
    assert "共 3 人，现予以公示" in texts[2] and "5 个工作日" in texts[2]
    table = doc.tables[0]
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        "西夏区",
        "李四",
        "农科院",
        "葡萄",
        "99.00",
    ]
    assert len(table.rows) == 4
    assert "w:fldSimple" not in doc.element.xml and "instrText" not in doc.element.xml


def test_docx_without_excellent() -> None:
    frame = assessed()
    frame["grade"] = "合格"
    doc = Document(io.BytesIO(excellent_docx(frame, 2026)))
    assert any("本年度无优秀等次人员" in p.text for p in doc.paragraphs)
    assert "共 0 人" in doc.paragraphs[1].text
