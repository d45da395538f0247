"""Unit, gravity, clipping and rate checks read from the data."""

from __future__ import annotations

import numpy as np
import pytest
from importer_layouts import G, motion

from imurep.importers.units import check_samples, classify_acc, classify_gyr, gravity_included
from imurep.samples import SampleBlock


@pytest.mark.parametrize(("scale", "unit"), [(1.0, "m/s2"), (1 / G, "g"), (1000 / G, "mg")])
def test_classify_acc_g_vs_m_s2(scale: float, unit: str) -> None:
    m = motion()
    v = classify_acc(m.acc_m_s2 * scale)
    assert v.unit == unit and v.gravity


@pytest.mark.parametrize("scale", [1.0, 1 / G])
def test_classify_acc_linear_acceleration_has_no_gravity(scale: float) -> None:
    m = motion()
    linear = (m.acc_m_s2 - m.gravity_m_s2) * scale
    v = classify_acc(linear)
    assert v.unit is None and not v.gravity


def test_classify_acc_in_between_is_unknown() -> None:
    v = classify_acc(np.full((100, 3), 2.0))  # |acc| = 3.5: neither 1 g nor 9.81 m/s²
    assert v.unit is None and v.gravity


def test_gravity_included() -> None:
    m = motion()
    assert gravity_included(m.acc_m_s2)
    assert not gravity_included(m.acc_m_s2 - m.gravity_m_s2)


@pytest.mark.parametrize(("scale", "unit"), [(1.0, "rad/s"), (float(np.degrees(1.0)), "deg/s")])
def test_classify_gyr_from_turning_of_gravity(scale: float, unit: str) -> None:
    m = motion(amplitude_rad=0.3)  # slow: peak 0.47 rad/s, 27 deg/s, magnitudes alone would not tell
    v = classify_gyr(m.time_s, m.acc_m_s2, m.gyr_rad_s * scale)
    assert v.unit == unit, v.reason
    assert "turning rate of gravity" in v.reason


def test_classify_gyr_yaw_only_motion_falls_back_to_magnitude() -> None:
    t = np.arange(2000) / 100.0
    acc = np.tile([0.0, 0.0, G], (t.size, 1))
    gyr_deg_s = np.column_stack([np.zeros_like(t), np.zeros_like(t), 90.0 * np.sin(t)])
    assert classify_gyr(t, acc, gyr_deg_s).unit == "deg/s"
    assert classify_gyr(t, acc, np.radians(gyr_deg_s)).unit is None  # cannot tell: say so


def _block(rate_hz: float = 100.0, n: int = 1000) -> SampleBlock:
    m = motion(duration_s=n / rate_hz, rate_hz=rate_hz)
    return SampleBlock(m.time_s, m.acc_m_s2, m.gyr_rad_s)


def test_check_samples_clean_block_has_no_warning() -> None:
    assert check_samples(_block()) == []


def test_check_samples_low_rate_and_gaps() -> None:
    assert any("below 20 Hz" in w for w in check_samples(_block(rate_hz=10.0, n=200)))
    b = _block()
    t = b.time_s.copy()
    t[500:] += 2.0
    warnings = check_samples(SampleBlock(t, b.acc_m_s2, b.gyr_rad_s))
    assert any("1 gap(s)" in w and "2.01 s" in w for w in warnings), warnings


def test_check_samples_clipping() -> None:
    b = _block()
    acc = b.acc_m_s2.copy()
    acc[100:106, 2] = 2 * G  # stuck at +2 g full scale for 6 samples
    warnings = check_samples(SampleBlock(b.time_s, acc, b.gyr_rad_s))
    assert any(w.startswith("acc_z stays at ±19.61 m/s² in 6 samples") for w in warnings), warnings
    single = b.acc_m_s2.copy()
    single[100, 2] = 2 * G  # one peak, not stuck: not clipping
    assert check_samples(SampleBlock(b.time_s, single, b.gyr_rad_s)) == []


def test_check_samples_gyro_clipping_and_no_gravity() -> None:
    b = _block()
    gyr = b.gyr_rad_s.copy() if b.gyr_rad_s is not None else None
    assert gyr is not None
    gyr[10:14, 0] = -np.radians(250.0)
    warnings = check_samples(SampleBlock(b.time_s, b.acc_m_s2 * 0.01, gyr))
    assert any(w.startswith("gyr_x stays at ±4.363 rad/s in 4 samples") for w in warnings), warnings
    assert any("lack gravity" in w for w in warnings)


def test_classify_gyr_on_real_phone_recordings() -> None:
    """UCI HAPT (a phone on the waist, rad/s): the detector says rad/s, and deg/s once scaled."""
    from pathlib import Path

    from imurep.importers import load_any

    files = sorted((Path(__file__).parents[1] / "data" / "real" / "hapt-waist").glob("*.csv"))
    assert files
    for path in files:
        b = load_any(path).block
        assert b.gyr_rad_s is not None
        assert classify_gyr(b.time_s, b.acc_m_s2, b.gyr_rad_s).unit == "rad/s", path.name
        assert classify_gyr(b.time_s, b.acc_m_s2, np.degrees(b.gyr_rad_s)).unit == "deg/s", path.name
        assert classify_acc(b.acc_m_s2).unit == "m/s2"
        assert classify_acc(b.acc_m_s2 / G).unit == "g"
