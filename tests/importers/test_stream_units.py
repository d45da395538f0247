"""Units decided from the first blocks of a stream and applied to every block, in bounded memory."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from importer_layouts import G, motion

from imurep.errors import InputError
from imurep.importers.imported import ImportOptions
from imurep.importers.stream_units import DECIDE_SAMPLES, StreamUnits
from imurep.samples import SampleBlock


def _blocks(block: SampleBlock, size: int, pulled: list[int]) -> Iterator[SampleBlock]:
    for start in range(0, len(block), size):
        pulled.append(start)
        yield block.slice(start, start + size)


def test_decides_from_the_first_blocks_only_and_scales_every_block_alike() -> None:
    m = motion()
    truth = SampleBlock(m.time_s, m.acc_m_s2, m.gyr_rad_s)
    raw = SampleBlock(m.time_s, m.acc_m_s2 / G, np.degrees(m.gyr_rad_s))
    pulled: list[int] = []
    units = StreamUnits("x.csv", {}, first_line=2)
    out = units.apply(_blocks(raw, 50, pulled))
    first = next(out)
    # Only the blocks needed for the decision were read before the first came out.
    assert len(pulled) == -(-DECIDE_SAMPLES // 50) and len(first) == len(pulled) * 50
    rest = list(out)
    assert len(pulled) == -(-len(raw) // 50)
    got = SampleBlock.concat([first, *rest])
    np.testing.assert_allclose(got.acc_m_s2, truth.acc_m_s2, rtol=1e-12)
    assert got.gyr_rad_s is not None and truth.gyr_rad_s is not None
    np.testing.assert_allclose(got.gyr_rad_s, truth.gyr_rad_s, rtol=1e-12)
    assert (units.acc_unit, units.gyr_unit) == ("g", "deg/s")
    assert [w.split(",")[0] for w in units.warnings] == [
        "acceleration read as g",
        "angular rate read as deg/s",
    ]


def test_impossible_samples_in_a_later_block_are_dropped_with_their_line() -> None:
    m = motion()
    acc = m.acc_m_s2.copy()
    acc[1234, 0] = 1e308
    block = SampleBlock(m.time_s, acc, m.gyr_rad_s)
    units = StreamUnits("x.csv", {}, first_line=9)
    got = SampleBlock.concat(list(units.apply(_blocks(block, 100, []))))
    assert len(got) == len(block) - 1
    assert units.warnings == [
        "1 sample with physically impossible values (|acc| > 2000 m/s² or |gyro| > 100 rad/s) dropped, "
        "the first on line 1243: analysed as missing samples"
    ]


def test_time_options_are_refused_for_an_export() -> None:
    m = motion()
    units = StreamUnits("e.csv", {}, ImportOptions(time_unit="ms"), raw=False)
    with pytest.raises(InputError, match="--time-unit and --rate-hz are for our recording CSV"):
        list(units.apply([SampleBlock(m.time_s, m.acc_m_s2, m.gyr_rad_s)]))
