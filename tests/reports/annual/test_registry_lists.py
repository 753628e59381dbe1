"""The report's numbers opened to their lists (issue #16): values taken from the registries get
a sheet in the results workbook (variable, county, count and the records behind it) and their
source in the data notes; without such values nothing changes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from openpyxl import load_workbook

from cimon.reports.annual.compose_appendix import appendix
from cimon.reports.annual.content import AnnualContent, DerivedValue
from cimon.reports.annual.document import Document, Para
from cimon.reports.annual.profile import county_blocks
from cimon.reports.annual.results_excel import results_tables, write_results_workbook

RECORDS = (
    {"record": "91640422MA7XXXXXX1", "name": "宁夏甲科技有限公司", "item": "GR202264000001",
     "start": "2022-11-28", "end": "2025-11-28"},
    {"record": "91640422MA7XXXXXX2", "name": "=HYPERLINK(\"x\")", "item": "GR202164000002",
     "start": "2021-10-01", "end": "2024-10-01"},
)  # fmt: skip


def _with_derived(content: AnnualContent) -> AnnualContent:
    first, second = sorted(k.code for k in content.counties)[:2]
    values = (
        DerivedValue("hte", "高新技术企业数", "High-tech enterprises", first, 2021,
                     "2021-12-31", 2, "qualification", "高新技术企业", "", RECORDS),
        DerivedValue("hte", "高新技术企业数", "High-tech enterprises", second, 2021,
                     "2021-12-31", 0, "qualification", "高新技术企业", "", ()),
    )  # fmt: skip
    return dataclasses.replace(content, derived=values)


def test_the_workbook_lists_every_record_behind_a_derived_value(
    content: AnnualContent, tmp_path: Path
) -> None:
    c = _with_derived(content)
    plain = [name for name, *_ in results_tables(content)]
    assert "名录计数" not in plain
    assert [name for name, *_ in results_tables(c)] == [*plain, "名录计数"]
    path = write_results_workbook(c, tmp_path / "r.xlsx")
    ws = load_workbook(path)["名录计数"]
    rows = [[cell.value for cell in r] for r in ws.iter_rows(min_row=3)]
    first, second = sorted(k.code for k in content.counties)[:2]
    assert [r[2] for r in rows] == [first, first, second]
    assert [r[6] for r in rows] == [2, 2, 0]
    assert [r[8] for r in rows[:2]] == [r["record"] for r in RECORDS]
    assert rows[0][9:] == ["宁夏甲科技有限公司", "GR202264000001", "2022-11-28", "2025-11-28"]
    assert rows[1][9] == RECORDS[1]["name"]  # text, never a formula
    assert ws.cell(row=4, column=10).data_type == "s"
    assert rows[2][8] in (None, "")  # a count of 0: one row, no record
    en = [name for name, *_ in results_tables(c, "en")]
    assert en[-1] == "Registry counts"


def _note(c: AnnualContent, code: str, lang: str = "zh") -> str:
    profile = next(p for p in c.profiles if p.result.code == code)
    blocks = county_blocks(c, profile, lang, "1")
    return next(b.text for b in blocks if isinstance(b, Para) and b.style == "note")


def test_the_data_notes_name_the_registries_as_the_source(
    content: AnnualContent, fast_charts: None
) -> None:
    c = _with_derived(content)
    first = sorted(k.code for k in content.counties)[0]
    note = _note(c, first)
    assert "高新技术企业数取自名录" in note and "2021-12-31" in note and "名录计数" in note
    assert "Registry counts" in _note(c, first, "en")
    # without derived values the note is as before
    assert "取自名录" not in _note(content, first)
    third = sorted(k.code for k in content.counties)[2]
    assert _note(c, third) == _note(content, third)
    doc, plain = Document("zh", "", "", "", "", "", ""), Document("zh", "", "", "", "", "", "")
    appendix(doc, c, "zh")
    appendix(plain, content, "zh")
    said = [b.text for b in doc.blocks if isinstance(b, Para)]
    assert any("不采用部门填报数，取自名录" in s for s in said)
    assert len(doc.blocks) == len(plain.blocks) + 1
