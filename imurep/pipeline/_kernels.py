"""What speed truly needs beyond plain numpy: the one private kernel the pipeline loads.

Only one is kept: scipy's compiled second-order-sections kernel (``scipy.signal._sosfilt``),
loaded from its own extension file. The reason is start-up, a figure a user feels on every
command: ``import scipy.signal`` first imports scipy.stats, interpolate, optimize and more, which
would be most of the time ``imurep analyze`` takes on a short recording and what every batch
worker pays before its first file (figures: ``docs/performance.md``, ``benchmarks/bench_startup.py``).

Oracle and fallback are tested (``tests/pipeline/test_kernels.py``): the kernel gives what
``scipy.signal.sosfilt`` gives, and where a scipy release moves it, :data:`SOSFILT` is ``None`` and
:class:`imurep.pipeline.iir.SosState` calls the public ``sosfilt`` instead.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from imurep.samples import FloatArray

__all__ = ["SOSFILT", "SosfiltKernel", "load_extension"]

#: ``kernel(sos, x, zi)``: filters ``x`` (channels, N) in place, advancing ``zi`` (channels, S, 2).
SosfiltKernel = Callable[[FloatArray, FloatArray, FloatArray], None]

_SOSFILT_MODULE = "scipy.signal._sosfilt"


def load_extension(name: str) -> ModuleType | None:
    """The compiled extension module ``name`` of scipy, loaded from its file without running the
    ``__init__`` of the packages above it; ``None`` if there is no such file or it fails to load."""
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


def _load_sosfilt() -> SosfiltKernel | None:
    module = sys.modules.get(_SOSFILT_MODULE) or load_extension(_SOSFILT_MODULE)
    kernel = getattr(module, "_sosfilt", None)
    return kernel if callable(kernel) else None


#: scipy's compiled ``_sosfilt``, or ``None`` where this scipy has no such file.
SOSFILT: SosfiltKernel | None = _load_sosfilt()
