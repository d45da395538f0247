"""SIGINT and SIGTERM stop a batch promptly: the finished files stay in the table, nothing lingers.

While :func:`stop_signals` is active, the first SIGINT or SIGTERM is noted in :class:`StopRequest`;
the batch loop sees it within a fraction of a second, ends its worker processes, closes the
table and raises :class:`BatchStopped`. A file being analysed in this process (``jobs=1``) is
interrupted at once (:attr:`StopRequest.interruptible`). The table only ever holds whole files,
so the same command run again goes on where the batch stopped.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["BatchStopped", "StopRequest", "stop_signals"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class BatchStopped(BaseException):
    """A stop signal ended the batch (a :class:`BaseException`, like ``KeyboardInterrupt``, so that
    no ``except Exception`` records it as a failed file).

    Attributes
    ----------
    signal_name
        ``"SIGINT"`` or ``"SIGTERM"``.
    exit_code
        The conventional status of a process ended by that signal: 128 + its number.
    n_done
        Files in the table (this run's and earlier runs').
    n_found
        Files the batch had to do.
    output
        Absolute path of the table.
    """

    def __init__(self, signal_name: str, n_done: int = 0, n_found: int = 0, output: str = "") -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name
        self.exit_code = 128 + int(signal.Signals[signal_name])
        self.n_done = n_done
        self.n_found = n_found
        self.output = output


class StopRequest:
    """Which stop signal arrived (``name``), if any."""

    def __init__(self) -> None:
        self.name: str | None = None
        self.interruptible = False  # raise at once: this process is analysing a file

    @property
    def stopped(self) -> bool:
        return self.name is not None

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.name is None:
            self.name = signal.Signals(signum).name
        if self.interruptible:
            self.interruptible = False
            raise BatchStopped(self.name)

    def check(self) -> None:
        """Raise :class:`BatchStopped` if a stop signal has arrived."""
        if self.name is not None:
            raise BatchStopped(self.name)

    @contextlib.contextmanager
    def interrupting(self) -> Iterator[None]:
        """A stop signal raises :class:`BatchStopped` at once inside this block."""
        self.check()
        self.interruptible = True
        try:
            yield
        finally:
            self.interruptible = False


@contextlib.contextmanager
def stop_signals() -> Iterator[StopRequest]:
    """Catch SIGINT and SIGTERM into a :class:`StopRequest` (main thread only; else none are caught)."""
    request = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield request
        return
    previous = {sig: signal.signal(sig, request.on_signal) for sig in _SIGNALS}
    try:
        yield request
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
