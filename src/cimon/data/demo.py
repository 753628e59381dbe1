"""Synthetic demo panel (模拟数据, NOT official statistics) for the 22 counties of Ningxia.

The demo panel lets anyone run the whole cycle — evaluation, class jumps, incentives, reports —
without real data. It is **synthetic** (模拟数据): every number is invented by
:func:`generate_demo_panel` from a fixed seed. Magnitudes are chosen to look like Ningxia counties
(GDP 50–700 亿元, 10–80 万 residents, R&D intensity 0.1–3 %, 0–60 high-tech enterprises; the city
districts of 银川 strongest, the 固原 mountain counties weakest), but no value is a real statistic.

How it is built
---------------
1. **Design table** (:data:`DESIGN`): for every county a type (urban district, industrial county,
   agricultural county, mountain / supported county), its 2019 GDP and population, and a designed
   nx-2021 score for every data year 2018–2024. The designed scores encode the story: 0 A / 12 B /
   10 C in the 2020 evaluation (2019 data, seed 000 section 二), counties rising into A one by one,
   a fast improver (中宁县), a stagnating district (大武口区), a county slipping from B to C and back
   (平罗县), a declining industrial district (惠农区), and about 10 A / 8 B / 4 C by the 2025
   evaluation (the seed's target).
2. **Size variables** (GDP, population, employment, budget expenditure, industrial revenue, value
   added, number of enterprises above scale) follow their own random growth paths.
3. **Innovation variables** are driven by one latent level ``L`` per county and year: indicator *j*
   reaches the fraction ``L · profile[type, j] · noise`` of its nx-2021 target (a county-specific
   profile drawn once, plus year-to-year noise). Raw variables are backed out of these fractions
   (R&D expenditure = GDP × intensity …), rounded to realistic precision, and kept consistent
   (enterprise R&D ≤ gross R&D, enterprises with R&D ≤ enterprises, high-tech value added ≤
   industrial value added, high-tech enterprises ≤ tech-based SMEs, stocks such as patents, parks,
   platforms and new R&D institutions never fall).
4. **Calibration**: for every data year (in order, because growth and stocks depend on the previous
   year) ``L`` is solved by bisection, for all counties at once, so that the nx-2021 score computed
   with the engine's own formula and target functions hits the designed score (to within the step
   of integer counts). The 2019 scores therefore give exactly 0 / 12 / 10.
5. **Data-quality blemishes** added after calibration so that flags show in runs and reports:
   two values missing (status ``missing``, empty value — the county loses those points) and two
   values marked ``estimated``; see :data:`MISSING` and :data:`ESTIMATED`.
6. **Experts**: each qualitative 创新管理 item has five experts' scores (``source`` expert1…expert5,
   0–5 in steps of 0.5) around the county's level; nx-2021 combines them by trimmed mean.

``python -m cimon.data.demo`` regenerates the shipped file ``cimon/data/demo/panel.csv``;
``tests/data/test_demo.py`` checks the shipped file equals the generator's output.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from cimon.engine.base import Method, make_method
from cimon.engine.derive import evaluate_formula
from cimon.engine.normalise import Normaliser
from cimon.engine.overrides import build_log
from cimon.engine.treat import Treatment
from cimon.model.framework import Framework, load_framework
from cimon.model.panel import COLUMNS, Panel
from cimon.model.regions import default_registry

#: The default seed: the publication date of seed 000 (2021-11-05).
DEFAULT_SEED = 20211105
#: Data years in the panel. 2018 exists so that 2019 growth rates exist; the demo evaluation years
#: are 2020–2025 (data 2019–2024).
DATA_YEARS: tuple[int, ...] = (2018, 2019, 2020, 2021, 2022, 2023, 2024)
EVALUATION_YEARS: tuple[int, ...] = tuple(y + 1 for y in DATA_YEARS[1:])
#: The panel's source label.
SOURCE = "模拟数据(synthetic) demo panel"
#: Number of experts scoring each qualitative item.
N_EXPERTS = 5
#: The framework the demo is calibrated against.
CALIBRATION_FRAMEWORK = "nx-2021"


@dataclass(frozen=True)
class CountyDesign:
    """One row of the design table."""

    kind: str  # urban | industrial | agri | mountain
    gdp_2019: float  # 亿元
    pop_2019: float  # 万人
    scores: tuple[float, ...]  # designed nx-2021 score for each of DATA_YEARS
    note: str = ""


#: The design table: county type, 2019 size and designed nx-2021 score for data years 2018–2024.
DESIGN: dict[str, CountyDesign] = {
    # 银川市 — the three city districts lead; the counties around them follow.
    "640104": CountyDesign("urban", 540, 74, (74.0, 76.5, 78.0, 81.5, 84.0, 86.5, 89.0), "兴庆区"),
    "640105": CountyDesign("urban", 260, 41, (71.0, 74.0, 76.5, 78.0, 82.0, 85.0, 87.5), "西夏区"),
    "640106": CountyDesign(
        "urban", 420, 38, (75.5, 78.0, 82.5, 85.0, 87.0, 89.5, 91.5), "金凤区, first A"
    ),
    "640121": CountyDesign(
        "industrial", 165, 28, (63.0, 66.0, 68.5, 72.0, 76.0, 78.0, 83.0), "永宁县"
    ),
    "640122": CountyDesign(
        "industrial", 175, 34, (65.0, 68.0, 71.0, 74.5, 78.0, 82.0, 85.0), "贺兰县"
    ),
    "640181": CountyDesign(
        "industrial", 520, 30, (68.0, 71.0, 74.0, 77.0, 81.5, 84.0, 87.0), "灵武市"
    ),
    # 石嘴山市 — old industrial base: one stagnating, one declining, one wobbling.
    "640202": CountyDesign(
        "industrial", 210, 30, (71.0, 72.5, 73.5, 72.0, 74.0, 73.0, 74.5), "大武口区, stagnating"
    ),
    "640205": CountyDesign(
        "industrial", 185, 20, (58.0, 56.5, 55.0, 56.0, 54.0, 53.5, 52.5), "惠农区, declining"
    ),
    "640221": CountyDesign(
        "industrial", 170, 29, (62.0, 63.5, 62.0, 58.5, 61.5, 62.5, 64.5), "平罗县, B→C→B"
    ),
    # 吴忠市
    "640302": CountyDesign("agri", 260, 43, (64.0, 66.0, 68.0, 70.5, 74.0, 77.5, 82.0), "利通区"),
    "640303": CountyDesign(
        "mountain", 52, 21, (40.0, 42.0, 45.0, 49.0, 54.0, 57.5, 63.0), "红寺堡区"
    ),
    "640323": CountyDesign("agri", 105, 16, (54.0, 56.5, 62.0, 64.5, 67.0, 69.5, 72.0), "盐池县"),
    "640324": CountyDesign(
        "mountain", 75, 32, (38.0, 41.0, 43.0, 45.5, 48.0, 50.0, 52.0), "同心县"
    ),
    "640381": CountyDesign(
        "industrial", 205, 29, (66.0, 69.0, 72.0, 75.5, 78.5, 82.0, 84.0), "青铜峡市"
    ),
    # 固原市 — mountain counties, weakest at the start.
    "640402": CountyDesign(
        "mountain", 150, 46, (50.0, 53.0, 56.0, 58.5, 62.5, 65.5, 68.0), "原州区"
    ),
    "640422": CountyDesign(
        "mountain", 68, 32, (38.0, 40.0, 42.0, 44.0, 46.5, 48.0, 50.0), "西吉县"
    ),
    "640423": CountyDesign(
        "mountain", 52, 12, (43.0, 45.0, 47.0, 50.0, 54.0, 58.0, 63.0), "隆德县"
    ),
    "640424": CountyDesign(
        "mountain", 50, 10.5, (33.0, 36.0, 37.0, 38.5, 40.0, 41.5, 43.5), "泾源县"
    ),
    "640425": CountyDesign(
        "mountain", 62, 20, (48.0, 51.0, 55.0, 61.5, 64.5, 67.5, 70.0), "彭阳县, fast improver"
    ),
    # 中卫市
    "640502": CountyDesign("agri", 215, 40, (63.0, 65.0, 67.5, 70.0, 73.5, 77.0, 82.0), "沙坡头区"),
    "640521": CountyDesign(
        "industrial", 190, 34, (61.0, 63.0, 68.0, 74.0, 81.5, 83.5, 86.0), "中宁县, fast improver"
    ),
    "640522": CountyDesign(
        "mountain", 72, 39, (40.0, 42.0, 45.0, 48.5, 52.5, 56.5, 62.0), "海原县"
    ),
}

#: Type profiles: how far each county type gets towards each nx-2021 indicator's target at a given
#: latent level (I01 … I21). Urban districts are strong in firms, patents, contracts and incubators;
#: mountain counties in 科技特派员, agricultural parks, demonstration projects and management effort.
PROFILES: dict[str, tuple[float, ...]] = {
    #            I01  I02  I03  I04  I05  I06  I07  I08  I09  I10  I11  I12  I13  I14  I15  I16  I17  I18  I19  I20  I21
    "urban": (1.0, 1.0, 1.1, 0.9, 1.3, 1.5, 1.5, 0.9, 1.3, 1.4, 1.6, 0.8, 0.5, 1.5, 1.5, 0.9, 0.9, 0.8, 1.0, 1.0, 1.0),
    "industrial": (1.0, 0.9, 0.9, 1.1, 0.9, 1.0, 0.9, 1.1, 0.9, 1.0, 0.8, 1.0, 0.8, 0.8, 0.8, 1.1, 1.1, 0.9, 1.0, 1.0, 1.0),
    "agri": (0.8, 1.0, 1.0, 0.9, 0.8, 0.9, 0.9, 1.0, 0.9, 0.9, 1.0, 1.2, 1.2, 0.8, 0.9, 0.9, 1.0, 1.2, 1.1, 1.1, 1.1),
    "mountain": (0.5, 1.1, 1.0, 0.6, 0.6, 0.5, 0.6, 0.8, 0.7, 0.6, 0.9, 1.4, 1.8, 0.4, 0.5, 0.6, 0.7, 1.5, 1.3, 1.3, 1.3),
}  # fmt: skip

#: Values removed after calibration (status ``missing``, empty value): the county loses the points.
MISSING: tuple[tuple[str, int, str], ...] = (
    ("640424", 2021, "tech_contracts"),  # 泾源县: 科技厅 has no record of contracts that year
    ("640522", 2022, "rd_personnel"),  # 海原县: 统计局 did not report R&D personnel
)
#: Values kept but marked ``estimated`` (the department's estimate, not a final figure).
ESTIMATED: tuple[tuple[str, int, str], ...] = (
    ("640422", 2020, "ent_revenue"),  # 西吉县
    ("640303", 2023, "gdp"),  # 红寺堡区
)

_SIZE_VARS = (
    "gdp",
    "population",
    "employment",
    "fiscal_exp",
    "ent_revenue",
    "ind_value_added",
    "ent_count",
)
_STOCKS = ("invention_patents", "park_level", "new_rd_inst", "platforms")


M = TypeVar("M", bound=Method)


def _stage(kind: type[M], stage: str, spec: Mapping[str, object]) -> M:
    method = make_method(stage, spec)
    assert isinstance(method, kind)
    return method


def _round1(x: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(x, float), 1)


def _count(x: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(x, float)).astype(float)


class _Generator:
    """Holds the random draws and builds one data year from latent levels."""

    def __init__(self, framework: Framework, seed: int) -> None:
        self.fw = framework
        self.codes = default_registry().codes
        missing = [c for c in self.codes if c not in DESIGN] + [
            c for c in DESIGN if c not in self.codes
        ]
        if missing:  # pragma: no cover - the design table and the registry ship together
            raise ValueError(f"design table and region registry disagree: {missing}")
        self.rng = np.random.default_rng(seed)
        n, k, ny = len(self.codes), len(framework.indicators), len(DATA_YEARS)
        self.n = n
        rng = self.rng
        d = [DESIGN[c] for c in self.codes]
        kinds = [x.kind for x in d]
        # county profile: type profile × a county-specific factor per indicator
        base = np.array([PROFILES[t] for t in kinds])
        self.profile = base * rng.lognormal(0.0, 0.18, (n, k))
        self.year_noise = rng.lognormal(0.0, 0.06, (ny, n, k))
        self.growth_noise = rng.normal(0.0, 4.0, (ny, n))  # percentage points
        self.expert_noise = rng.normal(0.0, 0.45, (ny, n, 3, N_EXPERTS))
        self.expert_bias = rng.normal(0.0, 0.25, N_EXPERTS)  # lenient vs strict experts
        self.target_score = np.array([x.scores for x in d]).T  # years × counties
        self._sizes(d, kinds)
        self.fiscal_rd_prev = self.size["fiscal_exp"][0] * rng.uniform(0.0025, 0.006, n)
        log = build_log(framework)
        self.stages = [
            (
                log["derive"][c]["formula"],
                log["derive"][c]["zero_base"],
                _stage(Treatment, "treat", log["treat"][c]),
                _stage(Normaliser, "normalise", log["normalise"][c]),
                framework.indicator(c).direction,
                framework.indicator(c).points,
            )
            for c in framework.indicator_codes
        ]

    def _sizes(self, d: list[CountyDesign], kinds: list[str]) -> None:
        rng, n, ny = self.rng, self.n, len(DATA_YEARS)
        i19 = DATA_YEARS.index(2019)
        urban = np.array([k == "urban" for k in kinds])
        mountain = np.array([k == "mountain" for k in kinds])
        industrial = np.array([k == "industrial" for k in kinds])
        # GDP (万元): ~6.5 % nominal growth, 2020 (the pandemic year) ~2.5 %
        g = rng.normal(6.5, 1.5, (ny, n))
        g[DATA_YEARS.index(2020)] = rng.normal(2.5, 1.5, n)
        gdp = np.empty((ny, n))
        gdp[i19] = np.array([x.gdp_2019 for x in d]) * 1e4
        for t in range(i19 + 1, ny):
            gdp[t] = gdp[t - 1] * (1 + g[t] / 100)
        gdp[i19 - 1] = gdp[i19] / (1 + g[i19] / 100)
        # population (persons): cities grow, mountain counties shrink
        pg = np.where(urban, 1.2, np.where(mountain, -0.8, 0.2))[None, :] + rng.normal(
            0, 0.3, (ny, n)
        )
        pop = np.empty((ny, n))
        pop[i19] = np.array([x.pop_2019 for x in d]) * 1e4
        for t in range(i19 + 1, ny):
            pop[t] = pop[t - 1] * (1 + pg[t] / 100)
        pop[i19 - 1] = pop[i19] / (1 + pg[i19] / 100)
        emp_rate = rng.uniform(0.50, 0.60, n)
        employment = pop * emp_rate[None, :] * (1 + rng.normal(0, 0.005, (ny, n)))
        # budget expenditure: transfer-heavy mountain counties spend more per head
        pc = np.where(mountain, rng.uniform(1.1, 1.4, n), rng.uniform(0.75, 1.05, n))
        fiscal_exp = pop * pc[None, :] * np.cumprod(1 + rng.normal(0.04, 0.02, (ny, n)), axis=0)
        # industry above scale
        ind_ratio = np.where(
            industrial,
            rng.uniform(1.0, 1.5, n),
            np.where(urban, rng.uniform(0.25, 0.45, n), np.where(mountain, rng.uniform(0.15, 0.3, n), rng.uniform(0.5, 0.8, n))),
        )  # fmt: skip
        ent_revenue = gdp * ind_ratio[None, :] * np.exp(rng.normal(0, 0.04, (ny, n)))
        ind_va = ent_revenue * rng.uniform(0.22, 0.30, n)[None, :]
        firm_size = np.where(
            industrial,
            rng.uniform(50000, 80000, n),
            np.where(mountain, rng.uniform(9000, 14000, n), rng.uniform(25000, 40000, n)),
        )
        ent_count = np.maximum(8, np.round(ent_revenue / firm_size[None, :]))
        self.size = {
            "gdp": _round1(gdp),
            "population": _count(pop),
            "employment": _count(employment),
            "fiscal_exp": _round1(fiscal_exp),
            "ent_revenue": _round1(ent_revenue),
            "ind_value_added": _round1(ind_va),
            "ent_count": ent_count.astype(float),
        }

    def build(
        self, t: int, level: np.ndarray, state: Mapping[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Every variable of data year index ``t`` for latent levels ``level`` (one per county)."""
        a = level[:, None] * self.profile * self.year_noise[t]  # fraction of each target reached
        a = np.minimum(a, 1.6)
        s = {k: v[t] for k, v in self.size.items()}
        out: dict[str, np.ndarray] = dict(s)
        out["rd_exp"] = _round1(s["gdp"] * 2.5 * np.minimum(a[:, 0], 1.25) / 100)
        g = 15.0 * a[:, 1] + self.growth_noise[t] - 2.0
        out["fiscal_rd"] = _round1(state["fiscal_rd"] * (1 + g / 100))
        out["fiscal_st"] = _round1(
            np.maximum(s["fiscal_exp"] * 3.0 * a[:, 2] / 100, out["fiscal_rd"] / 0.8)
        )
        out["ent_rd"] = _round1(
            np.minimum(s["ent_revenue"] * 1.5 * a[:, 3] / 100, 0.9 * out["rd_exp"])
        )
        out["rd_personnel"] = _round1(28.0 * a[:, 4] * s["employment"] / 1e4)
        out["hte"] = _count(30.0 * a[:, 5])
        out["tsme"] = np.maximum(_count(60.0 * a[:, 6]), out["hte"])
        out["ent_with_rd"] = np.minimum(_count(0.40 * a[:, 7] * s["ent_count"]), s["ent_count"])
        out["new_rd_inst"] = np.maximum(state["new_rd_inst"], np.floor(3.0 * a[:, 8]))
        platforms = np.maximum(state["platforms"], _count(10.0 * a[:, 9]))
        out["sci_platforms"] = np.ceil(0.6 * platforms)
        out["ndrc_platforms"] = platforms - out["sci_platforms"]
        out["incubators"] = _count(5.0 * a[:, 10])
        out["park_level"] = np.maximum(
            state["park_level"], np.clip(np.floor(3.0 * a[:, 11] + 0.3), 0, 3)
        )
        out["tech_commissioners"] = _count(200.0 * a[:, 12])
        patents = 5.0 * a[:, 13] * s["population"] / 1e4
        out["invention_patents"] = np.maximum(state["invention_patents"], _count(patents))
        out["tech_contracts"] = _round1(20000.0 * a[:, 14])
        out["ht_value_added"] = _round1(s["ind_value_added"] * np.minimum(0.40 * a[:, 15], 0.9))
        out["new_product_sales"] = _round1(s["ent_revenue"] * 0.20 * a[:, 16])
        out["transfer_projects"] = _count(30.0 * a[:, 17])
        for m, var in enumerate(("mgmt_org", "mgmt_policy", "mgmt_projects")):
            x = (
                5.0 * np.minimum(a[:, 18 + m], 1.0)[:, None]
                + self.expert_noise[t, :, m]
                + self.expert_bias
            )
            out[var] = np.clip(np.round(x * 2) / 2, 0.0, 5.0)  # n × experts
        return out

    def score(self, raw: Mapping[str, np.ndarray], prev_fiscal_rd: np.ndarray) -> np.ndarray:
        """nx-2021 scores of one data year, with the engine's own formula and normalise functions."""
        combined = {}
        for v in self.fw.variables:
            x = raw[v.code]
            if x.ndim == 2:  # experts: trimmed mean as nx-2021 says (drop highest and lowest)
                xs = np.sort(x, axis=1)
                x = xs[:, 1:-1].mean(axis=1) if v.combine == "trimmed_mean" else xs.mean(axis=1)
            combined[v.code] = x

        def get(var: str, lag: int) -> np.ndarray:
            if lag == 0:
                return combined[var]
            if var == "fiscal_rd" and lag == 1:
                return prev_fiscal_rd
            raise KeyError((var, lag))  # pragma: no cover - nx-2021 only lags fiscal_rd

        total = np.zeros(self.n)
        for formula, zero_base, treat, norm, direction, points in self.stages:
            x = treat.apply(evaluate_formula(formula, get, zero_base))
            z = np.broadcast_to(norm.apply(x, direction), (self.n,))
            total += np.nan_to_num(z, nan=0.0) * points
        return total

    def run(self) -> dict[int, dict[str, np.ndarray]]:
        state = {
            "fiscal_rd": self.fiscal_rd_prev,
            **{s: np.zeros(self.n) for s in _STOCKS},
        }
        years: dict[int, dict[str, np.ndarray]] = {}
        for t, year in enumerate(DATA_YEARS):
            target = self.target_score[t]
            lo, hi = np.full(self.n, 0.01), np.full(self.n, 4.0)
            for _ in range(45):
                mid = (lo + hi) / 2
                s = self.score(self.build(t, mid, state), state["fiscal_rd"])
                up = s < target
                lo = np.where(up, mid, lo)
                hi = np.where(up, hi, mid)
            s_lo = self.score(self.build(t, lo, state), state["fiscal_rd"])
            s_hi = self.score(self.build(t, hi, state), state["fiscal_rd"])
            level = np.where(np.abs(s_lo - target) <= np.abs(s_hi - target), lo, hi)
            raw = self.build(t, level, state)
            years[year] = raw
            state = {
                "fiscal_rd": raw["fiscal_rd"],
                "invention_patents": raw["invention_patents"],
                "park_level": raw["park_level"],
                "new_rd_inst": raw["new_rd_inst"],
                "platforms": raw["sci_platforms"] + raw["ndrc_platforms"],
            }
        return years


def generate_demo_panel(seed: int = DEFAULT_SEED) -> Panel:
    """Generate the synthetic (模拟数据) demo panel. Deterministic: the same seed gives the same panel.

    Rows: the 22 counties of :func:`cimon.default_registry` × data years 2018–2024 × every variable
    of nx-2021; qualitative 创新管理 items have five rows (``source`` expert1…expert5). Status is
    ``reported`` except the entries of :data:`MISSING` (empty value) and :data:`ESTIMATED`.
    """
    fw = load_framework(CALIBRATION_FRAMEWORK)
    gen = _Generator(fw, seed)
    years = gen.run()
    missing = {(c, y, v) for c, y, v in MISSING}
    estimated = {(c, y, v) for c, y, v in ESTIMATED}
    rows: list[tuple[str, int, str, float, str, str]] = []
    for year in DATA_YEARS:
        raw = years[year]
        for i, code in enumerate(gen.codes):
            for var in fw.variables:
                x = raw[var.code]
                if x.ndim == 2:
                    for e in range(N_EXPERTS):
                        rows.append(
                            (code, year, var.code, float(x[i, e]), "reported", f"expert{e + 1}")
                        )
                    continue
                key = (code, year, var.code)
                value, status = float(x[i]), "reported"
                if key in missing:
                    value, status = math.nan, "missing"
                elif key in estimated:
                    status = "estimated"
                rows.append((code, year, var.code, value, status, f"模拟数据:{var.department}"))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return Panel.from_frame(frame, SOURCE)


def to_csv_text(panel: Panel) -> str:
    """The panel as CSV text (columns region_code,year,variable,value,status,source; values in
    Python's shortest round-trip form, an empty value for a missing one)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for row in panel.frame.itertuples(index=False):
        v = float(row.value)  # type: ignore[arg-type]
        value = "" if math.isnan(v) else (str(int(v)) if v.is_integer() else repr(v))
        w.writerow((row.region_code, row.year, row.variable, value, row.status, row.source))
    return buf.getvalue()


def shipped_path() -> Path:
    """Where the shipped demo CSV lives in the source tree."""
    return Path(__file__).resolve().parent / "demo" / "panel.csv"


@lru_cache(maxsize=1)
def _shipped_frame() -> pd.DataFrame:
    res = resources.files("cimon.data") / "demo" / "panel.csv"
    with res.open("r", encoding="utf-8") as fh:
        df = pd.read_csv(
            fh,
            dtype={"region_code": str, "variable": str, "status": str, "source": str},
            keep_default_na=False,
            na_values={"value": [""]},
        )
    return Panel.from_frame(df, SOURCE).frame


def demo_panel() -> Panel:
    """The shipped synthetic (模拟数据) demo panel, read from ``cimon/data/demo/panel.csv``."""
    return Panel(_shipped_frame().copy(), SOURCE)


def main(argv: list[str] | None = None) -> int:
    """``python -m cimon.data.demo [--check]``: regenerate (or check) the shipped demo CSV."""
    args = sys.argv[1:] if argv is None else argv
    text = to_csv_text(generate_demo_panel())
    path = shipped_path()
    if "--check" in args:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"{path}: {'up to date' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
