"""While a streaming command runs, an error in an event-loop callback is one line, never a traceback."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from imurep.cli.stop_signals import StopSignals


async def _raise_in_callback(exc: BaseException) -> None:
    def callback() -> None:
        raise exc

    asyncio.get_running_loop().call_soon(callback)
    await asyncio.sleep(0.01)


def test_a_callback_error_is_one_warning_line(capsys: pytest.CaptureFixture[str]) -> None:
    async def run() -> None:
        stop = StopSignals()
        with stop.installed(asyncio.get_running_loop()):
            await _raise_in_callback(RuntimeError("the controller went away"))

    asyncio.run(run())
    err = capsys.readouterr().err
    assert err.startswith("imurep: warning: Exception in callback") and err.count("\n") == 1
    assert "RuntimeError: the controller went away" in err and "Traceback" not in err


def test_a_reply_to_a_request_the_stop_cancelled_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    async def run() -> None:
        stop = StopSignals()
        with stop.installed(asyncio.get_running_loop()):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C: the installed handler sets the stop
            await asyncio.sleep(0.05)
            assert stop.event.is_set()
            await _raise_in_callback(asyncio.InvalidStateError("invalid state"))

    asyncio.run(run())
    assert capsys.readouterr().err == ""
