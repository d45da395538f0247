"""Standing calibration: find the mounting from the recording itself.

A few seconds standing still give the superior axis (up, in sensor axes); lying still on the back
then gives the anterior axis. Together they fix the rotation from sensor to body axes, whatever the
strap does.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from imurep.errors import InputError
from imurep.pipeline.gravity import GravityStage
from imurep.samples import FloatArray, SampleBlock

__all__ = ["body_from_two_poses", "calibrate_from_blocks"]

_STILL_DEG_S = 3.0
_MIN_STILL_S = 2.0
_MIN_POSE_CHANGE_DEG = 60.0


def body_from_two_poses(up_standing: FloatArray, up_supine: FloatArray) -> FloatArray:
    """``R_body_from_sensor`` from the direction of up while standing and while lying supine.

    Parameters
    ----------
    up_standing, up_supine
        (3,) direction of up in sensor axes (any length) in the two poses.

    Returns
    -------
    (3, 3) rotation: body z = up while standing, body x = up while supine (made orthogonal to z).
    """
    z = up_standing / np.linalg.norm(up_standing)
    x = up_supine - np.dot(up_supine, z) * z
    nx = np.linalg.norm(x)
    if nx < 0.5 * np.linalg.norm(up_supine):
        raise InputError("standing and lying poses are too alike to calibrate the mounting (need ~90°)")
    x = x / nx
    y = np.cross(z, x)
    return np.asarray(np.vstack([x, y, z]), dtype=np.float64)


def _still_spells(t: FloatArray, up: FloatArray) -> list[tuple[int, int]]:
    """Index ranges where the up vector turns slower than :data:`_STILL_DEG_S` for ≥ 2 s."""
    turn = np.degrees(np.arccos(np.clip(np.einsum("ij,ij->i", up[:-1], up[1:]), -1.0, 1.0)))
    still = np.concatenate(([False], turn / np.maximum(np.diff(t), 1e-6) < _STILL_DEG_S))
    edges = np.flatnonzero(np.diff(np.concatenate(([0], still.astype(np.int8), [0]))))
    spells = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if t[b - 1] - t[a] >= _MIN_STILL_S:
            spells.append((int(a), int(b)))
    return spells


def calibrate_from_blocks(blocks: Iterable[SampleBlock], source: str | None = None) -> FloatArray:
    """Find the mounting from a recording that starts standing still, then lies still on the back.

    The first still spell is taken as standing; the first later still spell whose up direction
    differs by at least 60° as lying on the back.

    Raises
    ------
    InputError
        The recording has no such pair of still poses.
    """
    stage = GravityStage(2.5, 25.0)
    ts: list[FloatArray] = []
    ups: list[FloatArray] = []
    for block in blocks:
        out = stage.process(block)
        if out is not None and len(out):
            ts.append(out.time_s)
            ups.append(out.acc_lp_m_s2)
    if not ts:
        raise InputError("too few samples to calibrate the mounting", source)
    t = np.concatenate(ts)
    acc = np.concatenate(ups)
    up = acc / np.linalg.norm(acc, axis=1, keepdims=True)
    spells = _still_spells(t, up)
    if not spells:
        raise InputError("no still spell of 2 s to calibrate from (stand still at the start)", source)
    a, b = spells[0]
    standing = up[a:b].mean(axis=0)
    for a2, b2 in spells[1:]:
        lying = up[a2:b2].mean(axis=0)
        cosang = np.dot(standing, lying) / (np.linalg.norm(standing) * np.linalg.norm(lying))
        if np.degrees(np.arccos(np.clip(cosang, -1.0, 1.0))) >= _MIN_POSE_CHANGE_DEG:
            return body_from_two_poses(standing, lying)
    raise InputError(
        "calibration needs a still spell standing and then one lying on the back; found no second pose",
        source,
    )
