"""``imurep record`` at its edges: the band ends its session, a stop before any data, Ctrl-C while
the command is still starting."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from imurep.cli.main import main
from imurep.recording import read_recording


def test_record_without_duration_stops_when_the_band_ends_its_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rec.csv"
    started = time.monotonic()
    code = main(["record", "--device", "virtual", "-o", str(path), "--speed", "50"])
    took_s = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 0, err
    m = re.search(r"the device ended its session; recorded (\d+) samples", err)
    assert m, err
    assert "reconnection" not in err and "gave up" not in err
    assert len(read_recording(path).samples) == int(m.group(1)) > 1000  # the whole file is there
    assert took_s < 90  # ~7 s of session at x50 (more on a loaded machine), not a minute of reconnecting


def _signal_once_handlers_are_installed(sig: signal.Signals) -> threading.Thread:
    """Send ``sig`` to this process as soon as the command's stop handlers are installed.

    They take SIGINT and SIGTERM together, SIGTERM last; watched on SIGTERM, as ``asyncio.run``
    itself takes SIGINT over earlier (a Ctrl-C then is a plain "interrupted")."""
    default = signal.getsignal(signal.SIGTERM)

    def watch() -> None:
        deadline = time.monotonic() + 30
        while signal.getsignal(signal.SIGTERM) is default and time.monotonic() < deadline:
            time.sleep(0.001)
        os.kill(os.getpid(), sig)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_before_any_data_records_nothing_and_leaves_no_file(
    sig: signal.Signals, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rec.csv"
    watcher = _signal_once_handlers_are_installed(sig)
    code = main(["record", "--device", "virtual", "-o", str(path), "--speed", "5"])
    watcher.join()
    err = capsys.readouterr().err
    assert code == 0, err
    # "from virtual" when still connecting, else the band's name and address
    assert re.fullmatch(
        rf"imurep record: stopped by {sig.name}; nothing was recorded \(no data arrived from [^)]+\), "
        rf"so no file was written \({re.escape(str(path))}\)\n",
        err,
    ), err
    assert not path.exists()


def test_an_empty_recording_is_removed_by_a_writer_asked_to(tmp_path: Path) -> None:
    from imurep.recording import RecordingWriter

    path = tmp_path / "rec.csv"
    with RecordingWriter(path, {"device": "x"}, remove_if_empty=True) as writer:
        assert path.exists()  # created at once (so that an existing file is refused at once)
    assert writer.removed and not path.exists()
    with RecordingWriter(path, {"device": "x"}) as writer:
        pass
    assert not writer.removed and path.exists()  # by default the header-only file stays


@pytest.mark.parametrize("delay_s", [0.3, 0.6])
def test_ctrl_c_while_the_command_starts_is_one_line(delay_s: float, tmp_path: Path) -> None:
    path = tmp_path / "rec.csv"
    cmd = [sys.executable, "-m", "imurep.cli.main", "record", "--device", "virtual", "-o", str(path)]
    with subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True) as proc:
        time.sleep(delay_s)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    # 130, or killed by SIGINT: CPython ends itself so when the Ctrl-C landed in code it ran for
    # an extension's import (the shell shows 130 either way)
    assert proc.returncode in (0, 130, -signal.SIGINT), err
    assert not path.exists() or len(read_recording(path).samples) > 0


def test_live_stopped_before_any_data_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rec.csv"
    watcher = _signal_once_handlers_are_installed(signal.SIGINT)
    code = main(["live", "--device", "virtual", "--json", "-o", str(path)])
    watcher.join()
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"; nothing was recorded, so no file was written ({path})" in captured.err
    assert not path.exists()
    assert json.loads(captured.out)["data_quality"]["n_samples"] == 0
