"""Hostile and broken workbooks (:mod:`tests.intake.hostile`) read directly: each gets its clear
bilingual issue with no internal places, within bounded memory; values beyond a stale
``<dimension>`` are read; values far from the table are refused by cell."""

from __future__ import annotations

import json
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

import cimon
from cimon.intake import validate_file
from cimon.intake.limits import LONG_YEARS, Limits, inspect_zip
from cimon.intake.reader import read_submission
from cimon.intake.report import ValidationReport
from cimon.intake.template import write_template
from cimon.intake.xmlscan import scan_parts
from cimon.model.regions import default_registry

from . import hostile

FW = cimon.load_framework("nx-2021")
REG = default_registry()
LIMITS = Limits.for_intake(len(REG), len(FW.variables))
#: what reading any file of the corpus may allocate (the 300,000-row bomb took 1.7 GB)
PEAK_BYTES = 64 << 20
INTERNAL = re.compile(r"\.py\b|:\d+\)|Error\b|Traceback|BadZipFile|expat|ElementTree")


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """统计局's template with a value in every county's row."""
    tmp = tmp_path_factory.mktemp("t")
    p = write_template(FW, REG, 2022, tmp / "统计局.xlsx", department="统计局")
    wb = load_workbook(p)
    ws = wb["统计局"]
    for r in range(6, 6 + len(REG)):
        ws.cell(row=r, column=4, value=1000 + r)
    wb.save(p)
    return p.read_bytes()


def read(tmp_path: Path, data: bytes, name: str = "统计局.xlsx"):  # type: ignore[no-untyped-def]
    p = tmp_path / name
    p.write_bytes(data)
    tracemalloc.start()
    try:
        sub = read_submission(p, FW, REG, year=2022)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return sub, peak


def test_limits_follow_the_framework_and_registry() -> None:
    assert LIMITS.rows == 10 + 22 * len(FW.variables) * LONG_YEARS and LIMITS.rows < 300_000
    national = Limits.for_intake(2_850, len(FW.variables))
    assert national.rows > LIMITS.rows and national.cells <= 4_000_000
    assert national.member_bytes <= 256 << 20


@pytest.mark.parametrize("name", sorted(hostile.CORPUS))
def test_every_hostile_file_gets_its_issue_in_bounded_memory(
    tmp_path: Path, filled: bytes, name: str
) -> None:
    build, code = hostile.CORPUS[name]
    data = build(filled, "统计局")
    sub, peak = read(tmp_path, data)
    report = sub.report
    assert code in report.codes, report.render()
    assert not report.ok  # refused as a whole
    assert code == "cell.stray" or not sub.records  # the bulk was never parsed
    assert peak < PEAK_BYTES, f"{name}: {peak / 2**20:.0f} MB"
    assert len(report.to_json()) < 64_000  # the stored report stays small
    for i in report.issues:
        text = " ".join((i.zh, i.en, i.fix_zh, i.fix_en))
        assert not INTERNAL.search(text), text  # no internal places or exception names
        assert i.zh and i.en and i.fix_zh and i.fix_en  # what is wrong and what to do, twice


def test_damaged_file_says_how_to_resave_it(tmp_path: Path, filled: bytes) -> None:
    sub, _ = read(tmp_path, hostile.malformed_xml())
    (i,) = sub.report.issues
    assert i.code == "file.unreadable" and "损坏" in i.zh and "damaged" in i.en
    assert "另存为" in i.fix_zh and "Save As" in i.fix_en


def test_row_bomb_stops_at_the_cell_budget(tmp_path: Path) -> None:
    data = hostile.row_bomb(60_000, 4, refs=True)  # passes the zip checks: the scan stops it
    report = ValidationReport("x.xlsx")
    zf = inspect_zip(data, LIMITS, report)
    assert zf is not None and report.ok
    assert scan_parts(zf, LIMITS, report) is None
    (i,) = report.issues
    assert i.code == "file.too_large" and i.sheet == "数据" and f"{LIMITS.cells:,}" in i.zh


def test_compact_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    data = hostile.row_bomb(300_000)
    assert len(data) < 400_000  # about 290 KB on disk
    info = zipfile.ZipFile(__import__("io").BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 60 << 20
    sub, peak = read(tmp_path, data)
    assert sub.report.codes == ["file.too_large"] and "MB" in sub.report.issues[0].zh
    assert peak < 8 << 20  # nothing decompressed


def test_stale_dimension_hides_nothing(tmp_path: Path, filled: bytes) -> None:
    sub, _ = read(tmp_path, hostile.stale_dimension(filled, "统计局"))
    assert "region.missing" not in sub.report.codes, sub.report.render()
    got = {r.region_code: r.value for r in sub.records if r.variable == "rd_exp"}
    assert len(got) == len(REG) and all(v == v for v in got.values())


@pytest.mark.parametrize("ref", ["XFD7", "A1048576", "IW6"])
def test_a_value_far_from_the_table_is_an_error_naming_its_cell(
    tmp_path: Path, filled: bytes, ref: str
) -> None:
    sub, peak = read(tmp_path, hostile.stray_cell(filled, "统计局", ref))
    (i,) = sub.report.find("cell.stray")
    assert (i.sheet, i.cell, i.severity) == ("统计局", ref, "error")
    assert ref in i.zh and ref in i.en
    assert peak < PEAK_BYTES


def test_a_value_inside_the_area_is_not_stray(tmp_path: Path, filled: bytes) -> None:
    sub, _ = read(tmp_path, hostile.stray_cell(filled, "统计局", "IV6"))  # column 256
    assert not sub.report.find("cell.stray")


def test_many_stray_cells_are_named_then_counted(tmp_path: Path) -> None:
    rows = LIMITS.rows + 500
    data = hostile.row_bomb(rows, 1, refs=True)
    sub, _ = read(tmp_path, data)
    stray = sub.report.find("cell.stray")
    assert len(stray) == 21 and stray[0].cell == f"A{LIMITS.rows + 1}"
    assert "500" not in stray[-1].zh and f"{500 - 20:,}" in stray[-1].zh


def test_csv_with_too_many_lines_is_refused_before_parsing(tmp_path: Path) -> None:
    sub, peak = read(tmp_path, hostile.csv_bomb(100_000), name="data.csv")
    assert sub.report.codes == ["file.too_large"]
    assert peak < 16 << 20


def test_report_keeps_a_bounded_number_of_issues_and_counts_the_rest() -> None:
    from cimon.intake.report import MAX_ISSUES, MAX_PER_KIND

    r = ValidationReport("统计局.xlsx")
    for k in range(300_000):
        r.add("value.missing", "缺失", "missing", "补填", "Fill in", sheet="数据", cell=f"D{k + 7}")
    r.add("value.not_number", "不是数字", "not a number", sheet="数据", cell="E7")
    assert len(r.issues) == MAX_PER_KIND + 1 and r.warning_count == 300_000
    assert r.error_count == 1 and not r.ok
    assert len(r.to_json()) < 100_000
    again = ValidationReport.from_json(r.to_json())
    assert again.warning_count == 300_000 and again.omitted == r.omitted
    text = r.render("both")
    assert (
        f"另有 {300_000 - 3:,} 条同类问题" in text and f"and {300_000 - 3:,} more like this" in text
    )
    assert "共 300,000 处" in text and "数据!D7、数据!D8" in text
    assert len(text.splitlines()) < 20
    for k in range(MAX_ISSUES * 2):  # many kinds together stop at MAX_ISSUES
        r.add("value.jump", "跳变", "jump", sheet="数据", cell=f"F{k}", severity="warning")
        r.add("value.unit_scale", "单位", "unit", sheet="数据", cell=f"G{k}")
    assert len(r.issues) <= MAX_ISSUES


def test_blank_template_prints_one_line_per_kind(tmp_path: Path) -> None:
    p = write_template(FW, REG, 2022, tmp_path / "统计局.xlsx", department="统计局")
    sub = validate_file(p, FW, REG, year=2022)
    assert sub.report.warning_count > 100  # a warning per blank cell …
    text = sub.report.render("zh")
    assert len(text.splitlines()) < 12  # … but a line per kind
    (g,) = [g for g in sub.report.groups() if g.code == "value.missing"]
    assert g.count == sub.report.warning_count and len(g.places()) == 5
    assert json.loads(sub.report.to_json())["issues"]  # the per-cell detail is kept


def test_report_workbook_counts_what_it_does_not_list() -> None:
    r = ValidationReport("统计局.xlsx")
    for k in range(250):
        r.add("value.missing", "缺失", "missing", sheet="数据", cell=f"D{k + 7}")
    zh, en = r.to_frame("zh"), r.to_frame("en")
    assert len(zh) == 201 and zh.iloc[-1]["问题"] == "另有 50 条同类问题未逐条列出"
    assert en.iloc[-1]["Problem"] == "and 50 more like this, not listed one by one"


def test_password_protected_workbook_says_so(tmp_path: Path) -> None:
    sub, _ = read(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    (i,) = sub.report.issues
    assert i.code == "file.type" and "密码" in i.zh and "password" in i.en


def test_a_worksheet_under_any_name_is_scanned(tmp_path: Path) -> None:
    """openpyxl finds worksheets through relationships, not by name: so does the scan."""
    import io

    src = zipfile.ZipFile(io.BytesIO(hostile.row_bomb(LIMITS.rows + 5, 1, refs=True)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info).replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.dat")
            out.writestr(info.filename.replace("sheet1.xml", "sheet1.dat"), body)
    sub, _ = read(tmp_path, buf.getvalue())
    assert "cell.stray" in sub.report.codes, sub.report.render()
