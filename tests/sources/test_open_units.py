"""Units, impossible values and time columns of our recording CSV, decided on every read path.

Each file is a copy of ``recordings/session.csv`` (17 reps) written another way; the CLI must
find the 17 reps and say what it decided, or refuse with one line saying how to fix the file.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from session_variants import SESSION_REPS, deg_gyr, g_acc, mg_acc, write_variant

from imurep.cli.main import main


def _analyze(path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[dict, str]:
    code = main(["analyze", str(path), "--json", *flags])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out), captured.err


def _refused(path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> str:
    code = main(["analyze", str(path), *flags])
    captured = capsys.readouterr()
    assert code == 2, captured.out
    err = captured.err.strip()
    assert err.count("\n") == 0, err  # one line
    assert str(path) in err and "internal error" not in err
    return err


def _warnings(obj: dict) -> list[str]:
    return list(obj["data_quality"]["warnings"])


@pytest.mark.parametrize(
    ("acc_scale", "gyr_scale", "said", "not_said"),
    [
        (g_acc(), deg_gyr(), ["acceleration read as g", "angular rate read as deg/s"], []),
        (1.0, deg_gyr(), ["angular rate read as deg/s"], ["acceleration read as"]),
        (mg_acc(), 1.0, ["acceleration read as mg"], ["clipped", "angular rate read as"]),
    ],
    ids=["g-and-deg-s", "only-the-gyroscope-in-deg-s", "milli-g"],
)
def test_units_are_read_from_the_data_and_said(tmp_path, capsys, acc_scale, gyr_scale, said, not_said):
    path = write_variant(tmp_path / "units.csv", acc_scale=acc_scale, gyr_scale=gyr_scale)
    obj, _ = _analyze(path, capsys)
    assert len(obj["reps"]) == SESSION_REPS
    text = " ".join(_warnings(obj))
    assert all(w in text for w in said) and not any(w in text for w in not_said)


def test_without_metadata_lines(tmp_path, capsys):
    path = write_variant(tmp_path / "bare.csv", acc_scale=g_acc(), gyr_scale=deg_gyr(), keep_meta=False)
    obj, _ = _analyze(path, capsys, "--mount", "front-belt")
    assert len(obj["reps"]) == SESSION_REPS
    assert any("read as g" in w for w in _warnings(obj))


def test_units_stated_in_metadata_are_used_without_a_guess(tmp_path, capsys):
    path = write_variant(
        tmp_path / "stated.csv",
        acc_scale=g_acc(),
        gyr_scale=deg_gyr(),
        extra_meta=("# acc_unit: g", "# gyr_unit: deg/s"),
    )
    obj, _ = _analyze(path, capsys)
    assert len(obj["reps"]) == SESSION_REPS
    assert not any("read as" in w for w in _warnings(obj))


def test_units_stated_by_flags(tmp_path, capsys):
    path = write_variant(tmp_path / "flags.csv", acc_scale=g_acc(), gyr_scale=deg_gyr())
    obj, _ = _analyze(path, capsys, "--acc-unit", "g", "--gyr-unit", "deg/s")
    assert len(obj["reps"]) == SESSION_REPS
    assert not any("read as" in w for w in _warnings(obj))


def test_a_flag_wins_over_the_metadata(tmp_path, capsys):
    path = write_variant(tmp_path / "both.csv", acc_scale=g_acc(), extra_meta=("# acc_unit: m/s2",))
    obj, _ = _analyze(path, capsys, "--acc-unit", "g")
    assert len(obj["reps"]) == SESSION_REPS


def test_a_stated_unit_the_data_contradicts_is_used_and_questioned(tmp_path, capsys):
    path = write_variant(tmp_path / "contra.csv", acc_scale=g_acc(), extra_meta=("# acc_unit: m/s2",))
    obj, _ = _analyze(path, capsys)
    said = " ".join(_warnings(obj))
    assert "acceleration unit m/s2 stated" in said and "looks like g" in said


def test_a_bad_unit_in_the_metadata_is_refused(tmp_path, capsys):
    path = write_variant(tmp_path / "bad.csv", extra_meta=("# acc_unit: furlongs",))
    err = _refused(path, capsys)
    assert "acc_unit" in err and "m/s2, g or mg" in err


def test_two_huge_cells_are_dropped_and_said_once(tmp_path, capsys):
    # Data row 2990 is on line 2998 (7 metadata lines and the header before it).
    path = write_variant(tmp_path / "huge.csv", cells={(2990, 2): "1e308", (4000, 5): "-1e308"})
    obj, err = _analyze(path, capsys)  # (pytest turns any RuntimeWarning into an error)
    assert len(obj["reps"]) == SESSION_REPS
    said = [w for w in _warnings(obj) if "physically impossible" in w]
    assert said == [
        "2 samples with physically impossible values (|acc| > 2000 m/s² or |gyro| > 100 rad/s) "
        "dropped, the first on line 2998: analysed as missing samples"
    ]
    assert "RuntimeWarning" not in err and "clipped" not in " ".join(_warnings(obj))


def _relative(scale: float):
    return lambda t: np.round((t - t[0]) * scale, 3)


@pytest.mark.parametrize(
    ("scale", "word"), [(1e3, "milliseconds"), (1e6, "microseconds"), (1e9, "nanoseconds")]
)
def test_time_in_ms_us_ns_is_read_as_such_and_said(tmp_path, capsys, scale, word):
    path = write_variant(tmp_path / "t.csv", time=_relative(scale))
    obj, _ = _analyze(path, capsys)
    assert len(obj["reps"]) == SESSION_REPS
    assert any(f"read as {word}" in w for w in _warnings(obj))


def test_time_unit_by_flag_and_metadata(tmp_path, capsys):
    path = write_variant(tmp_path / "t.csv", time=_relative(1e3))
    obj, _ = _analyze(path, capsys, "--time-unit", "ms")
    assert len(obj["reps"]) == SESSION_REPS
    assert not any("read as" in w for w in _warnings(obj))
    meta = write_variant(tmp_path / "m.csv", time=_relative(1e3), extra_meta=("# time_unit: ms",))
    obj, _ = _analyze(meta, capsys)
    assert len(obj["reps"]) == SESSION_REPS


def test_a_wrong_time_unit_is_refused_with_the_rate(tmp_path, capsys):
    path = write_variant(tmp_path / "t.csv")
    err = _refused(path, capsys, "--time-unit", "ms")
    assert "Hz" in err and "3.5-20000 Hz" in err


def test_a_sample_index_names_rate_hz(tmp_path, capsys):
    path = write_variant(tmp_path / "idx.csv", time=lambda t: np.arange(t.size, dtype=float))
    err = _refused(path, capsys)
    assert "sample index" in err and "--rate-hz" in err
    obj, _ = _analyze(path, capsys, "--rate-hz", "50")
    # The index ignores the session's packet gaps, so the times are a little off; reps all there.
    assert len(obj["reps"]) == SESSION_REPS


def test_rate_hz_on_a_time_in_seconds_is_refused(tmp_path, capsys):
    err = _refused(write_variant(tmp_path / "s.csv"), capsys, "--rate-hz", "50")
    assert "--rate-hz" in err and "sample index" in err


def test_a_1_hz_file_is_refused_with_the_supported_range(tmp_path, capsys):
    rows = [f"{1767603600.5 + i:.3f},0.1,9.8,0.2,0,0,0" for i in range(300)]
    path = tmp_path / "slow.csv"
    path.write_text("time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n" + "\n".join(rows) + "\n")
    err = _refused(path, capsys)
    assert "1 Hz" in err and "3.5-20000 Hz" in err


def test_400000_columns_are_refused_at_the_header_fast(tmp_path, capsys):
    extra = ["x"] * (400_000 - 4)  # short names: the header line stays under 1 MB, the file 16 MB
    row = ",".join(["1.0", "0", "9.8", "0"] + ["0"] * len(extra))
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["time_s", "acc_x", "acc_y", "acc_z", *extra]) + "\n" + (row + "\n") * 20)
    start = time.perf_counter()
    err = _refused(path, capsys)
    assert time.perf_counter() - start < 2.0
    assert "400000 columns" in err and "1000" in err and ":1:" in err


def test_raw_sensor_counts_are_refused_not_dropped_sample_by_sample(tmp_path, capsys):
    path = write_variant(tmp_path / "counts.csv", acc_scale=4096 / 9.80665)  # a ±8 g sensor's LSB
    err = _refused(path, capsys)
    assert "physically impossible" in err and "raw sensor counts" in err


def test_an_acceleration_in_no_known_unit_is_questioned(tmp_path, capsys):
    path = write_variant(tmp_path / "odd.csv", acc_scale=30.0)
    obj, _ = _analyze(path, capsys)
    assert any("fits none of 9.81 m/s², 1 g or 1000 mg" in w for w in _warnings(obj))
