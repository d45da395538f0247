"""Synthetic recordings laid out exactly as each app writes its export (values invented, layouts real).

The motion is a slow roll about the sensor's x axis (like a knee roll seen by a pelvis sensor):
the gravity direction turns, so the gyroscope and the accelerometer agree, as in real data.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

G = 9.80665
POLAR_EPOCH_UNIX_S = 946_684_800.0
T0_UNIX_S = 1_700_000_000.0
Arr = NDArray[np.float64]


@dataclass(frozen=True)
class Motion:
    """Ground truth: times (s), acceleration with gravity (m/s²), angular rate (rad/s)."""

    time_s: Arr
    acc_m_s2: Arr
    gyr_rad_s: Arr
    gravity_m_s2: Arr


def motion(
    duration_s: float = 20.0,
    rate_hz: float = 100.0,
    t0: float = T0_UNIX_S,
    phase_s: float = 0.0,
    amplitude_rad: float = 0.6,
) -> Motion:
    t = t0 + phase_s + np.arange(int(duration_s * rate_hz)) / rate_hz
    w = 2 * np.pi * 0.25
    theta = amplitude_rad * np.sin(w * (t - t0))
    dtheta = amplitude_rad * w * np.cos(w * (t - t0))
    gravity = np.column_stack([np.zeros_like(t), G * np.sin(theta), G * np.cos(theta)])
    linear = np.column_stack([0.05 * np.sin(3.0 * (t - t0)), np.zeros_like(t), 0.02 * np.cos(2.0 * (t - t0))])
    gyr = np.column_stack([dtheta, 0.02 * np.ones_like(t), np.zeros_like(t)])
    return Motion(t, gravity + linear, gyr, gravity)


def java_sci(x: float, decimal: str = ".") -> str:
    """A number as phyphox prints it (Java DecimalFormat ``0.000000000E0``)."""
    if not np.isfinite(x):
        return "NaN"
    mant, exp = f"{x:.9E}".split("E")
    return f"{mant}E{int(exp)}".replace(".", decimal)


def zip_dir(folder: Path, out: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, prefix + p.relative_to(folder).as_posix())
    return out


# ---- phyphox ---------------------------------------------------------------------------------


def phyphox_export(
    folder: Path,
    m: Motion,
    gyr: Motion | None,
    sep: str = ",",
    decimal: str = ".",
    start_unix_s: float | None = T0_UNIX_S,
    set_names: tuple[str, str] = ("Accelerometer", "Gyroscope"),
    linear: bool = False,
) -> Path:
    """A phyphox CSV export unpacked into ``folder`` (zip it with :func:`zip_dir`)."""
    folder.mkdir(parents=True, exist_ok=True)
    t_exp = m.time_s - m.time_s[0] + 0.012
    kind = "Linear Acceleration" if linear else "Acceleration"
    values = m.acc_m_s2 - m.gravity_m_s2 if linear else m.acc_m_s2
    names = ["Time (s)", *(f"{kind} {a} (m/s^2)" for a in "xyz"), f"Absolute {kind.lower()} (m/s^2)"]
    rows = np.column_stack([t_exp, values, np.linalg.norm(values, axis=1)])
    _phyphox_csv(folder / f"{set_names[0]}.csv", names, rows, sep, decimal)
    if gyr is not None:
        tg = gyr.time_s - m.time_s[0] + 0.012
        gnames = ["Time (s)", *(f"Gyroscope {a} (rad/s)" for a in "xyz"), "Absolute (rad/s)"]
        grows = np.column_stack([tg, gyr.gyr_rad_s, np.linalg.norm(gyr.gyr_rad_s, axis=1)])
        _phyphox_csv(folder / f"{set_names[1]}.csv", gnames, grows, sep, decimal)
    meta = folder / "meta"
    meta.mkdir(exist_ok=True)
    (meta / "device.csv").write_text(
        sep.join(['"property"', '"value"'])
        + "\n"
        + sep.join(['"deviceModel"', '"Pixel 7"'])
        + "\n"
        + sep.join(['"deviceBrand"', '"google"'])
        + "\n"
    )
    if start_unix_s is not None:
        start_sys = f"{start_unix_s:.3f}".replace(".", decimal)
        (meta / "time.csv").write_text(
            sep.join(['"event"', '"experiment time"', '"system time"', '"system time text"'])
            + "\n"
            + sep.join(['"START"', java_sci(0.0, decimal), start_sys, '"2023-11-14 22:13:20.000 UTC+00:00"'])
            + "\n"
        )
    return folder


def _phyphox_csv(path: Path, names: list[str], rows: Arr, sep: str, decimal: str) -> None:
    lines = [sep.join(f'"{n}"' for n in names)]
    lines += [sep.join(java_sci(float(v), decimal) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")


# ---- Sensor Logger ---------------------------------------------------------------------------


def _sl_lines(t: Arr, v: Arr, t0: float) -> str:
    out = ["time,seconds_elapsed,z,y,x"]
    for ti, row in zip(t, v, strict=True):
        out.append(
            f"{round(ti * 1e9)},{float(ti - t0)!r},{float(row[2])!r},{float(row[1])!r},{float(row[0])!r}"
        )
    return "\n".join(out) + "\n"


def sensor_logger_export(
    folder: Path,
    m: Motion,
    gyr: Motion,
    platform: str = "android",
    files: tuple[str, ...] = ("TotalAcceleration", "Accelerometer", "Gravity", "Gyroscope"),
    acc_scale: float = 1.0,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    t0 = m.time_s[0] - 0.15
    content = {
        "TotalAcceleration": (m.time_s, m.acc_m_s2),
        "Accelerometer": (m.time_s, (m.acc_m_s2 - m.gravity_m_s2) if platform == "android" else m.acc_m_s2),
        "Gravity": (m.time_s, m.gravity_m_s2),
        "Gyroscope": (gyr.time_s, gyr.gyr_rad_s),
    }
    for name in files:
        t, v = content[name]
        scale = acc_scale if name != "Gyroscope" else 1.0
        (folder / f"{name}.csv").write_text(_sl_lines(t, v * scale, t0))
    (folder / "Metadata.csv").write_text(
        "version,device name,recording time,platform,appVersion,device id,sensors,sampleRateMs\n"
        f"3,Pixel 7,2023-11-14_22-13-20,{platform},1.30.0,abcd,{'|'.join(files)},10|10|10|10"
    )
    return folder


# ---- Polar Sensor Logger ---------------------------------------------------------------------


def polar_export(folder: Path, m: Motion, gyr: Motion | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)

    def phone(t: float) -> str:
        from datetime import datetime

        return datetime.fromtimestamp(t + 0.3, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]

    lines = ["Phone timestamp;sensor timestamp [ns];X [mg];Y [mg];Z [mg]"]
    for t, a in zip(m.time_s, m.acc_m_s2 / G * 1000.0, strict=True):
        ns = round((t - POLAR_EPOCH_UNIX_S) * 1e9)
        lines.append(f"{phone(t)};{ns};{round(a[0])};{round(a[1])};{round(a[2])}")
    (folder / "Polar_Sense_B5D3F02A_20231114_221320_ACC.txt").write_text("\n".join(lines) + "\n")
    if gyr is not None:
        glines = ["Phone timestamp;sensor timestamp [ns];X [dps];Y [dps];Z [dps]"]
        for t, w in zip(gyr.time_s, np.degrees(gyr.gyr_rad_s), strict=True):
            ns = round((t - POLAR_EPOCH_UNIX_S) * 1e9)
            glines.append(f"{phone(t)};{ns};{w[0]:.2f};{w[1]:.2f};{w[2]:.2f}")
        (folder / "Polar_Sense_B5D3F02A_20231114_221320_GYRO.txt").write_text("\n".join(glines) + "\n")
    (folder / "MARKER.txt").write_text("Phone timestamp;Marker start/stop\n")
    return folder


# ---- MetaWear / MetaBase ---------------------------------------------------------------------


def metawear_export(folder: Path, m: Motion, gyr: Motion | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    from datetime import datetime, timedelta, timezone

    tz = timezone(timedelta(hours=-5))

    def rows(t: Arr, v: Arr, fmt: str) -> list[str]:
        out = []
        for ti, row in zip(t, v, strict=True):
            ms = round(ti * 1000)
            local = datetime.fromtimestamp(ms / 1000, tz=tz).strftime("%Y-%m-%dT%H.%M.%S.%f")[:-3]
            out.append(
                f"{ms},{local},{(ms - round(t[0] * 1000)) / 1000:.3f}," + ",".join(fmt % x for x in row)
            )
        return out

    base = "MetaWear_2023-11-14T17.13.20.000_C8C3A1B2D3E4"
    acc = ["epoch (ms),time (-05:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)"]
    acc += rows(m.time_s, m.acc_m_s2 / G, "%.3f")
    (folder / f"{base}_Accelerometer_1.5.0.csv").write_text("\n".join(acc) + "\n")
    if gyr is not None:
        g = ["epoch (ms),time (-05:00),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)"]
        g += rows(gyr.time_s, np.degrees(gyr.gyr_rad_s), "%.3f")
        (folder / f"{base}_Gyroscope_1.5.0.csv").write_text("\n".join(g) + "\n")
    return folder


# ---- WitMotion -------------------------------------------------------------------------------

WIT_COLUMNS = [
    "Time",
    "Device name",
    "Chip Time()",
    "Acceleration X(g)",
    "Acceleration Y(g)",
    "Acceleration Z(g)",
    "Angular velocity X(°/s)",
    "Angular velocity Y(°/s)",
    "Angular velocity Z(°/s)",
    "Angle X(°)",
    "Angle Y(°)",
    "Angle Z(°)",
    "Temperature(℃)",
]


def witmotion_file(
    path: Path, m: Motion, style: str = "tab-gbk", device: str = "WT901BLE67(d6:a8:b9:ee:a0:b7)"
) -> Path:
    """``style``: ``tab-gbk`` (PC software .txt) or ``csv-utf8`` (newer software/app .csv)."""
    from datetime import datetime

    sep = "\t" if style == "tab-gbk" else ","
    lines = [sep.join(WIT_COLUMNS)]
    acc_g = m.acc_m_s2 / G
    dps = np.degrees(m.gyr_rad_s)
    for t, a, w in zip(m.time_s, acc_g, dps, strict=True):
        d = datetime.fromtimestamp(round(t, 3), tz=UTC)
        ms = f"{d.microsecond // 1000:03d}"
        chip = f"{d.year}-{d.month}-{d.day} {d.hour:02d}:{d.minute:02d}:{d.second:02d}"
        chip += f":{ms}" if style == "tab-gbk" else f".{ms}"
        cells = [
            f"{d:%H:%M:%S}.{ms}",
            device,
            chip,
            *(f"{x:.4f}" for x in a),
            *(f"{x:.4f}" for x in w),
            "1.0",
            "2.0",
            "3.0",
            "25.1",
        ]
        if style == "csv-utf8":
            cells = [" " + c if i in (0, 2) else c for i, c in enumerate(cells)]
        lines.append(sep.join(cells))
    text = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("gb18030") if style == "tab-gbk" else text.encode("utf-8"))
    return path


# ---- plain CSV -------------------------------------------------------------------------------


def plain_csv(
    path: Path,
    m: Motion,
    header: str = "t,ax,ay,az,gx,gy,gz",
    acc_scale: float = 1 / G,
    gyr_scale: float = float(np.degrees(1.0)),
    time_scale: float = 1.0,
    sep: str = ",",
    with_gyr: bool = True,
) -> Path:
    lines = [header]
    for t, a, w in zip(m.time_s, m.acc_m_s2 * acc_scale, m.gyr_rad_s * gyr_scale, strict=True):
        cells = [repr(float((t - m.time_s[0]) * time_scale)), *(repr(float(x)) for x in a)]
        if with_gyr:
            cells += [repr(float(x)) for x in w]
        lines.append(sep.join(cells))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path
