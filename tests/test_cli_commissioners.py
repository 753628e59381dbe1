"""``cimon commissioners`` (#17): import (all or nothing, exit 2 naming the cell), list (``--out``
writes Excel), assess (stored; .xlsx and .docx exports), coverage against the village registry
(on the demo when the database holds no service record), alerts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from openpyxl import load_workbook
from tests.intake.test_commissioners import xlsx

from cimon.cli import main
from cimon.store.commissioners.models import Assessment

pytestmark = pytest.mark.django_db

ROSTER = [
    ["姓名", "派出单位", "服务县（区）", "服务领域"],
    ["杜导入", "宁夏大学", "西吉县", "马铃薯"],
    ["苏导入", "宁夏大学", "彭阳县", "草畜"],
]
LOG = [
    ["姓名", "服务日期", "服务村", "服务类型", "服务人数"],
    ["杜导入", "2025-03-05", "640422100200", "技术指导", 35],
    ["杜导入", "2025-04-05", "大营村", "培训", 20],
]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_import_list_assess_coverage_alerts(tmp_path: Path) -> None:
    roster, log, bad = tmp_path / "r.xlsx", tmp_path / "l.xlsx", tmp_path / "b.xlsx"
    roster.write_bytes(xlsx(ROSTER))
    log.write_bytes(xlsx(LOG))
    bad.write_bytes(xlsx([LOG[0], ["杜导入", "2025-03-05", "640422100999", "培训", 1]]))
    r = run("commissioners", "import", str(roster))
    assert r.exit_code == 0 and "写入 2 条" in r.output
    r = run("commissioners", "import", str(bad), "--kind", "services")
    assert r.exit_code == 2 and "C2" in r.output and "导入记录 #" in r.output
    r = run("commissioners", "import", str(log), "--kind", "services", "--year", "2025")
    assert r.exit_code == 0 and "写入 2 条" in r.output, r.output
    r = run("commissioners", "list", "--year", "2025")
    lines = r.output.splitlines()
    assert lines[0].startswith("编号\t姓名") and any(
        "杜导入\t宁夏大学\t马铃薯\t在岗" in x for x in lines
    )
    out = tmp_path / "list.xlsx"
    assert run("commissioners", "list", "--year", "2025", "--out", str(out)).exit_code == 0
    ws = load_workbook(out).active
    assert ws is not None and ws["B1"].value == "姓名"
    r = run("commissioners", "assess", "--year", "2025", "--out", str(tmp_path / "a.xlsx"))
    assert r.exit_code == 0 and "考核 2 人" in r.output and "保存 2 条" in r.output
    assert Assessment.objects.current().filter(year=2025).count() == 2
    assert load_workbook(tmp_path / "a.xlsx").sheetnames[:2] == ["考核结果", "优秀名单"]
    assert run("commissioners", "assess", "--year", "2025", "--out",
               str(tmp_path / "a.docx")).exit_code == 0  # fmt: skip
    assert "科技特派员考核" in "".join(
        p.text for p in Document(str(tmp_path / "a.docx")).paragraphs
    )
    r = run("commissioners", "coverage", "--year", "2025", "--county", "640422")
    assert r.exit_code == 0
    row = r.output.splitlines()[1].split("\t")
    assert row[:3] == ["640422", "西吉县", "2"] and int(row[3]) > 100  # the registry's 村委会
    r = run("commissioners", "coverage", "--year", "2025", "--county", "640422", "--all-villages")
    assert int(r.output.splitlines()[1].split("\t")[3]) > int(row[3])
    r = run("commissioners", "alerts", "--days", "30", "--as-of", "2025-12-31")
    assert r.exit_code == 0 and "no record in 30 days: 2" in r.output


def test_coverage_on_the_demo_when_the_database_is_empty() -> None:
    r = CliRunner().invoke(main, ["commissioners", "coverage", "--year", "2025", "--county",
                                  "640422"], catch_exceptions=False)  # fmt: skip
    assert r.exit_code == 0 and "模拟数据" in r.output  # said on stderr (mixed here)
    served = int(r.output.splitlines()[-2].split("\t")[2])
    assert served > 0
    from cimon.store.commissioners.records import ServiceRecord

    assert not ServiceRecord.objects.exists()  # nothing kept
