"""A streaming second-order-sections filter over several channels, cheap per call and to import.

``scipy.signal.sosfilt`` validates its arguments, moves axes and copies the input and the state on
every call: about 30 µs, which dominates when a live session feeds 8 samples at a time. This
keeps the state in the layout scipy's compiled kernel works in (channels, sections, 2), filters
channel-major arrays in place and calls that kernel directly, so the arithmetic, and therefore
every output bit, is the one ``sosfilt`` computes.

The kernel is loaded from its own extension file: ``import scipy.signal`` first imports
scipy.stats, interpolate, optimize and more (0.45-0.7 s here), which would be most of the time
``imurep analyze`` takes on a short recording and what every batch worker pays before its first
file. Should a future scipy move the kernel, the public ``sosfilt`` is used instead (same result,
more overhead, the slow import).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np

from imurep.samples import FloatArray

__all__ = ["SosState"]

_Kernel = Callable[[FloatArray, FloatArray, FloatArray], None]
_KERNEL_MODULE = "scipy.signal._sosfilt"


def _load_kernel() -> _Kernel | None:
    """scipy's compiled ``_sosfilt``, without running ``scipy/signal/__init__.py``."""
    module = sys.modules.get(_KERNEL_MODULE)
    if module is None:
        module = _load_extension(_KERNEL_MODULE)
    kernel = getattr(module, "_sosfilt", None)
    return kernel if callable(kernel) else None


def _load_extension(name: str) -> ModuleType | None:
    scipy_spec = importlib.util.find_spec("scipy")
    if scipy_spec is None or scipy_spec.origin is None:  # pragma: no cover - scipy is a dependency
        return None
    package, _, leaf = name.rpartition(".")
    folder = Path(scipy_spec.origin).parent.joinpath(*package.split(".")[1:])
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / (leaf + suffix)
        if not path.is_file():
            continue
        loader = importlib.machinery.ExtensionFileLoader(name, str(path))
        spec = importlib.util.spec_from_file_location(name, path, loader=loader)
        if spec is None:  # pragma: no cover - a file location always gives a spec
            return None
        try:
            module = importlib.util.module_from_spec(spec)
            loader.exec_module(module)
        except Exception:  # pragma: no cover - depends on the scipy build; the public sosfilt then
            return None
        # Registered, so a later ``import scipy.signal`` reuses it rather than loading it twice.
        sys.modules[name] = module
        return module
    return None


_KERNEL = _load_kernel()


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
        if _KERNEL is not None:
            _KERNEL(self.sos, x, self.zi)
            return
        from scipy.signal import sosfilt  # only without the kernel: the slow import

        y, zf = sosfilt(self.sos, x, axis=1, zi=np.transpose(self.zi, (1, 0, 2)))
        x[...] = y
        self.zi = np.ascontiguousarray(np.transpose(zf, (1, 0, 2)))
