"""Measuring a rep (``measure_rep``): the movement and hold steps it measures are those whose times
lie within the estimated phases, whether or not the times are in order."""

from __future__ import annotations

import math

import numpy as np
import pytest

from imurep.pipeline.quality import sparc
from imurep.pipeline.rep_metrics import measure_rep
from imurep.pipeline.rep_timing import estimate_rep_timing
from imurep.samples import FloatArray


def _excursion(rate_hz: float = 25.0) -> tuple[FloatArray, FloatArray]:
    """A 30° rep: 2 s out, 3 s hold (with a little sway), 2 s back, from 1 s before onset."""
    t = 1000.0 + np.arange(-1.0, 7.5, 1.0 / rate_hz)
    tau_out = np.clip(t - 1000.0, 0.0, 2.0) / 2.0
    tau_back = np.clip(t - 1005.0, 0.0, 2.0) / 2.0

    def bell(x: FloatArray) -> FloatArray:
        return np.asarray(10 * x**3 - 15 * x**4 + 6 * x**5)

    a = 30.0 * (bell(tau_out) - bell(tau_back)) + 0.2 * np.sin(7.0 * t)
    return t, a


def _expected(t: FloatArray, a: FloatArray) -> tuple[float, float]:
    """SPARC and hold steadiness as first written: boolean masks over the times."""
    timing = estimate_rep_timing(t, a)
    rate_hz = (len(t) - 1) / (t[-1] - t[0])
    in_move = (t >= timing.start_s) & (t <= timing.end_s)
    speed = np.abs(np.diff(a[in_move])) * rate_hz
    in_hold = (t >= timing.hold_start_s) & (t <= timing.hold_end_s)
    return sparc(speed, rate_hz), float(np.std(a[in_hold]))


@pytest.mark.parametrize(
    "disorder", ["none", "swap_in_move", "swap_in_hold", "step_back", "glitch_in_move", "glitch_in_hold"]
)
def test_complete_measures_the_steps_within_the_phases(disorder: str) -> None:
    t, a = _excursion()
    if disorder == "swap_in_move":
        t[40], t[41] = t[41], t[40]
    elif disorder == "swap_in_hold":
        t[110], t[111] = t[111], t[110]
    elif disorder == "step_back":
        t[120:] -= 0.5  # the clock steps back half a second during the hold
    elif disorder == "glitch_in_move":
        t[45] -= 3.0  # one time before the rep began: not a step of its movement
    elif disorder == "glitch_in_hold":
        t[110] -= 100.0
    rep = measure_rep("heels_stretch", None, t, a, estimate_rep_timing(t, a), 0.1, 30.0, float(t[-1]))
    smoothness, steadiness = _expected(t, a)
    assert rep.hold_s >= 0.3 and not math.isnan(smoothness)
    assert np.float64(rep.smoothness_sparc).tobytes() == np.float64(smoothness).tobytes()
    assert np.float64(rep.hold_steadiness_deg).tobytes() == np.float64(steadiness).tobytes()


@pytest.mark.parametrize("where", ["out", "hold", "back"])
def test_a_gap_makes_the_metrics_of_its_phase_unavailable(where: str) -> None:
    """Lost samples inside a phase: its duration, speed and smoothness are not numbers."""
    t, a = _excursion()
    lost = {"out": (1000.8, 1001.3), "hold": (1003.0, 1003.5), "back": (1005.6, 1006.1)}[where]
    keep = (t < lost[0]) | (t > lost[1])
    t, a = t[keep], a[keep]
    rep = measure_rep("heels_stretch", None, t, a, estimate_rep_timing(t, a), 0.1, 30.0, float(t[-1]))
    assert (rep.out_s is None) == (where == "out")
    assert (rep.back_s is None) == (where == "back")
    assert (rep.hold_steadiness_deg is None) == (where == "hold")
    assert (rep.smoothness_sparc is None) == (where != "hold")
    assert (rep.peak_speed_deg_s is None) == (where != "hold")
    assert rep.hold_s > 2.0
