"""Merging streams with different clocks and rates; time checks."""

from __future__ import annotations

import numpy as np
import pytest

from imurep.errors import InputError
from imurep.importers.streams import Stream, clean_stream, merge_onto_acc


def _stream(t: np.ndarray, f: float = 1.0) -> Stream:
    return Stream(t, np.column_stack([f * t, 2 * f * t, np.sin(t)]), "x.csv", 2)


def test_merge_interpolates_gyro_onto_acc_times_and_keeps_overlap() -> None:
    acc = _stream(np.arange(0.0, 10.0, 0.01))  # 100 Hz from 0 s
    gyr = _stream(np.arange(1.003, 8.0, 0.02), f=3.0)  # 50 Hz, starts later, ends earlier
    m = merge_onto_acc(acc, gyr)
    assert m.time_s[0] >= 1.003 and m.time_s[-1] <= gyr.time_s[-1]
    assert m.time_s[0] == pytest.approx(1.01)
    np.testing.assert_allclose(m.gyr[:, 0], 3.0 * m.time_s, atol=1e-12)  # linear: exact
    np.testing.assert_allclose(m.acc[:, 0], m.time_s)
    assert "kept the overlap 1.003 to 7.983 s" in m.note
    assert "dropped 302 accelerometer sample(s)" in m.note


def test_merge_same_timestamps_is_identity() -> None:
    t = np.arange(0.0, 1.0, 0.01)
    m = merge_onto_acc(_stream(t), _stream(t, 2.0))
    assert m.note == "accelerometer and gyroscope share timestamps"
    assert len(m.time_s) == len(t)


def test_merge_no_overlap_refused() -> None:
    with pytest.raises(InputError, match="do not overlap in time"):
        merge_onto_acc(_stream(np.arange(0.0, 1.0, 0.01)), _stream(np.arange(5.0, 6.0, 0.01)))


def test_merge_warns_about_gyro_gaps() -> None:
    tg = np.concatenate([np.arange(0.0, 2.0, 0.01), np.arange(3.0, 5.0, 0.01)])
    m = merge_onto_acc(_stream(np.arange(0.0, 5.0, 0.01)), _stream(tg))
    assert any("gap" in w for w in m.warnings)


def test_clean_stream_rules() -> None:
    t = np.array([0.0, 0.01, 0.01, 0.02, 0.03])
    s, w = clean_stream(_stream(t), "accelerometer")
    assert len(s) == 4 and "1 sample(s) repeat" in w[0]
    with pytest.raises(InputError, match=r"x\.csv:4: accelerometer: time goes backwards"):
        clean_stream(_stream(np.array([0.0, 0.02, 0.01])), "accelerometer")
    bad = _stream(np.arange(5.0))
    values = bad.values.copy()
    values[1, 0] = np.nan
    with pytest.raises(InputError, match=r"x\.csv:3: gyroscope: a time or value is missing"):
        clean_stream(Stream(bad.time_s, values, "x.csv", 2), "gyroscope")
    values = bad.values.copy()
    values[-2:, :] = np.nan
    s, _ = clean_stream(Stream(bad.time_s, values, "x.csv", 2), "gyroscope")
    assert len(s) == 3  # trailing padding dropped


def test_clean_stream_refuses_implausible_values() -> None:
    s = _stream(np.arange(5.0))
    values = s.values.copy()
    values[2, 1] = 1e300
    with pytest.raises(InputError, match=r"x\.csv:4: accelerometer: .* implausibly large"):
        clean_stream(Stream(s.time_s, values, "x.csv", 2), "accelerometer")
