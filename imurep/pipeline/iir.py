"""A streaming second-order-sections filter over several channels, cheap per call.

``scipy.signal.sosfilt`` validates its arguments, moves axes and copies the input and the state on
every call, which dominates when a live session feeds a few samples at a time. :class:`SosState`
keeps the state in the layout scipy's compiled kernel works in (channels, sections, 2) and filters
channel-major arrays in place, through the kernel of :mod:`imurep.pipeline._kernels` (the public
``sosfilt`` where that kernel is missing: the same arithmetic).
"""

from __future__ import annotations

import numpy as np

from imurep.pipeline import _kernels
from imurep.samples import FloatArray

__all__ = ["SosState"]


class SosState:
    """Filter state of ``channels`` signals through one SOS filter.

    Parameters
    ----------
    sos
        (S, 6) second-order sections, as from :func:`imurep.pipeline.butterworth.butter_sos`.
    zi
        (channels, S, 2) initial state (the layout of the compiled kernel).
    """

    def __init__(self, sos: FloatArray, zi: FloatArray) -> None:
        self.sos = np.ascontiguousarray(sos, dtype=np.float64)
        if zi.ndim != 3 or zi.shape[1:] != (self.sos.shape[0], 2):
            raise ValueError(f"zi must be (channels, {self.sos.shape[0]}, 2), got {zi.shape}")
        self.zi = np.ascontiguousarray(zi, dtype=np.float64)

    @property
    def channels(self) -> int:
        return int(self.zi.shape[0])

    def filter_inplace(self, x: FloatArray) -> None:
        """Filter ``x`` in place and advance the state.

        Parameters
        ----------
        x
            (channels, N) C-contiguous float64 samples, time along axis 1; replaced by the output.
        """
        kernel = _kernels.SOSFILT
        if kernel is not None:
            kernel(self.sos, x, self.zi)
            return
        from scipy.signal import sosfilt  # only without the kernel: the slow import

        y, zf = sosfilt(self.sos, x, axis=1, zi=np.transpose(self.zi, (1, 0, 2)))
        x[...] = y
        self.zi = np.ascontiguousarray(np.transpose(zf, (1, 0, 2)))
