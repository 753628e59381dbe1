"""Shared fixtures: the demo evaluations, a hand-made robustness result (the contract of
``cimon.analysis.uncertainty``), and the 2022 demo report written once per session in Word, HTML and
PDF through the demo step."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import cimon
from cimon.engine.run import Run
from cimon.reports.annual.build import report_stem
from cimon.reports.annual.content import AnnualContent, build_content
from cimon.reports.annual.demo import annual_report_step
from cimon.reports.demo import DemoReport, run_demo

YEAR = 2022


@pytest.fixture(scope="session")
def runs() -> dict[int, Run]:
    fw = cimon.load_framework("nx-2021")
    return cimon.evaluate_years(fw, cimon.demo_panel(), range(2020, 2026))


def robustness_for(run: Run, replicates: int = 200) -> SimpleNamespace:
    """A robustness result as ``cimon.analysis.uncertainty`` will return it: counties near a class
    threshold are unstable."""
    res = run.results
    rows = {}
    for code in res.index:
        score = float(res.at[code, "score_published"])
        klass = str(res.at[code, "class"])
        near = min(abs(score - 60), abs(score - 80)) < 2
        p = 0.55 if near else 0.95
        other = "B" if klass != "B" else ("A" if score >= 70 else "C")
        probs = {"p_A": 0.0, "p_B": 0.0, "p_C": 0.0}
        probs[f"p_{klass}"] = p
        probs[f"p_{other}"] = round(1 - p, 2)
        rank = int(res.at[code, "rank"])
        rows[str(code)] = {
            "p_nominal": p,
            "stable": p >= 0.8,
            "rank_median": float(rank),
            "rank_p05": max(1, rank - 2),
            "rank_p95": rank + 2,
            "score_p05": score - 3.0,
            "score_median": score,
            "score_p95": score + 3.0,
            **probs,
        }
    counties = pd.DataFrame.from_dict(rows, orient="index")
    incentives = pd.DataFrame(
        [
            {
                "code": "640104",
                "name": "兴庆区",
                "amount": 1_000_000,
                "p_jump": 0.7,
                "p_places": 0.2,
                "p_amount": 0.65,
            }
        ]
    )
    return SimpleNamespace(
        counties=counties, replicates=replicates, seed=7, year=run.year, incentives=incentives
    )


@pytest.fixture(scope="session")
def robustness(runs: dict[int, Run]) -> SimpleNamespace:
    return robustness_for(runs[YEAR])


@pytest.fixture(scope="session")
def content(runs: dict[int, Run], robustness: SimpleNamespace) -> AnnualContent:
    return build_content(runs, YEAR, robustness=robustness)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    """``cimon demo``'s report step on the demo years 2020–2022, after a step that leaves a
    robustness result in ``report.extras`` (as the robustness step will)."""

    def robustness_step(report: DemoReport) -> None:
        year = max(report.runs)
        report.extras.setdefault("robustness", {})[year] = robustness_for(report.runs[year])

    out = tmp_path_factory.mktemp("annual")
    return run_demo(out, years=(2020, 2021, YEAR), steps=[robustness_step, annual_report_step])


@pytest.fixture(scope="session")
def files(demo: DemoReport) -> dict[str, Path]:
    stem = report_stem(YEAR, "zh")
    return {p.suffix[1:]: p for p in demo.files if p.name.startswith(stem)}


def tiny_png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def fast_charts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Charts are neither built nor drawn (a 1×1 PNG instead): for tests about text, not pictures."""
    from cimon.reports.annual import charts

    blank = tiny_png()
    monkeypatch.setattr(charts, "png", lambda fig: blank)
    monkeypatch.setattr(charts, "natural_width_cm", lambda fig, most=15.0: most)
    for name in ("ranking_figure", "history_figure", "map_figure", "county_figure"):
        monkeypatch.setattr(charts, name, lambda *args, **kwargs: None)
    yield


def png_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(data)).size
