"""The streaming analysis pipeline, in data-flow order.

``gravity`` (low-pass the accelerometer, resample to the control rate) → ``mounting`` (sensor → body
frame) → ``posture`` (which posture the body is in) → ``neutral`` (where the pelvis rests) →
``excursion`` (movements away from neutral and back) → ``rep_timing`` and ``quality`` (per-rep
figures) → ``session`` (sets and reps), all driven by :class:`~imurep.pipeline.pipeline.Pipeline`.
"""

from imurep.pipeline.config import PipelineConfig
from imurep.pipeline.pipeline import Pipeline

__all__ = ["Pipeline", "PipelineConfig"]
