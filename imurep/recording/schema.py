"""Column names and number formats of the recording CSV (``FORMAT.md`` §1)."""

from __future__ import annotations

__all__ = [
    "ACC_COLUMNS",
    "ACC_DECIMALS",
    "FORMAT_KEY",
    "FORMAT_VERSION",
    "GYR_COLUMNS",
    "GYR_DECIMALS",
    "TIME_COLUMN",
    "TIME_DECIMALS",
    "columns_for",
]

#: Metadata key of the first line the writer emits: ``# imurep-recording: 1``.
FORMAT_KEY = "imurep-recording"
FORMAT_VERSION = "1"

TIME_COLUMN = "time_s"
ACC_COLUMNS = ("acc_x", "acc_y", "acc_z")
GYR_COLUMNS = ("gyr_x", "gyr_y", "gyr_z")

# Decimals the writer prints. Absolute Unix times (~1.7e9 s) need 6 decimals for µs resolution;
# 1e-5 m/s² and 1e-6 rad/s are far below any IMU's noise floor.
TIME_DECIMALS = 6
ACC_DECIMALS = 5
GYR_DECIMALS = 6


def columns_for(has_gyr: bool) -> tuple[str, ...]:
    """Header columns for a recording with or without a gyroscope."""
    return (TIME_COLUMN, *ACC_COLUMNS, *(GYR_COLUMNS if has_gyr else ()))
