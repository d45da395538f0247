"""Every plot: draws on the given axes or a new figure, returns the axes, labels with units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from report_synthetic import full_session, knee_roll_reps, make_result

from imurep.plots import (
    OKABE_ITO,
    SIDE_COLOURS,
    plot_angle_timeline,
    plot_data_quality,
    plot_posture_timeline,
    plot_progress,
    plot_rep_hold,
    plot_rep_range,
    plot_set_trend,
    plot_symmetry,
)
from imurep.report import daily_progress
from imurep.report.progress import SessionPoint

PLOTS: dict[str, Callable[..., Axes]] = {
    "timeline": plot_angle_timeline,
    "range": plot_rep_range,
    "hold": plot_rep_hold,
    "symmetry": plot_symmetry,
    "trend": plot_set_trend,
    "posture": plot_posture_timeline,
    "quality": plot_data_quality,
}


@pytest.mark.parametrize("name", list(PLOTS))
def test_new_figure_when_ax_is_none(name: str) -> None:
    ax = PLOTS[name](full_session())
    assert isinstance(ax, Axes)
    assert ax.get_xlabel() and ax.get_title()
    ax.figure.canvas.draw()


@pytest.mark.parametrize("name", list(PLOTS))
def test_draws_on_the_given_axes(name: str) -> None:
    fig, ax = plt.subplots()
    assert PLOTS[name](full_session(), ax=ax) is ax
    assert len(fig.axes) == 1


@pytest.mark.parametrize("name", list(PLOTS))
def test_empty_result_does_not_fail(name: str) -> None:
    ax = PLOTS[name](make_result([]))
    ax.figure.canvas.draw()


def _facecolours(ax: Axes) -> list[str]:
    return [to_hex(p.get_facecolor()) for p in ax.patches]


def test_timeline_shades_reps_by_side_and_labels_units() -> None:
    ax = plot_angle_timeline(full_session())
    assert "deg" in ax.get_ylabel() and ", s" in ax.get_xlabel()
    colours = _facecolours(ax)
    # 20 knee rolls + 10 heels stretches, each with a rep span and a darker hold span
    assert colours.count(SIDE_COLOURS["left"].lower()) == 20
    assert colours.count(SIDE_COLOURS["right"].lower()) == 20
    assert colours.count(SIDE_COLOURS["heels"].lower()) == 20
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "rep, left side (hold darker)" in labels and "bottom-to-heels stretch (pelvis pitch)" in labels


def test_timeline_window_keeps_only_reps_inside() -> None:
    result = full_session()
    first_heels = next(r for r in result.reps if r.exercise == "heels_stretch")
    ax = plot_angle_timeline(result, start_s=first_heels.start_s - 1, end_s=result.reps[-1].end_s + 1)
    assert set(_facecolours(ax)) == {SIDE_COLOURS["heels"].lower()}


def test_rep_bars_match_the_reps() -> None:
    result = make_result(knee_roll_reps(6, peaks_deg=[10, 20, 30, 40, 50, 60], holds_s=[1, 2, 3, 4, 5, 6]))
    ax = plot_rep_range(result)
    assert [p.get_height() for p in ax.patches] == [10, 20, 30, 40, 50, 60]
    ax = plot_rep_hold(result, target_hold_s=4.0)
    assert [p.get_height() for p in ax.patches] == [1, 2, 3, 4, 5, 6]
    assert any("4 s" in t.get_text() for t in ax.get_legend().get_texts())


def test_symmetry_title_gives_the_asymmetry() -> None:
    result = make_result(knee_roll_reps(4, peaks_deg=[40, 20, 40, 20]))
    ax = plot_symmetry(result, "range_deg")
    assert "+67%" in ax.get_title()
    assert [round(p.get_height()) for p in ax.patches] == [40, 20]


def test_trend_line_follows_the_fit() -> None:
    peaks = [40.0, 38.0, 36.0, 34.0, 32.0, 30.0]
    ax = plot_set_trend(make_result(knee_roll_reps(6, peaks_deg=peaks)), 1, "range_deg")
    (line,) = ax.get_lines()
    assert np.allclose(line.get_ydata(), [40.0, 30.0])
    assert "-2.00° per rep" in line.get_label()


def test_posture_timeline_uses_the_palette() -> None:
    ax = plot_posture_timeline(full_session())
    colours = {to_hex(c.get_facecolor()[0]) for c in ax.collections}
    assert OKABE_ITO["orange"].lower() in colours  # standing
    assert OKABE_ITO["sky_blue"].lower() in colours  # supine and the knee-roll set


def test_progress_plot() -> None:
    pts = [
        SessionPoint(
            "a",
            "knee_rolls",
            dt.datetime(2024, 1, d, tzinfo=dt.UTC),
            "time_s",
            10,
            5,
            5,
            20.0 + d,
            3.0,
            0.0,
            -2.0,
        )
        for d in (1, 3, 7)
    ]
    ax = plot_progress(daily_progress(pts), "mean_range_deg")
    (line,) = ax.get_lines()
    assert list(line.get_ydata()) == [21.0, 23.0, 27.0]
    assert ax.get_ylabel() == "mean range, deg"
