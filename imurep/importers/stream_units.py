"""Our recording CSV's samples brought to what the pipeline takes, streamed block by block.

The format says seconds, m/s² and rad/s, but a hand-made file may hold g, mg, deg/s, or a time in
ms, µs, ns or sample numbers. The units are stated (a command-line option, else a ``# acc_unit:``,
``# gyr_unit:`` or ``# time_unit:`` metadata line) or decided from the first blocks (at least
:data:`DECIDE_SAMPLES` samples, at most the first :data:`DECIDE_MAX_SAMPLES` of them) with the
importers' checks; the same scale then applies to every
block, so memory stays bounded by a block. Every decision that departs from the format is said.

Physically impossible samples (:func:`imurep.samples.impossible_samples`) are dropped, so that
they reach no filter, and counted in one warning. A rate outside what the pipeline supports
(:data:`MIN_RATE_HZ`-:data:`MAX_RATE_HZ`) is refused before any analysis.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from imurep.errors import InputError
from imurep.importers.imported import ImportOptions
from imurep.importers.units import (
    ACC_UNITS,
    GYR_UNITS,
    TIME_UNITS,
    AccUnit,
    GyrUnit,
    TimeUnit,
    acc_scale_to_m_s2,
    classify_acc,
    classify_gyr,
    gyr_scale_to_rad_s,
    time_scale_to_s,
)
from imurep.plural import count
from imurep.samples import MAX_ACC_M_S2, MAX_GYR_RAD_S, SampleBlock, impossible_samples

__all__ = [
    "DECIDE_MAX_SAMPLES",
    "DECIDE_SAMPLES",
    "MAX_RATE_HZ",
    "MIN_RATE_HZ",
    "STATED_UNIT_KEYS",
    "StreamUnits",
    "check_rate",
    "si_metadata",
]

#: Samples the units are decided from (10 s at 50 Hz; the first block of a file usually has more).
DECIDE_SAMPLES = 500
#: At most this many of the first samples decide (10 min at 100 Hz: enough movement to compare the
#: gyroscope with the turning of gravity; the reader's first block can hold 200 000).
DECIDE_MAX_SAMPLES = 60_000
#: Rates the pipeline was measured to count at (17 of 17 reps of ``session.csv`` resampled to
#: 3.5 Hz and to 20 kHz; 0 reps at 3 Hz, a filter error at 2 Hz).
MIN_RATE_HZ = 3.5
MAX_RATE_HZ = 20_000.0
_SUPPORTED = f"{MIN_RATE_HZ:g}-{MAX_RATE_HZ:g} Hz the analysis supports"
# A time column in another unit is recognised when it gives a rate IMUs record at.
_PLAUSIBLE_RATE_HZ = (10.0, 2000.0)
# Steps (in the column's unit) as likely a slow recording in seconds as milliseconds: ask.
_SLOW_OR_MS_STEPS = (0.5, 2.0)
_TIME_WORDS: dict[TimeUnit, str] = {"ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds"}
# Raw values beyond these are impossible in any unit we accept (mg, deg/s are the smallest).
_RAW_ACC_MAX = MAX_ACC_M_S2 / acc_scale_to_m_s2("mg")
_RAW_GYR_MAX = MAX_GYR_RAD_S / gyr_scale_to_rad_s("deg/s")
# Beyond this share of impossible samples at the start, the file is not in any unit we know.
_MAX_IMPOSSIBLE_SHARE = 0.5
_SHOWN = {"m/s2": "m/s²"}
# Other ways people write the units in a metadata line.
_ALIASES = {"m/s²": "m/s2", "m/s^2": "m/s2", "°/s": "deg/s", "dps": "deg/s", "µs": "us", "sec": "s"}
_U = TypeVar("_U", AccUnit, GyrUnit, TimeUnit)


#: Metadata keys that state the file's units; they no longer describe the converted samples.
STATED_UNIT_KEYS = ("acc_unit", "gyr_unit", "time_unit")


def si_metadata(metadata: dict[str, str]) -> dict[str, str]:
    """``metadata`` for the converted samples (s, m/s², rad/s): without the stated-unit lines.

    What the samples are handed on with (a recording written from them), so that they are not
    converted a second time when read back.
    """
    return {k: v for k, v in metadata.items() if k not in STATED_UNIT_KEYS}


def check_rate(rate_hz: float, what: str, source: str) -> None:
    """Refuse a sample rate the pipeline cannot count at (``what`` says how it was measured)."""
    if not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
        raise InputError(f"{what}: {rate_hz:.4g} Hz, outside the {_SUPPORTED}", source)


@dataclass
class StreamUnits:
    """Scales of one recording, decided from its first blocks and applied to all of them.

    Parameters
    ----------
    source
        The file, for messages.
    metadata
        Its ``# key: value`` lines (``acc_unit``, ``gyr_unit``, ``time_unit`` are read).
    options
        What the user stated on the command line (wins over the metadata).
    first_line
        Line of the first sample in ``source`` (one sample a line), or ``None`` when samples have
        no lines (an import); used to say where impossible values are.
    raw
        The blocks hold the file's numbers as written; ``False``: already in s, m/s², rad/s
        (imports), only the rate and impossible values are checked.

    Attributes
    ----------
    warnings
        What was decided and dropped (after any given); complete once the blocks were read.
    acc_unit, gyr_unit
        The units decided (known once the first block was read).
    """

    source: str
    metadata: dict[str, str]
    options: ImportOptions = field(default_factory=ImportOptions)
    first_line: int | None = None
    raw: bool = True
    warnings: list[str] = field(default_factory=list)
    acc_unit: AccUnit = field(default="m/s2", init=False)
    gyr_unit: GyrUnit = field(default="rad/s", init=False)
    _time_scale: float = field(default=1.0, init=False)
    _dropped: int = field(default=0, init=False)
    _first_dropped: int | None = field(default=None, init=False)

    def apply(self, blocks: Iterable[SampleBlock]) -> Iterator[SampleBlock]:
        """The blocks in s, m/s², rad/s, without impossible samples (lazily, block by block).

        Raises
        ------
        InputError
            A stated unit that is not one, a time column that gives an unsupported rate, or
            ``--rate-hz`` on a time column that does not count samples.
        """
        if not self.raw and (self.options.time_unit is not None or self.options.rate_hz is not None):
            raise InputError(
                "--time-unit and --rate-hz are for our recording CSV's time_s column; an app export's "
                "times are read from its own columns: drop them",
                self.source,
            )
        it = iter(blocks)
        head: list[SampleBlock] = []
        n = 0
        for block in it:
            head.append(block)
            n += len(block)
            if n >= DECIDE_SAMPLES:
                break
        if not head:
            return
        first = head[0] if len(head) == 1 else SampleBlock.concat(head)
        if self.raw:
            self._decide(first if len(first) <= DECIDE_MAX_SAMPLES else first.slice(0, DECIDE_MAX_SAMPLES))
        elif len(first) > 1:
            check_rate(_median_rate_hz(first.time_s), "sample rate", self.source)
        yield self._scaled(first, 0, head=True)
        offset = len(first)
        for block in it:
            yield self._scaled(block, offset)
            offset += len(block)
        if self._dropped:
            where = f", the first on line {self._first_dropped}" if self._first_dropped is not None else ""
            self.warnings.append(
                f"{count(self._dropped, 'sample')} with physically impossible values "
                f"(|acc| > {MAX_ACC_M_S2:g} m/s² or |gyro| > {MAX_GYR_RAD_S:g} rad/s) dropped{where}: "
                "analysed as missing samples"
            )

    def _scaled(self, block: SampleBlock, offset: int, head: bool = False) -> SampleBlock:
        if self.raw:
            acc_scale = acc_scale_to_m_s2(self.acc_unit)
            gyr_scale = gyr_scale_to_rad_s(self.gyr_unit)
            gyr = block.gyr_rad_s
            with np.errstate(over="ignore"):  # an impossible value may overflow: dropped below
                block = SampleBlock(
                    block.time_s * self._time_scale if self._time_scale != 1.0 else block.time_s,
                    block.acc_m_s2 * acc_scale if acc_scale != 1.0 else block.acc_m_s2,
                    gyr * gyr_scale if gyr is not None and gyr_scale != 1.0 else gyr,
                )
        bad = impossible_samples(block)
        if not bad.any():
            return block
        if head and np.count_nonzero(bad) > _MAX_IMPOSSIBLE_SHARE * len(block):
            raise InputError(
                f"{count(int(np.count_nonzero(bad)), 'sample')} of the first {len(block)} have physically "
                f"impossible values (|acc| > {MAX_ACC_M_S2:g} m/s² or |gyro| > {MAX_GYR_RAD_S:g} rad/s "
                f"once in m/s² and rad/s): raw sensor counts, or another unit? convert the file to "
                "m/s² and rad/s (or g, mg, deg/s)",
                self.source,
            )
        if not self._dropped and self.first_line is not None:
            self._first_dropped = self.first_line + offset + int(np.flatnonzero(bad)[0])
        self._dropped += int(np.count_nonzero(bad))
        keep = ~bad
        gyr = None if block.gyr_rad_s is None else block.gyr_rad_s[keep]
        return SampleBlock(block.time_s[keep], block.acc_m_s2[keep], gyr)

    def _decide(self, head: SampleBlock) -> None:
        with np.errstate(over="ignore", invalid="ignore"):
            possible = (np.linalg.norm(head.acc_m_s2, axis=1) <= _RAW_ACC_MAX) & np.isfinite(head.time_s)
            if head.gyr_rad_s is not None:
                possible &= np.linalg.norm(head.gyr_rad_s, axis=1) <= _RAW_GYR_MAX
        self._time_scale = self._decide_time(head.time_s)
        if not possible.any():
            return
        acc_raw = head.acc_m_s2[possible]
        self.acc_unit = self._decide_acc(acc_raw)
        if head.gyr_rad_s is not None:
            time_s = head.time_s[possible] * self._time_scale
            acc_m_s2 = acc_raw * acc_scale_to_m_s2(self.acc_unit)
            self.gyr_unit = self._decide_gyr(time_s, acc_m_s2, head.gyr_rad_s[possible])

    def _stated(self, key: str, flag: _U | None, allowed: tuple[_U, ...]) -> tuple[_U | None, str]:
        """The unit the user stated (flag, then metadata) and how, for messages."""
        if flag is not None:
            return flag, f"--{key.replace('_', '-')}"
        text = self.metadata.get(key)
        if text is None:
            return None, ""
        written = _ALIASES.get(text.strip(), text.strip())
        for unit in allowed:
            if written == unit:
                return unit, f"'# {key}: {text.strip()}'"
        raise InputError(
            f"metadata {key}: {text.strip()!r} is not a unit; use {', '.join(allowed[:-1])} or {allowed[-1]}",
            self.source,
        )

    def _decide_acc(self, acc_raw: np.ndarray) -> AccUnit:
        verdict = classify_acc(acc_raw)
        stated, how = self._stated("acc_unit", self.options.acc_unit, ACC_UNITS)
        if stated is None and verdict.unit is None:
            self.warnings.append(
                f"acceleration fits none of 9.81 m/s², 1 g or 1000 mg at rest ({verdict.describe()}): "
                "read as m/s² as the recording format says; check the unit (--acc-unit)"
            )
        return self._settle("acceleration", "acc_unit", stated, how, verdict.unit, verdict.describe(), "m/s2")

    def _decide_gyr(self, time_s: np.ndarray, acc_m_s2: np.ndarray, gyr_raw: np.ndarray) -> GyrUnit:
        verdict = classify_gyr(time_s, acc_m_s2, gyr_raw)
        stated, how = self._stated("gyr_unit", self.options.gyr_unit, GYR_UNITS)
        return self._settle("angular rate", "gyr_unit", stated, how, verdict.unit, verdict.reason, "rad/s")

    def _settle(
        self, quantity: str, key: str, stated: _U | None, how: str, seen: _U | None, evidence: str, own: _U
    ) -> _U:
        """The stated unit (questioned when the data disagrees), else what the data shows, else ``own``."""
        if stated is not None:
            if seen is not None and seen != stated:
                self.warnings.append(
                    f"{quantity} unit {stated} stated ({how}), but the data looks like {seen} ({evidence}): "
                    f"check the unit (--{key.replace('_', '-')} {seen} if the data is right)"
                )
            return stated
        if seen is not None and seen != own:
            self.warnings.append(
                f"{quantity} read as {seen}, not {_SHOWN.get(own, own)} as the recording format says "
                f"({evidence}); state it with --{key.replace('_', '-')} or '# {key}: {seen}'"
            )
            return seen
        return own

    def _decide_time(self, time_raw: np.ndarray) -> float:
        """Factor that turns the time column into seconds (refusing what the pipeline cannot take)."""
        finite = time_raw[np.isfinite(time_raw)]
        if finite.size < 2:
            return 1.0
        step = float(np.median(np.diff(finite)))
        counts_samples = step == 1.0 and bool(np.all(finite == np.round(finite)))
        rate = self.options.rate_hz
        if rate is not None:
            if not counts_samples:
                raise InputError(
                    f"--rate-hz is for a time column that is a sample index (steps of 1); time_s here "
                    f"steps by a median {step:.4g}: drop --rate-hz",
                    self.source,
                )
            check_rate(rate, "--rate-hz", self.source)
            self.warnings.append(f"time_s read as a sample index at {rate:g} Hz (--rate-hz)")
            return 1.0 / rate
        stated, how = self._stated("time_unit", self.options.time_unit, TIME_UNITS)
        if stated is not None:
            scale = time_scale_to_s(stated)
            check_rate(
                1.0 / (step * scale), f"time_s in {stated} ({how}) steps by a median {step:.4g}", self.source
            )
            return scale
        rate_s = 1.0 / step
        if MIN_RATE_HZ <= rate_s <= MAX_RATE_HZ:
            return 1.0
        if counts_samples:
            raise InputError(
                "time_s steps by exactly 1 between samples: a sample index? give the sample rate with "
                "--rate-hz (time = index / rate; to replay it live, convert it first with imurep import "
                "--rate-hz), or --time-unit ms for milliseconds; in seconds it "
                f"would be 1 Hz, outside the {_SUPPORTED}",
                self.source,
            )
        if _SLOW_OR_MS_STEPS[0] <= step <= _SLOW_OR_MS_STEPS[1]:
            raise InputError(
                f"time_s steps by a median {step:.4g} between samples: {rate_s:.4g} Hz in seconds, "
                f"outside the {_SUPPORTED}, or milliseconds at {1000.0 / step:.4g} Hz? state the unit "
                "with --time-unit ms (or '# time_unit: ms')",
                self.source,
            )
        for unit, word in _TIME_WORDS.items():
            scale = time_scale_to_s(unit)
            rate_unit = 1.0 / (step * scale)
            if _PLAUSIBLE_RATE_HZ[0] <= rate_unit <= _PLAUSIBLE_RATE_HZ[1]:
                self.warnings.append(
                    f"time_s steps by a median {step:.4g} between samples: read as {word} "
                    f"({rate_unit:.4g} Hz); state it with --time-unit or '# time_unit: {unit}'"
                )
                return scale
        raise InputError(
            f"time_s steps by a median {step:.4g} between samples: {rate_s:.4g} Hz in seconds, outside "
            f"the {_SUPPORTED}; if the time is in other units use --time-unit s|ms|us|ns",
            self.source,
        )


def _median_rate_hz(time_s: np.ndarray) -> float:
    step = float(np.median(np.diff(time_s)))
    return 1.0 / step if step > 0 else float("inf")
