"""Uncertain assumptions (不确定性假设) for the robustness analysis, as addresses in a Run's log.

Every assumption names an address of the log (STYLE.md: "variants by editing the log") and how it
may vary. Four kinds:

``dirichlet`` (address ``points``)
    the indicators' points drawn from a Dirichlet distribution centred on the nominal points:
    ``points = total × D``, ``D ~ Dirichlet(concentration × nominal share)``, so every draw sums to
    the framework's total and its mean is the nominal points (Saisana, Saltelli & Tarantola 2005,
    J. R. Stat. Soc. A 168(2); JRC/OECD Handbook 2008, step 7). Indicators with 0 points stay at 0.
``uniform`` (address ``points``)
    each indicator's points × a factor drawn uniformly from ``[1 − spread, 1 + spread]``, then all
    rescaled to the total (the GII audit's "±x % around the nominal weights").
``choice`` (any address)
    one of ``values``, with ``probabilities`` (default equal). A value is what the address is set
    to; the word ``nominal`` leaves the address as the framework has it (so ``treat.method:
    [nominal, none]`` switches outlier treatment off in half of the replicates). When the address is
    a whole stage (``weight``, ``aggregate``) a value is a mapping of its entries
    (``{method: ahp, matrix: [[1, 2], ["1/2", 1]]}``).
``scale`` (address ``<stage>.<parameter>`` or ``<stage>.<indicator>.<parameter>``)
    a numeric parameter (a benchmark, ``normalise.target``) × a factor from ``steps`` equally spaced
    values in ``[1 − spread, 1 + spread]``, the same factor for every indicator that has the
    parameter (a province-wide "benchmarks ±10 %").

Sampling is by inverse transform of uniform numbers: :meth:`Assumption.values` maps a block of
``U(0, 1)`` columns to values, so the Monte Carlo (pseudo-random ``U``) and the Sobol design
(SALib's quasi-random ``U``) go through one code path.

Declared in YAML (``cimon/data/robustness/<id>.yaml`` or a file) or built in Python.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import gamma

from cimon.analysis.errors import AnalysisError
from cimon.analysis.files import bundled, load_yaml
from cimon.engine.pipeline import apply_overrides
from cimon.errors import MethodError
from cimon.model.framework import INDICATOR_STAGES

KINDS = ("dirichlet", "uniform", "choice", "scale")

#: stages whose addresses change the normalised matrix (the rest act after it)
EARLY_STAGES = ("derive", *INDICATOR_STAGES)

NOMINAL = "nominal"


class AssumptionError(AnalysisError):
    """An assumption that cannot be used: names the file, the entry and what to do."""


@dataclass(frozen=True)
class Assumption:
    """One uncertain input: an address of the log and how it varies."""

    id: str
    address: str
    kind: str
    name_zh: str = ""
    name_en: str = ""
    concentration: float = 100.0
    spread: float = 0.0
    steps: int = 11
    values_: tuple[Any, ...] = ()
    probabilities: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        where = f"assumptions.{self.id}"
        if self.kind not in KINDS:
            raise AssumptionError(
                f"假设“{self.id}”的类型“{self.kind}”无效，可用：{'、'.join(KINDS)}。",
                f"Assumption '{self.id}' has kind '{self.kind}'; use one of {', '.join(KINDS)}.",
                where,
            )
        if self.kind in ("dirichlet", "uniform") and self.address != "points":
            raise AssumptionError(
                f"假设“{self.id}”：{self.kind} 只能用于地址 points（指标分值），不能用于“{self.address}”。",
                f"Assumption '{self.id}': {self.kind} applies to the address 'points' only, not "
                f"'{self.address}'.",
                where,
            )
        if self.kind == "dirichlet" and not (
            np.isfinite(self.concentration) and self.concentration > 0
        ):
            raise AssumptionError(
                f"假设“{self.id}”：concentration 应为正数（越大越集中于规定分值），当前为 {self.concentration}。",
                f"Assumption '{self.id}': concentration must be positive (larger = closer to the "
                f"nominal points); got {self.concentration}.",
                where,
            )
        if self.kind in ("uniform", "scale") and not (0 < self.spread < 1):
            raise AssumptionError(
                f"假设“{self.id}”：spread 应在 0 与 1 之间（如 0.1 表示 ±10%），当前为 {self.spread}。",
                f"Assumption '{self.id}': spread must lie between 0 and 1 (0.1 = ±10 %); got "
                f"{self.spread}.",
                where,
            )
        if self.kind == "scale" and not self.steps >= 2:
            raise AssumptionError(
                f"假设“{self.id}”：steps 至少为 2，当前为 {self.steps}。",
                f"Assumption '{self.id}': steps must be at least 2; got {self.steps}.",
                where,
            )
        if self.kind == "choice":
            if len(self.values_) < 2:
                raise AssumptionError(
                    f"假设“{self.id}”：choice 至少需要两个可选值（values）。",
                    f"Assumption '{self.id}': a choice needs at least two values.",
                    where,
                )
            p = self.probabilities
            if p and (
                len(p) != len(self.values_)
                or any(not (x >= 0) for x in p)
                or abs(sum(p) - 1) > 1e-9
            ):
                raise AssumptionError(
                    f"假设“{self.id}”：probabilities 应与 values 一一对应、非负且和为 1。",
                    f"Assumption '{self.id}': probabilities must match the values one for one, "
                    "be non-negative and sum to 1.",
                    where,
                )

    # ------------------------------------------------------------------------------------------
    @property
    def stage(self) -> str:
        return self.address.split(".")[0]

    @property
    def early(self) -> bool:
        """True when the assumption changes the normalised matrix (derive … normalise)."""
        return self.stage in EARLY_STAGES

    @property
    def continuous(self) -> bool:
        """True for the weight perturbations (a new value every replicate)."""
        return self.kind in ("dirichlet", "uniform")

    def levels(self) -> int:
        """Number of distinct values of a discrete assumption."""
        if self.kind == "choice":
            return len(self.values_)
        if self.kind == "scale":
            return self.steps
        raise ValueError("continuous assumption")

    def factors(self) -> np.ndarray:
        """The ``scale`` factors, lowest first."""
        return np.linspace(1 - self.spread, 1 + self.spread, self.steps)

    def title(self, lang: str = "zh") -> str:
        if lang == "en":
            return self.name_en or self.name_zh or self.id
        return self.name_zh or self.name_en or self.id

    def describe(self, lang: str = "zh") -> str:
        """One line: what varies and how."""
        en = lang == "en"
        if self.kind == "dirichlet":
            return (
                f"Dirichlet around the nominal points, concentration {self.concentration:g}"
                if en
                else f"以规定分值为中心的狄利克雷分布，集中度 {self.concentration:g}"
            )
        if self.kind == "uniform":
            pct = f"±{self.spread * 100:g}%"
            return (
                f"each indicator's points {pct}, rescaled to the total"
                if en
                else f"各指标分值 {pct} 均匀扰动后按总分重新归一"
            )
        if self.kind == "scale":
            pct = f"±{self.spread * 100:g}%"
            return (
                f"× one of {self.steps} factors in [{1 - self.spread:g}, {1 + self.spread:g}] ({pct})"
                if en
                else f"乘以 [{1 - self.spread:g}, {1 + self.spread:g}] 内 {self.steps} 个等距系数之一（{pct}）"
            )
        vals = " | ".join(_value_text(v) for v in self.values_)
        return f"one of: {vals}" if en else f"取值之一：{vals}"

    def spec(self) -> dict[str, Any]:
        """The assumption as a plain mapping (what YAML holds and the outputs record)."""
        out: dict[str, Any] = {"id": self.id, "address": self.address, "kind": self.kind}
        if self.name_zh:
            out["name_zh"] = self.name_zh
        if self.name_en:
            out["name_en"] = self.name_en
        if self.kind == "dirichlet":
            out["concentration"] = self.concentration
        if self.kind in ("uniform", "scale"):
            out["spread"] = self.spread
        if self.kind == "scale":
            out["steps"] = self.steps
        if self.kind == "choice":
            out["values"] = list(self.values_)
            if self.probabilities:
                out["probabilities"] = list(self.probabilities)
        return out

    # ------------------------------------------------------------------------------------------
    def dims(self, points: np.ndarray) -> int:
        """How many uniform numbers one draw takes (one per indicator with points for the weights,
        otherwise one)."""
        return int((np.asarray(points) > 0).sum()) if self.continuous else 1

    def index(self, u: np.ndarray) -> np.ndarray:
        """Level index (0 … levels − 1) of each uniform number in ``u`` (discrete kinds)."""
        u = np.asarray(u, float)
        if self.kind == "choice" and self.probabilities:
            edges = np.cumsum(self.probabilities)[:-1]
            return np.searchsorted(edges, u, side="right").astype(np.int64)
        k = self.levels()
        return np.minimum((u * k).astype(np.int64), k - 1)

    def weights(self, u: np.ndarray, points: np.ndarray) -> np.ndarray:
        """Points per replicate (replicates × indicators) from ``u`` (replicates × dims): the
        inverse-transform draw of the weight perturbation. Rows sum to ``points.sum()``."""
        points = np.asarray(points, float)
        u = np.atleast_2d(np.asarray(u, float))
        total = points.sum()
        active = points > 0
        out = np.zeros((u.shape[0], len(points)))
        if self.kind == "dirichlet":
            alpha = self.concentration * points[active] / total
            # open interval: ppf(0) = 0 for every alpha would give an all-zero row
            g = gamma.ppf(np.clip(u, 1e-12, 1 - 1e-12), alpha)
            out[:, active] = g / g.sum(axis=1, keepdims=True) * total
        else:
            raw = points[active] * (1 + self.spread * (2 * u - 1))
            out[:, active] = raw / raw.sum(axis=1, keepdims=True) * total
        return out


def _value_text(v: Any) -> str:
    if isinstance(v, Mapping):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return str(v)


@dataclass(frozen=True)
class AssumptionSet:
    """The assumptions of one analysis (a bundled set or a YAML file)."""

    id: str
    assumptions: tuple[Assumption, ...]
    name_zh: str = ""
    name_en: str = ""
    source: str = "<python>"

    def __post_init__(self) -> None:
        ids = [a.id for a in self.assumptions]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise AssumptionError(
                f"假设编号重复：{'、'.join(dup)}。每个假设需要唯一的 id。",
                f"Duplicate assumption ids: {', '.join(dup)}. Each needs its own id.",
                self.source,
            )
        weights = [a.id for a in self.assumptions if a.continuous]
        if len(weights) > 1:
            raise AssumptionError(
                f"只能有一个分值扰动假设（dirichlet 或 uniform），现有：{'、'.join(weights)}。",
                f"Only one weight perturbation (dirichlet or uniform) is allowed; found "
                f"{', '.join(weights)}.",
                self.source,
            )
        if not self.assumptions:
            raise AssumptionError(
                "没有任何假设：请至少声明一个不确定性假设。",
                "No assumptions: declare at least one uncertain assumption.",
                self.source,
            )

    @property
    def hash(self) -> str:
        text = json.dumps([a.spec() for a in self.assumptions], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def spec(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "hash": self.hash,
            "assumptions": [a.spec() for a in self.assumptions],
        }


# ----------------------------------------------------------------------------------------------
# resolving against a log


def overrides_for(a: Assumption, level: int, log: Mapping[str, Any]) -> dict[str, Any]:
    """The log addresses (and values) that level ``level`` of a discrete assumption sets."""
    if a.kind == "scale":
        factor = float(a.factors()[level])
        return {addr: nominal * factor for addr, nominal in scaled_parameters(a, log).items()}
    value = a.values_[level]
    if isinstance(value, str) and value == NOMINAL:
        return {}
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda kv: kv[0] != "method")  # method first
        return {f"{a.address}.{k}": v for k, v in items}
    return {a.address: value}


def scaled_parameters(a: Assumption, log: Mapping[str, Any]) -> dict[str, float]:
    """``{address: nominal value}`` of every parameter a ``scale`` assumption multiplies."""
    parts = a.address.split(".")
    stage = parts[0]
    node = log.get(stage)
    out: dict[str, float] = {}
    if stage in INDICATOR_STAGES and len(parts) == 2 and isinstance(node, Mapping):
        for code, spec in node.items():
            v = spec.get(parts[1]) if isinstance(spec, Mapping) else None
            if v is not None and _number(v):
                out[f"{stage}.{code}.{parts[1]}"] = float(v)
    else:
        v = _get(log, parts)
        if _number(v):
            out[a.address] = float(v)
    return out


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _get(node: Any, parts: Sequence[str]) -> Any:
    for p in parts:
        if not isinstance(node, Mapping) or p not in node:
            return None
        node = node[p]
    return node


def check_against(assumptions: AssumptionSet, log: Mapping[str, Any], framework: Any) -> None:
    """Raise :class:`AssumptionError` naming the assumption when one of its levels cannot be
    applied to ``log`` (an unknown address, method or parameter, or nothing to scale)."""
    for a in assumptions.assumptions:
        where = f"{assumptions.source}: assumptions.{a.id}"
        if a.continuous:
            continue
        if a.kind == "scale" and not scaled_parameters(a, log):
            raise AssumptionError(
                f"假设“{a.id}”：日志中没有可缩放的数值参数“{a.address}”（如 normalise.target）。",
                f"Assumption '{a.id}': the log has no numeric parameter '{a.address}' to scale "
                "(e.g. normalise.target).",
                where,
            )
        for level in range(a.levels()):
            try:
                apply_overrides(copy.deepcopy(dict(log)), overrides_for(a, level, log), framework)
            except MethodError as exc:
                raise AssumptionError(
                    f"假设“{a.id}”的取值 {_value_text(a.values_[level]) if a.kind == 'choice' else level} "
                    f"无法应用：{exc.zh}",
                    f"Assumption '{a.id}': value "
                    f"{_value_text(a.values_[level]) if a.kind == 'choice' else level} cannot be "
                    f"applied: {exc.en}",
                    where,
                ) from None


# ----------------------------------------------------------------------------------------------
# reading


def bundled_assumption_sets() -> list[str]:
    """Ids of the assumption sets shipped in ``cimon/data/robustness``."""
    return bundled("robustness")


def load_assumptions(ref: str | Path | Mapping[str, Any] = "default") -> AssumptionSet:
    """An assumption set from a bundled id, a YAML file or a mapping."""
    if isinstance(ref, Mapping):
        return parse_assumptions(ref, "<dict>")
    data, source = load_yaml(ref, "robustness", AssumptionError)
    return parse_assumptions(data, source)


def parse_assumptions(data: Mapping[str, Any], source: str = "<dict>") -> AssumptionSet:
    """Validate a mapping ``{id, name_zh, name_en, assumptions: [...]}``."""
    items = data.get("assumptions")
    if not isinstance(items, list):
        raise AssumptionError(
            "缺少 assumptions 列表：请按文档列出每个不确定性假设。",
            "Missing the 'assumptions' list: list each uncertain assumption (see the docs).",
            f"{source}: assumptions",
        )
    known = {"id", "address", "kind", "name_zh", "name_en", "concentration", "spread", "steps"}
    known |= {"values", "probabilities"}
    out: list[Assumption] = []
    for i, item in enumerate(items):
        where = f"{source}: assumptions[{i}]"
        if not isinstance(item, Mapping):
            raise AssumptionError(
                "每个假设应是一个映射（id、address、kind …）。",
                "Each assumption must be a mapping (id, address, kind …).",
                where,
            )
        unknown = sorted(str(k) for k in item if k not in known)
        if unknown:
            raise AssumptionError(
                f"未知的键：{'、'.join(unknown)}（可用：{'、'.join(sorted(known))}）。",
                f"Unknown key(s): {', '.join(unknown)} (known: {', '.join(sorted(known))}).",
                where,
            )
        for key in ("address", "kind"):
            if not isinstance(item.get(key), str) or not item.get(key):
                raise AssumptionError(f"缺少“{key}”。", f"Missing '{key}'.", f"{where}.{key}")
        try:
            out.append(
                Assumption(
                    id=str(item.get("id", item["address"])),
                    address=str(item["address"]),
                    kind=str(item["kind"]),
                    name_zh=str(item.get("name_zh", "")),
                    name_en=str(item.get("name_en", "")),
                    concentration=float(item.get("concentration", 100.0)),
                    spread=float(item.get("spread", 0.0)),
                    steps=int(item.get("steps", 11)),
                    values_=tuple(item.get("values") or ()),
                    probabilities=tuple(float(p) for p in item.get("probabilities") or ()),
                )
            )
        except AssumptionError as exc:
            raise AssumptionError(exc.zh, exc.en, where) from None
        except (TypeError, ValueError) as exc:
            raise AssumptionError(f"数值无效：{exc}。", f"Invalid number: {exc}.", where) from None
    return AssumptionSet(
        id=str(data.get("id", Path(source).stem)),
        assumptions=tuple(out),
        name_zh=str(data.get("name_zh", "")),
        name_en=str(data.get("name_en", "")),
        source=source,
    )
