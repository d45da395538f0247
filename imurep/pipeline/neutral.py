"""The neutral pose of a set: where the pelvis rests, that every angle of the set is measured from.

A set starts from the pose it was found in. With a known mounting that pose is the neutral until a
still spell *anchors* it (0.8 s still and near neutral; after the first anchor of a rest, a 5 s
spell refreshes it). With an unknown mounting the neutral first *follows the centre* of the
movement (a running mean of *up* for the first seconds of the set, then an exponential average),
since the pose a set was found in may be one side of an exercise rather than its middle, until a
still spell anchors it.

Every value at a step depends only on the steps before it (cumulative sums, a recursive filter),
so any split of the input into windows gives the same neutral.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from imurep.exercises.spec import Vec
from imurep.pipeline.arrays import row_norms, run_seconds
from imurep.pipeline.iir import SosState
from imurep.samples import FloatArray

__all__ = ["CENTRE_TAU_S", "STILL_DEG_S", "CentreWindow", "NeutralTracker"]

#: Time constant of the centre the neutral follows until a still pose anchors it, s.
CENTRE_TAU_S = 8.0
#: *Up* moving slower than this counts as still, deg/s.
STILL_DEG_S = 4.0
# This long a still pose at neutral anchors it; after the first anchor of a rest, this long refreshes it.
_ANCHOR_S = 0.8
_REANCHOR_S = 5.0
# Fewest steps of the centre computed at once (then doubled as the set consumes more of the window).
_CENTRE_CHUNK = 256


def _ema(u: FloatArray, start: FloatArray, alpha: float) -> FloatArray:
    """Exponential average of the rows of ``u`` with weight ``alpha``, continuing from ``start``."""
    # y[n] = alpha u[n] + (1 - alpha) y[n-1] as one first-order section (what scipy's lfilter computes).
    sos = np.array([[alpha, 0.0, 0.0, 1.0, -(1.0 - alpha), 0.0]])
    zi = np.zeros((u.shape[1], 1, 2))
    zi[:, 0, 0] = start * (1.0 - alpha)
    ema = np.array(u.T, dtype=np.float64, order="C")
    SosState(sos, zi).filter_inplace(ema)
    return ema.T


def trailing_run(mask: NDArray[np.bool_]) -> int:
    """Length of the trailing run of ``True`` in ``mask``."""
    false = np.flatnonzero(~mask)
    return int(mask.size - 1 - false[-1]) if false.size else int(mask.size)


class CentreWindow:
    """The centre of *up* over one window of control steps, computed on demand from the centre
    state at the window's start (a set usually anchors or ends long before a big window does).

    Attributes
    ----------
    before
        (n, 3) the normalised centre in force at each of the first ``n`` steps (the neutral then).
    after, elapsed_after
        (n, 3) the centre and (n,) the set's elapsed time after each step.
    n
        Steps computed so far.
    """

    def __init__(
        self,
        up: FloatArray,
        dt_s: FloatArray,
        start_centre: FloatArray,
        start_sum: FloatArray,
        start_elapsed_s: float,
        control_rate_hz: float,
    ) -> None:
        self.up = up
        self.dt_s = dt_s
        self.start_centre = start_centre
        self.start_sum = start_sum
        self.start_elapsed_s = start_elapsed_s
        self.control_rate_hz = control_rate_hz
        self.before: FloatArray | None = None
        self.after: FloatArray | None = None
        self.elapsed_after: FloatArray | None = None
        self.n = 0

    def before_steps(self, j: int) -> FloatArray:
        """:attr:`before`, computed for at least the first ``j`` steps."""
        if self.before is None or self.n < j:
            self.compute(min(len(self.dt_s), max(j, 2 * self.n, _CENTRE_CHUNK)))
        assert self.before is not None
        return self.before

    def compute(self, m: int) -> None:
        """The centre over the first ``m`` steps: a running mean for the first :data:`CENTRE_TAU_S`
        seconds of the set, then an exponential average with that time constant. The first steps
        come out the same whatever ``m`` is."""
        u, dt = self.up[:m], self.dt_s[:m]
        elapsed = self.start_elapsed_s + np.cumsum(dt)
        late = elapsed > CENTRE_TAU_S
        alpha = 1.0 / (CENTRE_TAU_S * self.control_rate_hz)
        if late[0]:
            # Past the first seconds of the set (most windows, live): the exponential average alone.
            centre = _ema(u, self.start_centre, alpha)
        else:
            sums = self.start_sum + np.cumsum(u * dt[:, np.newaxis], axis=0)
            centre = sums / elapsed[:, np.newaxis]
            i0 = int(late.argmax())
            if late[i0]:
                centre[i0:] = _ema(u[i0:], centre[i0 - 1], alpha)
        before = np.vstack([self.start_centre[np.newaxis], centre[:-1]])
        norms = row_norms(before)[:, np.newaxis]
        self.before = before / np.where(norms == 0.0, 1.0, norms)
        self.after = centre
        self.elapsed_after = elapsed
        self.n = m


@dataclass
class NeutralTracker:
    """The neutral of one set, and the still spells that anchor it.

    Parameters
    ----------
    neutral
        The pose the set was found in (unit *up* vector); replaced by each anchor.
    follow_centre
        Follow the centre of the movement until the first anchor (unknown mounting).
    control_rate_hz
        Rate of the control steps, Hz.
    """

    neutral: Vec
    follow_centre: bool = False
    control_rate_hz: float = 25.0
    anchored: bool = False
    # The centre followed, its time integral and the set's elapsed time, s.
    centre: FloatArray = field(default_factory=lambda: np.zeros(3))
    centre_sum: FloatArray = field(default_factory=lambda: np.zeros(3))
    elapsed_s: float = 0.0
    # The still spell carried from the last window: its length, s, and the sum of its *up* vectors.
    _still_s: float = 0.0
    _still_sum: FloatArray = field(default_factory=lambda: np.zeros(3))
    _anchors_in_rest: int = 0

    def __post_init__(self) -> None:
        self.centre = np.asarray(self.neutral, dtype=np.float64)

    @property
    def following(self) -> bool:
        """Whether the neutral is the followed centre now (not yet anchored)."""
        return self.follow_centre and not self.anchored

    def window(self, up: FloatArray, dt_s: FloatArray) -> CentreWindow | None:
        """The centre over a new window while following it, else ``None``."""
        if not self.following:
            return None
        return CentreWindow(up, dt_s, self.centre, self.centre_sum, self.elapsed_s, self.control_rate_hz)

    def consumed(self, centre: CentreWindow | None, dt_s: FloatArray, j: int) -> None:
        """Steps up to ``j`` (exclusive) of the window are consumed; ``dt_s``: their durations."""
        if centre is not None and not self.anchored:
            centre.before_steps(j)
            assert centre.after is not None and centre.elapsed_after is not None
            self.centre = centre.after[j - 1].copy()
            self.elapsed_s = float(centre.elapsed_after[j - 1])
            self.centre_sum = self.centre * self.elapsed_s
        else:
            self.elapsed_s += float(dt_s.sum())

    def still_run_s(self, still: NDArray[np.bool_], dt_s: FloatArray) -> FloatArray:
        """Seconds each step's still spell has lasted (the spell carried in continues)."""
        return run_seconds(still, dt_s, self._still_s)

    @property
    def anchor_after_s(self) -> float:
        """How long a still spell at neutral must last to anchor it now."""
        return _ANCHOR_S if self._anchors_in_rest == 0 else _REANCHOR_S

    def anchor(self, still: NDArray[np.bool_], up: FloatArray) -> None:
        """Anchor the neutral on the still spell that ends at the last of these steps.

        ``still``/``up``: the window's steps from its first consumed one to the anchoring step.
        """
        first = still.size - trailing_run(still)
        carried = self._still_sum if first == 0 and self._still_s > 0 else np.zeros(3)
        total = carried + up[first:].sum(axis=0)
        unit = total / np.linalg.norm(total)
        self.neutral = (float(unit[0]), float(unit[1]), float(unit[2]))
        self.centre = np.asarray(self.neutral)
        self.anchored = True
        self._anchors_in_rest += 1
        self._forget_still()

    def carry_still(self, still: NDArray[np.bool_], run_s: FloatArray, up: FloatArray) -> None:
        """The window ended at rest: carry its trailing still spell into the next one."""
        if not still.size:
            return
        if not still[-1]:
            self._forget_still()
        elif still.all():  # the spell carried in goes on
            self._still_s = float(run_s[-1])
            self._still_sum = self._still_sum + up.sum(axis=0)
        else:
            self._still_s = float(run_s[-1])
            self._still_sum = np.zeros(3) + up[still.size - trailing_run(still) :].sum(axis=0)

    def left_rest(self) -> None:
        """A movement started: the still spell ends."""
        self._forget_still()

    def back_at_rest(self) -> None:
        """A movement came back to neutral: a new rest, whose first still spell anchors."""
        self._anchors_in_rest = 0
        self._forget_still()

    def _forget_still(self) -> None:
        self._still_s = 0.0
        self._still_sum = np.zeros(3)
