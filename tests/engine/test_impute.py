"""Missing-data policies (cimon.engine.impute): none, carry_forward, group_median, group_mean."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cimon.engine.impute import (
    CarryForward,
    GroupMean,
    GroupMedian,
    ImputeContext,
    NoImpute,
    carry_forward,
    exact_mean,
    group_mean,
    group_median,
    group_stat,
    impute_none,
)
from cimon.errors import MethodError

NAN = np.nan
X = np.array([1.0, NAN, 3.0, 10.0, NAN, 20.0, 40.0, NAN])
CITY = np.array(["a", "a", "a", "b", "b", "b", "b", "c"], dtype=object)


def test_none_leaves_gaps() -> None:
    out = impute_none(X)
    np.testing.assert_array_equal(out, X)
    assert out is not X
    np.testing.assert_array_equal(NoImpute().apply(X, ImputeContext()), X)


def test_carry_forward() -> None:
    prev = np.array([0.5, 2.0, 2.5, 9.0, NAN, 18.0, 35.0, 7.0])
    # gaps take last year's value; a region missing both years stays missing; present values stay
    np.testing.assert_array_equal(
        carry_forward(X, prev), [1.0, 2.0, 3.0, 10.0, NAN, 20.0, 40.0, 7.0]
    )
    np.testing.assert_array_equal(carry_forward(X, None), X)
    np.testing.assert_array_equal(
        CarryForward().apply(X, ImputeContext(previous=prev)), carry_forward(X, prev)
    )


def test_group_median() -> None:
    # city a: median(1, 3) = 2; city b: median(10, 20, 40) = 20; city c has nothing → stays missing
    np.testing.assert_array_equal(
        group_median(X, CITY), [1.0, 2.0, 3.0, 10.0, 20.0, 20.0, 40.0, NAN]
    )
    ctx = ImputeContext(groups={"city": CITY})
    np.testing.assert_array_equal(GroupMedian().apply(X, ctx), group_median(X, CITY))
    # group "all": median of 1, 3, 10, 20, 40 = 10
    np.testing.assert_array_equal(
        GroupMedian(group="all").apply(X, ctx), [1.0, 10.0, 3.0, 10.0, 10.0, 20.0, 40.0, 10.0]
    )


def test_group_mean() -> None:
    # city a: (1 + 3)/2 = 2; city b: (10 + 20 + 40)/3 = 23.333…; city c stays missing
    np.testing.assert_allclose(
        group_mean(X, CITY), [1.0, 2.0, 3.0, 10.0, 70 / 3, 20.0, 40.0, NAN], rtol=0, atol=0
    )
    ctx = ImputeContext(groups={"type": np.array(["县"] * 4 + ["区"] * 4, dtype=object)})
    # 县: mean(1, 3, 10) = 14/3; 区: mean(20, 40) = 30
    np.testing.assert_array_equal(
        GroupMean(group="type").apply(X, ctx), [1.0, 14 / 3, 3.0, 10.0, 30.0, 20.0, 40.0, 30.0]
    )


def test_unknown_group_is_a_clear_error() -> None:
    with pytest.raises(MethodError, match="tag:山区县"):
        GroupMedian(group="tag:山区县").apply(X, ImputeContext(groups={"city": CITY}))


def test_group_stat_checks_its_arguments() -> None:
    with pytest.raises(ValueError):
        group_stat(X, CITY, "mode")
    with pytest.raises(ValueError):
        group_stat(X, CITY[:3])


def test_exact_mean_is_correctly_rounded() -> None:
    """0.1 + 0.2 + 0.3 summed left to right is 0.6000000000000001; the exact mean of the three
    doubles rounds to 0.2 (what R's mean() gives)."""
    v = np.array([0.1, 0.2, 0.3])
    assert (v[0] + v[1] + v[2]) / 3 != 0.2
    assert exact_mean(v) == 0.2
    assert np.isnan(exact_mean(np.array([])))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(st.floats(-1e6, 1e6), st.none()), st.sampled_from("abc")),
        min_size=1,
        max_size=30,
    )
)
def test_imputation_only_fills_gaps(rows: list[tuple[float | None, str]]) -> None:
    x = np.array([NAN if v is None else v for v, _ in rows])
    g = np.array([k for _, k in rows], dtype=object)
    for fn in (group_mean, group_median):
        out = fn(x, g)
        present = ~np.isnan(x)
        np.testing.assert_array_equal(out[present], x[present])
        for label in set(g.tolist()):
            m = g == label
            has = (m & present).any()
            # a group with any present value has no gaps left; one without stays all missing
            assert (not np.isnan(out[m]).any()) if has else np.isnan(out[m]).all()
            if has:
                lo, hi = x[m & present].min(), x[m & present].max()
                assert ((out[m] >= lo) & (out[m] <= hi)).all()
