"""Writer → reader round trips, block streaming, header parsing and real recordings."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imurep.recording.reader as reader_module
from imurep.errors import InputError
from imurep.recording import (
    RecordingWriteError,
    RecordingWriter,
    iter_recording,
    read_header,
    read_recording,
    write_recording,
)
from imurep.samples import SampleBlock

REAL = Path("/work/shared/data/real")


def _block(n: int, has_gyr: bool, t0_s: float = 1.7e9, seed: int = 0) -> SampleBlock:
    rng = np.random.default_rng(seed)
    time_s = t0_s + np.cumsum(rng.uniform(0.004, 0.03, n))  # uneven sampling, gaps
    acc = rng.normal(0.0, 20.0, (n, 3))
    gyr = rng.normal(0.0, 5.0, (n, 3)) if has_gyr else None
    return SampleBlock(time_s, acc, gyr)


@pytest.mark.parametrize("has_gyr", [True, False])
def test_round_trip_within_format_precision(tmp_path: Path, has_gyr: bool) -> None:
    block = _block(5000, has_gyr)
    metadata = {"device": "imurep-band 00:11:22:33:44:55", "mount": "front-belt", "x.y-z": "ü"}
    path = tmp_path / "rt.csv"
    write_recording(path, block, metadata)
    recording = read_recording(path)
    assert recording.header.metadata == {"imurep-recording": "1", **metadata}
    assert recording.header.mount == "front-belt"
    assert recording.header.has_gyr is has_gyr
    got = recording.samples
    assert len(got) == len(block)
    # Half a unit of the last printed decimal, plus float64 spacing at 1.7e9 for the time.
    np.testing.assert_allclose(got.time_s, block.time_s, rtol=0, atol=0.5e-6 + 2.4e-7)
    np.testing.assert_allclose(got.acc_m_s2, block.acc_m_s2, rtol=0, atol=0.5e-5 + 1e-12)
    if has_gyr:
        assert got.gyr_rad_s is not None and block.gyr_rad_s is not None
        np.testing.assert_allclose(got.gyr_rad_s, block.gyr_rad_s, rtol=0, atol=0.5e-6 + 1e-12)
    else:
        assert got.gyr_rad_s is None
    first_lines = path.read_text().splitlines()[:5]
    assert first_lines[0] == "# imurep-recording: 1"
    assert first_lines[4] == ",".join(
        ["time_s", "acc_x", "acc_y", "acc_z", *(["gyr_x", "gyr_y", "gyr_z"] if has_gyr else [])]
    )


def test_writer_appends_blocks_and_refuses_bad_ones(tmp_path: Path) -> None:
    block = _block(1000, True)
    path = tmp_path / "w.csv"
    with RecordingWriter(path, {"device": "d"}, has_gyr=True) as writer:
        for start in range(0, 1000, 137):
            writer.append(block.slice(start, start + 137))
        writer.append(SampleBlock.empty(with_gyr=True))
        with pytest.raises(InputError, match="not strictly increasing"):
            writer.append(block.slice(10, 20))
        with pytest.raises(InputError, match="lacks a gyroscope"):
            writer.append(SampleBlock(block.time_s[:1] + 1e3, block.acc_m_s2[:1]))
        nan_block = SampleBlock(np.array([2e9]), np.array([[np.nan, 0.0, 0.0]]), np.zeros((1, 3)))
        with pytest.raises(InputError, match="NaN or infinite"):
            writer.append(nan_block)
        writer.flush()
        assert writer.samples_written == 1000
    with pytest.raises(RecordingWriteError, match="closed"):
        writer.append(block)
    np.testing.assert_allclose(read_recording(path).samples.time_s, block.time_s, atol=1e-6)


def test_writer_refuses_existing_file_and_bad_metadata(tmp_path: Path) -> None:
    block = _block(10, False)
    path = tmp_path / "x.csv"
    write_recording(path, block)
    with pytest.raises(RecordingWriteError, match="file exists"):
        write_recording(path, block)
    write_recording(path, _block(20, False), overwrite=True)
    assert len(read_recording(path).samples) == 20
    with pytest.raises(InputError, match="metadata key"):
        write_recording(tmp_path / "y.csv", block, {"bad key": "v"})
    with pytest.raises(InputError, match="single line"):
        write_recording(tmp_path / "z.csv", block, {"note": "two\nlines"})


def test_times_closer_than_a_microsecond_refused(tmp_path: Path) -> None:
    block = SampleBlock(np.array([1.0, 1.0000001]), np.zeros((2, 3)))
    with pytest.raises(InputError, match="1 µs"):
        write_recording(tmp_path / "us.csv", block)


def test_writer_to_full_disk_raises_imurep_error(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    with pytest.raises(RecordingWriteError, match=r"disk full \(ENOSPC\)"):
        RecordingWriter("/dev/full", {}, has_gyr=False, overwrite=True)


def test_header_metadata_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        "# imurep-recording: 1\n"
        "# mount: left-hip\n"
        "# a free-text line, with a comma: and a colon\n"
        "#\n"
        "# mount: second value kept as comment\n"
        "\n"
        "# Weird_Key.v2: value with spaces  \n"
        "time_s , acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z,extra\n"
        "0,1,2,3,4,5,6,x\n"
    )
    header = read_header(path)
    assert header.metadata == {
        "imurep-recording": "1",
        "mount": "left-hip",
        "Weird_Key.v2": "value with spaces",
    }
    assert header.comments == (
        "a free-text line, with a comma: and a colon",
        "",
        "mount: second value kept as comment",
    )
    assert header.mount == "left-hip"
    assert header.columns[0] == "time_s" and header.columns[-1] == "extra"
    assert header.has_gyr
    assert (header.header_line, header.data_start_line) == (8, 9)
    assert header.data_start_byte == path.read_bytes().index(b"0,1,2")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    n=st.integers(1, 400),
    block_rows=st.integers(1, 500),
    chunk_bytes=st.sampled_from([64, 200, 1000, 1 << 22]),
    has_gyr=st.booleans(),
    torn=st.booleans(),
)
def test_streaming_equals_whole_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    n: int,
    block_rows: int,
    chunk_bytes: int,
    has_gyr: bool,
    torn: bool,
) -> None:
    monkeypatch.setattr(reader_module, "_CHUNK_BYTES", chunk_bytes)
    path = tmp_path / f"s{n}_{int(has_gyr)}_{int(torn)}.csv"
    path.unlink(missing_ok=True)
    block = _block(n, has_gyr, t0_s=0.0, seed=n)
    write_recording(path, block)
    if torn:
        with path.open("ab") as f:
            f.write(b"99999.0,1.0,2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = read_recording(path).samples
        blocks = list(iter_recording(path, block_rows=block_rows))
    assert [len(b) for b in blocks[:-1]] == [block_rows] * (len(blocks) - 1)
    assert 1 <= len(blocks[-1]) <= block_rows
    streamed = SampleBlock.concat(blocks)
    np.testing.assert_array_equal(streamed.time_s, whole.time_s)
    np.testing.assert_array_equal(streamed.acc_m_s2, whole.acc_m_s2)
    if has_gyr:
        assert streamed.gyr_rad_s is not None and whole.gyr_rad_s is not None
        np.testing.assert_array_equal(streamed.gyr_rad_s, whole.gyr_rad_s)
    assert len(whole) == n
    np.testing.assert_allclose(whole.time_s, block.time_s, atol=1e-6)


def test_block_rows_must_be_positive(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    write_recording(path, _block(3, False))
    with pytest.raises(ValueError, match="block_rows"):
        iter_recording(path, block_rows=0)


def test_real_mex_knee_rolling_acc_only() -> None:
    path = REAL / "mex-knee-rolling" / "mex_s01_knee_rolling.csv"
    recording = read_recording(path)
    samples = recording.samples
    assert not recording.header.has_gyr and samples.gyr_rad_s is None
    assert len(samples) == path.read_bytes().count(b"\n") - recording.header.header_line
    assert samples.time_s[0] == pytest.approx(1541676891.474)
    assert np.all(np.diff(samples.time_s) > 0)
    # A thigh sensor at rest-ish: gravity magnitude on average.
    assert np.median(np.linalg.norm(samples.acc_m_s2, axis=1)) == pytest.approx(9.81, abs=1.0)


def test_real_hapt_waist_extra_activity_column_ignored() -> None:
    path = REAL / "hapt-waist" / "user01_seq0.csv"
    recording = read_recording(path)
    assert recording.header.columns[-1] == "activity"
    samples = recording.samples
    assert samples.gyr_rad_s is not None and samples.gyr_rad_s.shape == (len(samples), 3)
    assert len(samples) == path.read_bytes().count(b"\n") - recording.header.header_line
    np.testing.assert_allclose(samples.acc_m_s2[0], [9.00305, -1.10325, 4.99867])
    np.testing.assert_allclose(samples.gyr_rad_s[0], [-0.05498, -0.06964, -0.03085])
    np.testing.assert_allclose(np.diff(samples.time_s), 0.02, atol=1e-9)
