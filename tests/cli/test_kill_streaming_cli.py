"""``imurep record`` and ``imurep live -o`` killed at random moments, through the real entry point.

Each run streams the virtual band (a deterministic simulated session, from ``--seed``) and gets
SIGINT, SIGTERM or SIGKILL a seeded random delay after its first samples reached the file. The
file must then read back with the validated reader, and:

* it is a prefix of an uninterrupted reference recording of the same session (the same values;
  times within a period plus 2000 ppm, as the host-side clock model differs a little per run);
* it covers at least the streaming time before the kill minus 1 s: the band plays ``--speed``
  device seconds per host second, and the test first sees samples in the file only after the
  stream began (the writer flushes every 0.5 s), so
  ``span_s >= speed * (t_kill - t_first_seen - 1 s)`` is implied by "loses at most the last second";
* SIGINT / SIGTERM: exit code 0, a ``stopped by SIG...`` line, no traceback, no torn line, and
  the file holds every sample the command reports;
* SIGKILL: exit -9; a torn last line is allowed (the reader drops it with a warning).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from imurep.recording import RecordingWarning, read_recording
from imurep.samples import SampleBlock

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

_IMUREP = Path(sys.executable).with_name("imurep")  # the console script pip installed
_SPEED = 4.0  # device s per host s while killing: a few s of host time give >10 s of data
_REFERENCE_SPEED = 20.0
_SEED = {"record": 3, "live": 7}
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)
_DEFAULT_KILLS = 1  # per command and signal in the default run
_SLOW_KILLS = 5  # more under -m slow


@dataclass(frozen=True)
class _Run:
    returncode: int
    stdout: str
    stderr: str
    first_seen_s: float  # time.monotonic() when the file first held a sample
    kill_s: float  # time.monotonic() when the signal was sent


def _command(kind: str, out: Path, speed: float, duration_s: float | None = None) -> list[str]:
    if not _IMUREP.exists():
        pytest.skip(f"console script {_IMUREP} not installed (pip install -e .)")
    cmd = [str(_IMUREP), kind, "--device", "virtual", "--seed", str(_SEED[kind])]
    cmd += ["--speed", str(speed), "-o", str(out)]
    if kind == "live":
        cmd.append("--json")
    if duration_s is not None:
        cmd += ["--duration", str(duration_s)]
    return cmd


def _has_samples(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    _, sep, rows = data.partition(b"\ntime_s,")
    return bool(sep) and rows.count(b"\n") >= 2  # the column line's end and one whole row


def _read(path: Path, torn_allowed: bool) -> SampleBlock:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        samples = read_recording(path).samples
    unexpected = [w for w in caught if not (torn_allowed and issubclass(w.category, RecordingWarning))]
    assert not unexpected, [str(w.message) for w in unexpected]
    return samples


def _kill_at_random(kind: str, out: Path, sig: signal.Signals, delay_s: float, logs: Path) -> _Run:
    # Output goes to files: a pipe nobody reads while the live view redraws would block the child.
    stdout_path, stderr_path = logs / f"{out.stem}.out", logs / f"{out.stem}.err"
    with stdout_path.open("w") as so, stderr_path.open("w") as se:
        proc = subprocess.Popen(_command(kind, out, _SPEED), stdout=so, stderr=se)
        try:
            deadline = time.monotonic() + 90.0
            while not _has_samples(out):
                assert proc.poll() is None, f"{kind} exited early: {stderr_path.read_text()[-2000:]}"
                assert time.monotonic() < deadline, "no samples in the file after 90 s"
                time.sleep(0.02)
            first_seen_s = time.monotonic()
            time.sleep(delay_s)
            kill_s = time.monotonic()
            proc.send_signal(sig)
            returncode = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return _Run(returncode, stdout_path.read_text(), stderr_path.read_text(), first_seen_s, kill_s)


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SampleBlock]:
    """Uninterrupted recordings of both commands' sessions (values do not depend on --speed)."""
    folder = tmp_path_factory.mktemp("reference")
    result: dict[str, SampleBlock] = {}
    for kind in ("record", "live"):
        out = folder / f"{kind}.csv"
        proc = subprocess.run(
            _command(kind, out, _REFERENCE_SPEED, duration_s=3.0), capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        result[kind] = _read(out, torn_allowed=False)
    return result


def _cases() -> list[object]:
    cases: list[object] = []
    for kind in ("record", "live"):
        for sig in _SIGNALS:
            for i in range(_DEFAULT_KILLS + _SLOW_KILLS):
                marks = [pytest.mark.slow] if i >= _DEFAULT_KILLS else []
                cases.append(pytest.param(kind, sig, i, marks=marks, id=f"{kind}-{sig.name}-{i}"))
    return cases


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("kind", "sig", "i"), _cases())
def test_killed_command_keeps_a_valid_prefix(
    kind: str, sig: signal.Signals, i: int, tmp_path: Path, references: dict[str, SampleBlock]
) -> None:
    rng = random.Random(f"{kind}-{sig.name}-{i}")
    delay_s = rng.uniform(1.2, 3.0)  # > 1 s: the "lost at most the last second" check must bite
    out = tmp_path / "killed.csv"
    run = _kill_at_random(kind, out, sig, delay_s, tmp_path)
    graceful = sig != signal.SIGKILL
    detail = f"delay {delay_s:.2f} s, exit {run.returncode}, stderr: {run.stderr[-600:]}"

    assert "Traceback" not in run.stderr, detail
    if graceful:
        assert run.returncode == 0, detail
        assert f"stopped by {sig.name}" in run.stderr, detail
    else:
        assert run.returncode == -signal.SIGKILL, detail

    samples = _read(out, torn_allowed=not graceful)
    reference = references[kind]
    n = len(samples)
    assert 0 < n <= len(reference), detail
    assert (np.diff(samples.time_s) > 0).all()
    np.testing.assert_array_equal(samples.acc_m_s2, reference.acc_m_s2[:n])
    assert samples.gyr_rad_s is not None and reference.gyr_rad_s is not None
    np.testing.assert_array_equal(samples.gyr_rad_s, reference.gyr_rad_s[:n])
    period_s = float(np.median(np.diff(reference.time_s)))
    # Times come from the host-side clock model (device clock to host time, drift estimated
    # from arrival times), which differs a little between runs: a period plus 2000 ppm (seen:
    # up to 7.6 ms after ~10 s, at --speed 4 against 20).
    elapsed_s = reference.time_s[:n] - reference.time_s[0]
    assert (np.abs(samples.time_s - reference.time_s[:n]) <= period_s + 2e-3 * elapsed_s).all(), detail

    span_s = float(samples.time_s[-1] - samples.time_s[0])
    due_s = _SPEED * (run.kill_s - run.first_seen_s - 1.0)
    print(f"{kind} {sig.name}: file spans {span_s:.2f} s of data, {due_s:.2f} s were due")
    assert span_s >= due_s - period_s, f"file spans {span_s:.2f} s, {due_s:.2f} s were due; {detail}"

    if graceful:  # every sample the command says it got is in the file
        if kind == "record":
            assert f"recorded {n} samples" in run.stderr, detail
        else:
            assert json.loads(run.stdout)["data_quality"]["n_samples"] == n, detail
