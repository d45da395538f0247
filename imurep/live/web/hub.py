"""The session as the page sees it: the latest state, and every message fanned out to each page.

The live runner calls :meth:`PageHub.publish` with each update, in the event loop that also runs
the BLE client and the web server; a ticker calls :meth:`PageHub.tick` between updates so that a
dropped link or a silent sensor shows (and is spoken) even while no samples arrive.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from imurep.live.cues import Cue, CueTracker
from imurep.live.progress import set_progress
from imurep.live.runner import LinkStatus, LiveUpdate
from imurep.live.web.message import page_message

__all__ = ["PageHub"]

# Messages a page may fall behind by before it is cut off (it reconnects and gets the snapshot).
_QUEUE_MESSAGES = 256


class PageHub:
    """Latest state plus one queue of JSON messages per connected page.

    Parameters
    ----------
    source
        What the page names as the source (the device).
    link_status
        The link as of now (called on every tick).
    tracker
        Turns updates into cues (one per session).
    monotonic_s, unix_s
        Clocks (host monotonic time for the cues, wall-clock time for the page's delay check).
    """

    def __init__(
        self,
        source: str,
        link_status: Callable[[], LinkStatus],
        tracker: CueTracker | None = None,
        monotonic_s: Callable[[], float] = time.monotonic,
        unix_s: Callable[[], float] = time.time,
    ) -> None:
        self.source = source
        self._link_status = link_status
        self._tracker = tracker or CueTracker()
        self._monotonic_s = monotonic_s
        self._unix_s = unix_s
        self._update: LiveUpdate | None = None
        self._progress = set_progress(None, 0)
        self._link = link_status()
        self._status = "waiting"
        # Tells a page that reconnects whether it is the same session (message numbers go on).
        self.session_id = secrets.token_hex(6)
        self._seq = 0
        self._last: dict[str, Any] = self._message([], self._unix_s())
        self._queues: set[asyncio.Queue[str | None]] = set()
        self.page_opened = asyncio.Event()  # set once a page has connected
        self.cues: list[Cue] = []

    def attach(self, source: str, link_status: Callable[[], LinkStatus]) -> None:
        """The device is open: name it, and follow its link from now on."""
        self.source = source
        self._link_status = link_status
        self._send([], self._unix_s())

    @property
    def status(self) -> str:
        """``"waiting"`` (no samples yet), ``"running"`` or ``"ended"``."""
        return self._status

    def snapshot(self) -> dict[str, Any]:
        """The latest message without its cues: what a page that (re)connects is sent first."""
        return {**self._last, "cues": []}

    def publish(self, u: LiveUpdate) -> None:
        """A live update from the runner."""
        now_unix_s = self._unix_s()
        self._update = u
        self._link = u.link
        progress = set_progress(u.state, u.target_reps)
        if progress.exercise is not None or self._progress.exercise is None:
            self._progress = progress
        else:  # between sets: the last set's counts stay up
            self._progress = replace(
                self._progress, session_reps=progress.session_reps, pending_reps=progress.pending_reps
            )
        if u.samples > 0 and self._status == "waiting":
            self._status = "running"
        self._send(self._tracker.update(u, self._monotonic_s()), now_unix_s)

    def tick(self) -> None:
        """Between updates: look at the link; a message only if something changed."""
        now_unix_s = self._unix_s()
        link = self._link_status()
        before = (self._link.connected, self._link.reconnects, self._tracker.stalled)
        cues = self._tracker.tick(link, self._monotonic_s())
        self._link = link
        if cues or before != (link.connected, link.reconnects, self._tracker.stalled):
            self._send(cues, now_unix_s)

    def end(self) -> None:
        """The session is over: the last message, and the end of every page's stream."""
        if self._status == "ended":
            return
        self._status = "ended"
        self._send(self._tracker.end(), self._unix_s())
        for q in self._queues:
            q.put_nowait(None)

    @property
    def pages(self) -> int:
        """Pages connected now."""
        return len(self._queues)

    def subscribe(self) -> asyncio.Queue[str | None]:
        """A queue of the JSON messages from now on (``None``: the stream has ended)."""
        q: asyncio.Queue[str | None] = asyncio.Queue(_QUEUE_MESSAGES)
        self._queues.add(q)
        self.page_opened.set()
        if self._status == "ended":
            q.put_nowait(None)
        return q

    def unsubscribe(self, q: asyncio.Queue[str | None]) -> None:
        self._queues.discard(q)

    def _message(self, cues: list[Cue], event_unix_s: float) -> dict[str, Any]:
        return page_message(
            self._seq,
            self._update,
            self._link,
            cues,
            progress=self._progress,
            source=self.source,
            session_id=self.session_id,
            status=self._status,
            stalled=self._tracker.stalled,
            event_unix_ms=event_unix_s * 1000.0,
        )

    def _send(self, cues: list[Cue], event_unix_s: float) -> None:
        self._seq += 1
        self.cues.extend(cues)
        self._last = self._message(cues, event_unix_s)
        text = json.dumps(self._last, separators=(",", ":"))
        for q in list(self._queues):
            try:
                q.put_nowait(text)
            except asyncio.QueueFull:
                # A page this far behind is cut off; it reconnects and starts from the snapshot.
                self._queues.discard(q)
                while not q.empty():
                    q.get_nowait()
                q.put_nowait(None)
