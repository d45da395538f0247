"""How an input of ``fuzz_importers.py`` becomes files (kept apart so that tools need no atheris)."""

from __future__ import annotations

import os
import shutil

__all__ = ["NAME_SETS", "SEPARATOR", "materialize"]

SEPARATOR = b"\n--8<--\n"
#: File names per selector value (selector byte modulo the number of sets).
NAME_SETS: tuple[tuple[str, ...], ...] = (
    ("recording.csv",),
    ("TotalAcceleration.csv", "Gyroscope.csv", "Gravity.csv", "Accelerometer.csv", "Metadata.csv"),
    (
        "Polar_Sense_B5D3F02A_20231114_221320_ACC.txt",
        "Polar_Sense_B5D3F02A_20231114_221320_GYRO.txt",
        "MARKER.txt",
    ),
    ("Accelerometer.csv", "Gyroscope.csv", "meta/time.csv", "meta/device.csv"),
    ("Raw Data.csv",),
    (
        "MetaWear_2023-11-14T17.13.20.000_C8C3A1B2D3E4_Accelerometer_1.5.0.csv",
        "MetaWear_2023-11-14T17.13.20.000_C8C3A1B2D3E4_Gyroscope_1.5.0.csv",
        "MetaWear_2023-11-14T17.13.20.000_C8C3A1B2D3E4_Gravity_1.5.0.csv",
    ),
    ("WT901BLE.txt",),
    ("data.csv",),
    ("export.zip",),
)


def materialize(data: bytes, root: str) -> str | None:
    """Write ``data``'s files under ``root/export`` (replacing it); the path to load, or ``None``.

    One part is loaded as a single file, several as the folder.
    """
    if not data:
        return None
    names = NAME_SETS[data[0] % len(NAME_SETS)]
    parts = data[1:].split(SEPARATOR)[: len(names)]
    folder = os.path.join(root, "export")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(os.path.join(folder, "meta"))
    for name, content in zip(names, parts, strict=False):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(content)
    return os.path.join(folder, names[0]) if len(parts) == 1 else folder
