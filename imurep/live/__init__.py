"""Live sessions: samples arrive from a device, the pipeline counts, a terminal view follows."""

from imurep.live.runner import LinkStatus, LiveUpdate, run_live
from imurep.live.view import render_live

__all__ = ["LinkStatus", "LiveUpdate", "render_live", "run_live"]
