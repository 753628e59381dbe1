"""创新管理 items: a county's self-assessment (claims, statements, evidence files) and expert
scoring sheets (several experts, who scored what, every expert error at its cell)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

import cimon
from cimon.intake.multi import read_expert_sheets, read_self_assessment
from cimon.intake.qualitative import split_evidence
from cimon.intake.reader import read_submission
from cimon.intake.template import write_template
from cimon.model.panel import Panel
from cimon.model.regions import default_registry

FW = cimon.load_framework("nx-2021")
REG = default_registry()
ITEMS = ("mgmt_org", "mgmt_policy", "mgmt_projects")


def county(tmp_path: Path, cells: dict[str, object], region: str = "西吉县") -> Path:
    p = write_template(FW, REG, 2022, tmp_path / f"{region}.xlsx", kind="county", region=region)
    wb = load_workbook(p)
    for ref, value in cells.items():
        wb["创新管理自评"][ref] = value
    wb.save(p)
    return p


FULL = {
    "D4": 4,
    "E4": "成立了县科技创新领导小组，每季度研究科技工作。",
    "F4": "领导小组文件.pdf；会议纪要.docx",
    "D5": 3.5,
    "E5": "出台科技创新若干措施。",
    "F5": "措施.pdf",
    "D6": 5,
    "E6": "建成需求库和项目库。",
    "F6": None,
}


def test_self_assessment_claims(tmp_path):
    sub = read_submission(county(tmp_path, FULL), FW, REG, year=2022)
    assert sub.report.ok and not sub.report.issues, sub.report.render()
    assert (sub.kind, sub.department, sub.region_code, sub.year) == ("county", "县", "640422", 2021)
    assert not sub.records
    first = sub.claims[0]
    assert (first.region_code, first.variable, first.score, first.cell) == (
        "640422",
        "mgmt_org",
        4,
        "D4",
    )
    assert first.evidence == ("领导小组文件.pdf", "会议纪要.docx")
    assert [c.score for c in sub.claims] == [4, 3.5, 5]


def test_claim_out_of_range_and_no_statement(tmp_path):
    p = county(tmp_path, {**FULL, "D5": 6, "E6": None})
    sub = read_submission(p, FW, REG, year=2022)
    out = sub.report.find("claim.out_of_range")[0]
    assert (out.sheet, out.cell, out.variable, out.region, out.value) == (
        "创新管理自评",
        "D5",
        "mgmt_policy",
        "640422",
        "6",
    )
    warn = sub.report.find("claim.no_statement")[0]
    assert (warn.severity, warn.cell, warn.variable) == ("warning", "E6", "mgmt_projects")


def test_claim_not_a_number_and_blank(tmp_path):
    sub = read_submission(county(tmp_path, {**FULL, "D4": "优秀", "D6": None}), FW, REG)
    assert sub.report.find("value.not_number")[0].cell == "D4"
    assert sub.report.find("value.missing")[0].cell == "D6"


def test_evidence_files(tmp_path):
    folder = tmp_path / "材料"
    folder.mkdir()
    (folder / "领导小组文件.pdf").write_bytes(b"%PDF")
    (folder / "措施.pdf").write_bytes(b"%PDF")
    (tmp_path / "outside.pdf").write_bytes(b"%PDF")
    p = county(tmp_path, {**FULL, "F6": "../outside.pdf"})
    res = read_self_assessment(p, FW, REG, year=2022, evidence_dir=folder)
    assert res.evidence == {
        "领导小组文件.pdf": (folder / "领导小组文件.pdf").resolve(),
        "措施.pdf": (folder / "措施.pdf").resolve(),
    }
    missing = res.submission.report.find("evidence.missing")
    assert [(i.cell, i.value) for i in missing] == [("F4", "会议纪要.docx")]
    # a name leading out of the folder is its own error (issue #14), and is never read
    outside = res.submission.report.find("evidence.outside")
    assert [(i.cell, i.value, i.severity) for i in outside] == [("F6", "../outside.pdf", "error")]


def test_evidence_never_leaves_its_folder(tmp_path):
    """Absolute paths, ``..``, and links pointing out are refused even when evidence is not
    required (the command line's case); names with characters an upload cannot keep match the
    sanitised upload; a file over the limit is refused (issue #14)."""
    from cimon.intake.qualitative import check_evidence

    folder = tmp_path / "材料"
    (folder / "sub").mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET_KEY=x")
    (folder / "link.pdf").symlink_to(secret)
    (folder / "sub" / "ok.pdf").write_bytes(b"%PDF")
    (folder / "报告_终版_.pdf").write_bytes(b"%PDF")  # uploaded as 报告:终版?.pdf
    (folder / "big.pdf").write_bytes(b"x" * 2000)
    names = f"../secret.txt；{secret}；/proc/self/environ；link.pdf；sub/ok.pdf；报告:终版?.pdf；big.pdf"
    p = county(tmp_path, {**FULL, "F6": names})
    sub = read_submission(p, FW, REG, year=2022)
    found = check_evidence(sub, folder, require=False, max_bytes=1000)
    assert found == {
        "sub/ok.pdf": (folder / "sub" / "ok.pdf").resolve(),
        "报告:终版?.pdf": (folder / "报告_终版_.pdf").resolve(),
    }
    outside = [i.value for i in sub.report.find("evidence.outside")]
    assert outside == ["../secret.txt", str(secret), "/proc/self/environ", "link.pdf"]
    assert [i.value for i in sub.report.find("evidence.too_large")] == ["big.pdf"]
    assert not sub.report.find("evidence.missing")  # not required: the CLI's default


def test_county_template_of_another_county(tmp_path):
    sub = read_submission(county(tmp_path, FULL), FW, REG, department="隆德县")
    i = sub.report.find("region.wrong")[0]
    assert i.region == "640423" and "西吉县" in i.zh


def test_split_evidence():
    assert split_evidence("a.pdf；b.pdf、c.docx\nd.png; e.pdf") == (
        "a.pdf",
        "b.pdf",
        "c.docx",
        "d.png",
        "e.pdf",
    )
    assert split_evidence(None) == ()


# ------------------------------------------------------------------------------------------
# experts


def expert_file(
    tmp_path: Path,
    name: str | None,
    scores: np.ndarray,
    file: str = "",
    cells: dict[str, object] | None = None,
) -> Path:
    p = write_template(FW, REG, 2022, tmp_path / (file or f"{name}.xlsx"), kind="expert")
    wb = load_workbook(p)
    ws = wb["专家评分"]
    ws["B2"] = name
    for i in range(len(REG)):
        for k in range(3):
            ws.cell(row=7 + i, column=4 + k, value=float(scores[i, k]))
    for ref, value in (cells or {}).items():
        ws[ref] = value
    wb.save(p)
    return p


def scores(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 6, (len(REG), 3)).astype(float)


def test_several_experts_are_kept_per_county_and_combined_by_trimmed_mean(tmp_path):
    names = ["张三", "李四", "王五", "赵六"]
    paths = [expert_file(tmp_path, n, scores(k)) for k, n in enumerate(names)]
    sub = read_expert_sheets(paths, FW, REG, 2022, experts=names)
    assert sub.report.ok and not sub.report.issues, sub.report.render(limit=5)
    assert sub.kind == "expert" and len(sub.records) == 4 * 22 * 3
    xiji = sorted(
        (r.expert, r.value)
        for r in sub.records
        if r.region_code == "640422" and r.variable == "mgmt_org"
    )
    assert [e for e, _ in xiji] == sorted(names)
    frame = sub.frame()
    assert set(frame["source"].str.split("#").str[-1]) == set(names)
    wide = Panel.from_frame(frame).wide(2021, list(ITEMS), REG.codes, FW)
    raw = np.sort(np.stack([scores(k) for k in range(4)]), axis=0)  # experts sorted per cell
    np.testing.assert_allclose(wide.to_numpy(), raw[1:3].mean(axis=0))


def test_expert_out_of_range(tmp_path):
    p = expert_file(tmp_path, "张三", scores(0), cells={"E22": 7})
    sub = read_submission(p, FW, REG, year=2022)
    i = sub.report.find("expert.out_of_range")[0]
    assert (i.sheet, i.cell, i.region, i.variable, i.value) == (
        "专家评分",
        "E22",
        "640422",
        "mgmt_policy",
        "7",
    )
    assert not any(r.cell == "E22" for r in sub.records)
    assert "expert.missing" not in sub.report.codes


def test_expert_scores_a_county_twice_in_two_files(tmp_path):
    a = expert_file(tmp_path, "张三", scores(0))
    b = expert_file(tmp_path, "张 三", scores(1), file="张三-补充.xlsx")
    sub = read_expert_sheets([a, b], FW, REG, 2022)
    dups = sub.report.find("expert.duplicate")
    assert len(dups) == 66
    first = dups[0]
    assert (first.file, first.sheet, first.cell) == ("张三-补充.xlsx", "专家评分", "D7")
    assert "张三.xlsx 专家评分!D7" in first.zh
    assert len(sub.records) == 66 and all(r.expert == "张三" for r in sub.records)


def test_expert_scores_a_county_twice_in_two_rows(tmp_path):
    p = expert_file(tmp_path, "张三", scores(0), cells={"A23": "640422", "B23": "西吉县"})
    sub = read_submission(p, FW, REG, year=2022)
    dup = sub.report.find("expert.duplicate")[0]
    assert (dup.cell, dup.region) == ("D23", "640422") and "D22" in dup.zh
    # 隆德县 (row 23) is now scored by nobody
    assert not [i for i in sub.report.find("expert.missing") if i.region == "640423"]
    assert sub.report.find("region.missing")[0].region == "640423"


def test_expert_missing_score_and_missing_expert(tmp_path):
    a = expert_file(tmp_path, "张三", scores(0), cells={"F22": None})
    b = expert_file(tmp_path, "李四", scores(1))
    sub = read_expert_sheets([a, b], FW, REG, 2022, experts=["张三", "李四", "王五"])
    missing = sub.report.find("expert.missing")
    assert [(i.file, i.cell, i.region, i.variable) for i in missing if i.cell] == [
        ("张三.xlsx", "F22", "640422", "mgmt_projects")
    ]
    assert any("王五" in i.zh and not i.cell for i in missing)


def test_unnamed_and_unlisted_experts(tmp_path):
    a = expert_file(tmp_path, None, scores(0), file="无名.xlsx")
    b = expert_file(tmp_path, "钱七", scores(1))
    sub = read_expert_sheets([a, b], FW, REG, 2022, experts=["钱七", "孙八"])
    unnamed = sub.report.find("expert.unnamed")[0]
    assert (unnamed.file, unnamed.sheet, unnamed.cell) == ("无名.xlsx", "专家评分", "B2")
    assert all(r.expert == "钱七" for r in sub.records)
    sub = read_expert_sheets([b], FW, REG, 2022, experts=["孙八"])
    assert sub.report.find("expert.unknown")[0].value == "钱七"


def test_expert_sheet_copied_for_a_second_expert(tmp_path):
    p = expert_file(tmp_path, "张三", scores(0))
    wb = load_workbook(p)
    wb.security = None
    copy = wb.copy_worksheet(wb["专家评分"])
    copy.title = "专家评分2"
    copy["B2"] = "李四"
    wb.save(p)
    sub = read_submission(p, FW, REG, year=2022)
    assert sub.report.ok, sub.report.render(limit=3)
    assert {r.expert for r in sub.records} == {"张三", "李四"}


@pytest.mark.parametrize("year", [2021, 2023])
def test_expert_sheet_of_another_year(tmp_path, year):
    p = expert_file(tmp_path, "张三", scores(0))
    sub = read_expert_sheets([p], FW, REG, year)
    assert "template.year" in sub.report.codes
