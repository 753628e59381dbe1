"""County diagnostics: the next-class path, applied to the data and re-scored with the real
pipeline (:func:`cimon.evaluate`, not the diagnostic's own estimate), must cross the threshold; each
step stays within what the best county shows is reachable; and the path is minimal in its last step."""

from __future__ import annotations

import pytest

import cimon
from cimon.analysis.diagnose import apply_steps, diagnose
from cimon.analysis.errors import AnalysisError
from cimon.engine.run import Run


@pytest.mark.parametrize(
    ("year", "county"), [(2025, "西吉县"), (2022, "西吉县"), (2022, "西夏区"), (2023, "泾源县")]
)
def test_path_crosses_threshold_when_rescored(
    demo_runs: dict[int, Run], year: int, county: str
) -> None:
    run = demo_runs[year]
    d = diagnose(run, county)
    assert d.path is not None and d.path.crossed
    panel = apply_steps(run, d.code, d.path.steps)
    again = cimon.evaluate(run.framework, panel, year)
    assert again.results.at[d.code, "score_published"] >= d.path.threshold
    assert again.results.at[d.code, "class"] == d.path.target_class
    before = run.results.at[d.code, "score_published"]
    assert before < d.path.threshold
    # without the last step it falls short: no step is superfluous at the end
    fewer = cimon.evaluate(run.framework, apply_steps(run, d.code, d.path.steps[:-1]), year)
    assert fewer.results.at[d.code, "score_published"] < d.path.threshold


def test_steps_bounded_by_best_county(demo_runs: dict[int, Run]) -> None:
    run = demo_runs[2022]
    d = diagnose(run, "西吉县", reach="best")
    assert d.path is not None
    for s in d.path.steps:
        best = run.data["imputed"][s.indicator].max()
        assert s.value_to <= best + 1e-6
        assert s.value_to > s.value_from
    hte = next(s for s in d.path.steps if s.variable == "hte")
    assert hte.raw_to == int(hte.raw_to)  # counts move in whole enterprises


def test_strengths_weaknesses_and_available(demo_runs: dict[int, Run]) -> None:
    run = demo_runs[2025]
    d = diagnose(run, "640422", by="tag:山区县")
    assert d.peer_group == "山区县" and len(d.peers) == 5
    assert all(s.gap > 0 for s in d.strengths) and all(w.gap < 0 for w in d.weaknesses)
    for i in d.indicators:
        assert i.available == pytest.approx(i.points - run.data["points"].at["640422", i.code])
        assert 0 <= i.reachable_points <= i.available + 1e-9


def test_top_class_has_no_path(demo_runs: dict[int, Run]) -> None:
    d = diagnose(demo_runs[2025], "金凤区")
    assert d.klass == "A" and d.path is None and "最高类别" in d.note_zh


def test_unknown_county(demo_runs: dict[int, Run]) -> None:
    with pytest.raises(cimon.CimonError):
        diagnose(demo_runs[2025], "景宁县")
    with pytest.raises(AnalysisError):
        diagnose(demo_runs[2025], "西吉县", reach="anything")
