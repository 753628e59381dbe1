"""An evaluation from the database equals the evaluation from the same panel file, bit for bit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.web.conftest import FW, REG, MakeSub

from cimon.engine.pipeline import evaluate
from cimon.intake.submission import Record
from cimon.model.panel_file import read_panel
from cimon.store.submissions.queries import panel_as_of
from cimon.store.submissions.services import store_submission

pytestmark = pytest.mark.django_db


def test_evaluate_from_database_equals_evaluate_from_file(
    make_sub: MakeSub, tmp_path: Path
) -> None:
    rng = np.random.default_rng(7)
    rows = []
    for year in range(2018, 2022):
        for r in REG:
            for v in FW.variables:
                x = float(rng.integers(1, 6)) if v.kind == "rubric" else float(rng.uniform(1, 1e4))
                rows.append((r.code, year, v.code, x))
    path = tmp_path / "panel.csv"
    path.write_text(
        "region_code,year,variable,value\n"
        + "".join(f"{c},{y},{v},{x!r}\n" for c, y, v, x in rows),
        encoding="utf-8",
    )
    from_file = read_panel(path, REG, FW)
    records = [Record(c, y, v, x) for c, y, v, x in rows]
    store_submission(make_sub(records, file_name="panel.csv", kind="freeform"), path.read_bytes())
    from_db = panel_as_of(framework=FW)
    assert from_db.data_hash() == from_file.data_hash()
    a = evaluate(FW, from_file, 2022, REG)
    b = evaluate(FW, from_db, 2022, REG)
    assert a.equals(b)
