"""Offline analysis: a recording's sample blocks through the same pipeline live sessions use."""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from imurep.analysis.result import AnalysisResult
from imurep.analysis.session import SessionAnalyzer
from imurep.pipeline import PipelineConfig
from imurep.pipeline.config import ExerciseChoice
from imurep.samples import FloatArray, SampleBlock

__all__ = ["analyze_blocks", "analyze_file", "resolve_mount"]


def analyze_blocks(
    blocks: Iterable[SampleBlock],
    source: str,
    config: PipelineConfig | None = None,
) -> AnalysisResult:
    """Run the pipeline over ``blocks`` (any sizes) and collect the result.

    Parameters
    ----------
    blocks
        Consecutive sample blocks of one recording.
    source
        Name reported as ``source`` (usually the file name).
    config
        Pipeline settings; default: exercise ``auto``, mounting ``front-belt``.
    """
    session = SessionAnalyzer(config)
    for block in blocks:
        session.feed(block)
    session.finish()
    return session.result(source)


def analyze_file(
    path: str | os.PathLike[str],
    exercise: ExerciseChoice = "auto",
    mount: str | None = None,
    keep_trace: bool = True,
) -> AnalysisResult:
    """Analyse one recording (our CSV or a supported app export).

    Parameters
    ----------
    path
        A recording CSV, or an export file, folder or zip from a supported app.
    exercise
        ``auto`` or the one exercise to count.
    mount
        A mounting preset name, a rotation (see :func:`imurep.mounting_presets.parse_mount`),
        ``auto`` (unknown mounting: found from the data), ``calibrate`` (standing still, then
        lying still on the back, at the start of the recording give the axes), or ``None``:
        the file's own ``mount`` metadata when it names a preset, else ``front-belt``.
    keep_trace
        Keep the angle trace for plots; without it memory stays bounded however long the file.
    """
    from imurep.sources.files import open_samples
    from imurep.sources.paths import check_path

    check_path(path)  # a FIFO or device would hang the reader: refused before opening
    opened = open_samples(path)
    if mount == "calibrate":
        from imurep.pipeline.calibration import calibrate_from_blocks

        body_from_sensor: FloatArray | None = calibrate_from_blocks(
            open_samples(path).blocks, os.fspath(path)
        )
    else:
        body_from_sensor = resolve_mount(mount, opened.metadata.get("mount"))
    config = PipelineConfig(exercise=exercise, body_from_sensor=body_from_sensor, keep_trace=keep_trace)
    return analyze_blocks(opened.blocks, os.path.basename(os.fspath(path)), config)


def resolve_mount(option: str | None, file_mount: str | None) -> FloatArray | None:
    """The sensor-to-body rotation from the command-line option or the file's metadata."""
    from imurep.mounting_presets import MOUNT_PRESETS, parse_mount

    if option is None:
        if file_mount is not None and file_mount.strip() in MOUNT_PRESETS:
            option = file_mount.strip()
        else:
            option = "front-belt"
    if option == "auto":
        return None
    return np.asarray(parse_mount(option), dtype=np.float64)
