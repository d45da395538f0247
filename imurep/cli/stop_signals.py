"""Ctrl-C and SIGTERM end a streaming command cleanly instead of killing it.

``record`` and ``live`` install :class:`StopSignals` while they stream: SIGINT or SIGTERM sets an
event, the stream ends, the recording is flushed and closed, and the command prints what it saved
and exits 0 (stopping with Ctrl-C is how a session without ``--duration`` normally ends). The
handlers are installed explicitly, so a process started with SIGINT ignored (a background job
of a non-interactive shell) still stops on it. SIGKILL cannot be caught: the recording writer's
periodic ``fsync`` bounds what it loses to about the last second.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

from imurep.samples import SampleBlock

__all__ = ["StopSignals", "until_stopped"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """SIGINT / SIGTERM handlers that set :attr:`event` while :meth:`installed` is active.

    Attributes
    ----------
    event
        Set by the first SIGINT or SIGTERM.
    name
        Name of the signal that set it (``"SIGINT"``, ``"SIGTERM"``), or ``None``.
    """

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.name: str | None = None

    @property
    def stopped(self) -> bool:
        """Whether a signal asked the command to stop."""
        return self.event.is_set()

    @contextlib.contextmanager
    def installed(self, loop: asyncio.AbstractEventLoop) -> Iterator[None]:
        """Install the handlers on ``loop`` (where the platform allows it); remove them on exit.

        While installed, an error raised in one of the loop's callbacks (the Bluetooth stack's)
        is one ``imurep: warning:`` line instead of a traceback; a reply that arrives for a request
        a stop has already cancelled is expected and says nothing.
        """
        for sig in _SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, self._on_signal, sig)
        previous = loop.get_exception_handler()
        loop.set_exception_handler(self._on_loop_error)
        try:
            yield
        finally:
            loop.set_exception_handler(previous)
            for sig in _SIGNALS:
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(sig)

    def _on_loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, asyncio.InvalidStateError) and self.event.is_set():
            return  # a reply for a request the stop cancelled: nothing is lost
        what = context.get("message") or "error in the event loop"
        detail = f": {type(exc).__name__}: {exc}" if exc is not None else ""
        print(f"imurep: warning: {what}{detail}", file=sys.stderr)

    def _on_signal(self, sig: signal.Signals) -> None:
        if self.name is None:
            self.name = sig.name
        self.event.set()


async def until_stopped(
    blocks: AsyncIterator[SampleBlock], stop: asyncio.Event, stop_after_s: float | None = None
) -> AsyncIterator[SampleBlock]:
    """The blocks of ``blocks`` until ``stop`` is set or ``stop_after_s`` (host time, s) have passed.

    A block already received when the stop arrives is yielded; the wait for the next one is
    cancelled.
    """
    loop = asyncio.get_running_loop()
    deadline = None if stop_after_s is None else loop.time() + stop_after_s
    it = blocks.__aiter__()
    stopper = asyncio.ensure_future(stop.wait())
    try:
        while not stop.is_set():
            timeout = None if deadline is None else max(0.0, deadline - loop.time())
            nxt = asyncio.ensure_future(it.__anext__())
            done, _ = await asyncio.wait({nxt, stopper}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            if nxt not in done:
                nxt.cancel()
                with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                    await nxt
                return
            try:
                block = nxt.result()
            except StopAsyncIteration:
                return
            yield block
    finally:
        stopper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await stopper
