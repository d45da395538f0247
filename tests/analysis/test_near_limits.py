"""Reps counted close to a limit are named with the limit, and the HTML report marks them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from imurep.analysis.analyze import analyze_file
from imurep.analysis.near_limits import near_limits
from imurep.cli.main import main
from imurep.events import RepEvent
from imurep.exercises.spec import RepLimits
from imurep.recording import write_recording
from imurep.sim import random_config, simulate

LIMITS = RepLimits()
COMFORTABLE = RepEvent(
    exercise="knee_rolls",
    side="left",
    index=1,
    start_s=10.0,
    hold_start_s=11.5,
    hold_end_s=13.5,
    end_s=15.0,
    hold_s=2.0,
    peak_angle_deg=30.0,
    emitted_at_s=15.0,
    out_s=1.5,
    back_s=1.5,
    peak_speed_deg_s=40.0,
)


def test_a_comfortable_rep_is_near_nothing() -> None:
    assert near_limits(COMFORTABLE, LIMITS) == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"peak_angle_deg": 5.8}, "counted because the set's reps are this size"),
        ({"peak_angle_deg": 70.0}, "near the 75° of a change of posture"),
        ({"start_s": 14.3}, "near the 0.6 s shortest"),
        ({"peak_speed_deg_s": 140.0}, "near the 150°/s fastest"),
    ],
)
def test_each_limit_is_named(change: dict[str, float], words: str) -> None:
    notes = near_limits(replace(COMFORTABLE, **change), LIMITS)
    assert len(notes) == 1 and words in notes[0]


def test_a_movement_cut_short_by_the_next_is_not_said_to_be_near_the_shortest() -> None:
    # Shorter than the limit itself: the rep was ended by the next one, not judged at this length.
    assert near_limits(replace(COMFORTABLE, start_s=14.8), LIMITS) == []


def test_the_html_report_marks_a_small_movers_rep(tmp_path: Path) -> None:
    # A small mover (population "small"): 14 rolls of 5.7-7.3°, several under 6.5°.
    sim = simulate(random_config(4, kind="knee_rolls", population="small", mount="front-belt"))
    rec = tmp_path / "small.csv"
    write_recording(rec, sim.block, sim.metadata)
    out = tmp_path / "r.html"
    assert main(["report", str(rec), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    small = [r for r in analyze_file(rec).reps if r.peak_angle_deg < LIMITS.confident_peak_deg]
    assert len(small) >= 3 and page.count('<tr class="near"') == len(small)
    assert "is below the 6.5° a movement needs on its own: counted because the set" in page


def test_the_shipped_session_has_no_rep_near_a_limit(tmp_path: Path) -> None:
    session = Path(__file__).resolve().parents[2] / "recordings" / "session.csv"
    out = tmp_path / "r.html"
    assert main(["report", str(session), "-o", str(out)]) == 0
    assert '<tr class="near"' not in out.read_text(encoding="utf-8")
