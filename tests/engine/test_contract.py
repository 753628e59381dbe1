"""One contract over every registered method of every stage (the scikit-learn habit).

Every method must declare each of its parameters once (``params``: kind, range or choices,
Chinese and English description; ``rules`` for relations between them), and that declaration must
reject a bad value in the constructor, in :func:`make_method` (naming the address) and in the pure
function; ``RULE_CASES`` gives, for every rule, a combination that breaks it.

Every method must also: construct from its defaults (or, when it has required parameters, from the
example parameters below), round-trip ``get_params()``, survive the log's JSON round trip, leave the
original alone on ``replace``, keep shape (and, for per-column stages, the NaN positions), agree
with its pure function, and be deterministic without touching its input.

``EXAMPLES`` must name every registered method: a new method without an entry fails
:func:`test_examples_cover_every_registered_method`. ``CALLS`` says how to call the pure function
of the methods of the matrix stages (weight, aggregate, classify); the per-column stages (impute,
treat, normalise) are called generically by parameter name.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cimon.engine.base import REGISTRY, Method, make_method, registered
from cimon.engine.classify import Thresholds, published
from cimon.engine.impute import ImputeContext, Imputer
from cimon.engine.normalise import Normaliser
from cimon.engine.params import KINDS, Param, ParamError
from cimon.engine.pipeline import _plain
from cimon.engine.treat import Treatment
from cimon.engine.weight import WeightContext, Weighting, ahp_weights, spread_by_points
from cimon.errors import MethodError


@dataclass(frozen=True)
class Example:
    """params: constructor arguments (``{}`` = defaults). variant: a parameter change for the
    ``replace`` test (``{}`` when the method has no parameters). neg: params to use with direction
    −1 when they differ (normalisers whose references are oriented)."""

    params: dict[str, Any] = field(default_factory=dict)
    variant: dict[str, Any] = field(default_factory=dict)
    neg: dict[str, Any] | None = None


EXAMPLES: dict[tuple[str, str], Example] = {
    ("impute", "none"): Example(),
    ("impute", "carry_forward"): Example(),
    ("impute", "group_median"): Example({}, {"group": "all"}),
    ("impute", "group_mean"): Example({}, {"group": "all"}),
    ("treat", "none"): Example(),
    ("treat", "bounds"): Example({"floor": -1.0, "cap": 50.0}, {"cap": 60.0}),
    ("treat", "winsorise"): Example({}, {"winmax": 2}),
    ("normalise", "target"): Example(
        {"floor": 0.0, "target": 40.0}, {"target": 30.0}, {"floor": 40.0, "target": 0.0}
    ),
    ("normalise", "growth"): Example({"g_star": 15.0}, {"g_star": 10.0}, {"g_star": -15.0}),
    ("normalise", "base_index"): Example({"base_mean": 20.0}, {"cap": 1.5}),
    ("normalise", "goalposts"): Example({"lo": -10.0, "hi": 60.0}, {"hi": 80.0}),
    ("normalise", "rubric"): Example({}, {"max_points": 10.0}),
    ("normalise", "minmax"): Example({}, {"constant": 0.0}),
    ("normalise", "zscore"): Example({}, {"ddof": 0}),
    ("normalise", "rank"): Example({}, {"scale": "fraction"}),
    ("normalise", "efficacy"): Example({}, {"lo": 50.0}),
    ("normalise", "distance_to_best"): Example(),
    ("weight", "points"): Example(),
    ("weight", "equal"): Example(),
    ("weight", "entropy"): Example({}, {"shift": 0.01}),
    ("weight", "critic"): Example({}, {"ddof": 0}),
    ("weight", "pca"): Example(),
    ("weight", "ahp"): Example({}, {"max_cr": 0.2}),
    ("aggregate", "sum"): Example({}, {"missing": "skip"}),
    ("aggregate", "borda"): Example({}, {"missing": "skip", "min_share": 0.5}),
    ("aggregate", "copeland"): Example({}, {"missing": "skip"}),
    ("aggregate", "weighted_mean"): Example({}, {"skip_missing": False}),
    ("aggregate", "geometric"): Example({}, {"epsilon": 0.05}),
    ("aggregate", "topsis"): Example({}, {"ideal": "fixed"}),
    ("classify", "thresholds"): Example({}, {"rounding": 1}),
}

ALL = registered()

# ---------------------------------------------------------------------------------------------
# inputs

RNG = np.random.default_rng(20240601)
N, K = 12, 5
COLUMN = np.array([3.0, np.nan, 17.5, 0.0, 42.0, 8.25, np.nan, 17.5, 100.0, 1.0, 25.0, 60.0])
PREVIOUS = np.array([2.0, 5.0, 16.0, np.nan, 40.0, 8.0, np.nan, 17.0, 90.0, 1.0, 24.0, 55.0])
GROUPS = {"city": np.array(list("aabbccaabbcc"), dtype=object)}
Z = RNG.uniform(0.0, 1.0, size=(N, K))
POINTS = np.array([30.0, 20.0, 20.0, 20.0, 10.0])
PILLARS = np.array([0, 0, 1, 1, 2])
WCTX = WeightContext(
    points=POINTS,
    pillars=PILLARS,
    raw=RNG.uniform(1.0, 50.0, size=(N, K)),
    total=100.0,
    pillar_codes=("p0", "p1", "p2"),
)
SCORES = np.array(
    [95.0, 80.0, 79.995, 79.99999999, 60.0, 59.99, 12.0, 80.0, 0.0, 100.0, 61.2, 33.3]
)


def example(stage: str, name: str) -> Example:
    return EXAMPLES.get((stage, name), Example())


def build(stage: str, name: str, direction: int = 1) -> Method:
    ex = example(stage, name)
    params = ex.neg if (direction < 0 and ex.neg is not None) else ex.params
    return REGISTRY[stage][name](**params)


def run(m: Method, direction: int = 1) -> Any:
    """Apply a method to the stage's standard input (copies, so mutation would show)."""
    if isinstance(m, Imputer):
        return m.apply(COLUMN.copy(), ImputeContext(previous=PREVIOUS.copy(), groups=GROUPS))
    if isinstance(m, Treatment):
        return m.apply(COLUMN.copy())
    if isinstance(m, Normaliser):
        return m.apply(COLUMN.copy(), direction)
    if isinstance(m, Weighting):
        return m.apply(Z.copy(), WCTX)
    if m.stage == "aggregate":
        return m.apply(Z.copy(), POINTS.copy())  # type: ignore[attr-defined]
    if isinstance(m, Thresholds):
        return m.apply(SCORES.copy())
    raise AssertionError(f"no standard input for stage {m.stage}")


def _ahp(m: Any) -> np.ndarray:
    n = int(PILLARS.max()) + 1 if m.level == "pillar" else K
    a = np.asarray(m.matrix, float) if m.matrix else np.ones((n, n))
    w = ahp_weights(a, m.ri_table)[0]
    return (spread_by_points(w, PILLARS, POINTS) if m.level == "pillar" else w) * WCTX.total


#: how to call the pure function of each matrix-stage method, given the instance
CALLS: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("weight", "points"): lambda m: m.function(WCTX.points),
    ("weight", "equal"): lambda m: m.function(K, WCTX.total),
    ("weight", "entropy"): lambda m: (
        m.function(Z if m.on == "normalised" else WCTX.raw, m.shift) * WCTX.total
    ),
    ("weight", "critic"): lambda m: m.function(Z, m.ddof) * WCTX.total,
    ("weight", "pca"): lambda m: m.function(Z) * WCTX.total,
    ("weight", "ahp"): _ahp,
    ("aggregate", "sum"): lambda m: m.function(Z, POINTS, **m.get_params()),
    ("aggregate", "weighted_mean"): lambda m: m.function(Z, POINTS, **m.get_params()),
    ("aggregate", "geometric"): lambda m: m.function(Z, POINTS, **m.get_params()),
    ("aggregate", "topsis"): lambda m: m.function(Z, POINTS, **m.get_params()),
    ("aggregate", "borda"): lambda m: m.function(Z, POINTS, **m.get_params()),
    ("aggregate", "copeland"): lambda m: m.function(Z, POINTS, **m.get_params()),
    ("classify", "thresholds"): lambda m: m.function(
        published(SCORES, m.rounding), m.minimums, m.labels
    ),
}


def call_function(m: Method, direction: int = 1) -> Any:
    """The pure function on the same input as :func:`run`, called by parameter name."""
    key = (m.stage, m.name)
    if m.stage not in ("impute", "treat", "normalise"):
        assert key in CALLS, f"add {key} to CALLS in tests/engine/test_contract.py"
        return CALLS[key](m)
    assert m.function is not None
    pool: dict[str, Any] = {**m.get_params(), "direction": direction, "previous": PREVIOUS}
    if "group" in pool:
        pool["groups"] = np.zeros(N, int) if pool["group"] == "all" else GROUPS[str(pool["group"])]
    sig = inspect.signature(m.function)
    _first, *rest = sig.parameters
    kwargs = {p: pool[p] for p in rest if p in pool}
    missing = [
        p for p in rest if p not in pool and sig.parameters[p].default is inspect.Parameter.empty
    ]
    assert not missing, f"{key}: function parameters {missing} are not method parameters"
    return m.function(COLUMN.copy(), **kwargs)


def same(a: Any, b: Any) -> None:
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            same(x, y)
        return
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    if a.dtype.kind == "f":
        np.testing.assert_array_equal(a, b)  # NaN == NaN here; bit for bit otherwise
    else:
        assert (a == b).all()


# ---------------------------------------------------------------------------------------------
# the contract


def test_examples_cover_every_registered_method() -> None:
    missing = [key for key in ALL if key not in EXAMPLES]
    assert not missing, f"add these methods to EXAMPLES in tests/engine/test_contract.py: {missing}"
    stale = [key for key in EXAMPLES if key not in ALL]
    assert not stale, f"EXAMPLES names methods that are not registered: {stale}"


@pytest.mark.parametrize(("stage", "name"), ALL)
def test_constructs_and_describes_itself(stage: str, name: str) -> None:
    cls = REGISTRY[stage][name]
    assert cls.stage == stage and cls.name == name
    assert cls.title_zh, "every method needs a Chinese title"
    assert cls.function is not None and callable(cls.function)
    assert cls.__doc__ and cls.__doc__.strip().startswith(f"{name}:")
    required = [
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    if required:
        assert set(required) <= set(example(stage, name).params), (
            f"{stage}.{name} requires {required}: give them in EXAMPLES"
        )
        with pytest.raises(TypeError):
            cls()
    else:
        assert isinstance(cls(), cls)  # defaults alone are enough
    m = build(stage, name)
    assert dataclasses.is_dataclass(m)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.__setattr__("x_", 1)  # frozen: no state learned into the instance


@pytest.mark.parametrize(("stage", "name"), ALL)
def test_params_round_trip(stage: str, name: str) -> None:
    m = build(stage, name)
    params = m.get_params()
    assert list(params) == m.param_names()
    assert type(m)(**params) == m
    assert m.spec() == {"method": name, **params}
    # through the run log as JSON and back: same behaviour
    logged = json.loads(json.dumps(_plain(m.spec()), ensure_ascii=False))
    again = make_method(stage, logged)
    same(run(again), run(m))


@pytest.mark.parametrize(("stage", "name"), ALL)
def test_replace_leaves_original_alone(stage: str, name: str) -> None:
    m = build(stage, name)
    before = m.get_params()
    variant = example(stage, name).variant
    if m.param_names():
        assert variant, f"give {stage}.{name} a variant in EXAMPLES"
    changed = m.replace(**variant)
    assert m.get_params() == before
    assert changed.get_params() == {**before, **variant}
    assert changed is not m
    if variant:
        assert changed != m
    with pytest.raises(MethodError):
        m.replace(no_such_parameter=1)


@pytest.mark.parametrize(("stage", "name"), ALL)
def test_shape_and_missing_positions(stage: str, name: str) -> None:
    m = build(stage, name)
    out = run(m)
    if stage in ("impute", "treat", "normalise"):
        out = np.asarray(out)
        assert out.shape == COLUMN.shape and out.dtype.kind == "f"
        present = ~np.isnan(COLUMN)
        if stage == "impute":
            # imputation may fill gaps but never touches a present value
            np.testing.assert_array_equal(out[present], COLUMN[present])
        else:
            np.testing.assert_array_equal(np.isnan(out), np.isnan(COLUMN))
    elif stage == "weight":
        assert np.asarray(out).shape == (K,)
        assert np.isclose(np.sum(out), WCTX.total)
    elif stage == "aggregate":
        assert np.asarray(out).shape == (N,)
    else:
        labels, ranks = out
        assert labels.shape == ranks.shape == SCORES.shape


@pytest.mark.parametrize(("stage", "name"), ALL)
def test_function_and_class_agree(stage: str, name: str) -> None:
    m = build(stage, name)
    got = run(m)
    want = call_function(m)
    if stage == "classify":
        got = got[0]
    same(got, want)
    if isinstance(m, Normaliser):
        neg = build(stage, name, -1)
        same(run(neg, -1), call_function(neg, -1))


@pytest.mark.parametrize(("stage", "name"), ALL)
def test_deterministic_and_pure(stage: str, name: str) -> None:
    m = build(stage, name)
    col, z, pts, sc = COLUMN.copy(), Z.copy(), POINTS.copy(), SCORES.copy()
    same(run(m), run(build(stage, name)))
    # the standard inputs were not mutated
    np.testing.assert_array_equal(COLUMN, col)
    np.testing.assert_array_equal(Z, z)
    np.testing.assert_array_equal(POINTS, pts)
    np.testing.assert_array_equal(SCORES, sc)


# ---------------------------------------------------------------------------------------------
# properties of the normalisers

NORMALISERS = [n for s, n in ALL if s == "normalise"]
BOUNDED = [n for n in NORMALISERS if REGISTRY["normalise"][n].bounded]

columns = arrays(
    float,
    st.integers(1, 30),
    elements=st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), st.just(np.nan)
    ),
)


@pytest.mark.parametrize("name", BOUNDED)
@pytest.mark.parametrize("direction", [1, -1])
@settings(max_examples=60, deadline=None)
@given(x=columns)
def test_bounded_normalisers_stay_in_unit_interval(
    name: str, direction: int, x: np.ndarray
) -> None:
    out = build("normalise", name, direction).apply(x, direction)  # type: ignore[attr-defined]
    present = ~np.isnan(out)
    assert ((out[present] >= 0.0) & (out[present] <= 1.0)).all()
    # a bounded method never invents or loses a missing value, except distance_to_best on x < 0
    if name != "distance_to_best":
        np.testing.assert_array_equal(np.isnan(out), np.isnan(x))


# ranges of integer values on which each normaliser is strictly monotone, for direction +1 and −1
# (the oriented references of target and growth use the mirrored example parameters for −1)
STRICT: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "minmax": ((-1000, 1000), (-1000, 1000)),
    "zscore": ((-1000, 1000), (-1000, 1000)),
    "rank": ((-1000, 1000), (-1000, 1000)),
    "efficacy": ((-1000, 1000), (-1000, 1000)),
    "distance_to_best": ((1, 1000), (1, 1000)),
    "target": ((0, 40), (0, 40)),
    "growth": ((0, 15), (-15, 0)),
    "goalposts": ((-10, 60), (-10, 60)),
    "base_index": ((0, 1000), (1, 1000)),
    "rubric": ((0, 5), (0, 5)),
}


def test_strict_table_covers_the_normalisers() -> None:
    assert set(STRICT) == set(NORMALISERS), "say on which range each normaliser is monotone"


@pytest.mark.parametrize("name", NORMALISERS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_flipping_direction_reverses_the_order(name: str, data: st.DataObject) -> None:
    """Direction +1: more scores more; direction −1: more scores less (strictly, on the range)."""
    for direction, (lo, hi) in zip((1, -1), STRICT[name], strict=True):
        ints = data.draw(st.lists(st.integers(lo, hi), min_size=2, max_size=20, unique=True))
        x = np.sort(np.array(ints, float))
        out = build("normalise", name, direction).apply(x, direction)  # type: ignore[attr-defined]
        steps = np.diff(out)
        assert (steps * direction > 0).all(), f"direction {direction}: {x} → {out}"


@pytest.mark.parametrize("name", [n for n, (up, down) in STRICT.items() if up == down])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_flipping_direction_on_the_same_data(name: str, data: st.DataObject) -> None:
    """Relative methods: on the same column, the −1 order is exactly the reverse of the +1 order."""
    lo, hi = STRICT[name][0]
    ints = data.draw(st.lists(st.integers(lo, hi), min_size=2, max_size=20, unique=True))
    x = np.array(ints, float)
    up = build("normalise", name, 1).apply(x, 1)  # type: ignore[attr-defined]
    down = build("normalise", name, -1).apply(x, -1)  # type: ignore[attr-defined]
    np.testing.assert_array_equal(np.argsort(up), np.argsort(down)[::-1])


# ---------------------------------------------------------------------------------------------
# parameter declarations: one per method, used by the function, the class and make_method

#: for each method with ``rules``: (parameters that break a rule, direction or None, the parameter
#: the error must name). Every rule needs a case (checked below).
RULE_CASES: dict[tuple[str, str], list[tuple[dict[str, Any], int | None, str]]] = {
    ("normalise", "target"): [
        ({"floor": 0.0, "target": 0.0}, None, "target"),
        ({"floor": 10.0, "target": 5.0}, 1, "target"),
        ({"floor": 5.0, "target": 50.0}, -1, "target"),
    ],
    ("normalise", "growth"): [
        ({"g_star": 0.0, "floor": 0.0}, None, "g_star"),
        ({"g_star": -5.0}, 1, "g_star"),
        ({"g_star": 5.0}, -1, "g_star"),
    ],
    ("normalise", "goalposts"): [({"lo": 5.0, "hi": 5.0}, None, "hi")],
    ("normalise", "efficacy"): [({"lo": 80.0, "hi": 70.0}, None, "hi")],
    ("treat", "bounds"): [({"floor": 5.0, "cap": 1.0}, None, "cap")],
    ("classify", "thresholds"): [
        ({"minimums": [80.0, None], "labels": ["A", "B", "C"]}, None, "labels")
    ],
}

#: a value of the wrong kind for each kind of parameter
WRONG_KIND: dict[str, Any] = {
    "number": "many",
    "integer": 1.5,
    "text": 7,
    "bool": "yes",
    "numbers": "A",
    "texts": [1, 2],
    "matrix": [[1.0, 2.0]],
}

#: the standard inputs of the pure functions, by argument name
FUNCTION_INPUTS: dict[str, Any] = {
    "x": COLUMN,
    "z": Z,
    "w": POINTS,
    "score": SCORES,
    "previous": PREVIOUS,
    "groups": GROUPS["city"],
}


def bad_values(p: Param) -> list[Any]:
    """Values the declaration ``p`` must reject: missing, the wrong kind, out of range, not a
    choice."""
    out: list[Any] = [] if p.optional else [None]
    out.append(WRONG_KIND[p.kind])
    if p.lo is not None:
        out.append(p.lo if p.open_lo else p.lo - 1)
    if p.hi is not None:
        out.append(p.hi if p.open_hi else p.hi + 1)
    if p.choices:
        out.append("no-such-choice" if p.kind == "text" else max(p.choices) + 1)
    return out


def bad_cases() -> list[tuple[str, str, str, Any]]:
    return [
        (stage, name, p.name, v)
        for stage, name in ALL
        for p in REGISTRY[stage][name].params
        for v in bad_values(p)
    ]


def call_with(m: type[Method], params: dict[str, Any], direction: int | None = None) -> Any:
    """The pure function on the standard inputs with ``params`` (its own arguments only)."""
    assert m.function is not None
    sig = inspect.signature(m.function)
    kwargs: dict[str, Any] = {}
    for arg in sig.parameters:
        if arg in params:
            kwargs[arg] = params[arg]
        elif arg == "direction" and direction is not None:
            kwargs[arg] = direction
        elif arg in FUNCTION_INPUTS:
            kwargs[arg] = np.array(FUNCTION_INPUTS[arg], copy=True)
    return m.function(**kwargs)


@pytest.mark.parametrize(("stage", "name"), ALL)
def test_every_parameter_is_declared_once(stage: str, name: str) -> None:
    """``params`` names exactly the constructor's parameters, in order, each described in both
    languages; every rule names declared parameters and has a breaking case in RULE_CASES."""
    cls = REGISTRY[stage][name]
    assert [p.name for p in cls.params] == cls.param_names(), (
        f"declare every parameter of {stage}.{name} (and only those) in its params"
    )
    for p in cls.params:
        assert p.zh.strip() and p.en.strip(), f"{stage}.{name}.{p.name} needs zh and en text"
        assert p.kind in KINDS
        assert all(len(x) > 0 for x in p.describe())
    for rule in cls.rules:
        assert rule.param in rule.uses and set(rule.uses) <= set(cls.param_names())
    assert len(RULE_CASES.get((stage, name), [])) >= len(cls.rules), (
        f"give every rule of {stage}.{name} a breaking case in RULE_CASES"
    )
    # the example parameters and the defaults pass their own declaration
    ex = example(stage, name)
    cls.check_params(ex.params, direction=1)
    if ex.neg is not None:
        cls.check_params(ex.neg, direction=-1)


@pytest.mark.parametrize(("stage", "name", "param", "value"), bad_cases())
def test_bad_value_is_rejected_everywhere(stage: str, name: str, param: str, value: Any) -> None:
    """The one declaration rejects a bad value in the constructor, in make_method (naming the
    address), and in the pure function when the function takes that parameter."""
    cls = REGISTRY[stage][name]
    params = {**build(stage, name).get_params(), param: value}
    with pytest.raises(ParamError):
        cls(**params)
    with pytest.raises(ParamError) as info:
        make_method(stage, {"method": name, **params}, "here.I01")
    assert info.value.where == f"here.I01.{param}"
    assert param in info.value.zh and param in info.value.en
    assert isinstance(info.value, MethodError) and isinstance(info.value, ValueError)
    assert cls.function is not None
    if param in inspect.signature(cls.function).parameters:
        with pytest.raises(ParamError):
            call_with(cls, params)


@pytest.mark.parametrize(
    ("stage", "name", "case"),
    [(s, n, c) for (s, n), cases in RULE_CASES.items() for c in cases],
)
def test_broken_rule_is_rejected_everywhere(
    stage: str, name: str, case: tuple[dict[str, Any], int | None, str]
) -> None:
    params, direction, blamed = case
    cls = REGISTRY[stage][name]
    full = {**build(stage, name).get_params(), **params}
    with pytest.raises(ParamError) as info:
        make_method(stage, {"method": name, **full}, "here.I01", direction=direction)
    assert info.value.where == f"here.I01.{blamed}"
    with pytest.raises(ParamError):
        call_with(cls, full, direction)
    if direction is None:
        with pytest.raises(ParamError):
            cls(**full)
    else:  # the constructor does not know the direction; the same values pass without it
        cls(**full)


# ---------------------------------------------------------------------------------------------
# the same declaration behind --set and the framework YAML


def test_bad_set_value_is_a_clean_cli_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``cimon evaluate --set normalise.I01.target=0`` (target equal to the floor): exit 2 with
    the address in both languages, not an internal error."""
    from click.testing import CliRunner

    from cimon.cli import main

    monkeypatch.chdir(tmp_path)
    args = ["evaluate", "--set", "normalise.I01.target=0", "--demo", "--year", "2022"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(x.startswith("normalise.I01.target: ") for x in lines)
    assert "下限" in lines[0] and "floor" in lines[1]
    assert not list(tmp_path.iterdir())  # nothing written


def test_bad_yaml_value_names_its_key(tmp_path: Path) -> None:
    """The framework parser checks the same declaration: a target equal to its floor, and a
    value out of a method's range under ``pipeline:``, name their key paths."""
    import yaml

    from cimon.errors import FrameworkError
    from cimon.model.framework import load_framework

    data = json.loads(json.dumps(load_framework("nx-2021").raw))
    data["pillars"][0]["indicators"][0]["normalise"] = {
        "method": "target",
        "floor": 0,
        "target": 0,
    }
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    assert info.value.where == f"{path}: pillars[0].indicators[0].normalise.target"
    assert "下限" in info.value.zh and "floor" in info.value.en
    data["pillars"][0]["indicators"][0].pop("normalise")
    data["pipeline"] = {"aggregate": {"method": "geometric", "epsilon": 2}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    assert info.value.where == f"{path}: pipeline.aggregate.epsilon"
