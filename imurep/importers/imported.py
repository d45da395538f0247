"""What an importer returns, and the one path every importer takes from raw streams to it.

``build_recording`` checks the streams' times, decides the units (declared by the format, given
by the user, or read from the data — then said so), converts to SI, merges the gyroscope onto
the accelerometer's timebase and runs the sanity checks of :mod:`imurep.importers.units`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from imurep.errors import InputError
from imurep.importers.streams import Stream, clean_stream, merge_onto_acc
from imurep.importers.units import (
    AccUnit,
    GyrUnit,
    TimeUnit,
    acc_scale_to_m_s2,
    check_samples,
    classify_acc,
    classify_gyr,
    gravity_included,
    gyr_scale_to_rad_s,
)
from imurep.samples import FloatArray, SampleBlock

__all__ = ["ImportOptions", "ImportedRecording", "build_recording"]


@dataclass(frozen=True)
class ImportOptions:
    """What the user says about the input, overriding the format and the data.

    Attributes
    ----------
    acc_unit
        Acceleration unit of the file (``"m/s2"``, ``"g"``, ``"mg"``), or ``None``.
    gyr_unit
        Angular-rate unit of the file (``"rad/s"``, ``"deg/s"``), or ``None``.
    time_unit
        Unit of the time column of our recording CSV (``"s"``, ``"ms"``, ``"us"``, ``"ns"``), or
        ``None``. Exports name their time columns; their importers read those.
    rate_hz
        Sample rate of our recording CSV whose time column counts samples (time = index / rate),
        or ``None``.
    """

    acc_unit: AccUnit | None = None
    gyr_unit: GyrUnit | None = None
    time_unit: TimeUnit | None = None
    rate_hz: float | None = None


@dataclass(frozen=True)
class ImportedRecording:
    """A recording brought in from our CSV or an app export.

    Attributes
    ----------
    block
        All samples: time in the source's time base (s), acceleration with gravity (m/s²),
        angular rate (rad/s) or ``None``, sensor frame.
    metadata
        ``# key: value`` metadata for the recording CSV (``source-format``, ``imported-from``,
        units, how streams were merged, ...).
    warnings
        Things the user should know (units read from the data, gaps, clipping, ...).
    format
        Name of the detected format (``"imurep"``, ``"sensor-logger"``, ``"phyphox"``, ...).
    """

    block: SampleBlock
    metadata: dict[str, str]
    warnings: tuple[str, ...]
    format: str


def build_recording(
    fmt: str,
    source: str,
    acc: Stream,
    gyr: Stream | None,
    *,
    acc_declared: AccUnit | None,
    gyr_declared: GyrUnit | None,
    options: ImportOptions,
    no_gravity_fix: str,
    metadata: dict[str, str] | None = None,
    warnings: list[str] | None = None,
    trust_data_over_declared: bool = False,
) -> ImportedRecording:
    """Turn raw streams into an :class:`ImportedRecording`.

    Parameters
    ----------
    fmt
        Format name for ``source-format``.
    source
        The file, folder or zip imported (for ``imported-from`` and messages).
    acc, gyr
        Raw streams in the file's units; ``gyr`` may be ``None``.
    acc_declared, gyr_declared
        Units the format's header or documentation states, if any.
    options
        User overrides (win over everything, disagreement with the data is warned about).
    no_gravity_fix
        What to tell the user when the acceleration has no gravity (which file to use instead).
    metadata, warnings
        Importer-specific entries, kept first.
    trust_data_over_declared
        When the data clearly says another unit than ``acc_declared`` (Sensor Logger on iOS
        writes g where Android writes m/s²), follow the data and warn.

    Raises
    ------
    InputError
        Bad times, no gravity, a unit that neither the format, the user nor the data settle.
    """
    meta: dict[str, str] = {"source-format": fmt, "imported-from": source}
    meta.update(metadata or {})
    notes: list[str] = list(warnings or [])

    acc, w = clean_stream(acc, "accelerometer")
    notes += w
    acc_unit = _acc_unit(
        acc, acc_declared, options.acc_unit, trust_data_over_declared, no_gravity_fix, meta, notes
    )
    acc_m_s2 = acc.values * acc_scale_to_m_s2(acc_unit)
    if not gravity_included(acc_m_s2):
        median = float(np.median(np.linalg.norm(acc_m_s2, axis=1)))
        raise InputError(
            f"acceleration has no gravity (median |acc| = {median:.3g} m/s², expected about 9.81): "
            f"{no_gravity_fix}",
            acc.source,
        )
    acc = Stream(acc.time_s, acc_m_s2, acc.source, acc.first_line)

    if gyr is None:
        block = SampleBlock(acc.time_s.copy(), acc.values.copy(), None)
        meta["gyroscope"] = "none in this export"
    else:
        gyr, w = clean_stream(gyr, "gyroscope")
        notes += w
        merged = merge_onto_acc(acc, gyr)
        meta["merge"] = merged.note
        notes += merged.warnings
        gyr_unit = _gyr_unit(
            merged.time_s, merged.acc, merged.gyr, gyr, gyr_declared, options.gyr_unit, meta, notes
        )
        block = SampleBlock(
            np.ascontiguousarray(merged.time_s, dtype=np.float64),
            np.ascontiguousarray(merged.acc, dtype=np.float64),
            np.ascontiguousarray(merged.gyr * gyr_scale_to_rad_s(gyr_unit), dtype=np.float64),
        )
    notes += check_samples(block)
    return ImportedRecording(block, meta, tuple(notes), fmt)


def _acc_unit(
    acc: Stream,
    declared: AccUnit | None,
    override: AccUnit | None,
    trust_data: bool,
    no_gravity_fix: str,
    meta: dict[str, str],
    notes: list[str],
) -> AccUnit:
    verdict = classify_acc(acc.values)
    if override is not None:
        meta["acc-unit"] = f"{override} (given by the user)"
        _warn_if_implausible(acc, override, "was given", notes)
        return override
    if declared is not None:
        data_unit = verdict.unit
        fits = _median_m_s2(acc, declared)
        if data_unit is not None and not 6.0 <= fits <= 14.0:
            if trust_data:
                meta["acc-unit"] = (
                    f"{data_unit} (from the data: {verdict.describe()}; the format says {declared})"
                )
                notes.append(
                    f"acceleration read as {data_unit}, not {declared} as the format says: "
                    f"{verdict.describe()}"
                )
                return data_unit
            _warn_if_implausible(acc, declared, "is what the format states", notes)
        meta["acc-unit"] = f"{declared} (as the format states)"
        return declared
    if verdict.unit is not None:
        meta["acc-unit"] = f"{verdict.unit} (inferred from the data: {verdict.describe()})"
        notes.append(f"acceleration unit {verdict.unit} inferred from the data ({verdict.describe()})")
        return verdict.unit
    if not verdict.gravity:
        raise InputError(
            f"acceleration has no gravity ({verdict.describe()}, expected about 1 g or 9.81 m/s²): "
            f"{no_gravity_fix}",
            acc.source,
        )
    raise InputError(
        f"cannot tell whether acceleration is in g or m/s² ({verdict.describe()}): pass --acc-unit",
        acc.source,
    )


def _median_m_s2(acc: Stream, unit: AccUnit) -> float:
    norm = np.linalg.norm(acc.values, axis=1) * acc_scale_to_m_s2(unit)
    return float(np.median(norm)) if norm.size else float("nan")


def _warn_if_implausible(acc: Stream, unit: AccUnit, how: str, notes: list[str]) -> None:
    median = _median_m_s2(acc, unit)
    if not 6.0 <= median <= 14.0 and median >= 4.0:
        notes.append(
            f"acceleration unit {unit} {how}, but then median |acc| = {median:.3g} m/s² "
            "(expected about 9.81): check the unit (--acc-unit)"
        )


def _gyr_unit(
    time_s: FloatArray,
    acc_m_s2: FloatArray,
    gyr_raw: FloatArray,
    gyr: Stream,
    declared: GyrUnit | None,
    override: GyrUnit | None,
    meta: dict[str, str],
    notes: list[str],
) -> GyrUnit:
    verdict = classify_gyr(time_s, acc_m_s2, gyr_raw)
    if override is not None:
        meta["gyr-unit"] = f"{override} (given by the user)"
        if verdict.unit is not None and verdict.unit != override:
            notes.append(
                f"angular-rate unit {override} was given, but the data looks like {verdict.unit}: "
                f"{verdict.reason}"
            )
        return override
    if declared is not None:
        if verdict.unit is not None and verdict.unit != declared:
            notes.append(
                f"the format says angular rate is in {declared}, but the data looks like {verdict.unit} "
                f"({verdict.reason}); kept {declared} (override with --gyr-unit)"
            )
        meta["gyr-unit"] = f"{declared} (as the format states)"
        return declared
    if verdict.unit is not None:
        meta["gyr-unit"] = f"{verdict.unit} (inferred from the data: {verdict.reason})"
        notes.append(f"angular-rate unit {verdict.unit} inferred from the data: {verdict.reason}")
        return verdict.unit
    raise InputError(
        f"cannot tell whether the gyroscope is in rad/s or deg/s ({verdict.reason}): pass --gyr-unit",
        gyr.source,
    )
