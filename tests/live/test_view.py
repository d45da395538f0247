"""The live view: a frame's key decides its looks, so unchanged frames can skip the redraw."""

from __future__ import annotations

import io
import itertools

from rich.console import Console

from imurep.analysis.session import SessionAnalyzer
from imurep.live.runner import LinkStatus, LiveUpdate
from imurep.live.view import LiveFrame, live_frame, render_frame, render_live
from imurep.pipeline import PipelineConfig
from imurep.sim import random_config, simulate


def _screen(renderable: object) -> str:
    console = Console(file=io.StringIO(), force_terminal=True, width=80, color_system="truecolor")
    console.print(renderable)
    out = console.file.getvalue()
    assert isinstance(out, str)
    return out


def test_equal_keys_exactly_when_the_screen_is_the_same() -> None:
    sim = simulate(random_config(11, kind="session", rate_hz=100.0, mount="front-belt", with_gyr=True))
    session = SessionAnalyzer(PipelineConfig())
    b = sim.block
    keys: list[tuple[object, ...]] = []
    screens: list[str] = []
    for i in range(0, len(b), 25):
        session.feed(b.slice(i, min(i + 25, len(b))))
        link = LinkStatus(connected=True, rate_hz=100.0)
        frame = live_frame(LiveUpdate(session.state, link, None, 10, i, ()))
        keys.append(frame.key())
        screens.append(_screen(render_frame(frame, "imurep live")))
    same_key = [a == b for a, b in itertools.pairwise(keys)]
    same_screen = [a == b for a, b in itertools.pairwise(screens)]
    assert same_key == same_screen
    # a session has idle spells and still holds: many redraws to save, but not all
    assert 0.2 < sum(same_key) / len(same_key) < 0.8


def test_the_key_sees_a_style_that_rich_text_equality_ignores() -> None:
    """The hold bar is full just below one breath (yellow) and at it (green): same characters."""
    from imurep.live.view import _progress_bar_s

    below, at = _progress_bar_s(3.95), _progress_bar_s(4.0)
    assert below.plain == at.plain and below == at  # rich compares text and spans only
    assert LiveFrame((("Hold", (below,)),), "s").key() != LiveFrame((("Hold", (at,)),), "s").key()
    assert _screen(render_frame(LiveFrame((("Hold", (below,)),), "s"), "t")) != _screen(
        render_frame(LiveFrame((("Hold", (at,)),), "s"), "t")
    )


def test_render_live_is_render_frame_of_live_frame() -> None:
    u = LiveUpdate(None, LinkStatus(), None, 10, 0, ())
    assert _screen(render_live(u, "t")) == _screen(render_frame(live_frame(u), "t"))
    assert "waiting for a set" in _screen(render_live(u, "t"))


def test_the_panel_layout_labels_right_aligned_then_the_cells() -> None:
    """The layout the Table-based view had (its text, checked line for line when it was replaced)."""
    c = Console(file=io.StringIO(), width=60)
    c.print(render_live(LiveUpdate(None, LinkStatus(), None, 10, 0, ()), "imurep live"))
    assert c.file.getvalue().splitlines() == [
        "╭────────────────────── imurep live ───────────────────────╮",
        "│ Posture  —                                               │",
        "│   Angle    (waiting for a set)                           │",
        "│    Hold  ░░░░░░░░░░░░░░░░░░░░                            │",
        "│           0.0 s / 4 s (one breath)                       │",
        "│     Set  [░░░░░░░░░░░░░░░░░░░░] 0/10                     │",
        "│ Session  0 reps                                          │",
        "╰────── connected · 0 Hz · loss 0.0 % · reconnects 0 ──────╯",
    ]


def test_before_any_sample_the_status_says_connecting_or_no_data_not_0_hz() -> None:
    dead = live_frame(LiveUpdate(None, LinkStatus(connected=False, receiving=False), None, 10, 0, ()))
    quiet = live_frame(LiveUpdate(None, LinkStatus(connected=True, receiving=False), None, 10, 0, ()))
    flowing = live_frame(LiveUpdate(None, LinkStatus(connected=True, rate_hz=99.6), None, 10, 0, ()))
    assert dead.status == "connecting"
    assert quiet.status == "connected · no data yet"
    assert flowing.status.startswith("connected · 100 Hz")


def test_knee_rolls_compare_each_side_with_the_target_not_the_session_total() -> None:
    """9 left and 7 right in this set, 30 reps in the session: two bars against 10, each on its own."""
    from imurep.pipeline.pipeline import PipelineState

    state = PipelineState(
        time_s=100.0,
        posture="supine",
        exercise="knee_rolls",
        angle_deg=5.0,
        reps=16,
        left=9,
        right=7,
        total_reps=30,
    )
    c = Console(file=io.StringIO(), width=60)
    c.print(render_live(LiveUpdate(state, LinkStatus(), None, 10, 0, ()), "t"))
    lines = c.file.getvalue().splitlines()
    assert "│    Left  [██████████████████░░] 9/10                     │" in lines
    assert "│   Right  [██████████████░░░░░░] 7/10                     │" in lines
    assert "│ Session  30 reps                                         │" in lines
    assert not any("30/10" in line or "16/10" in line for line in lines)


def test_a_movement_waiting_for_confirmation_is_shown_apart_from_the_count() -> None:
    from imurep.pipeline.pipeline import PipelineState

    state = PipelineState(
        time_s=10.0,
        posture="supine",
        exercise="knee_rolls",
        angle_deg=0.0,
        reps=0,
        left=0,
        right=0,
        pending=1,
    )
    c = Console(file=io.StringIO(), width=60)
    c.print(render_live(LiveUpdate(state, LinkStatus(), None, 10, 0, ()), "t"))
    lines = c.file.getvalue().splitlines()
    assert "│ Session  0 reps  (+1 being checked)                      │" in lines
    assert "│    Left  [░░░░░░░░░░░░░░░░░░░░] 0/10                     │" in lines


def test_live_shows_pending_reps_and_the_count_never_goes_down() -> None:
    """A simulated session through the live analyzer: pending movements appear, and the shown
    count (confirmed reps) never decreases from one update to the next."""
    sim = simulate(random_config(5, kind="knee_rolls", mount="front-belt"))
    session = SessionAnalyzer(PipelineConfig())
    shown, pending_seen = [], 0
    b = sim.block
    for i in range(0, len(b), 25):
        session.feed(b.slice(i, i + 25))
        state = session.state
        if state is not None:
            shown.append(state.total_reps)
            pending_seen = max(pending_seen, state.pending)
    session.finish()
    assert pending_seen >= 1 and len(session.pipeline.reps) >= 10
    assert all(later >= earlier for earlier, later in itertools.pairwise(shown))
