"""The Run: one evaluation with every stage's data, the exact parameters of every stage (the log),
the framework hash and the data hash. :func:`cimon.engine.pipeline.regen` replays the log on the
stored inputs and gives an identical Run, bit for bit. This module is only the Run type: it imports
nothing of the pipeline that makes Runs."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cimon.engine.overrides import apply_overrides
from cimon.model.framework import Framework
from cimon.model.panel import Panel
from cimon.model.regions import Region

#: stage data sets in pipeline order (``Run.data[stage]``); ``groups`` (the scores of every
#: intermediate level) only when the framework declares ``groups:``
DATA_STAGES = (
    "raw", "derived", "imputed", "treated", "normalised", "points", "pillars", "groups", "results",
)  # fmt: skip


@dataclass
class Run:
    """The result of one evaluation.

    Attributes
    ----------
    year, data_year:
        the evaluation year (评价年度) and the data year it uses (数据年度 = year − data_lag).
    log:
        stage → resolved method and parameters (per indicator where the stage is per indicator).
        Editing an address here and calling :func:`run_log` gives a variant.
    data:
        stage → DataFrame (regions × variables / indicators / pillars, or the results table).
    weights:
        points per indicator used by the aggregation.
    flags:
        regions × indicators; ``;``-joined flags such as ``imputed:carry_forward``, ``missing``,
        ``treated:bounds``, ``undefined`` (zero denominator or base), ``input:estimated``.
    """

    framework: Framework
    regions: tuple[Region, ...]
    year: int
    data_year: int
    inputs: Panel
    log: dict[str, Any]
    data: dict[str, pd.DataFrame] = field(default_factory=dict)
    weights: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    flags: pd.DataFrame = field(default_factory=pd.DataFrame)
    cimon_version: str = ""

    @property
    def framework_hash(self) -> str:
        return self.framework.hash

    @property
    def data_hash(self) -> str:
        return self.inputs.data_hash()

    @property
    def results(self) -> pd.DataFrame:
        return self.data["results"]

    def class_counts(self) -> dict[str, int]:
        """Number of regions in each class, in the framework's class order."""
        counts = self.results["class"].value_counts()
        return {b.label: int(counts.get(b.label, 0)) for b in self.framework.classes}

    def equals(self, other: Run) -> bool:
        """True when every stage, the weights, the flags, the log and both hashes are identical
        (floats compared bit for bit)."""
        if self.log != other.log or self.framework_hash != other.framework_hash:
            return False
        if self.data_hash != other.data_hash or set(self.data) != set(other.data):
            return False
        if not _same(self.weights, other.weights) or not self.flags.equals(other.flags):
            return False
        return all(_same(self.data[k], other.data[k]) for k in self.data)

    def variant(self, **addresses: Any) -> dict[str, Any]:
        """A deep copy of the log with some addresses changed (``{"normalise.I1.target": 3}``)."""
        return apply_overrides(copy.deepcopy(self.log), addresses, self.framework)


def _same(a: pd.DataFrame | pd.Series, b: pd.DataFrame | pd.Series) -> bool:
    if type(a) is not type(b) or a.shape != b.shape:
        return False
    if not (a.index.equals(b.index)):
        return False
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        if not a.columns.equals(b.columns):
            return False
        return all(_same_col(a[c], b[c]) for c in a.columns)
    assert isinstance(a, pd.Series) and isinstance(b, pd.Series)
    return _same_col(a, b)


def _same_col(a: pd.Series, b: pd.Series) -> bool:
    if a.dtype.kind == "f" and b.dtype.kind == "f":
        x, y = a.to_numpy(), b.to_numpy()
        return bool(np.array_equal(x.view(np.int64), y.view(np.int64)))
    return bool(a.equals(b))
