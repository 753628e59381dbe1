"""Commands of data collection over the database: import, data status/history/export, and evaluate
without --data. Runs on SQLite and PostgreSQL (``make unit``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner, Result

import cimon
import cimon.intake
from cimon.cli import main
from cimon.intake.report import ValidationReport
from cimon.intake.submission import ParsedSubmission, Record
from cimon.model.framework import load_framework
from cimon.model.regions import default_registry

FW = load_framework("nx-2021")
REG = default_registry()
XIJI = REG.match("西吉县").code
CIMON = Path(sys.executable).parent / "cimon"

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: Any) -> CliRunner:
    """A runner in a fresh folder; the account 王会计 exists (``--user`` must name one)."""
    from django.contrib.auth import get_user_model

    monkeypatch.chdir(tmp_path)
    get_user_model().objects.get_or_create(username="王会计")
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), catch_exceptions=False)


def last_id() -> int:
    """The newest submission's id (ids are not reset between tests on PostgreSQL)."""
    from cimon.store.submissions.models import Submission

    return int(Submission.objects.latest("id").pk)


def parsed(
    values: dict[str, float], *, errors: tuple[str, ...] = (), warnings: tuple[str, ...] = ()
) -> ParsedSubmission:
    report = ValidationReport("统计局.xlsx")
    for code in warnings:
        report.add(code, "与上年相比变动过大", "Large change", sheet="数据", cell="E9")
    for code in errors:
        report.add(code, "“约1200”不是数值", "'约1200' is not a number", sheet="数据", cell="D7")
    records = [Record(XIJI, 2021, var, x, cell="D7") for var, x in values.items()]
    return ParsedSubmission(
        "统计局.xlsx",
        "",
        "department",
        2021,
        FW.id,
        department="统计局",
        records=records,
        report=report,
    )


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace the validator: ``stub["next"]`` is the ParsedSubmission it returns."""
    state: dict[str, Any] = {}

    def validate_file(path, framework, registry, **kw):  # type: ignore[no-untyped-def]
        sub: ParsedSubmission = state["next"]
        sub.file_name = Path(path).name
        return sub

    monkeypatch.setattr(cimon.intake, "validate_file", validate_file)
    return state


def submit(
    runner: CliRunner, stub: dict[str, Any], name: str, sub: ParsedSubmission, *extra: str
) -> Result:
    Path(name).write_bytes(name.encode() + repr(sub.records).encode())
    stub["next"] = sub
    return invoke(runner, "import", name, "--user", "王会计", *extra)


# --- import ---------------------------------------------------------------------------------------


def test_import_accepted_rejected_draft_duplicate(runner: CliRunner, stub: dict[str, Any]) -> None:
    bad = submit(
        runner,
        stub,
        "bad.xlsx",
        parsed({"rd_exp": 1.0}, errors=("value.not_number",), warnings=("value.jump",)),
    )
    assert bad.exit_code == 2, bad.output
    lines = bad.output.splitlines()
    assert "错误 1 处，警告 1 处" in lines[0]
    assert lines[1].startswith("[错误 value.not_number] 统计局.xlsx [数据!D7]")  # errors first
    assert lines[2].startswith("[警告 value.jump]")
    assert "未导入" in lines[-1]

    draft = submit(runner, stub, "w.xlsx", parsed({"rd_exp": 1.0}, warnings=("value.jump",)))
    assert draft.exit_code == 2 and "--accept-warnings --reason" in draft.output

    from cimon.store.submissions.models import Submission

    # acknowledging warnings needs a reason, as on the web form; nothing is read or stored
    before = Submission.objects.count()
    no_reason = runner.invoke(main, ["import", "w.xlsx", "--accept-warnings"])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    assert Submission.objects.count() == before

    ok = submit(
        runner,
        stub,
        "w.xlsx",
        parsed({"rd_exp": 1.0}, warnings=("value.jump",)),
        "--accept-warnings",
        "--reason",
        "已与统计局核实",
        "--report",
        "report.xlsx",
    )
    assert ok.exit_code == 0, ok.output
    assert f"已导入：提交 #{last_id()}，1 条数据" in ok.output
    assert len(pd.read_excel("report.xlsx")) == 1
    stored = Submission.objects.get(pk=last_id())
    assert stored.warnings_accepted and stored.note == "已与统计局核实"

    again = invoke(runner, "import", "w.xlsx")
    assert again.exit_code == 0 and "未做任何更改" in again.output


def test_import_english_and_missing_file(runner: CliRunner, stub: dict[str, Any]) -> None:
    Path("s.xlsx").write_bytes(b"s")
    stub["next"] = parsed({"rd_exp": 1.0})
    result = invoke(runner, "--lang", "en", "import", "s.xlsx")
    assert (
        result.exit_code == 0 and f"Imported: submission #{last_id()}, 1 value(s)." in result.output
    )
    missing = runner.invoke(main, ["import", "nope.xlsx"])
    assert missing.exit_code == 2 and "nope.xlsx: 找不到要导入的文件" in missing.stderr


def test_bad_mapping_file_is_a_usage_error(runner: CliRunner) -> None:
    Path("m.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    Path("f.csv").write_text("a,b\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "f.csv", "--mapping", "m.yaml"])
    assert result.exit_code == 2 and "mapping" in result.output


# --- data history / status ------------------------------------------------------------------------


def test_history_shows_every_version(runner: CliRunner, stub: dict[str, Any]) -> None:
    assert submit(runner, stub, "v1.xlsx", parsed({"rd_exp": 100.0})).exit_code == 0
    assert submit(runner, stub, "v2.xlsx", parsed({"rd_exp": 120.5})).exit_code == 0
    result = invoke(
        runner, "data", "history", "--region", "西吉縣", "--variable", "rd_exp", "--year", "2021"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "西吉县 rd_exp（时间：Asia/Shanghai）"  # the one local zone, stated
    assert (
        "100.0" in lines[2]
        and f"(#{last_id()})" in lines[2]
        and "填报" in lines[2]
        and "v1.xlsx [!D7]" not in lines[2]
    )
    assert f"#{last_id() - 1} v1.xlsx" in lines[2] and "王会计 (统计局)" in lines[2]
    assert "120.5" in lines[3] and "现行" in lines[3]
    unknown = runner.invoke(main, ["data", "history", "--region", "西吉", "--variable", "rd"])
    assert unknown.exit_code == 2 and "没有变量“rd”" in unknown.stderr


def test_status_names_missing_departments_and_values(
    runner: CliRunner, stub: dict[str, Any]
) -> None:
    submit(runner, stub, "s.xlsx", parsed({"rd_exp": 1.0}))
    result = invoke(runner, "data", "status", "--year", "2022")
    assert result.exit_code == 0, result.output
    assert "评价年度 2022（数据年度 2021；时间：Asia/Shanghai）" in result.output
    assert "科技厅: 未报送" in result.output
    assert "统计局: 已报送，缺" in result.output
    # a variable missing in every county is one line, not 22; the rest per county
    lines = result.output.splitlines()
    everywhere = [x for x in lines if x.startswith("  全部 22 个县（市、区）: ")]
    assert len(everywhere) == 1 and "gdp" in everywhere[0] and "rd_exp" not in everywhere[0]
    assert "  兴庆区: rd_exp" in lines and not any(x.startswith("  西吉县:") for x in lines)
    assert "未通过的提交" not in result.output
    en = invoke(runner, "--lang", "en", "data", "status", "--year", "2022")
    assert "Evaluation year 2022 (data year 2021; times: Asia/Shanghai)" in en.output
    assert "  all 22 counties: " in en.output


def test_status_collapses_refused_attempts(runner: CliRunner, stub: dict[str, Any]) -> None:
    """Refused attempts are kept (never deleted) and shown collapsed: a count and the latest 3;
    --all-attempts lists every one."""
    from cimon.store.submissions.models import Submission

    for i in range(4):
        submit(runner, stub, f"bad{i}.xlsx", parsed({"rd_exp": i}, errors=("value.not_number",)))
    submit(runner, stub, "draft.xlsx", parsed({"rd_exp": 9.0}, warnings=("value.jump",)))
    assert Submission.objects.filter(status__in=["rejected", "draft"]).count() == 5
    out = invoke(runner, "data", "status", "--year", "2022").output.splitlines()
    assert "  未通过的提交 5 次（被拒绝 4，待确认警告 1）" in out
    listed = [x for x in out if x.startswith("    #")]
    assert len(listed) == 3 and "draft.xlsx" in listed[0] and "[待确认]" in listed[0]
    assert "bad3.xlsx" in listed[1] and "[被拒绝]" in listed[1]
    assert "    …… 另有 2 次较早的（全部列出：--all-attempts）" in out
    every = invoke(runner, "data", "status", "--year", "2022", "--all-attempts").output
    assert all(f"bad{i}.xlsx" in every for i in range(4)) and "另有" not in every
    en = invoke(runner, "--lang", "en", "data", "status", "--year", "2022").output
    assert "  refused attempts: 5 (4 rejected, 1 draft)" in en


# --- evaluate from the database -------------------------------------------------------------------


def demo_frame(name: str) -> pd.DataFrame:
    """The demo panel as a file named ``name`` would hold it once stored: rubric scores carry
    their expert (``source`` ``name#expert``), every other row ``source`` ``name``."""
    f = cimon.demo_panel().frame
    expert = f["source"].where(f["source"].str.startswith("expert"), "")
    source = [f"{name}#{e}" if e else name for e in expert]
    return f.assign(expert=expert, source=source)


def _store(frame: pd.DataFrame, name: str) -> None:
    from cimon.store.submissions.services import store_submission

    cols = ["region_code", "year", "variable", "value", "status", "expert"]
    records = [
        Record(c, int(y), v, float(x), s, expert=e)
        for c, y, v, x, s, e in frame[cols].itertuples(index=False)
    ]
    sub = ParsedSubmission(name, "", "freeform", 2021, FW.id, records=records)
    assert store_submission(sub, b"panel", framework=FW).status == "accepted"


def test_evaluate_from_database_equals_evaluate_from_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "db.sqlite3").write_bytes(b"")  # a database exists (the test database serves it)
    monkeypatch.setenv("CIMON_DB", str(tmp_path / "db.sqlite3"))
    frame = demo_frame("panel.csv")
    frame.drop(columns=["expert"]).to_csv("panel.csv", index=False)
    _store(frame, "panel.csv")
    from_file = invoke(runner, "evaluate", "--year", "2022", "--data", "panel.csv", "-o", "f.xlsx")
    from_db = invoke(runner, "evaluate", "--year", "2022", "-o", "d.xlsx")
    assert from_file.exit_code == 0 and from_db.exit_code == 0, from_db.output
    assert from_db.stdout.replace("d.xlsx", "f.xlsx") == from_file.stdout
    # the moment is local time to the second, its zone named: no UTC, no microseconds
    assert re.search(
        r"数据来源 / data: 数据库 / database .+ @ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia/Shanghai$",
        from_db.stderr.strip(),
    ), from_db.stderr
    a, b = pd.read_excel("f.xlsx", sheet_name=None), pd.read_excel("d.xlsx", sheet_name=None)
    assert a.keys() == b.keys()
    for sheet in a:  # identical but for the data source: the database as of the run's moment
        label = b[sheet].replace(regex=r"^数据库 / database .+ @ \d{4}-.*", value="panel.csv")
        pd.testing.assert_frame_equal(a[sheet], label, check_exact=True)


def test_yearly_commands_read_the_database(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """compare / incentives / robustness … without --data read the accepted data in the database
    (here the test database; CIMON_DB names an existing file so cimon knows there is one), and say
    so; --demo takes the bundled panel instead. The demo panel stored gives the same numbers."""
    (tmp_path / "db.sqlite3").write_bytes(b"")
    monkeypatch.setenv("CIMON_DB", str(tmp_path / "db.sqlite3"))
    empty = runner.invoke(main, ["compare", "--year", "2023"])
    assert empty.exit_code == 0 and "数据库中没有已接受的数据，使用内置模拟数据" in empty.stderr
    _store(demo_frame("panel.csv"), "panel.csv")
    stored = runner.invoke(main, ["compare", "--year", "2023", "-o", "db.xlsx"])
    assert stored.exit_code == 0, stored.output
    assert "数据来源 / data: 数据库 / database" in stored.stderr
    assert "跃升 5" in stored.stdout and "模拟数据" not in stored.stdout
    demo = runner.invoke(main, ["compare", "--year", "2023", "--demo", "-o", "demo.xlsx"])
    assert demo.exit_code == 0 and "数据来源" not in demo.stderr and "模拟数据" in demo.stdout
    a = pd.read_excel("db.xlsx", sheet_name=None, header=1)
    b = pd.read_excel("demo.xlsx", sheet_name=None, header=1)
    for sheet in a:  # the same numbers; only the caption in row 1 (the data note) differs
        pd.testing.assert_frame_equal(a[sheet], b[sheet], check_exact=True)


def test_evaluate_as_of_before_any_import_is_a_clean_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", "--year", "2022", "--as-of", "2000-01-01"])
    assert result.exit_code == 2, result.output
    assert "数据库中没有已接受的数据（截至 2000-01-01 00:00:00 Asia/Shanghai）" in result.stderr
    assert "Traceback" not in result.output
    both = runner.invoke(main, ["evaluate", "--year", "2022", "--data", "x.csv", "--as-of", "2022"])
    assert both.exit_code == 2
    bad = runner.invoke(main, ["evaluate", "--year", "2022", "--as-of", "yesterday"])
    assert bad.exit_code == 2 and "ISO" in bad.output


def test_evaluate_falls_back_to_the_demo_like_every_other_command(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run (no database file): ``cimon evaluate`` uses the bundled demo panel and says so
    on stderr, as compare/incentives/report do; ``--demo`` asks for it; ``--demo`` with
    ``--data`` or ``--as-of`` is a usage error."""
    monkeypatch.setenv("CIMON_DB", str(tmp_path / "none.sqlite3"))
    first = runner.invoke(main, ["evaluate", "--year", "2022", "-o", "first.xlsx"])
    assert first.exit_code == 0, first.output
    assert "数据库中没有已接受的数据，使用内置模拟数据" in first.stderr
    assert not (tmp_path / "none.sqlite3").exists()  # no database was created
    demo = runner.invoke(main, ["evaluate", "--year", "2022", "--demo", "-o", "demo.xlsx"])
    assert demo.exit_code == 0 and "数据库中没有" not in demo.stderr
    assert demo.stdout.replace("demo.xlsx", "first.xlsx") == first.stdout
    cimon.demo_panel().frame.to_csv("panel.csv", index=False)
    for extra in (["--data", "panel.csv"], ["--as-of", "2022-01-01"]):
        clash = runner.invoke(main, ["evaluate", "--year", "2022", "--demo", *extra])
        assert clash.exit_code == 2 and "--demo" in clash.stderr, clash.output


# --- real workbooks (the intake readers and templates) ----------------------------------------------


def test_template_export_and_import_of_real_workbooks(runner: CliRunner) -> None:
    _store(demo_frame("demo.csv"), "demo.csv")
    result = invoke(
        runner, "data", "export", "--year", "2022", "--department", "统计局", "--out", "out"
    )
    assert result.exit_code == 0, result.output
    path = Path("out") / "统计局-2022.xlsx"
    assert path.exists()
    imported = invoke(
        runner, "import", str(path), "--year", "2022", "--accept-warnings", "--reason", "导出再导入"
    )
    assert imported.exit_code == 0, imported.output
    assert f"已导入：提交 #{last_id()}，264 条数据，替代旧值 264 条" in imported.output
    from openpyxl import load_workbook

    from cimon.store.submissions.models import Observation

    wb = load_workbook(path)
    ws = wb["统计局"]
    row = next(c.row for c in ws["B"] if c.value == "西吉县")
    col = next(c.column_letter for r in ws.iter_rows(max_row=8) for c in r if c.value == "rd_exp")
    ws[f"{col}{row}"] = "约1200"
    wb.save("bad.xlsx")
    before = Observation.objects.count()
    bad = runner.invoke(main, ["import", "bad.xlsx", "--year", "2022"])
    assert bad.exit_code == 2, bad.output
    assert f"[错误 value.not_number] bad.xlsx [统计局!{col}{row}]" in bad.output
    assert Observation.objects.count() == before
    blank = invoke(runner, "template", "--year", "2022", "--department", "科技厅", "-o", "k.xlsx")
    assert blank.exit_code == 0 and Path("k.xlsx").exists()
    wrong_year = runner.invoke(main, ["import", "k.xlsx", "--year", "2023"])
    assert wrong_year.exit_code == 2 and "template.year" in wrong_year.output


# --- the real command line: a fresh SQLite file is created and migrated on first use -------------


@pytest.mark.django_db(transaction=False)
def test_cli_creates_the_sqlite_database_on_first_use(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["CIMON_DB"] = str(tmp_path / "fresh.sqlite3")
    out = subprocess.run(
        [str(CIMON), "data", "status", "--year", "2022"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "统计局: 未报送" in out.stdout
    assert (tmp_path / "fresh.sqlite3").stat().st_size > 0


# --- hostile input (issue #14) --------------------------------------------------------------------


def _county_file(folder: Path, evidence: str) -> Path:
    """西吉县's self-assessment for 2022 with ``evidence`` in the first item's 佐证材料 cell."""
    from openpyxl import load_workbook

    from cimon.intake.template import write_template

    p = write_template(FW, REG, 2022, folder / "西吉县自评.xlsx", kind="county", region="西吉县")
    wb = load_workbook(p)
    ws = wb["创新管理自评"]
    for r, score in ((4, 4), (5, 3.5), (6, 5)):
        ws.cell(row=r, column=4, value=score)
        ws.cell(row=r, column=5, value="情况说明")
    ws["F4"] = evidence
    wb.save(p)
    return p


def test_import_never_reads_evidence_outside_the_folder(runner: CliRunner, tmp_path: Path) -> None:
    """``../../etc/passwd``, ``/proc/self/environ``, an absolute path and a link pointing out are
    refused with a clear error at the cell; the attempt is stored as rejected with its audit
    event, and no evidence file is kept."""
    from cimon.store.submissions.models import AuditEvent, Claim, EvidenceFile, Submission

    secret = tmp_path / "secret.env"
    secret.write_text("CIMON_SECRET_KEY=do-not-leak")
    folder = tmp_path / "县材料"
    folder.mkdir()
    (folder / "link.pdf").symlink_to(secret)
    (folder / "领导小组文件.pdf").write_bytes(b"%PDF-1.4")
    listed = (
        f"../../../../../../etc/passwd；/proc/self/environ；{secret}；link.pdf；领导小组文件.pdf"
    )
    p = _county_file(folder, listed)
    before = Submission.objects.count()
    r = runner.invoke(main, ["import", str(p), "--year", "2022", "--user", "王会计"])
    assert r.exit_code == 2, r.output
    assert r.output.count("evidence.outside") == 4 and "创新管理自评!F4" in r.output
    assert "指向材料文件夹之外" in r.output
    sub = Submission.objects.latest("id")
    assert Submission.objects.count() == before + 1 and sub.status == "rejected"
    assert AuditEvent.objects.filter(action="import.rejected", object_id=str(sub.pk)).exists()
    assert not EvidenceFile.objects.filter(submission=sub).exists()
    assert not Claim.objects.filter(submission=sub).exists()
    assert all(b"do-not-leak" not in bytes(e.content) for e in EvidenceFile.objects.all())

    # the same file with only the name inside the folder: accepted, that one file kept
    _county_file(folder, "领导小组文件.pdf")
    ok = runner.invoke(main, ["import", str(p), "--year", "2022", "--user", "王会计"])
    assert ok.exit_code == 0, ok.output
    kept = EvidenceFile.objects.filter(submission=Submission.objects.latest("id"))
    assert [(e.name, bytes(e.content)) for e in kept] == [("领导小组文件.pdf", b"%PDF-1.4")]


def test_import_user_must_be_an_active_account(runner: CliRunner, stub: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model

    from cimon.store.submissions.models import AuditEvent, Submission

    before = (Submission.objects.count(), AuditEvent.objects.count())
    Path("x.xlsx").write_bytes(b"x")
    stub["next"] = parsed({"rd_exp": 1.0})
    r = runner.invoke(main, ["import", "x.xlsx", "--user", "没有这个人"])
    assert r.exit_code == 2 and "没有用户“没有这个人”" in r.output and "cimon user add" in r.output
    get_user_model().objects.create_user("离职员工", is_active=False)
    r = runner.invoke(main, ["--lang", "en", "import", "x.xlsx", "--user", "离职员工"])
    assert r.exit_code == 2 and "disabled" in r.output
    assert (Submission.objects.count(), AuditEvent.objects.count()) == before  # nothing written

    ok = runner.invoke(main, ["import", "x.xlsx", "--user", "王会计"])
    assert ok.exit_code == 0, ok.output
    sub = Submission.objects.latest("id")
    assert sub.submitted_by == "王会计" and sub.user is not None
    Path("y.xlsx").write_bytes(b"y")
    stub["next"] = parsed({"rd_exp": 2.0})
    assert runner.invoke(main, ["import", "y.xlsx"]).exit_code == 0
    # without --user: the machine's login name, marked as such, never mistaken for an account
    latest = Submission.objects.latest("id")
    assert latest.submitted_by.startswith("os:") and latest.user is None


def test_export_file_names_stay_in_the_folder(runner: CliRunner, tmp_path: Path) -> None:
    """Experts named ``../../../../../x/PWNED``, ``a/b``, ``CON`` and ``a:b`` / ``a?b`` (the same
    file name once made safe): every file lands in --out, none overwrites another."""
    from cimon.intake.submission import ParsedSubmission
    from cimon.store.submissions.services import store_submission

    rubric = [v.code for v in FW.variables if v.kind == "rubric"]
    names = ["../../../../../x/PWNED", "a/b", "CON", "a:b", "a?b", ".hidden"]
    for k, name in enumerate(names):
        records = [Record(r.code, 2021, v, 3.0, expert=name) for r in REG for v in rubric]
        sub = ParsedSubmission(
            f"e{k}.xlsx", "", "expert", 2021, FW.id, department="县", expert=name, records=records
        )
        store_submission(sub, f"e{k}".encode(), accept_warnings=True)
    out = tmp_path / "deep" / "out"
    r = invoke(runner, "data", "export", "--year", "2022", "--department", "县", "-o", str(out))
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == len(names) and all(p.parent == out for p in out.iterdir())
    assert "专家-.._.._.._.._.._x_PWNED-2022.xlsx" in files and "专家-a_b-2022.xlsx" in files
    assert "专家-a_b-2022-2.xlsx" in files and "专家-a_b-2022-3.xlsx" in files
    assert not (tmp_path / "x").exists() and not (tmp_path / "deep" / "x").exists()
    assert {p.name for p in tmp_path.rglob("*.xlsx")} == set(files)


def test_import_refuses_gdp_1e308(runner: CliRunner, tmp_path: Path) -> None:
    """GDP = 1e308 in a real 统计局 template, no earlier year stored: refused with a readable
    number (not 309 digits, not 1e+308); the attempt is kept as rejected with its audit event
    and no value is stored — on SQLite and PostgreSQL alike."""
    from openpyxl import load_workbook

    from cimon.intake.template import write_template
    from cimon.store.submissions.models import AuditEvent, Observation, Submission

    p = write_template(FW, REG, 2022, tmp_path / "统计局.xlsx", department="统计局")
    wb = load_workbook(p)
    ws = wb["统计局"]
    codes = [c.value for c in ws[3]]  # the row of variable codes
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == XIJI)
    ws.cell(row=row, column=codes.index("gdp") + 1, value=1e308)
    wb.save(p)
    r = runner.invoke(main, ["import", str(p), "--user", "王会计"])
    assert r.exit_code == 2, r.output
    line = next(x for x in r.output.splitlines() if "value.out_of_range" in x)
    assert "1.0×10³⁰⁸万元" in line and "e+308" not in line and len(line) < 400
    sub = Submission.objects.latest("id")
    assert sub.status == "rejected"
    assert AuditEvent.objects.filter(action="import.rejected", object_id=str(sub.pk)).exists()
    assert not Observation.objects.filter(submission=sub).exists()


def test_exported_evidence_stays_in_its_folder(runner: CliRunner, tmp_path: Path) -> None:
    """Evidence names stored from users are written under safe names inside the county's folder
    (a name climbing out is not written), and the import of the exported folder finds them."""
    from cimon.intake.submission import Claim as ParsedClaim
    from cimon.intake.submission import ParsedSubmission
    from cimon.store.submissions.services import export, import_file, store_submission

    src = tmp_path / "src"
    src.mkdir()
    names = ["../../../escape.pdf", "报告:终版?.pdf", '材料/证明"1".pdf']
    found = {}
    for k, name in enumerate(names):
        f = src / f"f{k}.pdf"
        f.write_bytes(f"%PDF {k}".encode())
        found[name] = f
    claim = ParsedClaim(XIJI, 2021, "mgmt_org", 4.0, "情况说明", tuple(names), "D4")
    sub = ParsedSubmission(
        "自评.xlsx", "", "county", 2021, FW.id, department="县", region_code=XIJI, claims=[claim]
    )
    assert store_submission(sub, b"c", accept_warnings=True, evidence=found).status == "accepted"
    out = tmp_path / "out"
    export(2022, FW, REG, out, department="县")
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf"))
    assert written == ["自评-西吉县-2022/报告_终版_.pdf", "自评-西吉县-2022/材料/证明_1_.pdf"]
    assert not (tmp_path / "escape.pdf").exists() and not list(tmp_path.glob("../escape.pdf"))
    [book] = out.glob("自评-西吉县-2022/*.xlsx")
    again = import_file(book, framework=FW, registry=REG, accept_warnings=True)
    assert [i.value for i in again.report.find("evidence.outside")] == ["../../../escape.pdf"]
