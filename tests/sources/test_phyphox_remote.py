"""PhyphoxSource against a local server that follows phyphox's remote-access interface.

The fake phone follows phyphox/phyphox-android ``RemoteServer.java``: ``/config`` lists buffers
and inputs; ``/get`` takes ``name=full`` or ``name=threshold[|reference]`` (values at indices where
the reference buffer exceeds the threshold nudged by ``10**floor(log10(|t| / 1e7))``), prints
numbers as Java ``0.#######E0`` (8 significant digits) and answers in full after a clear;
``/control?cmd=start|stop|clear``. Experiment time stands still while paused.
"""

from __future__ import annotations

import json
import math
import threading
import time
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest

from imurep.errors import DeviceError, InputError
from imurep.samples import SampleBlock
from imurep.sources.phyphox_remote import (
    PhyphoxSettings,
    PhyphoxSource,
    _GyroMerger,
    buffers_from_config,
    phyphox_base_url,
)

G = 9.81
RATE_HZ = 100.0
GYR_OFFSET_S = 0.004


def angle_rad(t: np.ndarray) -> np.ndarray:
    return 0.5 * np.sin(2 * np.pi * 0.5 * t)


def rate_rad_s(t: np.ndarray) -> np.ndarray:
    return 0.5 * 2 * np.pi * 0.5 * np.cos(2 * np.pi * 0.5 * t)


def acc_m_s2(t: np.ndarray, gravity: bool = True) -> np.ndarray:
    a = angle_rad(t)
    g = G if gravity else 0.05
    return np.column_stack([g * np.sin(a), 0.01 * np.ones_like(a), g * np.cos(a)])


def java_format(v: float) -> str:
    """Java DecimalFormat ``0.#######E0``."""
    if v == 0:
        return "0E0"
    mantissa, exponent = f"{v:.7E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E{int(exponent)}"


class FakePhone:
    def __init__(
        self,
        *,
        linear_input: bool = False,
        gravity: bool = True,
        with_inputs: bool = True,
        with_gyr: bool = True,
    ) -> None:
        self.linear_input = linear_input
        self.gravity = gravity
        self.with_inputs = with_inputs
        self.with_gyr = with_gyr
        self.lock = threading.Lock()
        self.measuring = False
        self.exp_time_s = 0.0
        self.last_mono = time.monotonic()
        self.force_full = False
        self.fail_next = 0
        self.fail_mode = "503"
        self.requests: list[str] = []

    def advance(self) -> None:
        now = time.monotonic()
        if self.measuring:
            self.exp_time_s += now - self.last_mono
        self.last_mono = now

    def buffers(self) -> dict[str, np.ndarray]:
        n = int(self.exp_time_s * RATE_HZ) + 1 if self.measuring or self.exp_time_s else 0
        t = np.arange(n) / RATE_HZ
        acc = acc_m_s2(t, self.gravity)
        out = {"acc_time": t, "accX": acc[:, 0], "accY": acc[:, 1], "accZ": acc[:, 2]}
        if self.with_gyr:
            tg = t[t + GYR_OFFSET_S <= self.exp_time_s] + GYR_OFFSET_S
            out |= {
                "gyr_time": tg,
                "gyrX": np.zeros_like(tg),
                "gyrY": rate_rad_s(tg),
                "gyrZ": np.full_like(tg, -0.02),
            }
        return out

    def config(self) -> dict[str, Any]:
        names = ["acc_time", "accX", "accY", "accZ"]
        inputs: list[dict[str, Any]] = [
            {
                "source": "linear_acceleration" if self.linear_input else "accelerometer",
                "outputs": [{"x": "accX"}, {"y": "accY"}, {"z": "accZ"}, {"t": "acc_time"}],
            }
        ]
        if self.with_gyr:
            names += ["gyr_time", "gyrX", "gyrY", "gyrZ"]
            inputs.append(
                {
                    "source": "gyroscope",
                    "outputs": [{"x": "gyrX"}, {"y": "gyrY"}, {"z": "gyrZ"}, {"t": "gyr_time"}],
                }
            )
        return {
            "crc32": "0",
            "title": "Acceleration with g",
            "buffers": [{"name": n, "size": 0} for n in names],
            "inputs": inputs if self.with_inputs else [],
            "export": [],
        }

    def get(self, query: str) -> dict[str, Any]:
        data = self.buffers()
        params = urllib.parse.parse_qsl(query, keep_blank_values=True)
        seen: set[str] = set()
        out: dict[str, Any] = {}
        force_full, self.force_full = self.force_full, False
        for name, value in params:
            if name in seen or name not in data:
                continue
            seen.add(name)
            reference = name
            if value == "":
                threshold = math.nan
            elif value == "full" or force_full:
                threshold = -math.inf
            else:
                threshold_text, _, ref = value.partition("|")
                threshold = float(threshold_text)
                reference = ref or name
                if threshold != 0:
                    threshold += 10 ** math.floor(math.log10(abs(threshold) / 1e7))
            values = data[name]
            if math.isnan(threshold):
                mode, listed = "single", [java_format(values[-1])] if values.size else ["null"]
            else:
                ref_values = data[reference][: values.size]
                mode = "full" if math.isinf(threshold) else "partial"
                pairs = zip(values, ref_values, strict=False)
                listed = [java_format(v) for v, r in pairs if r > threshold]
            out[name] = f'{{"size":0,"updateMode":"{mode}", "buffer":[{",".join(listed)}]}}'
        buffer_json = ",\n".join(f'"{k}":{v}' for k, v in out.items())
        status = json.dumps(
            {"session": "abc123", "measuring": self.measuring, "timedRun": False, "countDown": 0}
        )
        return json.loads(f'{{"buffer":{{\n{buffer_json}\n}},\n"status":{status}}}')


def make_handler(phone: FakePhone) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, payload: Any) -> None:
            body = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            with phone.lock:
                phone.requests.append(self.path)
                if phone.fail_next > 0:
                    phone.fail_next -= 1
                    if phone.fail_mode == "drop":
                        self.close_connection = True
                        return
                    self.send_error(503, "busy")
                    return
                phone.advance()
                if parts.path == "/config":
                    payload: Any = phone.config()
                elif parts.path == "/control":
                    cmd = dict(urllib.parse.parse_qsl(parts.query)).get("cmd")
                    if cmd == "start":
                        phone.measuring = True
                    elif cmd == "stop":
                        phone.measuring = False
                    elif cmd == "clear":
                        phone.exp_time_s = 0.0
                        phone.force_full = True
                    payload = {"result": cmd in ("start", "stop", "clear")}
                elif parts.path == "/get":
                    payload = phone.get(parts.query)
                else:
                    self.send_error(404)
                    return
            self._json(payload)

    return Handler


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[ThreadingHTTPServer] = []

    def start(phone: FakePhone) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(phone))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"phyphox://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


FAST = PhyphoxSettings(poll_interval_s=0.05, backoff_initial_s=0.02, backoff_max_s=0.1)


async def collect(
    source: PhyphoxSource, until_s: float, during: Any = None, timeout_s: float = 8.0
) -> SampleBlock:
    blocks: list[SampleBlock] = []
    deadline = time.monotonic() + timeout_s
    stream: AsyncIterator[SampleBlock] = aiter(source)
    try:
        async for block in stream:
            blocks.append(block)
            if during is not None:
                await during(blocks)
            if block.time_s[-1] >= until_s or time.monotonic() > deadline:
                break
    finally:
        await stream.aclose()  # type: ignore[attr-defined]
    return SampleBlock.concat(blocks)


def check_continuous(block: SampleBlock) -> None:
    dt = np.diff(block.time_s)
    assert np.all(dt > 0)
    assert dt.max() < 1.6 / RATE_HZ, f"gap of {dt.max():.3f} s"


async def test_streams_incrementally_with_gyro_on_acc_timebase(serve: Any) -> None:
    phone = FakePhone()
    source = PhyphoxSource(serve(phone), FAST)
    block = await collect(source, until_s=1.0)
    assert block.time_s[-1] >= 1.0 and len(block) >= 95
    check_continuous(block)
    np.testing.assert_allclose(block.acc_m_s2, acc_m_s2(block.time_s), rtol=1e-6, atol=1e-6)
    assert block.gyr_rad_s is not None
    # Linear interpolation of a 0.5 Hz, 1.57 rad/s sine at 100 Hz: error < 2e-4 rad/s.
    np.testing.assert_allclose(block.gyr_rad_s[:, 1], rate_rad_s(block.time_s), atol=3e-4)
    np.testing.assert_allclose(block.gyr_rad_s[:, 2], -0.02, atol=1e-9)
    gets = [r for r in phone.requests if r.startswith("/get")]
    assert "acc_time=full" in gets[0] and "gyr_time=full" in gets[0]
    later = urllib.parse.unquote(gets[-1])
    assert "|acc_time" in later and "|gyr_time" in later and "full" not in later
    assert phone.requests[0] == "/config" and phone.requests[1] == "/control?cmd=start"
    assert phone.requests[-1] == "/control?cmd=stop"


async def test_accelerometer_only_experiment(serve: Any) -> None:
    block = await collect(PhyphoxSource(serve(FakePhone(with_gyr=False)), FAST), until_s=0.5)
    assert block.gyr_rad_s is None and len(block) >= 45
    check_continuous(block)


async def test_refuses_linear_acceleration_from_config(serve: Any) -> None:
    source = PhyphoxSource(serve(FakePhone(linear_input=True, gravity=False)), FAST)
    with pytest.raises(DeviceError, match="linear acceleration"):
        await collect(source, until_s=1.0)


async def test_refuses_acceleration_without_g_by_magnitude(serve: Any) -> None:
    source = PhyphoxSource(serve(FakePhone(with_inputs=False, gravity=False)), FAST)
    with pytest.raises(DeviceError, match=r"mean \|acceleration\|.*without g"):
        await collect(source, until_s=1.0)


@pytest.mark.parametrize("mode", ["503", "drop"])
async def test_retries_transient_failures_without_losing_samples(serve: Any, mode: str) -> None:
    phone = FakePhone()
    phone.fail_mode = mode
    injected = False

    async def fail_once(blocks: list[SampleBlock]) -> None:
        nonlocal injected
        if not injected:
            with phone.lock:
                phone.fail_next = 3
            injected = True

    block = await collect(PhyphoxSource(serve(phone), FAST), until_s=1.0, during=fail_once)
    assert injected and phone.fail_next == 0
    check_continuous(block)


async def test_gives_up_with_device_error_when_phone_is_gone() -> None:
    settings = PhyphoxSettings(max_failures=3, backoff_initial_s=0.01, request_timeout_s=0.5)
    # Port 9 on localhost: nothing listens, the connection is refused at once.
    source = PhyphoxSource("phyphox://127.0.0.1:9", settings)
    started = time.monotonic()
    with pytest.raises(DeviceError, match=r"did not answer /config after 3 attempts"):
        await collect(source, until_s=1.0)
    assert time.monotonic() - started < 5.0


async def test_pause_on_phone_then_resume(serve: Any) -> None:
    phone = FakePhone()
    paused = False

    async def pause_once(blocks: list[SampleBlock]) -> None:
        nonlocal paused
        if not paused:
            paused = True
            with phone.lock:
                phone.advance()
                phone.measuring = False

            def resume() -> None:
                time.sleep(0.3)
                with phone.lock:
                    phone.advance()
                    phone.measuring = True

            threading.Thread(target=resume, daemon=True).start()

    block = await collect(PhyphoxSource(serve(phone), FAST), until_s=0.8, during=pause_once)
    assert paused and block.time_s[-1] >= 0.8
    check_continuous(block)  # experiment time stands still while paused: no gap


async def test_clear_on_phone_keeps_time_increasing(serve: Any) -> None:
    phone = FakePhone()
    cleared = False

    async def clear_once(blocks: list[SampleBlock]) -> None:
        nonlocal cleared
        if not cleared and blocks[-1].time_s[-1] > 0.3:
            cleared = True
            with phone.lock:
                phone.advance()
                phone.exp_time_s = 0.0
                phone.force_full = True

    block = await collect(PhyphoxSource(serve(phone), FAST), until_s=1.0, during=clear_once)
    assert cleared
    # Without the restart handling, the samples after the clear (times from 0 again) would be
    # dropped until the phone's clock caught up: a 0.3 s gap.
    check_continuous(block)


def test_url_forms() -> None:
    assert phyphox_base_url("phyphox://192.168.0.42:8080") == "http://192.168.0.42:8080"
    assert phyphox_base_url("192.168.0.42") == "http://192.168.0.42:8080"
    assert phyphox_base_url("http://phone.local:80") == "http://phone.local:80"
    with pytest.raises(InputError, match="expected phyphox://HOST:PORT"):
        phyphox_base_url("ftp://x")
    with pytest.raises(InputError, match="bad port"):
        phyphox_base_url("phyphox://host:99999")


def test_config_without_acc_buffers_names_what_it_found() -> None:
    with pytest.raises(DeviceError, match=r"no accelerometer buffers.*found p, t"):
        buffers_from_config({"title": "Pressure", "buffers": [{"name": "p"}, {"name": "t"}]})


def test_merger_holds_acc_until_gyro_brackets_it() -> None:
    merger = _GyroMerger(with_gyr=True)
    t = np.arange(10) * 0.01
    acc = np.tile([0.0, 0.0, G], (10, 1))
    merger.add(t, acc, t[:5] + 0.004, np.column_stack([t[:5], t[:5], t[:5]]))
    first = merger.take()
    assert first is not None and first.gyr_rad_s is not None
    # acc at 0.00 precedes the first gyro sample (dropped); 0.01..0.04 lie within gyro times.
    np.testing.assert_allclose(first.time_s, [0.01, 0.02, 0.03, 0.04])
    np.testing.assert_allclose(first.gyr_rad_s[:, 0], first.time_s - 0.004)
    merger.add(np.empty(0), np.empty((0, 3)), t[5:] + 0.004, np.column_stack([t[5:]] * 3))
    second = merger.take()
    assert second is not None
    np.testing.assert_allclose(second.time_s, t[5:])
    assert merger.take() is None


async def test_reports_what_it_has_received_for_the_live_view(serve: Any) -> None:
    phone = FakePhone()
    source = PhyphoxSource(serve(phone), FAST)
    assert (source.answered, source.samples_received, source.rate_hz) == (False, 0, 0.0)
    block = await collect(source, until_s=1.0)
    assert source.answered and not source.failing
    assert source.samples_received == len(block)
    assert source.rate_hz == pytest.approx(RATE_HZ, rel=0.02)


async def test_a_dead_address_is_never_reported_as_answering() -> None:
    settings = PhyphoxSettings(max_failures=2, backoff_initial_s=0.01, request_timeout_s=0.5)
    source = PhyphoxSource("phyphox://127.0.0.1:9", settings)
    with pytest.raises(DeviceError):
        await collect(source, until_s=1.0)
    assert not source.answered and source.failing and source.samples_received == 0
