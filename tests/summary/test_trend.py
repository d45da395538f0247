from __future__ import annotations

import math

import pytest

from imurep.summary.trend import fit_trend


def test_exact_line_gives_its_slope_and_change() -> None:
    t = fit_trend("range_deg", [40.0, 38.0, 36.0, 34.0, 32.0])
    assert t is not None
    assert t.slope_per_rep == pytest.approx(-2.0)
    assert t.intercept == pytest.approx(40.0)
    assert t.fitted(5) == pytest.approx(32.0)
    # -8 over the set against a mean of 36
    assert t.change_pct == pytest.approx(-800 / 36)
    assert t.n == 5


def test_missing_values_are_left_out_but_keep_their_place() -> None:
    t = fit_trend("smoothness_sparc", [-2.0, None, -3.0, float("nan"), -4.0])
    assert t is not None
    assert t.n == 3
    assert t.slope_per_rep == pytest.approx(-0.5)


def test_too_few_values_gives_no_trend() -> None:
    assert fit_trend("hold_s", [1.0, 2.0, None], min_n=3) is None
    assert fit_trend("hold_s", [], min_n=3) is None


def test_zero_mean_gives_nan_change() -> None:
    t = fit_trend("hold_s", [0.0, 0.0, 0.0])
    assert t is not None and t.slope_per_rep == 0.0 and math.isnan(t.change_pct)
