"""Offline analysis: a recording's sample blocks through the same pipeline live sessions use."""

from __future__ import annotations

import os
from collections.abc import Iterable

from imurep.analysis.result import AnalysisResult
from imurep.analysis.session import SessionAnalyzer
from imurep.importers.imported import ImportOptions
from imurep.mounting_presets import MountChoice, mount_choice
from imurep.pipeline import PipelineConfig
from imurep.pipeline.config import ExerciseChoice
from imurep.samples import FloatArray, SampleBlock

__all__ = ["analyze_blocks", "analyze_file"]


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
    mount: MountChoice | str | None = None,
    keep_trace: bool = True,
    units: ImportOptions | None = None,
) -> AnalysisResult:
    """Analyse one recording (our CSV or a supported app export).

    Parameters
    ----------
    path
        A recording CSV, or an export file, folder or zip from a supported app.
    exercise
        ``auto`` or the one exercise to count.
    mount
        A :class:`~imurep.mounting_presets.MountChoice` parsed at the edge, or the text it is parsed
        from: a mounting preset name, a rotation (see :func:`imurep.mounting_presets.parse_mount`),
        ``auto`` (unknown mounting: found from the data), ``calibrate`` (standing still, then
        lying still on the back, at the start of the recording give the axes), or ``None``:
        the file's own ``mount`` metadata when it names a preset, else ``front-belt``.
    keep_trace
        Keep the angle trace for plots; without it memory stays bounded however long the file.
    units
        Units and time base the user states for the file (default: the file's metadata, else
        decided from the data); what was decided or dropped joins the data-quality warnings.
    """
    from imurep.sources.files import open_samples
    from imurep.sources.paths import check_path

    choice = mount_choice(mount)
    check_path(path, pipes=True)  # a device would never end, a bad link is named: refused unopened
    opened = open_samples(path, units)
    if choice.kind == "calibrate":
        from imurep.pipeline.calibration import calibrate_from_blocks

        body_from_sensor: FloatArray | None = calibrate_from_blocks(
            open_samples(path, units).blocks, os.fspath(path)
        )
    else:
        body_from_sensor = choice.for_file(opened.metadata.get("mount"))
    config = PipelineConfig(exercise=exercise, body_from_sensor=body_from_sensor, keep_trace=keep_trace)
    result = analyze_blocks(opened.blocks, os.path.basename(os.fspath(path)), config)
    # The warnings are complete now that the blocks were read to the end.
    return result.with_input_warnings(opened.warnings)
