"""The result of an uncertainty analysis (:mod:`cimon.analysis.uncertainty`) and its JSON form:
:class:`UncertaintyResult`, :func:`write_json`, :func:`load_json`, :func:`from_json`."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cimon._version import __version__
from cimon.analysis.assumptions import AssumptionSet, parse_assumptions
from cimon.analysis.errors import AnalysisError
from cimon.analysis.replicates import Draws, Outcome
from cimon.engine.run import Run

#: a class is "stable" when the nominal class has at least this probability (the issue's 0.8)
STABLE_AT = 0.8

QUANTILES = (0.05, 0.5, 0.95)

#: the columns of :attr:`UncertaintyResult.incentives` (one row per county awarded money)
INCENTIVE_COLUMNS = [
    "code",
    "name",
    "class_prev",
    "class",
    "jump",
    "rank_money",
    "amount",
    "p_jump",
    "p_places",
    "p_award",
    "p_amount",
    "expected",
    "amounts",
]


@dataclass
class UncertaintyResult:
    """The Monte Carlo result of one evaluation year.

    ``counties``: one row per county (index ``region_code``), see :func:`county_summary`;
    ``incentives``: one row per county awarded money in the nominal evaluation (empty without a
    previous year and rules); ``outcome``/``previous``: every replicate's scores, ranks and
    classes (``None`` when read back from JSON).
    """

    year: int
    seed: int
    replicates: int
    assumptions: AssumptionSet
    labels: tuple[str, ...]
    counties: pd.DataFrame
    incentives: pd.DataFrame
    budget: dict[str, int] = field(default_factory=dict)
    framework: dict[str, Any] = field(default_factory=dict)
    #: the evaluated Run (not serialised); its data hash is computed when first asked for
    run: Run | None = None
    stable_at: float = STABLE_AT
    previous_mode: str = "none"
    outcome: Outcome | None = None
    previous: Outcome | None = None
    draws: Draws | None = None
    #: every replicate's incentive amount per county (replicates × counties, integer 元)
    awards: np.ndarray | None = None
    sobol: Any = None

    _data_hash: str = ""

    @property
    def data_hash(self) -> str:
        """sha256 of the evaluated data (:meth:`cimon.model.panel.Panel.data_hash`)."""
        if not self._data_hash and self.run is not None:
            self._data_hash = self.run.data_hash
        return self._data_hash

    def to_json(self) -> dict[str, Any]:
        """The summaries as plain JSON (the replicate matrices are not included)."""
        return {
            "kind": "cimon.robustness",
            "cimon_version": __version__,
            "year": self.year,
            "seed": self.seed,
            "replicates": self.replicates,
            "framework": self.framework,
            "data_hash": self.data_hash,
            "labels": list(self.labels),
            "stable_at": self.stable_at,
            "previous": self.previous_mode,
            "assumptions": self.assumptions.spec(),
            "counties": _records(self.counties.reset_index()),
            "incentives": _records(self.incentives),
            "budget": self.budget,
            "sobol": None if self.sobol is None else self.sobol.to_json(),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _plain(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def write_json(result: UncertaintyResult, path: str | Path) -> Path:
    """Write :meth:`UncertaintyResult.to_json` (UTF-8, Chinese as is)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return p


def load_json(path: str | Path) -> UncertaintyResult:
    """Read a result written by :func:`write_json` (summaries only; for reports)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnalysisError(
            f"无法读取稳健性分析结果：{exc}。请使用 cimon robustness 生成的 JSON 文件。",
            f"Cannot read the robustness result: {exc}. Use a JSON file written by "
            "cimon robustness.",
            str(p),
        ) from None
    return from_json(data, str(p))


def from_json(data: Any, source: str = "") -> UncertaintyResult:
    """The result of :meth:`UncertaintyResult.to_json` read back (summaries only); ``source``
    names where it came from in errors."""
    if not isinstance(data, dict) or data.get("kind") != "cimon.robustness":
        raise AnalysisError(
            "这不是 cimon robustness 生成的结果文件（缺少 kind: cimon.robustness）。",
            "This is not a result file of cimon robustness (kind: cimon.robustness missing).",
            source,
        )
    labels = tuple(data["labels"])
    counties = pd.DataFrame(data["counties"])
    counties["region_code"] = counties["region_code"].astype(str)
    counties = counties.set_index("region_code")
    counties["stable"] = counties["stable"].astype(bool)
    inc = pd.DataFrame(data["incentives"], columns=INCENTIVE_COLUMNS)
    from cimon.analysis.sensitivity import SobolResult

    return UncertaintyResult(
        year=int(data["year"]),
        seed=int(data["seed"]),
        replicates=int(data["replicates"]),
        assumptions=parse_assumptions(data["assumptions"], source),
        labels=labels,
        counties=counties,
        incentives=inc,
        budget={str(k): int(v) for k, v in (data.get("budget") or {}).items()},
        framework=dict(data.get("framework") or {}),
        _data_hash=str(data.get("data_hash", "")),
        stable_at=float(data.get("stable_at", STABLE_AT)),
        previous_mode=str(data.get("previous", "none")),
        sobol=SobolResult.from_json(data["sobol"]) if data.get("sobol") else None,
    )
