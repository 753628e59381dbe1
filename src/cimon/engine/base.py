"""Method registry and the thin-class contract every method follows.

Each stage (impute, treat, normalise, weight, aggregate, classify) has a family of methods. A method is
a pure function (tested and documented on its own) and a thin frozen dataclass around it:

* the constructor only stores parameters; ``get_params()`` returns them (that is what goes in the log);
* ``replace(**kw)`` returns a modified copy and leaves the original alone;
* values learned from data end in ``_`` and are never constructor parameters;
* the parameters are declared once, on the class (``params`` and ``rules``,
  :mod:`cimon.engine.params`), and that declaration is what the pure function, the constructor,
  the framework parser and overrides check.

Methods register under a stage and a name so YAML can say ``normalise: {method: target, target: 2.5}``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from cimon.engine.params import Param, ParamError, Rule, check
from cimon.errors import MethodError

__all__ = [
    "REGISTRY",
    "STAGES",
    "Method",
    "Param",
    "ParamError",
    "Rule",
    "make_method",
    "method_class",
    "register",
    "registered",
]

STAGES: tuple[str, ...] = ("impute", "treat", "normalise", "weight", "aggregate", "classify")

REGISTRY: dict[str, dict[str, type[Method]]] = {stage: {} for stage in STAGES}

M = TypeVar("M", bound="Method")


@dataclasses.dataclass(frozen=True)
class Method:
    """Base of every registered method. Subclasses are frozen dataclasses of their parameters."""

    stage: ClassVar[str] = ""
    name: ClassVar[str] = ""
    #: the pure function this class wraps (for the function/class agreement contract test)
    function: ClassVar[Callable[..., Any] | None] = None
    #: a one-line description in Chinese, shown in logs and docs
    title_zh: ClassVar[str] = ""
    #: every parameter: kind, range or choices, description (the one declaration of the checks)
    params: ClassVar[tuple[Param, ...]] = ()
    #: relations between parameters (``hi > lo``; a target above its floor when more is better)
    rules: ClassVar[tuple[Rule, ...]] = ()

    def __post_init__(self) -> None:
        self.check_params(self.get_params())

    @classmethod
    def check_params(
        cls, values: Mapping[str, Any], where: str | None = None, direction: int | None = None
    ) -> None:
        """Check some or all parameter values against the declaration; raise :class:`ParamError`
        naming ``where.<parameter>``. Rules tied to a direction are checked when it is given."""
        check(f"{cls.stage}.{cls.name}", cls.params, cls.rules, values, where, direction)

    def get_params(self) -> dict[str, Any]:
        """The parameters as a plain dict: exactly what goes into the run log."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def replace(self: M, **changes: Any) -> M:
        """A copy with some parameters changed; the original is untouched."""
        bad = [k for k in changes if k not in self.param_names()]
        if bad:
            raise MethodError(
                f"方法 {self.stage}.{self.name} 没有参数：{'、'.join(bad)}。",
                f"Method {self.stage}.{self.name} has no parameter(s): {', '.join(bad)}.",
            )
        return dataclasses.replace(self, **changes)

    @classmethod
    def param_names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    def spec(self) -> dict[str, Any]:
        """``{"method": name, **params}``: the form used in YAML and in the log."""
        return {"method": self.name, **self.get_params()}


def register(cls: type[M]) -> type[M]:
    """Class decorator: add a method class to the registry of its stage."""
    if cls.stage not in REGISTRY:
        raise ValueError(f"unknown stage {cls.stage!r}")
    if cls.name in REGISTRY[cls.stage]:
        raise ValueError(f"duplicate method {cls.stage}.{cls.name}")
    REGISTRY[cls.stage][cls.name] = cls
    return cls


def method_class(stage: str, name: str, where: str | None = None) -> type[Method]:
    _load_all()
    try:
        return REGISTRY[stage][name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY.get(stage, {})))
        raise MethodError(
            f"“{stage}”环节没有名为“{name}”的方法。可用方法：{known}。",
            f"Stage '{stage}' has no method '{name}'. Available: {known}.",
            where,
        ) from None


def make_method(
    stage: str,
    spec: Mapping[str, Any],
    where: str | None = None,
    strict: bool = True,
    direction: int | None = None,
) -> Method:
    """Build a method instance from ``{"method": name, **params}``.

    With ``strict`` (the default, used for YAML) an unknown parameter is an error; without it,
    parameters the method does not take are dropped (used when an uncertainty variant switches
    method and the old method's parameters no longer apply). The values are checked against the
    method's declaration (with the indicator's ``direction`` when given): a bad one is a
    :class:`ParamError` naming ``where.<parameter>``.
    """
    cls = method_class(stage, str(spec.get("method")), where)
    params = {k: v for k, v in spec.items() if k != "method"}
    names = cls.param_names()
    unknown = [str(k) for k in params if k not in names]
    if unknown and strict:
        raise MethodError(
            f"方法 {stage}.{cls.name} 不接受参数：{'、'.join(unknown)}（可用参数：{'、'.join(names) or '无'}）。",
            f"Method {stage}.{cls.name} takes no parameter(s) {', '.join(unknown)} "
            f"(it takes: {', '.join(names) or 'none'}).",
            where,
        )
    params = {k: v for k, v in params.items() if k in names}
    cls.check_params(params, where, direction)
    try:
        return cls(**params)
    except (TypeError, ValueError) as exc:
        raise MethodError(
            f"方法 {stage}.{cls.name} 的参数无效：{exc}。",
            f"Invalid parameters for {stage}.{cls.name}: {exc}.",
            where,
        ) from None


def registered(stage: str | None = None) -> list[tuple[str, str]]:
    """(stage, name) of every registered method."""
    _load_all()
    stages = [stage] if stage else list(STAGES)
    return [(s, n) for s in stages for n in REGISTRY[s]]


def _load_all() -> None:
    # importing the stage modules registers their methods
    from cimon.engine import (  # noqa: F401
        aggregate,
        classify,
        impute,
        normalise,
        outranking,
        rank_normalise,
        treat,
        weight,
    )
