"""Derive indicators from raw variables by evaluating each indicator's formula.

The formula language is parsed in :mod:`cimon.model.formula`; this module evaluates it over numpy
vectors (one value per region). Every function is NaN-safe: a missing input gives a missing result,
a zero denominator gives a missing result flagged ``undefined``, never an error or an infinity.

Functions
---------
``ratio(a, b)``     a / b
``share(a, b)``     100 · a / b (a percentage)
``per10k(a, p)``    10 000 · a / p (per 10 000 people or employees; ``p`` in persons)
``growth(a)``       100 · (a_t − a_{t−1}) / a_{t−1}: growth over the previous year, %
``cagr(a, k)``      100 · ((a_t / a_{t−k})^{1/k} − 1): compound annual growth over k years, %
``lag(a[, k])``     a_{t−k} (k = 1 by default)
``mean/min/max``    element-wise over their arguments, ignoring missing values

Zero or negative base for growth
--------------------------------
When the base a_{t−1} (or a_{t−k}) is 0 and so is a_t, growth is 0. When the base is 0 or negative
and a_t is not, growth is undefined; the indicator's ``derive.zero_base`` policy says what to do:
``missing`` (default: leave it missing, so the impute policy applies, and flag it) or ``zero`` (score
it as no growth).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from cimon.model.formula import ParsedFormula, parse_formula

Getter = Callable[[str, int], np.ndarray]


@lru_cache(maxsize=1024)
def _parse(formula: str) -> ParsedFormula:
    """Parse once per distinct formula: an evaluation derives every indicator twice per year."""
    return parse_formula(formula)


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.true_divide(a, b)
    out[~np.isfinite(out)] = np.nan
    return out


def _finite(x: np.ndarray) -> np.ndarray:
    """Overflow to ±inf (a finite ratio scaled past the float limit) becomes missing, never inf."""
    out = np.array(x, float, copy=True)
    out[~np.isfinite(out)] = np.nan
    return out


def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b; missing where b is 0 or either is missing."""
    return _safe_div(np.asarray(a, float), np.asarray(b, float))


def share(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """100 · a / b, a percentage."""
    return _finite(100.0 * ratio(a, b))


def per10k(a: np.ndarray, population: np.ndarray) -> np.ndarray:
    """10 000 · a / population."""
    return _finite(1e4 * ratio(a, population))


def growth(current: np.ndarray, base: np.ndarray, zero_base: str = "missing") -> np.ndarray:
    """Growth over the base value in %, 100 · (current − base) / base.

    Both zero → 0. Base ≤ 0 with current ≠ base → per ``zero_base`` (``missing`` → NaN, ``zero`` → 0).
    """
    current = np.asarray(current, float)
    base = np.asarray(base, float)
    with np.errstate(over="ignore", invalid="ignore"):
        out = _finite(100.0 * _safe_div(current - base, base))
    undefined = (base <= 0) & ~np.isnan(current) & ~np.isnan(base)
    out[undefined] = np.nan if zero_base == "missing" else 0.0
    out[(base == 0) & (current == 0)] = 0.0
    return out


def cagr(current: np.ndarray, base: np.ndarray, k: int, zero_base: str = "missing") -> np.ndarray:
    """Compound annual growth over k years, %: 100 · ((current / base)^(1/k) − 1)."""
    current = np.asarray(current, float)
    base = np.asarray(base, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 100.0 * (np.power(_safe_div(current, base), 1.0 / k) - 1.0)
    out[~np.isfinite(out)] = np.nan
    undefined = ((base <= 0) | (current < 0)) & ~np.isnan(current) & ~np.isnan(base)
    out[undefined] = np.nan if zero_base == "missing" else 0.0
    out[(base == 0) & (current == 0)] = 0.0
    return out


def _nan_reduce(fn: Callable[..., np.ndarray], args: list[np.ndarray]) -> np.ndarray:
    stack = np.vstack([np.broadcast_to(np.asarray(a, float), np.shape(args[0])) for a in args])
    out = np.full(stack.shape[1:], np.nan)
    ok = ~np.all(np.isnan(stack), axis=0)
    if ok.any():
        out[ok] = fn(stack[:, ok], axis=0)
    return out


#: derive functions by name (the formula language's vocabulary)
FUNCTIONS: dict[str, Callable[..., np.ndarray]] = {
    "ratio": ratio,
    "share": share,
    "per10k": per10k,
    "growth": growth,
    "cagr": cagr,
}


@dataclass(frozen=True)
class Formula:
    """An indicator's derivation: the formula and its zero-base policy (thin class over
    :func:`evaluate_formula`)."""

    formula: str
    zero_base: str = "missing"

    def get_params(self) -> dict[str, Any]:
        return {"formula": self.formula, "zero_base": self.zero_base}

    def replace(self, **kw: Any) -> Formula:
        return Formula(**{**self.get_params(), **kw})

    def __call__(self, get: Getter) -> np.ndarray:
        return evaluate_formula(self.formula, get, self.zero_base)


def evaluate_formula(formula: str, get: Getter, zero_base: str = "missing") -> np.ndarray:
    """Evaluate ``formula`` with ``get(variable, lag)`` returning the variable's vector ``lag`` years
    before the data year."""
    tree = _parse(formula).tree

    def ev(node: ast.AST, lag: int) -> np.ndarray:
        if isinstance(node, ast.Expression):
            return ev(node.body, lag)
        if isinstance(node, ast.Constant):
            return np.asarray(float(node.value))  # type: ignore[arg-type]
        if isinstance(node, ast.Name):
            return np.asarray(get(node.id, lag), float)
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand, lag)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left, lag), ev(node.right, lag)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            return _safe_div(np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape)).copy(), b)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            name = node.func.id
            if name == "growth":
                return growth(ev(node.args[0], lag), ev(node.args[0], lag + 1), zero_base)
            if name in ("cagr", "lag"):
                k = int(node.args[1].value) if len(node.args) > 1 else 1  # type: ignore[attr-defined]
                if name == "lag":
                    return ev(node.args[0], lag + k)
                return cagr(ev(node.args[0], lag), ev(node.args[0], lag + k), k, zero_base)
            args = [ev(a, lag) for a in node.args]
            if name in ("mean", "min", "max"):
                reducer: Callable[..., np.ndarray] = {
                    "mean": np.nanmean,
                    "min": np.nanmin,
                    "max": np.nanmax,
                }[name]  # type: ignore[assignment]
                return _nan_reduce(reducer, args)
            return FUNCTIONS[name](*args)
        raise TypeError(type(node).__name__)  # parse_formula already rejected everything else

    return np.asarray(ev(tree, 0), float)


def derive_matrix(
    formulas: Mapping[str, Formula], get: Getter, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Evaluate every indicator's formula. Returns (values n × k, undefined mask n × k): a cell is
    ``undefined`` when every input the formula read was present but it has no value (zero
    denominator, zero or negative base)."""
    k = len(formulas)
    out = np.full((n, k), np.nan)
    undefined = np.zeros((n, k), bool)
    for j, f in enumerate(formulas.values()):
        read: set[tuple[str, int]] = set()

        def recording_get(var: str, lag: int, _read: set[tuple[str, int]] = read) -> np.ndarray:
            _read.add((var, lag))
            return get(var, lag)

        val = np.broadcast_to(f(recording_get), (n,))
        out[:, j] = val
        present = np.ones(n, bool)
        for var, lag in read:
            present &= ~np.isnan(get(var, lag))
        undefined[:, j] = np.isnan(val) & present
    return out, undefined
