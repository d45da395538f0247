"""Mounting presets: how the sensor sits on the pelvis, as ``R_body_from_sensor`` matrices.

``body_vector = R @ sensor_vector``. Body frame (``EXERCISES.md``): x anterior, y the wearer's left,
z superior. Each column of ``R`` is one sensor axis written in body axes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from imurep.errors import InputError
from imurep.samples import FloatArray

__all__ = [
    "DEFAULT_MOUNT",
    "FROM_FILE",
    "MOUNT_PRESETS",
    "MountChoice",
    "MountKind",
    "describe_mount_choices",
    "describe_presets",
    "mount_choice",
    "parse_mount",
    "parse_preset",
]

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


def parse_preset(text: str) -> str:
    """A preset name (what a recording's ``mount`` metadata can say), stripped.

    Raises
    ------
    InputError
        Not a preset: the message lists them.
    """
    t = text.strip()
    if t not in MOUNT_PRESETS:
        raise InputError(f"unknown mounting {text!r}: use a preset ({describe_presets()})")
    return t


MountKind = Literal["from-file", "rotation", "auto", "calibrate"]


@dataclass(frozen=True, eq=False)
class MountChoice:
    """A parsed ``--mount``: how the sensor-to-body rotation of a recording is found.

    Attributes
    ----------
    kind
        ``rotation``: ``body_from_sensor`` is given; ``auto``: unknown, found from the data (the
        sides then unknown); ``calibrate``: from the recording's first poses (standing, then lying
        on the back); ``from-file``: the file's own ``mount`` metadata when it names a preset, else
        :data:`DEFAULT_MOUNT`.
    body_from_sensor
        (3, 3) ``R_body_from_sensor`` for ``rotation``, else ``None``.
    text
        The option as given (stripped), ``""`` for ``from-file``.
    """

    kind: MountKind
    body_from_sensor: FloatArray | None = None
    text: str = ""

    def for_file(self, file_mount: str | None) -> FloatArray | None:
        """The (3, 3) rotation for a recording whose metadata says ``file_mount``; ``None``: unknown.

        Raises
        ------
        ValueError
            For ``calibrate``, which needs the recording's samples
            (:func:`imurep.pipeline.calibration.calibrate_from_blocks`).
        """
        if self.kind == "rotation":
            assert self.body_from_sensor is not None
            return self.body_from_sensor.copy()
        if self.kind == "auto":
            return None
        if self.kind == "calibrate":
            raise ValueError("a calibrated mounting comes from the recording's samples, not its metadata")
        name = (file_mount or "").strip()
        return MOUNT_PRESETS.get(name, MOUNT_PRESETS[DEFAULT_MOUNT]).copy()


#: ``--mount`` not given: each file's own ``mount`` metadata, else :data:`DEFAULT_MOUNT`.
FROM_FILE = MountChoice("from-file")


def mount_choice(text: MountChoice | str | None, *, calibrate: bool = True) -> MountChoice:
    """Parse a ``--mount`` value once, at the edge.

    Parameters
    ----------
    text
        ``None`` (the file's own metadata), ``auto``, ``calibrate`` or any form :func:`parse_mount`
        reads; a :class:`MountChoice` is returned as it is (already parsed).
    calibrate
        Accept ``calibrate``: only where a whole recording is read before it is analysed.

    Raises
    ------
    InputError
        Unknown preset, malformed rotation, or ``calibrate`` where it cannot work.
    """
    if isinstance(text, MountChoice):
        return text
    if text is None:
        return FROM_FILE
    t = text.strip()
    if t == "auto":
        return MountChoice("auto", None, t)
    if t == "calibrate" and calibrate:
        return MountChoice("calibrate", None, t)
    return MountChoice("rotation", parse_mount(t), t)
