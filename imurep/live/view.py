"""The live terminal view: big, plain, readable from the exercise mat."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from imurep.live.progress import ONE_BREATH_S, set_progress
from imurep.live.runner import LiveUpdate
from imurep.plural import count

__all__ = ["ONE_BREATH_S", "LiveFrame", "live_frame", "render_frame", "render_live"]

_GAUGE_HALF_WIDTH = 20
_GAUGE_FULL_DEG = 50.0
_EXERCISE = {"knee_rolls": "knee rolls", "heels_stretch": "bottom-to-heels stretch"}


def _gauge(angle_deg: float, two_sided: bool) -> Text:
    """A bar for the current angle: left ◀ | ▶ right for knee rolls, 0 → depth for the stretch."""
    if math.isnan(angle_deg):
        return Text("  (waiting for a set)", style="dim")
    cells = round(min(abs(angle_deg), _GAUGE_FULL_DEG) / _GAUGE_FULL_DEG * _GAUGE_HALF_WIDTH)
    if two_sided:
        left = "━" * cells if angle_deg > 0 else ""
        right = "━" * cells if angle_deg < 0 else ""
        bar = Text("L ")
        bar.append(" " * (_GAUGE_HALF_WIDTH - len(left)))
        bar.append(left, style="bold cyan")
        bar.append("┃", style="bold")
        bar.append(right, style="bold magenta")
        bar.append(" " * (_GAUGE_HALF_WIDTH - len(right)))
        bar.append(f" R   {abs(angle_deg):4.0f}°")
        return bar
    bar = Text("0 ┃")
    depth = max(angle_deg, 0.0)
    n = round(min(depth, _GAUGE_FULL_DEG) / _GAUGE_FULL_DEG * 2 * _GAUGE_HALF_WIDTH)
    bar.append("━" * n, style="bold green")
    bar.append(" " * (2 * _GAUGE_HALF_WIDTH - n))
    bar.append(f"┃ {depth:4.0f}°")
    return bar


def _progress(done: int, target: int, width: int = 20) -> Text:
    n = min(width, round(width * done / target)) if target else width
    t = Text("[")
    t.append("█" * n, style="green")
    t.append("░" * (width - n))
    t.append(f"] {done}/{target}")
    return t


@dataclass(frozen=True, eq=False)
class LiveFrame:
    """What one frame of the live view shows, already formatted.

    Two updates with the same :meth:`key` look the same on screen, so the view redraws only when it
    changes: a redraw (rich lays out the panel) costs more CPU than the pipeline spends on the
    samples in between (``benchmarks/bench_live.py``, ``docs/performance.md``).

    Attributes
    ----------
    rows
        ``(label, cells)`` per row of the panel, top to bottom.
    status
        The link line under the panel.
    """

    rows: tuple[tuple[str, tuple[Text, ...]], ...]
    status: str

    def key(self) -> tuple[object, ...]:
        """Everything that decides how the frame looks (rich's own ``Text ==`` ignores the base style)."""
        looks = tuple(
            (label, tuple((t.plain, str(t.style), tuple(t.spans)) for t in texts))
            for label, texts in self.rows
        )
        return (self.status, looks)


def live_frame(u: LiveUpdate) -> LiveFrame:
    """The content of the view for ``u``."""
    s = u.state
    link = u.link
    if not link.receiving:
        status = "connected · no data yet" if link.connected else "connecting"
    else:
        status = (
            f"{'connected' if link.connected else 'RECONNECTING'} · {link.rate_hz:.0f} Hz · "
            f"loss {u.loss_percent:.1f} % · reconnects {link.reconnects}"
        )
    if link.detail:
        status += f" · {link.detail}"
    posture = "—" if s is None else s.posture.replace("_", " ")
    exercise = "" if s is None or s.exercise is None else f" — {_EXERCISE[s.exercise]}"
    rows: list[tuple[str, tuple[Text, ...]]] = [("Posture", (Text(posture + exercise),))]
    knee = s is not None and s.exercise == "knee_rolls"
    angle = math.nan if s is None else s.angle_deg
    rows.append(("Angle", (_gauge(angle, two_sided=knee or s is None or s.exercise is None),)))
    hold = 0.0 if s is None else s.hold_s
    hold_text = Text(f"{hold:4.1f} s / {ONE_BREATH_S:.0f} s (one breath)")
    if hold >= ONE_BREATH_S:
        hold_text.stylize("bold green")
    rows.append(("Hold", (_progress_bar_s(hold), hold_text)))
    # The target is per side for knee rolls and per set for the stretch (set_progress).
    progress = set_progress(s, u.target_reps)
    for label, n in progress.counts:
        rows.append((label.capitalize() if label != "reps" else "Set", (_progress(n, u.target_reps),)))
    session = Text(count(progress.session_reps, "rep"))
    if progress.pending_reps:
        session.append(f"  (+{progress.pending_reps} being checked)", style="dim")
    rows.append(("Session", (session,)))
    r = u.last_rep
    if r is not None:
        side = f" {r.side}" if r.side else ""
        missed = "  (no hold)" if r.hold_s < 0.5 else ""
        rows.append(
            ("Last rep", (Text(f"#{r.index}{side}: {r.peak_angle_deg:.0f}°, hold {r.hold_s:.1f} s{missed}"),))
        )
    return LiveFrame(tuple(rows), status)


def render_frame(frame: LiveFrame, title: str) -> RenderableType:
    """The panel for ``frame``: labels bold and right-aligned, then the cells, one line each.

    Lines of Text rather than a rich Table: the same screen for half the CPU (a Table measures
    its columns on every redraw).
    """
    width = max((len(label) for label, _ in frame.rows), default=0)
    lines: list[Text] = []
    for label, cells in frame.rows:
        for i, cell in enumerate(cells):
            line = Text()
            line.append(label.rjust(width) if i == 0 else " " * width, style="bold")
            line.append("  ")
            line.append_text(cell)
            lines.append(line)
    return Panel(Group(*lines), title=title, subtitle=frame.status)


def render_live(u: LiveUpdate, title: str) -> RenderableType:
    """One frame of the live view."""
    return render_frame(live_frame(u), title)


def _progress_bar_s(hold_s: float, width: int = 20) -> Text:
    n = min(width, round(width * hold_s / ONE_BREATH_S))
    t = Text("█" * n, style="green" if hold_s >= ONE_BREATH_S else "yellow")
    t.append("░" * (width - n))
    return t
