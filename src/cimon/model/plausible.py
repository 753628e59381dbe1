"""Plausible values of a framework's variables (issue #14): what import refuses, what it warns of.

A framework may say, per variable, in its top-level ``plausible`` block::

    plausible:
      gdp: {refuse: [0, 1.5e10], warn: [1.0e4, 1.0e8]}   # 万元

* ``refuse`` — hard bounds: a value outside is impossible (more than the whole country has) and
  is an error (``value.out_of_range``), the file is not imported. They tighten the variable's
  own ``range`` (the stricter of the two counts).
* ``warn`` — soft bounds: a value outside is possible but beyond what any county reports; it is
  a warning (``value.implausible``) the submitter must check and acknowledge.

Either bound may be ``null`` (no bound on that side). The block and the ratio checks
(``ratios``, warnings between related variables) are **intake policy**, not scoring: they are
left out of the framework's hash, so tightening them never invalidates a published evaluation or
a template already handed out. The reasoning behind the bundled values is in
``docs/frameworks/nx-2021.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["INTAKE_ONLY_KEYS", "Plausible", "parse_plausible"]

#: top-level framework keys that decide only what import accepts (not part of the hash)
INTAKE_ONLY_KEYS = ("plausible", "ratios")


@dataclass(frozen=True)
class Plausible:
    """Hard (``refuse_*``) and soft (``warn_*``) bounds of one variable; None: unbounded."""

    refuse_min: float | None = None
    refuse_max: float | None = None
    warn_min: float | None = None
    warn_max: float | None = None

    def outside_warn(self, value: float) -> bool:
        """True when ``value`` is below ``warn_min`` or above ``warn_max`` (NaN: False)."""
        lo = -math.inf if self.warn_min is None else self.warn_min
        hi = math.inf if self.warn_max is None else self.warn_max
        return bool(value < lo or value > hi)


def _pair(
    value: Any, path: str, fail: Callable[[str, str, str], Exception]
) -> tuple[float | None, float | None]:
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(
            x is None
            or (isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x))
            for x in value
        )
    )
    if not ok or (value[0] is not None and value[1] is not None and value[0] > value[1]):
        raise fail(
            path,
            "应写成 [下限, 上限]（有限数字或 null，下限不大于上限；科学计数法写作 2.5e+10）。",
            "must be [min, max] (finite numbers or null, min <= max; write powers of ten as 2.5e+10).",
        )
    lo, hi = value
    return (None if lo is None else float(lo)), (None if hi is None else float(hi))


def parse_plausible(
    data: Mapping[str, Any],
    var_codes: set[str],
    fail: Callable[[str, str, str], Exception],
) -> dict[str, Plausible]:
    """The ``plausible`` block of a framework mapping: variable code → :class:`Plausible`.

    ``fail(path, zh, en)`` builds the error to raise (the framework loader's, naming the file
    and the key). Unknown variables, bad pairs and soft bounds outside the hard ones are errors.
    """
    raw = data.get("plausible") or {}
    if not isinstance(raw, Mapping):
        raise fail(
            "plausible",
            "plausible 应为“变量代码: {refuse, warn}”的映射。",
            "plausible must map variable codes to {refuse, warn}.",
        )
    out: dict[str, Plausible] = {}
    for code, spec in raw.items():
        path = f"plausible.{code}"
        if code not in var_codes:
            raise fail(
                path,
                f"plausible 中的变量“{code}”未定义。",
                f"plausible names unknown variable '{code}'.",
            )
        if not isinstance(spec, Mapping) or set(spec) - {"refuse", "warn"}:
            raise fail(path, "只能有 refuse 与 warn 两项。", "only refuse and warn are allowed.")
        r_lo, r_hi = _pair(spec.get("refuse", [None, None]), f"{path}.refuse", fail)
        w_lo, w_hi = _pair(spec.get("warn", [None, None]), f"{path}.warn", fail)
        if (r_lo is not None and w_lo is not None and w_lo < r_lo) or (
            r_hi is not None and w_hi is not None and w_hi > r_hi
        ):
            raise fail(
                f"{path}.warn",
                "提示范围 warn 应在拒收范围 refuse 之内。",
                "the warn range must lie within the refuse range.",
            )
        out[str(code)] = Plausible(r_lo, r_hi, w_lo, w_hi)
    return out
