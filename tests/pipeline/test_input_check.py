"""The pipeline's entry check: every bad sample is refused by name, whichever way the block is cut,
and a plainly good block passes (the cheap whole-block test must never let a bad one through)."""

from __future__ import annotations

import numpy as np
import pytest

from imurep.errors import InputError
from imurep.pipeline.input_check import SampleCheck
from imurep.samples import MAX_ACC_M_S2, MAX_GYR_RAD_S, SampleBlock


def _block(n: int = 50, t0: float = 0.0) -> SampleBlock:
    t = t0 + np.arange(n) * 0.01
    acc = np.tile([0.0, 0.0, 9.81], (n, 1))
    return SampleBlock(t, acc, np.zeros((n, 3)))


def test_good_blocks_pass_and_follow_each_other() -> None:
    check = SampleCheck()
    check.check(_block(50, 0.0))
    check.check(_block(50, 0.5))
    with pytest.raises(InputError, match="does not follow"):
        check.check(_block(50, 0.2))  # goes back in time


@pytest.mark.parametrize("at", [0, 17, 49])
@pytest.mark.parametrize(
    ("what", "match"),
    [
        ("time_nan", "not finite"),
        ("time_repeat", "does not follow"),
        ("acc_nan", "not finite or beyond"),
        ("acc_huge", "not finite or beyond"),
        ("acc_norm", "not finite or beyond"),
        ("gyr_huge", "not finite or beyond"),
    ],
)
def test_each_bad_sample_is_refused_wherever_it_is(at: int, what: str, match: str) -> None:
    b = _block()
    t, acc, gyr = b.time_s.copy(), b.acc_m_s2.copy(), b.gyr_rad_s.copy()  # type: ignore[union-attr]
    if what == "time_nan":
        t[at] = np.nan
    elif what == "time_repeat":
        t[at] = t[at - 1] if at else -1.0
        if at == 0:
            t[1] = -1.0  # a repeat at the very start
    elif what == "acc_nan":
        acc[at, 1] = np.nan
    elif what == "acc_huge":
        acc[at, 2] = 1e300
    elif what == "acc_norm":
        acc[at] = [0.7 * MAX_ACC_M_S2] * 3  # each component in range, the norm beyond it
    else:
        gyr[at] = [0.0, 0.0, 1.5 * MAX_GYR_RAD_S]
    with pytest.raises(InputError, match=match):
        SampleCheck().check(SampleBlock(t, acc, gyr))
