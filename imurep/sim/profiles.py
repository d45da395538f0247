"""Movement profiles: how a person moves from one pose to another."""

from __future__ import annotations

import numpy as np

from imurep.samples import FloatArray

__all__ = ["min_jerk"]


def min_jerk(tau: FloatArray) -> FloatArray:
    """Minimum-jerk position profile (Flash & Hogan 1985): 0 → 1 as ``tau`` goes 0 → 1.

    Human point-to-point movements follow it closely: a bell-shaped speed, zero speed and
    acceleration at both ends.
    """
    x = np.clip(tau, 0.0, 1.0)
    return np.asarray(10 * x**3 - 15 * x**4 + 6 * x**5)
