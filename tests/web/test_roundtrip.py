"""Export → import loses nothing: the observations an exported template brings back are the stored
ones, floats bit for bit (property test), and so are experts' scores."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cimon.web.submissions.models import Observation
from cimon.web.submissions.services import export, import_file, store_submission

from .conftest import FW, REG, MakeSub, rec

pytestmark = pytest.mark.django_db

KJT = [v.code for v in FW.variables if v.department == "科技厅"]
# an example takes ~0.5 s (a workbook written and read): report failures unshrunk rather than
# spend minutes shrinking them
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]
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
@given(st.lists(VALUE, min_size=len(REG) * len(KJT), max_size=len(REG) * len(KJT)))
def test_export_then_import_gives_identical_observations(
    make_sub: MakeSub, values: list[float | None]
) -> None:
    cells = [(r.code, v) for r in REG for v in KJT]
    records = [
        rec(code, var, math.nan if x is None else x)
        for (code, var), x in zip(cells, values, strict=True)
    ]
    with transaction.atomic(), tempfile.TemporaryDirectory() as tmp:
        first = store_submission(
            make_sub(records, department="科技厅", file_name="科技厅.xlsx"), b"kjt"
        )
        [path] = export(2022, FW, REG, tmp, department="科技厅")
        again = import_file(path, framework=FW, registry=REG, year=2022, accept_warnings=True)
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
        result = import_file(path, framework=FW, registry=REG, year=2022)
        if result.status == "accepted":
            assert Observation.objects.count() == before + len(records)
        else:
            assert result.status in ("rejected", "draft") and result.report.issues
            assert Observation.objects.count() == before
        transaction.set_rollback(True)
