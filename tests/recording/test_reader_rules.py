"""Every bad-input rule of the reader: exact 1-based line, message naming the rule."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import imurep.recording.reader as reader_module
from imurep.errors import InputError
from imurep.recording import RecordingWarning, iter_recording, read_header, read_recording

HEAD = "# imurep-recording: 1\n# device: test\ntime_s,acc_x,acc_y,acc_z\n"  # data from line 4
ROWS = "".join(f"{i * 0.01:.2f},0.1,0.2,9.8\n" for i in range(10))  # lines 4..13


def _write(tmp_path: Path, text: str | bytes, name: str = "rec.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_recording(path)
    # The streaming reader must agree with the whole-file reader on the first error.
    with pytest.raises(InputError) as streamed:
        for _ in iter_recording(path, block_rows=3):
            pass
    assert str(streamed.value) == str(info.value)
    return info.value


def _bad_row(line: int, row: str) -> str:
    """ROWS with data line ``line`` (1-based file line, 4..13) replaced by ``row``."""
    rows = ROWS.splitlines(keepends=True)
    rows[line - 4] = row
    return HEAD + "".join(rows)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as info:
        read_recording(tmp_path / "nope.csv")
    assert info.value.source == str(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="no such file"):
        iter_recording(tmp_path / "nope.csv")  # raised eagerly, before iteration


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_recording(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    assert "empty file" in str(_error(_write(tmp_path, "")))
    assert "empty file" in str(_error(_write(tmp_path, "\n  \n", "blank.csv")))


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"\x00\x01\x02binary\n", 1),
        (b"# ok: yes\n\x89PNG\r\n\x1a\n", 2),
        (HEAD.encode() + b"0.0,1,2,3\n0.1,1,\x002,3\n", 5),
        (HEAD.encode() + b"0.0,1,2,3\n0.1,1,2,3\n0.2,1,\xff\xfe,3\n", 6),
        (HEAD.encode() + b"0.0,1,2,3\n0.1,1,2,3\xff\n", 5),
    ],
)
def test_binary(tmp_path: Path, content: bytes, line: int) -> None:
    error = _error(_write(tmp_path, content))
    assert "binary file" in error.message
    assert error.line == line


def test_no_header_line(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "# imurep-recording: 1\n0.0,1,2,3\n0.1,1,2,3\n"))
    assert "no header line" in error.message and "time_s,acc_x" in error.message
    assert error.line == 2
    error = _error(_write(tmp_path, "# only: comments\n# nothing else\n", "c.csv"))
    assert "no header line" in error.message


def test_header_without_time(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "# a: b\n\nt,acc_x,acc_y,acc_z\n0,1,2,3\n"))
    assert "lacks required column(s) time_s" in error.message
    assert error.line == 3


def test_header_without_acc(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "time_s,acc_x,acc_z,gyr_x,gyr_y,gyr_z\n0,1,2,3,4,5\n"))
    assert "lacks required column(s) acc_y" in error.message
    assert error.line == 1


def test_partial_gyr(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "# x: y\ntime_s,acc_x,acc_y,acc_z,gyr_x\n0,1,2,3,4\n"))
    assert "incomplete gyroscope columns" in error.message
    assert "gyr_y, gyr_z" in error.message
    assert error.line == 2


def test_duplicate_column(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "time_s,acc_x,acc_y,acc_z,acc_x\n0,1,2,3,4\n"))
    assert "duplicate column 'acc_x'" in error.message
    assert error.line == 1


@pytest.mark.parametrize(("delimiter", "name"), [(";", "';'"), ("\t", "tab")])
def test_wrong_delimiter_header(tmp_path: Path, delimiter: str, name: str) -> None:
    text = "# a: b\n" + delimiter.join(["time_s", "acc_x", "acc_y", "acc_z"]) + "\n"
    text += delimiter.join(["0.0", "1.0", "2.0", "3.0"]) + "\n"
    error = _error(_write(tmp_path, text))
    assert "wrong delimiter" in error.message and name in error.message
    assert error.line == 2


def test_wrong_delimiter_row(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, _bad_row(7, "0.03;0.1;0.2;9.8\n")))
    assert "wrong delimiter" in error.message and "';'" in error.message
    assert error.line == 7


@pytest.mark.parametrize(
    ("line", "row", "rule"),
    [
        (5, "0.01,abc,0.2,9.8\n", "non-numeric cell in column acc_x: 'abc'"),
        (9, "0.05,0.1,0,2,9.8\n", "wrong number of fields: expected 4 as in the header, got 5"),
        (4, "0.00,0.1,0.2,9.8,7\n", "wrong number of fields: expected 4 as in the header, got 5"),
        (13, "0.09,0.1,0.2\n", "wrong number of fields: expected 4 as in the header, got 3"),
        (6, "0.02,0.1,0.2,9.8,\n", "wrong number of fields"),
        (8, "0.04,0.1,NaN,9.8\n", "NaN cell in column acc_y"),
        (8, "0.04,0.1,nan,9.8\n", "NaN cell in column acc_y"),
        (10, "0.06,0.1,0.2,inf\n", "infinite cell in column acc_z"),
        (10, "0.06,-Infinity,0.2,9.8\n", "infinite cell in column acc_x"),
        (11, "0.07,1e999,0.2,9.8\n", "number out of range in column acc_x"),
        (12, "0.08,,0.2,9.8\n", "empty cell in column acc_x"),
        (12, "0.08,0.1,0.2,9,8\n", "wrong number of fields"),
        (12, "0.08,0.1,0.2,1_0\n", "non-numeric cell in column acc_z"),
        (12, '0.08,"0.1",0.2,9.8\n', "non-numeric cell in column acc_x"),
        (7, "\n", "empty line"),
        (7, "   \r\n", "empty line"),
        (5, "0.00,0.1,0.2,9.8\n", "duplicate time_s: 0.0 here after 0.0 on line 4"),
        (9, "0.01,0.1,0.2,9.8\n", "decreasing time_s: 0.01 here after 0.04 on line 8"),
    ],
)
def test_bad_row(tmp_path: Path, line: int, row: str, rule: str) -> None:
    error = _error(_write(tmp_path, _bad_row(line, row)))
    assert rule in error.message
    assert error.line == line
    assert str(error).startswith(f"{tmp_path / 'rec.csv'}:{line}: ")


def test_first_error_wins(tmp_path: Path) -> None:
    rows = ROWS.splitlines(keepends=True)
    rows[3] = "0.03,0.1,0.2\n"  # line 7: too few fields
    rows[6] = "0.06,x,0.2,9.8\n"  # line 10: non-numeric
    error = _error(_write(tmp_path, HEAD + "".join(rows)))
    assert error.line == 7 and "wrong number of fields" in error.message


def test_extra_columns_ignored_but_field_count_checked(tmp_path: Path) -> None:
    head = "time_s,note,acc_x,acc_y,acc_z,activity\n"
    good = head + "0.0,a,1,2,3,walk\n0.1,,1,2,3,\n0.2,b,1,2,3,sit\n"
    recording = read_recording(_write(tmp_path, good))
    assert len(recording.samples) == 3 and not recording.samples.has_gyr
    bad = head + "0.0,a,1,2,3,walk\n0.1,b,1,2,3\n"
    error = _error(_write(tmp_path, bad, "bad.csv"))
    assert error.line == 3 and "wrong number of fields: expected 6" in error.message


def test_header_only(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, HEAD))
    assert "no data rows" in error.message and error.line == 3
    error = _error(_write(tmp_path, HEAD.rstrip("\n"), "nonl.csv"))
    assert "no data rows" in error.message


def test_only_a_torn_row(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD + "0.0,1,2")
    with pytest.warns(RecordingWarning), pytest.raises(InputError, match="no data rows"):
        read_recording(path)


def test_lone_carriage_returns(tmp_path: Path) -> None:
    error = _error(_write(tmp_path, "time_s,acc_x,acc_y,acc_z\r0,1,2,3\r"))
    assert "lone carriage returns" in error.message and error.line == 1


def test_crlf_and_bom_accepted(tmp_path: Path) -> None:
    text = "\ufeff# imurep-recording: 1\r\ntime_s,acc_x,acc_y,acc_z\r\n0,1,2,3\r\n0.5,1,2,3\r\n"
    recording = read_recording(_write(tmp_path, text))
    assert recording.samples.time_s.tolist() == [0.0, 0.5]
    assert recording.header.metadata == {"imurep-recording": "1"}
    assert recording.header.data_start_line == 3


@pytest.mark.parametrize("cut", ["0.10,0.1,0.2", "0.10,0.1,0.2,9.", "0.1", "0.10,0.1,0.2,9.8"])
def test_torn_last_line_dropped_with_warning(tmp_path: Path, cut: str) -> None:
    path = _write(tmp_path, HEAD + ROWS + cut)
    with pytest.warns(RecordingWarning, match=r"rec\.csv:14: last line has no newline"):
        recording = read_recording(path)
    assert len(recording.samples) == 10
    assert recording.samples.time_s[-1] == pytest.approx(0.09)


def test_line_numbers_exact_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tiny chunks exercise the threaded multi-chunk path and the chunk-boundary bookkeeping.
    monkeypatch.setattr(reader_module, "_CHUNK_BYTES", 256)
    n = 2000
    rows = [f"{i * 0.01:.2f},0.1,0.2,9.8\n" for i in range(n)]
    for bad_index in (0, 17, 999, 1000, n - 1):
        broken = rows.copy()
        broken[bad_index] = f"{bad_index * 0.01:.2f},0.1,oops,9.8\n"
        path = _write(tmp_path, HEAD + "".join(broken), f"bad{bad_index}.csv")
        error = _error(path)
        assert error.line == 4 + bad_index, (bad_index, error)
        assert "non-numeric cell in column acc_y: 'oops'" in error.message
    # A time going backwards exactly at a chunk boundary is reported with both lines.
    good = _write(tmp_path, HEAD + "".join(rows), "good.csv")
    boundaries = [len(b) for b in iter_recording(good, block_rows=10**6)]
    assert sum(boundaries) == n
    broken = rows.copy()
    broken[1500] = "14.00,0.1,0.2,9.8\n"
    error = _error(_write(tmp_path, HEAD + "".join(broken), "time.csv"))
    assert error.line == 4 + 1500 and "decreasing time_s: 14.0 here after 14.99 on line" in str(error)


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = _write(tmp_path, HEAD + ROWS)
    path.chmod(0)
    with pytest.raises(InputError, match="cannot open"):
        read_header(path)
