"""``cimon report``: the annual report from the command line — formats, language, robustness file,
boundaries, and clean bilingual errors (exit code 2). Charts are not drawn here (tests/reports/annual
draws them)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner, Result
from lxml import html as lxml_html
from openpyxl import load_workbook
from PIL import Image

import cimon
from cimon.cli import main
from cimon.reports.annual import charts
from cimon.reports.annual.demo import annual_report_step
from cimon.reports.demo import DEMO_STEPS


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    buf = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(buf, "PNG")
    blank = buf.getvalue()
    monkeypatch.setattr(charts, "png", lambda fig: blank)
    monkeypatch.setattr(charts, "natural_width_cm", lambda fig, most=15.0: most)
    for name in ("ranking_figure", "history_figure", "map_figure", "county_figure"):
        monkeypatch.setattr(charts, name, lambda *args, **kwargs: None)
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_report_in_english_with_workbook(runner: CliRunner, tmp_path: Path) -> None:
    r = invoke(runner, "--lang", "en", "report", "-y", "2022", "--format", "html,xlsx", "-o", "out")
    assert r.exit_code == 0, r.output
    assert "2022 annual report: 22 counties, classes A/B/C: 2/11/9" in r.stdout
    assert "synthetic" in r.stderr and "Writing the report" in r.stderr
    html = tmp_path / "out" / "annual-report-2022-en.html"
    page = lxml_html.fromstring(html.read_text(encoding="utf-8"))
    assert page.xpath("//h1")[1].text_content() == "1 Overview"
    assert "Robustness of the class: robustness was not analysed." in page.text_content()
    wb = load_workbook(tmp_path / "out" / "annual-results-2022-en.xlsx")
    assert wb.sheetnames[0] == "Province"
    assert not (tmp_path / "out" / "annual-report-2022-en.pdf").exists()


def test_report_with_robustness_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--robustness`` goes through ``cimon.analysis.uncertainty.load_json`` (imported lazily)."""
    from tests.reports.annual.conftest import robustness_for

    run = cimon.evaluate(cimon.load_framework("nx-2021"), cimon.demo_panel(), 2023)
    seen: list[Path] = []

    def load_json(path: Path) -> SimpleNamespace:
        seen.append(Path(path))
        return robustness_for(run)

    monkeypatch.setitem(
        sys.modules, "cimon.analysis.uncertainty", SimpleNamespace(load_json=load_json)
    )
    (tmp_path / "r.json").write_text("{}", encoding="utf-8")
    r = invoke(
        runner,
        "report",
        "--year",
        "2023",
        "--format",
        "html",
        "--robustness",
        "r.json",
        "--lang",
        "zh",
    )
    assert r.exit_code == 0, r.output
    assert seen == [Path("r.json")]
    text = (tmp_path / "report" / "annual-report-2023-zh.html").read_text(encoding="utf-8")
    assert "次模拟中保持" in text and "未开展稳健性分析" not in text
    r = invoke(runner, "report", "--year", "2022", "--format", "html", "--robustness", "r.json")
    assert r.exit_code == 2
    assert "r.json" in r.stderr and "2023" in r.stderr and "same evaluation year" in r.stderr


def test_bad_input_is_a_clean_error(runner: CliRunner, tmp_path: Path) -> None:
    r = invoke(runner, "report", "--format", "docx,odt")
    assert r.exit_code == 2 and "--format" in r.stderr
    assert "不支持的报告格式：odt" in r.stderr and "Unsupported report format: odt" in r.stderr
    r = invoke(runner, "report", "-y", "2022", "--format", "html", "--boundaries", "nx.geojson")
    assert r.exit_code == 2 and "nx.geojson" in r.stderr and "找不到边界文件" in r.stderr
    assert "Boundary file not found" in r.stderr and "Traceback" not in r.output
    r = invoke(runner, "report", "-y", "2031", "--format", "html")
    assert r.exit_code == 2 and "没有 2031 年度的评价结果" in r.stderr and "--year 2031" in r.stderr


def test_issue_date_and_document_number_on_the_cover(runner: CliRunner) -> None:
    r = invoke(
        runner, "report", "-y", "2022", "--format", "html", "-o", "out",
        "--issue-date", "2026-12-07", "--doc-number", "宁科发〔2026〕12号",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    page = lxml_html.fromstring(Path("out/annual-report-2022-zh.html").read_text(encoding="utf-8"))
    assert (
        page.xpath("string(//section[@class='cover']/div[@class='docno'])") == "宁科发〔2026〕12号"
    )
    assert page.xpath("string(//section[@class='cover']/div[@class='issued'])") == "2026年12月7日"
    # without them the cover has neither (the same data give the same file)
    assert invoke(runner, "report", "-y", "2022", "--format", "html", "-o", "plain").exit_code == 0
    plain = Path("plain/annual-report-2022-zh.html").read_text(encoding="utf-8")
    assert 'class="docno"' not in plain and 'class="issued"' not in plain
    # a bad number or date: a clean error before any work
    r = invoke(runner, "report", "-y", "2022", "--format", "html", "--doc-number", "宁科发\n12号")
    assert r.exit_code == 2 and "文号" in r.stderr and "document number" in r.stderr
    r = invoke(runner, "report", "-y", "2022", "--format", "html", "--issue-date", "2026-13-01")
    assert r.exit_code == 2 and "--issue-date" in r.stderr


def test_demo_writes_the_report() -> None:
    assert annual_report_step in DEMO_STEPS
