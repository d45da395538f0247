"""Fatigue trend: the least-squares slope of a per-rep metric against the rep's place in its set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Trend", "fit_trend"]


@dataclass(frozen=True)
class Trend:
    """A straight line through one metric over the reps of a set.

    Attributes
    ----------
    metric
        Which metric (``range_deg``, ``hold_s``, ``smoothness_sparc``).
    slope_per_rep
        Change per rep, in the metric's unit.
    intercept
        Fitted value at the first rep (rep number 1).
    change_pct
        Fitted change from the first to the last rep, percent of the mean magnitude of the
        metric (NaN when that mean is 0).
    n
        Reps used (reps without the metric are left out).
    """

    metric: str
    slope_per_rep: float
    intercept: float
    change_pct: float
    n: int

    def fitted(self, rep_number: float) -> float:
        """The line's value at a rep number.

        Parameters
        ----------
        rep_number
            Place in the set, 1 = its first rep (fractions interpolate).
        """
        return self.intercept + self.slope_per_rep * (rep_number - 1.0)


def fit_trend(metric: str, values: Sequence[float | None], min_n: int = 3) -> Trend | None:
    """Fit ``value = intercept + slope * (rep_number - 1)`` by least squares.

    Parameters
    ----------
    metric
        Name stored in the result.
    values
        (K,) the metric of each rep of the set, in order; ``None`` or NaN where missing.
    min_n
        Fewest usable values; with fewer, no trend (``None``).
    """
    x_list: list[float] = []
    y_list: list[float] = []
    for i, v in enumerate(values):
        if v is not None and np.isfinite(v):
            x_list.append(float(i))
            y_list.append(float(v))
    if len(y_list) < max(min_n, 2):
        return None
    x = np.asarray(x_list)
    y = np.asarray(y_list)
    if np.ptp(x) == 0:
        return None
    x_c = x - x.mean()
    slope = float(np.dot(x_c, y - y.mean()) / np.dot(x_c, x_c))
    intercept = float(y.mean() - slope * x.mean())
    scale = float(np.mean(np.abs(y)))
    span = float(x[-1] - x[0])
    change_pct = 100.0 * slope * span / scale if scale > 0 else float("nan")
    return Trend(metric=metric, slope_per_rep=slope, intercept=intercept, change_pct=change_pct, n=len(y))
