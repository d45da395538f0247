"""Array primitives the pipeline's stages share: first / last ``True`` of a mask, run lengths,
row norms and dot products, angles.

Each is one or a few plain numpy calls, written once for every stage.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from imurep.samples import FloatArray

__all__ = ["angle_deg", "first_true", "last_true", "row_dots", "row_norms", "run_seconds"]


def first_true(mask: NDArray[np.bool_]) -> int:
    """Index of the first ``True`` in ``mask``, or ``mask.size`` if none (one pass, one call)."""
    if not mask.size:
        return 0
    i = int(mask.argmax())
    return i if mask[i] else int(mask.size)


def last_true(mask: NDArray[np.bool_]) -> int:
    """Index of the last ``True`` in ``mask``, or −1 if none (one ``argmax`` on the reversed view)."""
    if not mask.size:
        return -1
    i = mask.size - 1 - int(mask[::-1].argmax())
    return i if mask[i] else -1


def row_norms(v: FloatArray) -> FloatArray:
    """``np.linalg.norm(v, axis=1)`` without its argument handling."""
    norms: FloatArray = np.sqrt(np.add.reduce(v * v, axis=1))
    return norms


def row_dots(a: FloatArray, b: FloatArray) -> FloatArray:
    """Dot products of the rows of two (N, 3) arrays: ``np.einsum("ij,ij->i", a, b)``, in one
    multiplication and one reduction (einsum's set-up costs more than the work on a few rows)."""
    dots: FloatArray = np.add.reduce(a * b, axis=1)
    return dots


def angle_deg(cos: FloatArray) -> FloatArray:
    """``degrees(arccos(clip(cos, -1, 1)))``, in place in ``cos`` (fewer fresh arrays)."""
    np.maximum(cos, -1.0, out=cos)
    np.minimum(cos, 1.0, out=cos)
    np.arccos(cos, out=cos)
    return np.degrees(cos, out=cos)


def run_seconds(mask: NDArray[np.bool_], dt: FloatArray, carried_s: float) -> FloatArray:
    """Seconds each step's run of ``True`` has lasted, counting the step itself (0 where False).

    A run that starts at the first step continues ``carried_s`` from the previous window.
    """
    # One run over the whole window, or none: the general expression reduces to these exactly.
    if mask.all():
        return np.cumsum(dt) + carried_s
    if not mask.any():
        return np.zeros(mask.size)
    # In place (fewer fresh arrays: a set's first window can be the rest of a long recording):
    # run = cumsum(where(mask, dt, 0)) - maximum.accumulate(where(~mask, cumsum, 0)), then
    # + carried_s over the first run and 0 where False.
    run = np.where(mask, dt, 0.0)
    np.cumsum(run, out=run)
    not_mask = ~mask
    base = np.where(not_mask, run, 0.0)
    np.maximum.accumulate(base, out=base)
    run -= base
    if mask[0]:
        first_run = base == 0.0
        first_run &= mask
        np.add(run, carried_s, out=run, where=first_run)
    np.copyto(run, 0.0, where=not_mask)
    return run
