"""What the figures draw: legends clear of the data, whole rep numbers, reps that stay apart, bars
where the gaps, postures and sets are, the figures a plot prints."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox
from report_synthetic import T0_S, full_session, make_result, rep

from imurep.analysis.analyze import analyze_file
from imurep.analysis.result import AnalysisResult
from imurep.plots import (
    plot_angle_timeline,
    plot_data_quality,
    plot_posture_timeline,
    plot_rep_hold,
    plot_rep_range,
    plot_set_trend,
    plot_symmetry,
)
from imurep.summary import summarize

SESSION = Path(__file__).resolve().parents[2] / "recordings" / "session.csv"


@cache
def _session() -> AnalysisResult:
    return analyze_file(SESSION)


RESULTS: dict[str, Callable[[], AnalysisResult]] = {"synthetic": full_session, "session.csv": _session}

# Each plot as the report draws it: (figure size in inches, columns, draw one axes).
PLOTS: dict[str, tuple[tuple[float, float], Callable[[AnalysisResult, Axes], Axes]]] = {
    "range": ((5, 3.2), plot_rep_range),
    "hold": ((5, 3.2), plot_rep_hold),
    "quality": ((10, 2.4), plot_data_quality),
    "timeline": ((10, 3.6), plot_angle_timeline),
    "posture": ((10, 2.2), plot_posture_timeline),
    "symmetry": ((4.5, 3.4), lambda r, ax: plot_symmetry(r, "range_deg", ax)),
    "trend": ((3.7, 3.0), lambda r, ax: plot_set_trend(summarize(r).sets[0], "range_deg", ax)),
}


def _drawn(plot: str, result: AnalysisResult) -> Axes:
    size_in, draw = PLOTS[plot]
    fig = Figure(figsize=size_in, layout="constrained")
    FigureCanvasAgg(fig)
    ax = draw(result, fig.add_subplot())
    fig.canvas.draw()
    return ax


def _renderer(ax: Axes) -> RendererAgg:
    canvas = ax.figure.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    return canvas.get_renderer()


def _data_extents(ax: Axes) -> list[Bbox]:
    """Window extents of what the axes draw: patches, text, lines and collections (point by point)."""
    renderer = _renderer(ax)
    boxes = [p.get_window_extent(renderer) for p in ax.patches]
    boxes += [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
    for line in ax.lines:
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        boxes += [Bbox([p, p]) for p in xy[np.isfinite(xy).all(axis=1)]]
    for coll in ax.collections:
        assert isinstance(coll, Collection)
        offsets = np.asarray(coll.get_offsets(), dtype=float)
        if len(coll.get_paths()) and offsets.size and np.any(offsets):
            # markers (scatter): one point per offset
            xy = coll.get_offset_transform().transform(offsets)
            boxes += [Bbox([p, p]) for p in xy]
        else:
            # shapes in data coordinates (broken_barh, fill_between)
            for path in coll.get_paths():
                xy = coll.get_transform().transform(path.vertices)
                boxes.append(Bbox([xy.min(axis=0), xy.max(axis=0)]))
    clip = ax.get_window_extent(renderer)
    return [b for b in boxes if b.width >= 0 and Bbox.intersection(b, clip) is not None]


@pytest.mark.parametrize("source", list(RESULTS))
@pytest.mark.parametrize("plot", list(PLOTS))
def test_the_legend_covers_nothing_that_is_drawn(plot: str, source: str) -> None:
    ax = _drawn(plot, RESULTS[source]())
    legend = ax.get_legend()
    assert legend is not None, f"{plot} has no legend"
    box = legend.get_window_extent(_renderer(ax))
    covered = [b for b in _data_extents(ax) if box.overlaps(b)]
    assert not covered, f"{plot}: the legend at {box.bounds} covers {len(covered)} drawn artists"
    # ... and the legend stays inside the figure (not cut off at its edge).
    fig_box = ax.figure.bbox
    inside = fig_box.x0 - 1 <= box.x0 and box.x1 <= fig_box.x1 + 1 and fig_box.y0 - 1 <= box.y0
    assert inside and box.y1 <= fig_box.y1 + 1, f"{plot}: legend {box.bounds} outside {fig_box.bounds}"


@pytest.mark.parametrize("plot", ["range", "hold", "trend"])
def test_rep_numbers_are_whole(plot: str) -> None:
    for make in RESULTS.values():
        ax = _drawn(plot, make())
        lo, hi = ax.get_xlim()
        shown = [t for t in ax.get_xticks() if lo <= t <= hi]
        assert len(shown) >= 2 and all(float(t).is_integer() for t in shown), shown


def _rep_spans(ax: Axes, result: AnalysisResult) -> list[Rectangle]:
    t0 = result.quality.start_s
    spans = []
    for r in result.reps:
        (span,) = [
            p
            for p in ax.patches
            if isinstance(p, Rectangle)
            and np.isclose(p.get_x(), r.start_s - t0)
            and np.isclose(p.get_x() + p.get_width(), r.end_s - t0)
        ]
        spans.append(span)
    return spans


def test_reps_that_touch_stay_two_bands() -> None:
    # Each rep starts exactly where the one before ends, all of one colour (heels stretch):
    # 1.5 s out, 4 s hold, 1.5 s back.
    touching = [
        rep(i + 1, T0_S + 10.0 + 7.0 * i, side=None, exercise="heels_stretch", peak_deg=20.0)
        for i in range(6)
    ]
    result = make_result(touching)
    ax = _drawn("timeline", result)
    spans = _rep_spans(ax, result)
    for a, b in itertools.pairwise(spans):
        assert np.isclose(a.get_x() + a.get_width(), b.get_x())  # they do touch
        assert a.get_facecolor() != b.get_facecolor(), "two touching reps are drawn as one band"


def _bars(ax: Axes) -> list[tuple[str, list[tuple[float, float]], tuple[float, float]]]:
    """(colour, [(x, width)], (y, height)) of every broken_barh row drawn on ``ax``."""
    from matplotlib.colors import to_hex

    rows = []
    for c in ax.collections:
        paths = c.get_paths()
        extents = [p.get_extents() for p in paths]
        xs = [(round(float(e.x0), 6), round(float(e.width), 6)) for e in extents]
        (y,) = {(round(float(e.y0), 6), round(float(e.height), 6)) for e in extents}
        rows.append((to_hex(c.get_facecolor()[0]), xs, y))
    return rows


def test_data_quality_draws_the_recording_its_gaps_and_the_figures() -> None:
    from imurep.plots.style import OKABE_ITO

    gaps = [(T0_S + 10.0, T0_S + 12.0), (T0_S + 20.0, T0_S + 20.5)]
    result = make_result([rep(1, T0_S + 5.0)], gaps=gaps, warnings=["sample rate 9.0 Hz is below 20 Hz"])
    ax = plot_data_quality(result)
    recorded, *gap_rows = _bars(ax)
    assert recorded == (OKABE_ITO["bluish_green"].lower(), [(0.0, round(result.duration_s, 6))], (0.6, 0.3))
    assert [(colour, xs) for colour, xs, _ in gap_rows] == [
        (OKABE_ITO["vermillion"].lower(), [(10.0, 2.0)]),
        (OKABE_ITO["vermillion"].lower(), [(20.0, 0.5)]),
    ]
    (text,) = ax.texts
    lines = text.get_text().splitlines()
    assert lines[0].startswith(
        f"{result.quality.n_samples} samples over {result.duration_s:.1f} s at 50.0 Hz"
    )
    assert "2 gaps, 6 lost, 0 clipped; gyroscope: yes" in lines[0]
    assert lines[1:] == ["warning: sample rate 9.0 Hz is below 20 Hz"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["recorded", "gap"]


def test_posture_timeline_draws_each_span_and_set_where_it_is() -> None:
    result = full_session()
    ax = plot_posture_timeline(result)
    rows = _bars(ax)
    posture_rows = [xs[0] for _, xs, y in rows if y == (1.1, 0.8)]
    set_rows = [xs[0] for _, xs, y in rows if y == (0.1, 0.8)]
    t0 = result.quality.start_s
    assert posture_rows == [
        (round(p.start_s - t0, 6), round(p.end_s - p.start_s, 6)) for p in result.postures
    ]
    assert set_rows == [(round(s.start_s - t0, 6), round(s.end_s - s.start_s, 6)) for s in result.sets]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["standing", "supine", "all fours", "set: knee rolls", "set: bottom-to-heels stretch"]


def test_a_set_too_short_for_a_trend_draws_its_reps_and_says_so() -> None:
    result = make_result([rep(1, T0_S + 5.0), rep(2, T0_S + 15.0, side="right")])
    ax = plot_set_trend(summarize(result).sets[0], "range_deg")
    assert ax.get_lines() == []
    (dots,) = ax.collections
    assert np.allclose(dots.get_offsets(), [[1.0, 30.0], [2.0, 30.0]])
    assert [t.get_text() for t in ax.texts] == ["too few reps for a trend"]
    assert ax.get_title() == "Set 1 (knee rolls): range"
