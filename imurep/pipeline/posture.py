"""Posture from the direction of *up* in the body frame (``EXERCISES.md``: standing up = +z,
supine up = +x, all fours up = −x).

Thresholds leave room for 25° of strap misalignment plus the tilt of a real posture (a pillow
under the head, a sagging back on all fours).
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

from imurep.exercises.spec import Posture
from imurep.samples import FloatArray

__all__ = ["POSTURE_NAMES", "classify_posture"]

POSTURE_NAMES: Final[tuple[Posture, ...]] = (
    "unknown",
    "standing",
    "supine",
    "all_fours",
    "side_lying",
)
UNKNOWN, STANDING, SUPINE, ALL_FOURS, SIDE_LYING = 0, 1, 2, 3, 4

# cos(40°): the posture's axis must be within 40° of up.
_COS_MARGIN = 0.766


def classify_posture(up_body: FloatArray) -> NDArray[np.int8]:
    """Posture code per sample.

    Parameters
    ----------
    up_body
        (M, 3) unit vectors: the direction of up in the body frame.

    Returns
    -------
    (M,) int8 codes indexing :data:`POSTURE_NAMES`.
    """
    x, y, z = up_body[:, 0], up_body[:, 1], up_body[:, 2]
    code = np.zeros(up_body.shape[0], dtype=np.int8)
    code[z > _COS_MARGIN] = STANDING
    code[x > _COS_MARGIN] = SUPINE
    code[x < -_COS_MARGIN] = ALL_FOURS
    code[np.abs(y) > _COS_MARGIN] = SIDE_LYING
    return code
