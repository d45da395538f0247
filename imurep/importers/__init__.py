"""Importers: phone-app and device exports (file, folder or zip) into SI sample blocks.

``load_any(path)`` is the one entry point for recorded samples: our recording CSV or any
supported export, auto-detected. Every importer returns time in the source's own time base (s),
acceleration with gravity in m/s², angular rate in rad/s, in the sensor frame, plus metadata and
warnings; units read from the data are always reported, never assumed silently.
"""

from imurep.importers.imported import ImportedRecording, ImportOptions
from imurep.importers.registry import FORMATS, ImporterSpec, is_own_head, is_own_recording, load_any
from imurep.importers.units import (
    AccUnit,
    AccVerdict,
    GyrUnit,
    GyrVerdict,
    check_samples,
    classify_acc,
    classify_gyr,
    gravity_included,
)

__all__ = [
    "FORMATS",
    "AccUnit",
    "AccVerdict",
    "GyrUnit",
    "GyrVerdict",
    "ImportOptions",
    "ImportedRecording",
    "ImporterSpec",
    "check_samples",
    "classify_acc",
    "classify_gyr",
    "gravity_included",
    "is_own_head",
    "is_own_recording",
    "load_any",
]
