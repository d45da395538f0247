"""Mounting presets: how the sensor sits on the pelvis, as ``R_body_from_sensor`` matrices.

``body_vector = R @ sensor_vector``. Body frame (``EXERCISES.md``): x anterior, y the wearer's left,
z superior. Each column of ``R`` is one sensor axis written in body axes.
"""

from __future__ import annotations

import numpy as np

from imurep.errors import InputError
from imurep.samples import FloatArray

__all__ = ["DEFAULT_MOUNT", "MOUNT_PRESETS", "describe_mount_choices", "describe_presets", "parse_mount"]

DEFAULT_MOUNT = "front-belt"


def _from_columns(sx: tuple[int, int, int], sy: tuple[int, int, int], sz: tuple[int, int, int]) -> FloatArray:
    r = np.array([sx, sy, sz], dtype=np.float64).T
    assert np.isclose(np.linalg.det(r), 1.0), "preset must be a proper rotation"
    return r


MOUNT_PRESETS: dict[str, FloatArray] = {
    # Phone/band upright at the front of the belt, screen out: x left, y superior, z anterior.
    "front-belt": _from_columns((0, 1, 0), (0, 0, 1), (1, 0, 0)),
    # Upright at the back of the belt (over the sacrum), screen out: x right, y superior, z posterior.
    "back-belt": _from_columns((0, -1, 0), (0, 0, 1), (-1, 0, 0)),
    # Upright on the left hip, screen facing left: x posterior, y superior, z left.
    "side-left": _from_columns((-1, 0, 0), (0, 0, 1), (0, 1, 0)),
    # Upright on the right hip, screen facing right: x anterior, y superior, z right.
    "side-right": _from_columns((1, 0, 0), (0, 0, 1), (0, -1, 0)),
    # Sideways at the front of the belt (landscape), screen out: x superior, y right, z anterior.
    "front-belt-landscape": _from_columns((0, 0, 1), (0, -1, 0), (1, 0, 0)),
    # Sensor axes already are body axes (a band whose firmware rotates its output).
    "body": _from_columns((1, 0, 0), (0, 1, 0), (0, 0, 1)),
}


def describe_presets() -> str:
    return ", ".join(MOUNT_PRESETS)


def describe_mount_choices(*, calibrate: bool) -> str:
    """Every form ``--mount`` accepts, in one line: the one list the help and the errors show.

    Parameters
    ----------
    calibrate
        Offer ``calibrate`` (the axes from standing, then lying on the back, at the start of a
        recording): only where a whole recording is read before it is analysed, not live.
    """
    forms = [
        f"a preset ({describe_presets()})",
        "'auto' (found from the data; sides then unknown)",
        *(["'calibrate' (stand still, then lie still on the back, at the start)"] if calibrate else []),
        "euler:SEQ:a,b,c (degrees)",
        "PRESET+euler:SEQ:a,b,c",
        "matrix:9 numbers",
    ]
    return ", ".join(forms)


def parse_mount(text: str) -> FloatArray:
    """A mounting from a preset name or a rotation.

    Accepted forms: a preset name (:data:`MOUNT_PRESETS`); ``euler:SEQ:a,b,c`` with angles in degrees,
    read as :meth:`scipy.spatial.transform.Rotation.from_euler` (lower-case SEQ: extrinsic axes,
    upper-case: intrinsic); ``front-belt+euler:SEQ:a,b,c`` for a preset then a further rotation of
    the sensor about its own axes (a strap that sits crooked); ``matrix:r11,r12,...,r33`` (row-major
    ``R_body_from_sensor``, must be a proper rotation).

    Returns
    -------
    (3, 3) ``R_body_from_sensor``.

    Raises
    ------
    InputError
        Unknown preset or malformed rotation.
    """
    t = text.strip()
    if t in MOUNT_PRESETS:
        return MOUNT_PRESETS[t].copy()
    if "+" in t:
        base, extra = t.split("+", 1)
        return parse_mount(base) @ parse_mount(extra)
    kind, _, rest = t.partition(":")
    try:
        if kind == "euler":
            seq, _, angles = rest.partition(":")
            values = [float(v) for v in angles.split(",")]
            if len(values) != len(seq) or not 1 <= len(seq) <= 3:
                raise ValueError(f"{len(seq)} axes but {len(values)} angles")
            from scipy.spatial.transform import Rotation  # 0.2 s to import: only when asked for

            return np.asarray(Rotation.from_euler(seq, values, degrees=True).as_matrix(), dtype=np.float64)
        if kind == "matrix":
            values = [float(v) for v in rest.split(",")]
            if len(values) != 9:
                raise ValueError(f"9 numbers expected, got {len(values)}")
            r = np.asarray(values, dtype=np.float64).reshape(3, 3)
            if not np.allclose(r @ r.T, np.eye(3), atol=1e-3) or np.linalg.det(r) < 0:
                raise ValueError("not a proper rotation matrix (orthonormal, det +1)")
            return r
    except ValueError as exc:
        raise InputError(f"mounting {text!r}: {exc}") from None
    if t == "calibrate":
        raise InputError(
            "--mount calibrate needs a whole recording (its first poses give the axes): record "
            "the session (imurep record), then analyse the file with --mount calibrate; live, use "
            "--mount auto or a preset"
        )
    raise InputError(f"unknown mounting {text!r}: use {describe_mount_choices(calibrate=False)}")
