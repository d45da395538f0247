"""What to say or sound during a live session, so that the person on the mat never has to look.

A :class:`CueTracker` watches the live updates (and, between them, the link) and returns the cues
in the order they happen: the count and side after each rep ("three, left"), "breathe out, come
back" once a hold has lasted one breath, a cue when a set reaches its target, and warnings when the
link drops or the sensor stops sending. The terminal view rings its bell on them; the web page
speaks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from imurep.events import RepEvent
from imurep.live.progress import ONE_BREATH_S, set_progress
from imurep.live.runner import LinkStatus, LiveUpdate

__all__ = ["STALLED_AFTER_S", "Cue", "CueKind", "CueTracker", "number_words"]

CueKind = Literal["rep", "hold", "target", "link_lost", "link_back", "sensor_stopped", "sensor_back", "end"]

# No new samples for this long (host time) on a connected link: the sensor has stopped sending.
# Longer than the virtual band's drain at the end of its session (0.6 s) and than a feed interval.
STALLED_AFTER_S = 2.0

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    """``n`` in English words (0-999), as a voice would say it; digits beyond."""
    if n < 0 or n > 999:
        return str(n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("" if ones == 0 else "-" + _ONES[ones])
    hundreds, rest = divmod(n, 100)
    return _ONES[hundreds] + " hundred" + ("" if rest == 0 else " and " + number_words(rest))


@dataclass(frozen=True)
class Cue:
    """One cue.

    Attributes
    ----------
    kind
        What happened.
    text
        What a voice says.
    rep_index
        The rep the cue is about (``rep``, and ``hold`` when known), else ``None``.
    """

    kind: CueKind
    text: str
    rep_index: int | None = None


class CueTracker:
    """Turns live updates into cues; one tracker per session.

    Parameters
    ----------
    one_breath_s
        Hold time after which "breathe out, come back" is cued, s.
    stalled_after_s
        Host time without new samples on a connected link after which the sensor counts as stopped, s.
    """

    def __init__(self, one_breath_s: float = ONE_BREATH_S, stalled_after_s: float = STALLED_AFTER_S) -> None:
        if one_breath_s <= 0 or stalled_after_s <= 0:
            raise ValueError(
                f"one_breath_s and stalled_after_s must be > 0, got {one_breath_s} and {stalled_after_s}"
            )
        self.one_breath_s = one_breath_s
        self.stalled_after_s = stalled_after_s
        self._held_cued = False  # the current excursion's hold cue has been given
        self._connected = True
        self._reconnects = 0
        self._samples = 0
        self._samples_at_s: float | None = None  # host time the sample count last grew
        self._stalled = False
        self._done_parts: set[str] = set()
        self._set_key: tuple[object, ...] | None = None
        self._last_rep_index = 0
        self._counts: dict[str, int] = {}  # per side (or "reps"), in the set of the last rep
        self._counts_exercise: str | None = None

    @property
    def stalled(self) -> bool:
        """The sensor has stopped sending (as of the last update or tick)."""
        return self._stalled

    def update(self, u: LiveUpdate, now_s: float) -> list[Cue]:
        """Cues for the live update ``u`` that arrived at host time ``now_s`` (s, monotonic)."""
        cues = self._link_cues(u.link, now_s)
        if u.samples > self._samples:
            self._samples = u.samples
            self._samples_at_s = now_s
            if self._stalled:
                self._stalled = False
                cues.append(Cue("sensor_back", "sensor sending again"))
        for rep in u.new_reps:
            if rep.index <= self._last_rep_index:
                continue
            self._last_rep_index = rep.index
            if rep.hold_s >= self.one_breath_s and not self._held_cued:
                # The rep ended before an update showed its hold reach one breath (updates come
                # about ten times a second of host time): the hold cue still comes, just before it.
                cues.append(Cue("hold", "breathe out, come back", rep.index))
            self._held_cued = False
            cues.append(Cue("rep", _speak_count(self._count(u, rep), rep), rep.index))
        s = u.state
        if s is not None:
            hold = s.hold_s if s.phase == "out" else 0.0
            if hold >= self.one_breath_s and not self._held_cued:
                self._held_cued = True
                cues.append(Cue("hold", "breathe out, come back", self._last_rep_index + 1))
            elif hold == 0.0 and s.phase != "out":
                self._held_cued = False
        cues.extend(self._target_cues(u))
        return cues

    def tick(self, link: LinkStatus, now_s: float) -> list[Cue]:
        """Cues from the link alone, between updates (while no samples arrive, none come)."""
        cues = self._link_cues(link, now_s)
        if (
            link.connected
            and not self._stalled
            and self._samples_at_s is not None
            and now_s - self._samples_at_s >= self.stalled_after_s
        ):
            self._stalled = True
            cues.append(Cue("sensor_stopped", "the sensor has stopped sending: check the band"))
        return cues

    def end(self) -> list[Cue]:
        """The session is over."""
        return [Cue("end", "session finished")]

    def _count(self, u: LiveUpdate, rep: RepEvent) -> int:
        """``rep``'s count within its set: per side for knee rolls ("three, left")."""
        s = u.state
        label = _label(rep)
        after = [r for r in u.new_reps if r.index >= rep.index]
        if s is not None and s.exercise == rep.exercise and len(after) <= s.reps:
            # The rep belongs to the open set: its count is the set's, less the later reps.
            shown = s.left if label == "left" else s.right if label == "right" else s.reps
            n = shown - sum(1 for r in after[1:] if _label(r) == label)
        else:
            # Its set closed within this update: count on from the previous rep of the same set.
            n = self._counts.get(label, 0) + 1 if rep.exercise == self._counts_exercise else 1
        if rep.exercise != self._counts_exercise or n <= self._counts.get(label, 0):
            self._counts = {}  # a new set
        self._counts_exercise = rep.exercise
        self._counts[label] = n
        return max(n, 1)

    def _link_cues(self, link: LinkStatus, now_s: float) -> list[Cue]:
        cues: list[Cue] = []
        if link.reconnects > self._reconnects and self._connected and link.connected:
            # Dropped and back again between two looks: say both, in order.
            cues.append(Cue("link_lost", "link lost: keep still, reconnecting"))
            cues.append(Cue("link_back", "link back"))
        elif self._connected and not link.connected:
            cues.append(Cue("link_lost", "link lost: keep still, reconnecting"))
        elif not self._connected and link.connected:
            cues.append(Cue("link_back", "link back"))
        if link.connected != self._connected:
            # The link itself changed (its cue says so): the sensor gets its own time to resume
            # before it counts as stopped again.
            self._samples_at_s = now_s if self._samples_at_s is not None else None
            self._stalled = False
        self._connected = link.connected
        self._reconnects = max(self._reconnects, link.reconnects)
        return cues

    def _target_cues(self, u: LiveUpdate) -> list[Cue]:
        p = set_progress(u.state, u.target_reps)
        s = u.state
        key = None if s is None or s.exercise is None else (s.exercise, s.total_reps - s.reps)
        if key != self._set_key:
            self._set_key = key
            self._done_parts = set()
        if p.exercise is None or u.target_reps <= 0:
            return []
        cues: list[Cue] = []
        reached = {label for label, n in p.counts if n >= p.target_reps}
        for label, _ in p.counts:
            if label in reached and label not in self._done_parts:
                self._done_parts.add(label)
                if p.done:
                    cues.append(Cue("target", f"{number_words(p.target_reps)}: set complete, well done"))
                else:
                    cues.append(
                        Cue("target", f"{number_words(p.target_reps)} on the {label}: now the other side")
                    )
        return cues


def _label(rep: RepEvent) -> str:
    return rep.side if rep.side is not None else "reps"


def _speak_count(n: int, rep: RepEvent) -> str:
    return f"{number_words(n)}, {rep.side}" if rep.side is not None else number_words(n)
