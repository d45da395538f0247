"""Polar PMD sample times: a pure kernel, a frame's timestamp in, its samples' device times out.

A PMD data frame carries one timestamp, the device time of its *last* sample (ns since
2000-01-01). The vendor's SDK (``PmdTimeStampUtils.kt`` / ``.swift`` in polarofficial/polar-ble-sdk)
spaces a frame's n samples evenly over the time since the previous frame of the same measurement
and frame type, (ts − previous ts) / n, and the first frame of a stream at 1 / sample rate, ending
at ts. It trusts any step forward, however small or large, and refuses a frame whose timestamp
is not after the previous one (Android: ``NegativeTimeStampError``; iOS: ``gattDataError``), so
that frame's samples are lost.

The spacing is only as good as the previous timestamp. A frame after a lost frame, after a jump
of the device clock (forward or back), or with a corrupted timestamp implies a spacing far from
the sample period: samples crammed into microseconds, spread over hours, or at twice their
period across a lost frame. Here the previous timestamp is used only when the spacing it implies
lies within ``[MIN_SPACING_RATIO, MAX_SPACING_RATIO]`` of the nominal period; otherwise (a step
back or of zero included) the frame is spaced like a first frame, at the nominal period ending
at its own timestamp, and marked *re-anchored*. The decoder drops no sample: the hole (lost
frames, a jump forward) or overlap (a jump back) stays between the frames, in device time, for
the BLE client's loss accounting and clock mapping (a jump beyond its tolerance starts a new
clock segment). A step back is undone before this function: :func:`step_back_ns` says by how much,
and ``PolarPmdDecoder`` keeps it as an offset, so that samples are not placed on device time
already delivered (which the client drops as resends).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imurep.ble.profile import DecodeError
from imurep.samples import FloatArray

__all__ = ["MAX_SPACING_RATIO", "MIN_SPACING_RATIO", "FrameTimes", "frame_times", "step_back_ns"]

# The band of believable spacings, as fractions of the nominal sample period. Real frames sit far
# inside it: a Verity Sense "52 Hz" export (Polar Sensor Logger, tests/data/formats/) spaces ACC and
# GYRO at 19.340 ms (51.71 Hz, 0.6 % slow) and frame to frame the spacing changes by under 0.01 %;
# Polar quote 20 ppm for their 32 kHz crystals and "about 130 Hz with 1 % accuracy" for H10 ECG
# (polar-ble-sdk issue 580), and the largest rate error they document, OH1 PPG at 135 Hz where the
# setting says 130 (KnownIssues.md), is 4 %. A lost frame makes the next frame's spacing
# (lost samples + n) / n periods: 2 for frames of equal length, 1.9 to 2.1 for that export's GYRO
# frames of 86 to 96 samples; 3/2 lies between that and 1, so a lost frame at least half as long
# as the next leaves a hole (which the client counts as lost) instead of stretching the next
# frame to half rate. The lower bound is the reciprocal: nothing real shrinks the spacing by a third.
#: Smallest believable spacing from the previous timestamp, as a fraction of the nominal period.
MIN_SPACING_RATIO = 2.0 / 3.0
#: Largest believable spacing from the previous timestamp, as a fraction of the nominal period.
MAX_SPACING_RATIO = 3.0 / 2.0


@dataclass(frozen=True)
class FrameTimes:
    """Device times of one frame's samples.

    Attributes
    ----------
    time_s
        (N,) device times, s since 2000-01-01, increasing; the last is the frame's timestamp.
    reanchored
        The previous frame's timestamp implied an implausible spacing, so the samples were spaced
        at the nominal period back from this frame's own timestamp (``False`` for a first frame).
    """

    time_s: FloatArray
    reanchored: bool


def frame_times(timestamp_ns: int, previous_ns: int | None, n: int, rate_hz: float) -> FrameTimes:
    """Device times of a frame's ``n`` samples.

    Parameters
    ----------
    timestamp_ns
        The frame's timestamp: device time of its last sample, ns since 2000-01-01.
    previous_ns
        Timestamp of the previous frame of the same measurement and frame type, ns (``None``: this
        is the first).
    n
        Samples in the frame, >= 1.
    rate_hz
        Nominal sample rate (the rate the device was told), Hz, > 0.

    Raises
    ------
    DecodeError
        The times would not increase in float64 seconds (only for a period below the resolution
        of the timestamp, microseconds at most: not a rate any PMD stream runs at).
    """
    period_ns = 1e9 / rate_hz
    reanchored = False
    if previous_ns is not None:
        spacing_ns = (timestamp_ns - previous_ns) / n
        first_ns = previous_ns + spacing_ns
        reanchored = not MIN_SPACING_RATIO * period_ns <= spacing_ns <= MAX_SPACING_RATIO * period_ns
    if previous_ns is None or reanchored:
        # a first frame, or a previous timestamp not to be trusted: the nominal period up to this one
        spacing_ns = period_ns
        first_ns = timestamp_ns - period_ns * (n - 1)
    times_ns = first_ns + spacing_ns * np.arange(n, dtype=np.float64)
    times_ns[-1] = float(timestamp_ns)  # the timestamp itself, not a sum that rounds away from it
    times_s = times_ns * 1e-9
    if not (np.diff(times_s) > 0).all():
        raise DecodeError(
            f"Polar data frame: {n} samples {spacing_ns:g} ns apart before timestamp {timestamp_ns} "
            "ns would not have increasing times in float64 seconds"
        )
    return FrameTimes(times_s, reanchored)


def step_back_ns(timestamp_ns: int, previous_ns: int | None, n: int, rate_hz: float) -> int:
    """How far the device clock went back, ns: what to add to ``timestamp_ns`` (and to every later
    timestamp of the device) so that the frame's ``n`` samples continue after the previous frame at
    the nominal period; 0 when it did not.

    The clock went back when the timestamp is before the previous one (which the SDK refuses:
    polar-ble-sdk issues 740, 765) or too soon after it for the samples (a spacing below
    :data:`MIN_SPACING_RATIO` of the period). The samples are new, so they continue rather than
    land on device time already delivered (which the client would drop as resends). An equal
    timestamp is a repeated frame instead: 0, and :func:`frame_times` re-anchors it onto itself.
    """
    if previous_ns is None or timestamp_ns == previous_ns:
        return 0
    period_ns = 1e9 / rate_hz
    if timestamp_ns - previous_ns >= MIN_SPACING_RATIO * period_ns * n:
        return 0
    return previous_ns + round(n * period_ns) - timestamp_ns
