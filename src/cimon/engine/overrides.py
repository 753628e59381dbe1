"""The log: :func:`build_log` resolves a framework into every stage's method and parameters;
:func:`apply_overrides` edits addresses in a log (uncertainty analysis, ``Run.variant``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from cimon.engine.base import STAGES, Method, make_method, method_class
from cimon.engine.classify import Thresholds
from cimon.errors import FrameworkError, MethodError
from cimon.model.framework import INDICATOR_STAGES, Framework
from cimon.model.framework_tree import tree_log


def build_log(framework: Framework) -> dict[str, Any]:
    """Resolve every stage's method and parameters from the framework (defaults under ``pipeline:``
    merged with each indicator's overrides). Validates method names and parameters, raising
    :class:`FrameworkError` with the file and key path."""
    log: dict[str, Any] = {
        "framework": {"id": framework.id, "version": framework.version, "hash": framework.hash},
        "derive": {},
        "impute": {},
        "treat": {},
        "normalise": {},
    }
    for pi, pillar in enumerate(framework.pillars):
        for ii, code in enumerate(pillar.indicators):
            ind = framework.indicator(code)
            log["derive"][code] = {
                "formula": ind.formula,
                "zero_base": ind.derive.get("zero_base", "missing"),
            }
            for stage in INDICATOR_STAGES:
                default = dict(framework.pipeline[stage])
                override = dict(ind.stages.get(stage, {}))
                spec = (
                    override
                    if override.get("method", default["method"]) != default["method"]
                    else {
                        **default,
                        **override,
                    }
                )
                if stage == "normalise" and spec["method"] == "rubric" and "max_points" not in spec:
                    spec["max_points"] = _rubric_max(framework, ind.variables)
                where = f"{framework.source}: pillars[{pi}].indicators[{ii}].{stage}"
                log[stage][code] = _check(stage, spec, where, ind.direction).spec()
    for stage in ("weight", "aggregate"):
        where = f"{framework.source}: pipeline.{stage}"
        log[stage] = _check(stage, framework.pipeline[stage], where).spec()
    log["points"] = {i.code: i.points for i in framework.indicators}
    if framework.groups:  # intermediate levels: the weights of groups and pillars
        log["tree"] = tree_log(framework.groups, framework.pillars)
    log["classify"] = Thresholds(
        minimums=tuple(b.min for b in framework.classes),
        labels=tuple(b.label for b in framework.classes),
        rounding=framework.rounding,
    ).spec()
    return _plain(log)


def _rubric_max(framework: Framework, variables: Sequence[str]) -> float:
    maxima = [framework.variable(v).max_points for v in variables]
    return float(max(m for m in maxima if m is not None)) if any(maxima) else 1.0


def _check(stage: str, spec: Mapping[str, Any], where: str, direction: int | None = None) -> Method:
    """The method of ``spec``; a bad name or value is a :class:`FrameworkError` naming the key
    (``pillars[0].indicators[2].normalise.target``)."""
    try:
        return make_method(stage, spec, where, direction=direction)
    except MethodError as exc:
        raise FrameworkError(exc.zh, exc.en, exc.where or where) from None


def _plain(obj: Any) -> Any:
    """Tuples → lists, numpy scalars → Python, so a log equals its JSON round trip."""
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def apply_overrides(
    log: dict[str, Any], overrides: Mapping[str, Any], framework: Framework
) -> dict[str, Any]:
    """Change addresses in a log (in place; returns it).

    ``normalise.I01.target`` sets one parameter of one indicator; ``normalise.method`` switches
    every indicator's method (keeping the parameters the new method takes); ``weight.method``,
    ``points.I01``, ``classify.rounding`` … set global entries. Each method changed is checked
    against its declaration (with the indicator's direction): a bad value is a
    :class:`~cimon.engine.params.ParamError` naming the address (``normalise.I01.target``).
    """
    for address, value in overrides.items():
        parts = address.split(".")
        stage = parts[0]
        if stage not in log:
            raise MethodError(
                f"日志中没有“{stage}”这一项。可用：{'、'.join(log)}。",
                f"The log has no entry '{stage}'. Entries: {', '.join(log)}.",
                address,
            )
        if stage in INDICATOR_STAGES and len(parts) == 2:
            for code in log[stage]:
                _set(log[stage], [code, parts[1]], value, stage, address)
                _check_node(log[stage][code], stage, f"{stage}.{code}", framework, code)
        elif stage in INDICATOR_STAGES:
            if parts[1] not in log[stage]:
                raise MethodError(f"没有指标“{parts[1]}”。", f"No indicator '{parts[1]}'.", address)
            _set(log[stage], parts[1:], value, stage, address)
            _check_node(log[stage][parts[1]], stage, f"{stage}.{parts[1]}", framework, parts[1])
        else:
            _set(log, parts, value, stage, address)
            if stage in STAGES:
                _check_node(log[stage], stage, stage, framework)
    return _plain(log)


def _check_node(
    node: Any, stage: str, where: str, framework: Framework, code: str | None = None
) -> None:
    """Check an edited method entry of the log against its method's declaration."""
    if not isinstance(node, Mapping) or "method" not in node:
        return
    direction = framework.indicator(code).direction if code is not None else None
    params = {k: v for k, v in node.items() if k != "method"}
    method_class(stage, str(node["method"]), where).check_params(params, where, direction)


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _set(node: dict[str, Any], path: list[str], value: Any, stage: str, address: str) -> None:
    if stage == "tree":
        _check_tree_weight(node["tree"], path[1:], value, address)
    for key in path[:-1]:
        node = node.setdefault(key, {})
    old = node.get(path[-1])
    # a method's parameters are checked by its declaration (_check_node); this is for the rest
    if stage not in STAGES and _is_number(old) and not _is_number(value):
        raise MethodError(
            f"“{address}”应为数值（当前为 {old}），不能设为 {value!r}。",
            f"'{address}' takes a number (now {old}); {value!r} is not one.",
            address,
        )
    if stage == "points" and _is_number(value) and value < 0:
        raise MethodError(
            f"分值不能为负数：{address}={value}。",
            f"Points cannot be negative: {address}={value}.",
            address,
        )
    node[path[-1]] = value
    if path[-1] == "method" and "method" in node:
        spec = make_method(
            stage if stage != "classify" else "classify", node, address, strict=False
        ).spec()
        node.clear()
        node.update(spec)


def _check_tree_weight(tree: Mapping[str, Any], path: list[str], value: Any, address: str) -> None:
    """Only ``tree.<group or pillar>.weight`` may change (the tree's shape is the framework's),
    to a number ≥ 0 or null (the points below the node)."""
    if len(path) != 2 or path[0] not in tree or path[1] != "weight":
        raise MethodError(
            f"“{address}”不可修改：只能修改 tree.<层级或一级指标代码>.weight（可用：{'、'.join(tree)}）。",
            f"'{address}' cannot be set: only tree.<group or pillar>.weight can "
            f"(codes: {', '.join(tree)}).",
            address,
        )
    if value is not None and (not _is_number(value) or value < 0):
        raise MethodError(
            f"权重应为不小于 0 的数值：{address}={value!r}。",
            f"A weight must be a number >= 0: {address}={value!r}.",
            address,
        )
