from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

import pytest
from report_synthetic import knee_roll_reps, make_result

from imurep.summary import daily_progress, session_points, session_time
from imurep.summary.progress import SessionPoint


def test_unix_time_base_gives_the_day() -> None:
    when, source = session_time(1_541_676_891.474, {"date": "1999-01-01"}, None)
    assert source == "time_s"
    assert when == dt.datetime(2018, 11, 8, 11, 34, 51, 474000, tzinfo=dt.UTC)


def test_metadata_then_mtime(tmp_path: Path) -> None:
    when, source = session_time(12.0, {"started": "2024-03-05T08:30:00+01:00"}, None)
    assert source == "metadata:started" and when.astimezone(dt.UTC).hour == 7
    when, source = session_time(12.0, {"date": "2024-03-05"}, None)
    assert source == "metadata:date" and when.date() == dt.date(2024, 3, 5)
    f = tmp_path / "rec.csv"
    f.write_text("x")
    os.utime(f, (1_600_000_000, 1_600_000_000))
    when, source = session_time(12.0, {"date": "not a date"}, f)
    assert source == "mtime" and when == dt.datetime.fromtimestamp(1_600_000_000, dt.UTC)


def _pt(day: int, reps: int, range_deg: float, asym: float) -> SessionPoint:
    return SessionPoint(
        source=f"d{day}.csv",
        exercise="knee_rolls",
        when=dt.datetime(2024, 1, day, 9, tzinfo=dt.UTC),
        when_from="time_s",
        reps=reps,
        left=reps // 2,
        right=reps - reps // 2,
        mean_range_deg=range_deg,
        mean_hold_s=3.0,
        range_asymmetry_pct=asym,
        mean_smoothness_sparc=float("nan"),
    )


def test_daily_progress_pools_sessions_weighted_by_reps() -> None:
    days = daily_progress([_pt(2, 10, 30.0, 10.0), _pt(1, 20, 20.0, 0.0), _pt(2, 30, 40.0, -10.0)])
    assert [d.day.day for d in days] == [1, 2]
    assert days[0].sessions == 1 and days[1].sessions == 2 and days[1].reps == 40
    assert days[1].mean_range_deg == pytest.approx((10 * 30 + 30 * 40) / 40)
    assert days[1].range_asymmetry_pct == pytest.approx((10 * 10 - 30 * 10) / 40)
    assert math.isnan(days[1].mean_smoothness_sparc)


def test_session_points_from_a_result() -> None:
    pts = session_points(make_result(knee_roll_reps(6, peaks_deg=[40, 20, 40, 20, 40, 20])))
    (p,) = pts
    assert p.when_from == "time_s" and p.reps == 6 and (p.left, p.right) == (3, 3)
    assert p.mean_range_deg == pytest.approx(30.0)
    assert p.range_asymmetry_pct == pytest.approx(100 * 20 / 30)
    assert p.mean_smoothness_sparc == pytest.approx(-2.0)
