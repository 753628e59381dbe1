"""Deriving indicators from variables (cimon.engine.derive): ratio, share, per10k, growth, cagr,
lag, mean/min/max; zero bases; division by zero → missing and flagged ``undefined``, never inf."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cimon.engine.derive import (
    Formula,
    cagr,
    derive_matrix,
    evaluate_formula,
    growth,
    per10k,
    ratio,
    share,
)

NAN = np.nan


def panel(data: dict[tuple[str, int], list[float]]):  # type: ignore[no-untyped-def]
    """A getter over {(variable, lag): values}."""

    def get(var: str, lag: int) -> np.ndarray:
        return np.array(data[(var, lag)], float)

    return get


def test_ratio_share_per10k() -> None:
    a = np.array([3.0, 1.0, NAN, 5.0])
    b = np.array([4.0, 0.0, 2.0, NAN])
    # 3/4 = 0.75; 1/0 → missing; missing in → missing out
    np.testing.assert_array_equal(ratio(a, b), [0.75, NAN, NAN, NAN])
    np.testing.assert_array_equal(share(a, b), [75.0, NAN, NAN, NAN])
    # 12 patents for 40 000 people: 10 000 · 12 / 40 000 = 3 per 10k
    np.testing.assert_allclose(per10k(np.array([12.0]), np.array([40000.0])), [3.0], rtol=1e-15)
    # 0/0 is missing too
    assert np.isnan(ratio(np.array([0.0]), np.array([0.0]))).all()


def test_growth_semantics_and_zero_base() -> None:
    cur = np.array([115.0, 90.0, 0.0, 5.0, 5.0, NAN, 3.0])
    base = np.array([100.0, 100.0, 0.0, 0.0, -2.0, 4.0, NAN])
    # 100 · (115 − 100)/100 = 15; 100 · (90 − 100)/100 = −10; 0 → 0 is no growth;
    # from 0 (or a negative base) to 5 is undefined; missing in → missing out
    np.testing.assert_array_equal(growth(cur, base), [15.0, -10.0, 0.0, NAN, NAN, NAN, NAN])
    # zero_base "zero": the undefined cases score as no growth; missing stays missing
    np.testing.assert_array_equal(growth(cur, base, "zero"), [15.0, -10.0, 0.0, 0.0, 0.0, NAN, NAN])


def test_cagr() -> None:
    # 100 → 121 over 2 years: 100 · (sqrt(1.21) − 1) = 10 % a year
    np.testing.assert_allclose(cagr(np.array([121.0]), np.array([100.0]), 2), [10.0])
    out = cagr(np.array([0.0, 5.0, -1.0, 50.0]), np.array([0.0, 0.0, 10.0, 200.0]), 2)
    # 0 → 0 no growth; from 0 undefined; to a negative value undefined; 200 → 50: 100·(0.5 − 1) = −50
    np.testing.assert_allclose(out, [0.0, NAN, NAN, -50.0])
    np.testing.assert_allclose(
        cagr(np.array([5.0, -1.0]), np.array([0.0, 10.0]), 2, "zero"), [0.0, 0.0]
    )


def test_formulas_with_lag_and_reductions() -> None:
    get = panel(
        {
            ("x", 0): [110.0, 50.0, NAN],
            ("x", 1): [100.0, 0.0, 7.0],
            ("x", 2): [80.0, 0.0, 6.0],
            ("y", 0): [2.0, NAN, NAN],
        }
    )
    np.testing.assert_array_equal(evaluate_formula("lag(x)", get), [100.0, 0.0, 7.0])
    np.testing.assert_array_equal(evaluate_formula("lag(x, 2)", get), [80.0, 0.0, 6.0])
    # growth(x): 100 · (110 − 100)/100 = 10; from 0 undefined; missing current → missing
    np.testing.assert_array_equal(evaluate_formula("growth(x)", get), [10.0, NAN, NAN])
    np.testing.assert_array_equal(evaluate_formula("growth(x)", get, "zero"), [10.0, 0.0, NAN])
    # growth of last year: 100 · (100 − 80)/80 = 25; 0 → 0 = 0; 100 · (7 − 6)/6
    np.testing.assert_allclose(evaluate_formula("growth(lag(x))", get), [25.0, 0.0, 100 / 6])
    # mean/min/max ignore missing arguments; all missing → missing
    np.testing.assert_array_equal(evaluate_formula("mean(x, y)", get), [56.0, 50.0, NAN])
    np.testing.assert_array_equal(evaluate_formula("max(x, y)", get), [110.0, 50.0, NAN])
    np.testing.assert_array_equal(evaluate_formula("min(x, y)", get), [2.0, 50.0, NAN])
    # plain division by zero is missing, not inf
    np.testing.assert_array_equal(evaluate_formula("y / lag(x)", get), [0.02, NAN, NAN])


def test_derive_matrix_flags_undefined_not_missing() -> None:
    get = panel({("a", 0): [1.0, 1.0, NAN, 0.0], ("b", 0): [2.0, 0.0, 2.0, 0.0]})
    formulas = {"R": Formula("ratio(a, b)"), "A": Formula("a")}
    values, undefined = derive_matrix(formulas, get, 4)
    np.testing.assert_array_equal(values[:, 0], [0.5, NAN, NAN, NAN])
    # row 1: 1/0 and row 3: 0/0 are undefined (inputs present); row 2 is merely missing
    assert undefined[:, 0].tolist() == [False, True, False, True]
    assert not undefined[:, 1].any()
    # a constant formula broadcasts to every region
    values, _ = derive_matrix({"K": Formula("2 * 3")}, get, 4)
    np.testing.assert_array_equal(values[:, 0], [6.0] * 4)


def test_formula_thin_class() -> None:
    f = Formula("growth(x)", zero_base="zero")
    assert f.get_params() == {"formula": "growth(x)", "zero_base": "zero"}
    g = f.replace(zero_base="missing")
    assert f.zero_base == "zero" and g.zero_base == "missing"


# county statistics: magnitudes up to 1e9 (万元, persons), no denormal denominators
values = st.one_of(
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False).filter(
        lambda v: v == 0 or abs(v) >= 1e-6
    ),
    st.just(0.0),
    st.just(NAN),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(values, values), min_size=1, max_size=30))
def test_never_infinite_and_undefined_iff_present_but_missing(
    pairs: list[tuple[float, float]],
) -> None:
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    get = panel({("a", 0): a, ("b", 0): b, ("a", 1): b, ("a", 2): b})
    n = len(pairs)
    formulas = {
        "ratio": Formula("ratio(a, b)"),
        "share": Formula("share(a, b)"),
        "per10k": Formula("per10k(a, b)"),
        "div": Formula("a / b"),
        "growth": Formula("growth(a)"),
        "growth0": Formula("growth(a)", "zero"),
        "cagr": Formula("cagr(a, 2)"),
        "mean": Formula("mean(a, b)"),
    }
    out, undefined = derive_matrix(formulas, get, n)
    assert not np.isinf(out).any()
    present = ~np.isnan(np.array(a)) & ~np.isnan(np.array(b))
    # undefined only where every input was present and the value is missing
    assert not (undefined & ~present[:, None]).any()
    np.testing.assert_array_equal(undefined, np.isnan(out) & present[:, None])
    # division by zero is always undefined (ratio column), whatever the numerator
    zero_den = present & (np.array(b) == 0)
    assert undefined[zero_den, 0].all()
    # zero_base "zero" leaves nothing undefined
    assert not undefined[:, 5].any()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_overflowing_ratio_is_missing_not_inf() -> None:
    a, b = np.array([1e8]), np.array([1e-300])  # ratio 1e308 is finite
    assert not np.isinf(share(a, b)).any()
    assert not np.isinf(per10k(a, b)).any()
