"""What the page is sent: the live state as JSON, with the cues that came with it.

Every message carries the whole state (a page that connects or reloads mid-session shows it at
once); ``cues`` holds only what happened since the previous message, so a page never repeats a
cue it has already spoken, and a page that reconnects speaks none of the past ones.
"""

from __future__ import annotations

import math
from typing import Any

from imurep.live.cues import Cue
from imurep.live.progress import ONE_BREATH_S, SetProgress
from imurep.live.runner import LinkStatus, LiveUpdate

__all__ = ["EXERCISE_NAMES", "POSTURE_WORDS", "page_message"]

EXERCISE_NAMES = {"knee_rolls": "knee rolls", "heels_stretch": "bottom-to-heels stretch"}
# Postures in the words a patient uses.
POSTURE_WORDS = {
    "standing": "standing",
    "supine": "lying on the back",
    "all_fours": "on all fours",
    "side_lying": "lying on a side",
    "prone": "lying face down",
    "moving": "moving",
    "unknown": "unknown (no mounting given)",
}


def _finite(x: float) -> float | None:
    return None if math.isnan(x) or math.isinf(x) else round(x, 2)


def page_message(
    seq: int,
    u: LiveUpdate | None,
    link: LinkStatus,
    cues: list[Cue],
    *,
    progress: SetProgress,
    source: str,
    session_id: str,
    status: str,
    stalled: bool,
    event_unix_ms: float,
) -> dict[str, Any]:
    """The JSON object for one message.

    Parameters
    ----------
    seq
        Message number, from 1 (0: nothing has happened yet).
    u
        The last live update (``None`` before the first).
    link
        The link as of now (it may be newer than ``u``'s).
    cues
        Cues since the previous message, in order.
    progress
        The counts to show: the open set's, or the last set's once it has closed (its exercise is
        then not the open one, and ``set_open`` is false), so a finished set stays on the page.
    session_id
        Random per session: a page that reconnects to another session starts afresh.
    status
        ``"waiting"`` (no samples yet), ``"running"`` or ``"ended"``.
    stalled
        The sensor has stopped sending although the link is up.
    event_unix_ms
        Wall-clock time the update or tick that made this message happened, ms since the epoch
        (the page compares it with its own clock to measure the delay).
    """
    s = None if u is None else u.state
    target = 0 if u is None else u.target_reps
    p = progress
    last = None if u is None else u.last_rep
    return {
        "seq": seq,
        "source": source,
        "session_id": session_id,
        "status": status,
        "event_unix_ms": round(event_unix_ms, 1),
        "one_breath_s": ONE_BREATH_S,
        "target_reps": target,
        "exercise": None if p.exercise is None else EXERCISE_NAMES[p.exercise],
        "set_open": s is not None and s.exercise is not None,
        "posture": "waiting" if s is None else POSTURE_WORDS.get(s.posture, s.posture),
        "counts": [{"label": label, "count": n} for label, n in p.counts],
        "set_done": p.done,
        "session_reps": p.session_reps,
        "pending_reps": p.pending_reps,
        "angle_deg": None if s is None else _finite(s.angle_deg),
        "phase": "none" if s is None else s.phase,
        "hold_s": 0.0 if s is None or s.phase != "out" else round(s.hold_s, 2),
        "moving_side": None if s is None else s.side,
        "last_rep": None
        if last is None
        else {
            "index": last.index,
            "exercise": EXERCISE_NAMES[last.exercise],
            "side": last.side,
            "range_deg": round(last.peak_angle_deg, 1),
            "hold_s": round(last.hold_s, 1),
        },
        "link": {
            "connected": link.connected,
            "stalled": stalled,
            "rate_hz": round(link.rate_hz, 1),
            "loss_percent": 0.0 if u is None else round(u.loss_percent, 2),
            "lost_packets": link.lost_packets,
            "reconnects": link.reconnects,
            "detail": link.detail,
        },
        "samples": 0 if u is None else u.samples,
        "cues": [{"kind": c.kind, "text": c.text, "rep_index": c.rep_index} for c in cues],
    }
