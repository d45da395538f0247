"""Live samples from a phone running phyphox with remote access enabled.

Phones cannot act as BLE peripherals without an app, but phyphox serves its buffers over HTTP
(Android port 8080). The interface, as implemented in phyphox/phyphox-android
``RemoteServer.java`` and documented on phyphox.org/wiki "Remote-interface communication":

* ``/config``: JSON with ``title``, ``buffers`` (``[{"name", "size"}]``) and ``inputs``
  (``[{"source": "accelerometer" | "linear_acceleration" | "gyroscope" | …,
  "outputs": [{"x": buffer}, {"y": …}, {"z": …}, {"t": …}]}]``).
* ``/control?cmd=start|stop|clear``: ``{"result": true|false}``.
* ``/get?acc_time=12.5&accX=12.5|acc_time``: every value of ``accX`` at indices where
  ``acc_time`` > 12.5 (the server nudges the threshold up by 1e-7 relative because it prints
  8 significant digits); ``buffer=full`` returns everything. The answer is
  ``{"buffer": {name: {"size", "updateMode", "buffer": [...]}}, "status": {"session",
  "measuring", "timedRun", "countDown"}}``; after the user clears the data the server answers the
  next request in full (``updateMode`` ``"full"``).

Acceleration must include gravity: an experiment built on the linear-acceleration sensor is
refused (from ``/config`` when it says so, else from the mean magnitude of the first samples).
Gyroscope samples are linearly interpolated onto the accelerometer times.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from imurep.errors import DeviceError, InputError
from imurep.samples import FloatArray, SampleBlock

__all__ = [
    "PhyphoxBuffers",
    "PhyphoxSettings",
    "PhyphoxSource",
    "buffers_from_config",
    "phyphox_base_url",
]

_DEFAULT_PORT = 8080
_ACC_NAMES = ("accX", "accY", "accZ", "acc_time")
_GYR_NAMES = ("gyrX", "gyrY", "gyrZ", "gyr_time")


def phyphox_base_url(url: str) -> str:
    """``phyphox://HOST[:PORT]`` (or ``http://…``, or bare ``HOST:PORT``) → ``http://HOST:PORT``.

    Raises
    ------
    InputError
        Not a phyphox or http address.
    """
    text = url.strip()
    if "://" not in text:
        text = "phyphox://" + text
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("phyphox", "http") or not parts.hostname:
        raise InputError(f"expected phyphox://HOST:PORT, got {url!r}", source="phyphox URL")
    try:
        port = parts.port or _DEFAULT_PORT
    except ValueError as exc:
        raise InputError(f"bad port in {url!r}: {exc}", source="phyphox URL") from None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"http://{host}:{port}"


@dataclass(frozen=True)
class PhyphoxBuffers:
    """Buffer names of one experiment: acc (x, y, z, time) and optional gyro (x, y, z, time)."""

    title: str
    acc: tuple[str, str, str, str]
    gyr: tuple[str, str, str, str] | None


def _outputs(entry: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in entry.get("outputs", []) or []:
        if isinstance(item, Mapping):
            for key, value in item.items():
                if isinstance(value, str):
                    out[str(key)] = value
    return out


def _xyzt(outputs: Mapping[str, str]) -> tuple[str, str, str, str] | None:
    if all(k in outputs for k in "xyzt"):
        return (outputs["x"], outputs["y"], outputs["z"], outputs["t"])
    return None


def buffers_from_config(config: Any, source: str = "phyphox") -> PhyphoxBuffers:
    """Find the accelerometer (with g) and gyroscope buffers in a ``/config`` answer.

    Raises
    ------
    DeviceError
        No accelerometer buffers, or the experiment records linear acceleration (without g).
    """
    if not isinstance(config, Mapping):
        raise DeviceError(f"{source}: /config is not a JSON object")
    title = str(config.get("localTitle") or config.get("title") or "?")
    names = {b.get("name") for b in config.get("buffers", []) or [] if isinstance(b, Mapping)}
    inputs = [i for i in config.get("inputs", []) or [] if isinstance(i, Mapping)]
    by_source: dict[str, tuple[str, str, str, str]] = {}
    for entry in inputs:
        xyzt = _xyzt(_outputs(entry))
        if xyzt is not None:
            by_source.setdefault(str(entry.get("source")), xyzt)
    acc = by_source.get("accelerometer")
    if acc is None and "linear_acceleration" in by_source:
        raise DeviceError(
            f"{source}: experiment '{title}' records linear acceleration (without g); imurep "
            "needs gravity included: open phyphox's 'Acceleration with g' experiment or an "
            "experiment that uses the accelerometer sensor"
        )
    if acc is None and all(n in names for n in _ACC_NAMES):
        acc = _ACC_NAMES
    if acc is None:
        raise DeviceError(
            f"{source}: experiment '{title}' has no accelerometer buffers "
            f"(expected {', '.join(_ACC_NAMES)}; found {', '.join(sorted(map(str, names)))})"
        )
    gyr = by_source.get("gyroscope")
    if gyr is None and all(n in names for n in _GYR_NAMES):
        gyr = _GYR_NAMES
    return PhyphoxBuffers(title, acc, gyr)


@dataclass(frozen=True)
class PhyphoxSettings:
    """How to poll the phone.

    Attributes
    ----------
    poll_interval_s
        Pause between ``/get`` requests while measuring, s.
    request_timeout_s
        Timeout of one HTTP request, s.
    max_failures
        Consecutive failed requests before giving up with :class:`DeviceError`.
    backoff_initial_s, backoff_max_s
        Retry delay after the first failure, doubled per failure up to the maximum, s; also the
        polling delay while the phone is paused.
    min_gravity_m_s2
        Mean |acc| of the first samples below this means gravity is missing: refuse.
    gravity_check_samples
        Samples averaged for that check.
    max_gyr_lag_s
        Accelerometer samples wait at most this long for gyroscope samples to interpolate from;
        a longer stall is a :class:`DeviceError`.
    stop_on_close
        Send ``cmd=stop`` when the iteration ends.
    """

    poll_interval_s: float = 0.1
    request_timeout_s: float = 2.0
    max_failures: int = 6
    backoff_initial_s: float = 0.2
    backoff_max_s: float = 4.0
    min_gravity_m_s2: float = 5.0
    gravity_check_samples: int = 25
    max_gyr_lag_s: float = 3.0
    stop_on_close: bool = True


class _GyroMerger:
    """Holds accelerometer samples until gyroscope samples bracket them, then interpolates."""

    def __init__(self, with_gyr: bool) -> None:
        self.with_gyr = with_gyr
        self.reset()

    def reset(self) -> None:
        self._acc_t = np.empty(0)
        self._acc = np.empty((0, 3))
        self._gyr_t = np.empty(0)
        self._gyr = np.empty((0, 3))

    def add(self, acc_t: FloatArray, acc: FloatArray, gyr_t: FloatArray, gyr: FloatArray) -> None:
        self._acc_t, self._acc = _append(self._acc_t, self._acc, acc_t, acc)
        self._gyr_t, self._gyr = _append(self._gyr_t, self._gyr, gyr_t, gyr)

    def pending_span_s(self) -> float:
        """How far the accelerometer has run ahead of the last gyroscope sample, s."""
        if not self.with_gyr or self._acc_t.size == 0:
            return 0.0
        last_gyr = self._gyr_t[-1] if self._gyr_t.size else self._acc_t[0]
        return float(self._acc_t[-1] - last_gyr)

    def take(self) -> SampleBlock | None:
        if not self.with_gyr:
            block = SampleBlock(self._acc_t, self._acc) if self._acc_t.size else None
            self._acc_t, self._acc = np.empty(0), np.empty((0, 3))
            return block
        if self._gyr_t.size < 2:
            return None
        # Accelerometer samples older than the first gyroscope sample cannot be interpolated.
        keep = self._acc_t >= self._gyr_t[0]
        self._acc_t, self._acc = self._acc_t[keep], self._acc[keep]
        ready = self._acc_t <= self._gyr_t[-1]
        if not np.any(ready):
            return None
        t = self._acc_t[ready]
        gyr = np.column_stack([np.interp(t, self._gyr_t, self._gyr[:, k]) for k in range(3)])
        block = SampleBlock(t, self._acc[ready], gyr)
        self._acc_t, self._acc = self._acc_t[~ready], self._acc[~ready]
        # Keep the gyroscope sample just before the next accelerometer sample, and all after.
        first_needed = max(int(np.searchsorted(self._gyr_t, t[-1], side="right")) - 1, 0)
        self._gyr_t, self._gyr = self._gyr_t[first_needed:], self._gyr[first_needed:]
        return block


def _append(t0: FloatArray, v0: FloatArray, t1: FloatArray, v1: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Append samples, dropping non-finite ones and any not after the last kept time."""
    ok = np.isfinite(t1) & np.all(np.isfinite(v1), axis=1)
    t1, v1 = t1[ok], v1[ok]
    if t1.size == 0:
        return t0, v0
    last = t0[-1] if t0.size else -np.inf
    # Strictly increasing: keep each sample only if it is after every earlier one.
    running = np.maximum.accumulate(np.concatenate([[last], t1]))[:-1]
    keep = t1 > running
    return np.concatenate([t0, t1[keep]]), np.concatenate([v0, v1[keep]])


def _column(payload: Mapping[str, Any], name: str, source: str) -> FloatArray:
    entry = payload.get(name)
    if not isinstance(entry, Mapping) or not isinstance(entry.get("buffer"), list):
        raise DeviceError(f"{source}: /get answer lacks buffer '{name}'")
    return np.array([np.nan if v is None else v for v in entry["buffer"]], dtype=np.float64)


def _stack(
    payload: Mapping[str, Any], names: tuple[str, str, str, str], source: str
) -> tuple[FloatArray, FloatArray, bool]:
    cols = [_column(payload, n, source) for n in names]
    n = min(c.size for c in cols)
    full = any(isinstance(payload.get(x), Mapping) and payload[x].get("updateMode") == "full" for x in names)
    return cols[3][:n], np.column_stack([c[:n] for c in cols[:3]]), full


def _check_gravity(block: SampleBlock, settings: PhyphoxSettings, source: str, title: str) -> None:
    n = settings.gravity_check_samples
    mean_m_s2 = float(np.mean(np.linalg.norm(block.acc_m_s2[:n], axis=1)))
    if mean_m_s2 < settings.min_gravity_m_s2:
        raise DeviceError(
            f"{source}: mean |acceleration| of the first {n} samples is {mean_m_s2:.2f} m/s²; "
            f"experiment '{title}' seems to record linear acceleration (without g); imurep "
            "needs gravity included: open phyphox's 'Acceleration with g' experiment"
        )


class PhyphoxSource:
    """Async iterator of :class:`SampleBlock` from phyphox's remote-access interface.

    Parameters
    ----------
    url
        ``phyphox://HOST:PORT`` (the address phyphox shows when remote access is on).
    settings
        Polling, retry and validation settings.

    Attributes
    ----------
    answered
        The phone has answered a request (the address is right and remote access is on).
    failing
        The last request failed and is being retried.
    samples_received
        Samples yielded so far.
    rate_hz
        Mean sample rate of what was yielded so far, Hz (0 before two samples arrived).

    Examples
    --------
    >>> async def show(url: str) -> None:  # doctest: +SKIP
    ...     async for block in PhyphoxSource(url):
    ...         print(len(block), block.time_s[-1])
    """

    def __init__(self, url: str, settings: PhyphoxSettings | None = None) -> None:
        self.base_url = phyphox_base_url(url)
        self.settings = settings or PhyphoxSettings()
        self.buffers: PhyphoxBuffers | None = None
        self.answered = False
        self.failing = False
        self.samples_received = 0
        self.rate_hz = 0.0
        self._first_sample_s: float | None = None

    def __aiter__(self) -> AsyncIterator[SampleBlock]:
        return self._stream()

    # -- HTTP ------------------------------------------------------------------------------

    def _fetch_json_blocking(self, path: str) -> Any:
        url = self.base_url + path
        # urllib closes the connection after each request; phyphox's server expects that.
        with urllib.request.urlopen(url, timeout=self.settings.request_timeout_s) as response:
            return json.loads(response.read().decode("utf-8"))

    async def _request(self, path: str) -> Any:
        """GET ``path`` as JSON, retrying with exponential backoff."""
        failures = 0
        delay_s = self.settings.backoff_initial_s
        while True:
            try:
                answer = await asyncio.to_thread(self._fetch_json_blocking, path)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                self.failing = True
                failures += 1
                if failures >= self.settings.max_failures:
                    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
                    raise DeviceError(
                        f"phyphox at {self.base_url} did not answer {path.split('?')[0]} "
                        f"after {failures} attempts: {reason}"
                    ) from None
                await asyncio.sleep(delay_s)
                delay_s = min(delay_s * 2, self.settings.backoff_max_s)
            else:
                self.answered, self.failing = True, False
                return answer

    async def _control(self, cmd: str) -> bool:
        answer = await self._request(f"/control?cmd={cmd}")
        return isinstance(answer, Mapping) and answer.get("result") is True

    # -- stream ----------------------------------------------------------------------------

    def _get_path(self, buffers: PhyphoxBuffers, last_t: dict[str, float | None]) -> str:
        parts: list[str] = []
        for group in (buffers.acc, buffers.gyr):
            if group is None:
                continue
            t_name = group[3]
            threshold = last_t.get(t_name)
            for name in (t_name, *group[:3]):
                if threshold is None:
                    value = "full"
                elif name == t_name:
                    value = repr(threshold)
                else:
                    value = f"{threshold!r}|{t_name}"
                parts.append(f"{urllib.parse.quote(name)}={urllib.parse.quote(value, safe='|')}")
        return "/get?" + "&".join(parts)

    async def _stream(self) -> AsyncIterator[SampleBlock]:
        source = f"phyphox at {self.base_url}"
        buffers = buffers_from_config(await self._request("/config"), source)
        self.buffers = buffers
        if not await self._control("start"):
            raise DeviceError(f"{source} refused to start the measurement (cmd=start)")
        try:
            async for block in self._poll(buffers, source):
                self._count(block)
                yield block
        finally:
            if self.settings.stop_on_close:
                try:
                    await asyncio.to_thread(self._fetch_json_blocking, "/control?cmd=stop")
                except (OSError, http.client.HTTPException, ValueError):
                    pass  # best effort: the phone may already be gone

    def _count(self, block: SampleBlock) -> None:
        if not len(block):
            return
        if self._first_sample_s is None:
            self._first_sample_s = float(block.time_s[0])
        self.samples_received += len(block)
        span_s = float(block.time_s[-1]) - self._first_sample_s
        self.rate_hz = (self.samples_received - 1) / span_s if span_s > 0 else 0.0

    async def _poll(self, buffers: PhyphoxBuffers, source: str) -> AsyncIterator[SampleBlock]:
        settings = self.settings
        merger = _GyroMerger(buffers.gyr is not None)
        last_t: dict[str, float | None] = {}
        session: str | None = None
        offset_s = 0.0  # keeps time increasing across a clear on the phone
        last_emitted_s = -np.inf
        gravity_checked = False
        held: list[SampleBlock] = []
        paused_delay_s = settings.backoff_initial_s
        while True:
            answer = await self._request(self._get_path(buffers, last_t))
            if not isinstance(answer, Mapping) or not isinstance(answer.get("buffer"), Mapping):
                raise DeviceError(f"{source}: /get answer has no 'buffer' object")
            payload = answer["buffer"]
            status = answer.get("status") if isinstance(answer.get("status"), Mapping) else {}
            acc_t, acc, acc_full = _stack(payload, buffers.acc, source)
            if buffers.gyr is not None:
                gyr_t, gyr, gyr_full = _stack(payload, buffers.gyr, source)
            else:
                gyr_t, gyr, gyr_full = np.empty(0), np.empty((0, 3)), False
            new_session = status.get("session") if isinstance(status, Mapping) else None
            previous_acc_t = last_t.get(buffers.acc[3])
            cleared = (
                (acc_full or gyr_full)
                and previous_acc_t is not None
                and acc_t.size > 0
                and float(acc_t[0]) <= previous_acc_t
            )
            new_experiment = session is not None and new_session not in (None, session)
            if isinstance(new_session, str):
                session = new_session
            if cleared or new_experiment:
                merger.reset()
                if acc_t.size:
                    offset_s = last_emitted_s - float(acc_t[0]) + 1e-3
            if acc_t.size:
                last_t[buffers.acc[3]] = float(np.nanmax(acc_t))
            elif buffers.acc[3] not in last_t:
                last_t[buffers.acc[3]] = None
            if buffers.gyr is not None and gyr_t.size:
                last_t[buffers.gyr[3]] = float(np.nanmax(gyr_t))
            merger.add(acc_t + offset_s, acc, gyr_t + offset_s, gyr)
            if merger.pending_span_s() > settings.max_gyr_lag_s:
                raise DeviceError(
                    f"{source}: gyroscope samples stopped arriving while the accelerometer "
                    f"ran on for {merger.pending_span_s():.1f} s"
                )
            block = merger.take()
            if block is not None and len(block):
                last_emitted_s = float(block.time_s[-1])
                if gravity_checked:
                    yield block
                else:
                    held.append(block)
                    joined = SampleBlock.concat(held)
                    if len(joined) >= settings.gravity_check_samples:
                        _check_gravity(joined, settings, source, buffers.title)
                        gravity_checked = True
                        held.clear()
                        yield joined
            measuring = isinstance(status, Mapping) and status.get("measuring") is True
            if measuring or acc_t.size:
                paused_delay_s = settings.backoff_initial_s
                await asyncio.sleep(settings.poll_interval_s)
            else:
                # Paused on the phone: poll more slowly until it resumes.
                await asyncio.sleep(paused_delay_s)
                paused_delay_s = min(paused_delay_s * 2, settings.backoff_max_s)
