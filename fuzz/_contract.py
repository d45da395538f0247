"""What every harness checks: only imurep's documented errors may escape, and what is returned is sane.

The documented errors are :class:`imurep.errors.ImurepError` and its subclasses (``InputError``
for bad files, ``DecodeError`` / ``DeviceError`` for bad notifications). Any other exception,
or a returned result that breaks the invariants below, is a finding: atheris reports it as a
crash and writes the input to ``crash-<sha1>``.
"""

from __future__ import annotations

import os
import tempfile
import warnings

import numpy as np

from imurep.errors import ImurepError
from imurep.samples import SampleBlock

__all__ = ["ALLOWED", "check_samples", "scratch_dir"]

#: Exceptions a harness lets pass: the project's documented error types.
ALLOWED: tuple[type[BaseException], ...] = (ImurepError,)

# Warnings (a torn last line dropped, implausible units) are documented tolerant behaviour.
warnings.simplefilter("ignore")


def check_samples(block: SampleBlock, what: str) -> None:
    """Samples a reader or importer returns: finite, times strictly increasing."""
    assert np.isfinite(block.time_s).all(), f"{what}: non-finite time"
    assert np.isfinite(block.acc_m_s2).all(), f"{what}: non-finite acceleration"
    if block.gyr_rad_s is not None:
        assert np.isfinite(block.gyr_rad_s).all(), f"{what}: non-finite angular rate"
    assert (np.diff(block.time_s) > 0).all(), f"{what}: times not strictly increasing"


def scratch_dir() -> str:
    """A private folder for the files a harness writes (in RAM when /dev/shm exists)."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    return tempfile.mkdtemp(prefix="imurep-fuzz-", dir=base)
