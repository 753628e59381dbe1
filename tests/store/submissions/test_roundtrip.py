"""Export → import loses nothing: the observations an exported template brings back are the stored
ones, floats bit for bit (property test), and so are experts' scores."""

from __future__ import annotations

import math
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tests.web.conftest import FW, REG, MakeSub, rec

from cimon.store.submissions.models import Observation
from cimon.store.submissions.services import export, import_file, store_submission

pytestmark = pytest.mark.django_db

KJT = [v.code for v in FW.variables if v.department == "科技厅"]
#: nx-2021 without its plausible bounds and ratio warnings (issue #14): the property below is about
#: bits and statuses, with values (up to 1e9 of anything) no county reports
BARE = replace(
    FW,
    variables=tuple(replace(v, plausible=None) for v in FW.variables),
    checks=tuple(c for c in FW.checks if not c.code.startswith("R")),
)
# an example takes ~0.5 s (a workbook written and read): report failures unshrunk rather than
# spend minutes shrinking them
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]
# mostly reported, as real data are; estimated and imputed often enough to be in every example
STATUS = st.sampled_from(["reported"] * 4 + ["estimated", "imputed"])
VALUE = st.one_of(
    st.none(),
    st.floats(min_value=0, max_value=1e9, allow_nan=False),
    st.integers(min_value=0, max_value=10_000).map(float),
)


def stored(submission_id: int | None) -> list[tuple[str, int, str, str, str, str | None]]:
    rows = Observation.objects.filter(submission_id=submission_id).values_list(
        "region_code", "year", "variable", "expert", "status", "value"
    )
    return sorted((r, y, v, e, s, None if x is None else x.hex()) for r, y, v, e, s, x in rows)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=NO_SHRINK,
)
@given(
    st.lists(st.tuples(VALUE, STATUS), min_size=len(REG) * len(KJT), max_size=len(REG) * len(KJT))
)
def test_export_then_import_gives_identical_observations(
    make_sub: MakeSub, values: list[tuple[float | None, str]]
) -> None:
    """Values bit for bit and their status: reported, missing (a blank cell), and estimated or
    imputed (the 数据状态 sheet)."""
    cells = [(r.code, v) for r in REG for v in KJT]
    records = [
        rec(code, var, math.nan if x is None else x)
        if x is None or status == "reported"
        else replace(rec(code, var, x), status=status)
        for (code, var), (x, status) in zip(cells, values, strict=True)
    ]
    with transaction.atomic(), tempfile.TemporaryDirectory() as tmp:
        first = store_submission(
            make_sub(records, department="科技厅", file_name="科技厅.xlsx"), b"kjt"
        )
        [path] = export(2022, FW, REG, tmp, department="科技厅")
        again = import_file(path, framework=BARE, registry=REG, year=2022, accept_warnings=True)
        assert again.status == "accepted", again.report.render("en", limit=5)
        assert stored(again.submission_id) == stored(first.submission_id)
        transaction.set_rollback(True)


def test_expert_scores_round_trip(make_sub: MakeSub, tmp_path: Path) -> None:
    rubric = [v.code for v in FW.variables if v.kind == "rubric"]
    records = [
        rec(r.code, v, float((i + j) % 6) if (i + j) % 7 else 2.5, expert="张专家")
        for i, r in enumerate(REG)
        for j, v in enumerate(rubric)
    ]
    first = store_submission(
        make_sub(records, kind="expert", department="县", expert="张专家", file_name="x.xlsx"),
        b"e",
    )
    paths = export(2022, FW, REG, tmp_path)
    expert_files = [p for p in paths if p.name.startswith("专家-")]
    assert [p.name for p in expert_files] == ["专家-张专家-2022.xlsx"]
    again = import_file(expert_files[0], framework=FW, registry=REG, accept_warnings=True)
    assert again.status == "accepted", again.report.render("en", limit=5)
    assert stored(again.submission_id) == stored(first.submission_id)
    assert len(paths) == 1 + len([d for d in FW.departments if d != "县"])


JUNK = st.one_of(
    st.sampled_from(["约1200", "1.2万", "—", "无", "３５", "-", "#REF!", "1,234.5", "3.5%", ""]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=NO_SHRINK,
)
@given(st.lists(st.tuples(st.integers(0, 21), st.integers(0, len(KJT) - 1), JUNK), max_size=6))
def test_junk_in_cells_gives_a_report_and_never_a_partial_write(
    make_sub: MakeSub, edits: list[tuple[int, int, object]]
) -> None:
    """Whatever a clerk types into an exported workbook, the import either stores the whole file
    or stores nothing but the rejected (or draft) submission with its report."""
    from openpyxl import load_workbook

    records = [
        rec(r.code, v, float(i + j + 1)) for i, r in enumerate(REG) for j, v in enumerate(KJT)
    ]
    with transaction.atomic(), tempfile.TemporaryDirectory() as tmp:
        store_submission(make_sub(records, department="科技厅", file_name="k.xlsx"), b"k")
        [path] = export(2022, FW, REG, tmp, department="科技厅")
        wb = load_workbook(path)
        ws = wb["科技厅"]
        rows = {c.value: c.row for c in ws["B"] if c.value in {r.name for r in REG}}
        cols = {c.value: c.column for row in ws.iter_rows(max_row=8) for c in row if c.value in KJT}
        for i, j, junk in edits:
            ws.cell(rows[REG[REG.codes[i]].name], cols[KJT[j]], value=junk)
        wb.save(path)
        before = Observation.objects.count()
        result = import_file(path, framework=BARE, registry=REG, year=2022)
        if result.status == "accepted":
            assert Observation.objects.count() == before + len(records)
        else:
            assert result.status in ("rejected", "draft") and result.report.issues
            assert Observation.objects.count() == before
        transaction.set_rollback(True)


def test_self_assessments_and_their_evidence_round_trip(make_sub: MakeSub, tmp_path: Path) -> None:
    """A county's claims (score, statement, evidence names) and its evidence files come back
    identical from an exported folder; estimated values of a department too (demo-like)."""
    from cimon.intake.submission import Claim as ParsedClaim
    from cimon.store.submissions.models import Claim, EvidenceFile

    code = REG.match("西吉县").code
    items = [v.code for v in FW.variables if v.kind == "rubric" and v.department == "县"]
    claims = [
        ParsedClaim(code, 2021, items[0], 4.5, "县委常委会专题研究科技工作 2 次", ("纪要.pdf",)),
        ParsedClaim(
            code, 2021, items[1], 3.0, "出台《科技创新规划》", ("规划.docx", "sub/政策.pdf")
        ),
        ParsedClaim(code, 2021, items[2], 2.5, "", ()),
    ]
    evidence = tmp_path / "ev"
    (evidence / "sub").mkdir(parents=True)
    files = {"纪要.pdf": b"%PDF minutes", "规划.docx": b"PK plan", "sub/政策.pdf": b"%PDF policy"}
    for name, data in files.items():
        (evidence / name).write_bytes(data)
    first = store_submission(
        make_sub(
            kind="county", department="县", region_code=code, claims=claims, file_name="a.xlsx"
        ),
        b"county",
        evidence_dir=evidence,
    )
    assert first.status == "accepted" and first.claims == 3

    def claim_rows(sid: int | None) -> list[tuple[object, ...]]:
        return sorted(
            (c.region_code, c.year, c.variable, c.score, c.statement, tuple(c.evidence))
            for c in Claim.objects.filter(submission_id=sid)
        )

    paths = export(2022, FW, REG, tmp_path / "out", department="县")
    [workbook] = [p for p in paths if p.name == "西吉县-自评-2022.xlsx"]
    assert workbook.parent.name == "自评-西吉县-2022"
    again = import_file(workbook, framework=FW, registry=REG, accept_warnings=True)
    assert again.status == "accepted", again.report.render("en", limit=5)
    assert again.claims == 3 and "3 项自评" in again.render("zh")
    assert claim_rows(again.submission_id) == claim_rows(first.submission_id)
    kept = {
        e.name: bytes(e.content)
        for e in EvidenceFile.objects.filter(submission_id=again.submission_id)
    }
    assert kept == files
    # the older claims are superseded by the identical new ones: one current claim per item
    assert Claim.objects.filter(superseded_at__isnull=True).count() == 3


def test_a_long_file_keeps_estimated_and_imputed_status(tmp_path: Path) -> None:
    """cimon's own long files (the demo panel CSV) carry a status column: an estimated value
    is stored as estimated, not silently as reported."""
    code = REG.match("西吉县").code
    path = tmp_path / "panel.csv"
    path.write_text(
        "region_code,year,variable,value,status\n"
        f"{code},2021,hte,12,reported\n"
        f"{code},2021,tsme,30,estimated\n"
        f"{code},2021,incubators,2,插补\n",
        encoding="utf-8",
    )
    result = import_file(path, framework=FW, registry=REG, accept_warnings=True)
    assert result.status == "accepted", result.report.render("en", limit=5)
    got = dict(
        Observation.objects.filter(submission_id=result.submission_id).values_list(
            "variable", "status"
        )
    )
    assert got == {"hte": "reported", "tsme": "estimated", "incubators": "imputed"}
