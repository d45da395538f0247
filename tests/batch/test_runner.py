"""run_batch end to end on real recordings: good and bad files, resume, crash recovery, formats."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from imurep.analysis.analyze import analyze_file
from imurep.batch import COLUMNS, read_results, run_batch
from imurep.batch.store import journal_path
from imurep.errors import InputError

Canon = Callable[[pd.DataFrame], pd.DataFrame]
GOOD = ("mex_s01_knee_rolling.csv", "mex_s03_knee_rolling.csv")


def _files(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["row_type"] == "file"].set_index("path")


def test_good_and_bad_files(mixed_folder: Path, tmp_path: Path, bad_names: tuple[str, ...]) -> None:
    out = tmp_path / "results.csv"
    summary = run_batch([mixed_folder], out, mount="auto", progress=False)
    assert (summary.n_found, summary.n_analyzed, summary.n_failed) == (6, 6, 3)

    table = read_results(out)
    files = _files(table)
    assert len(files) == 6  # notes.txt and .hidden.csv ignored
    for name in bad_names:
        row = files.loc[str(mixed_folder / name)]
        assert isinstance(row["error"], str) and str(mixed_folder / name) in row["error"]
        assert pd.isna(row["n_reps"])
    assert "short_row.csv:3" in files.loc[str(mixed_folder / "sub/short_row.csv"), "error"]

    for path in files.index[files["error"].isna()]:
        expected = analyze_file(path, mount="auto")
        row = files.loc[path]
        assert row["n_reps"] == len(expected.reps) > 10
        assert row["n_sets"] == len(expected.sets)
        assert row["sample_rate_hz"] == pytest.approx(100.0, rel=1e-3)
        assert not row["has_gyr"] and "no gyroscope" in row["warnings"]
        reps = table[(table["row_type"] == "rep") & (table["path"] == path)]
        assert list(reps["index"]) == [r.index for r in expected.reps]
        assert reps["start_s"].to_numpy() == pytest.approx([r.start_s for r in expected.reps])
        assert reps["row_type"].eq("rep").all() and reps["error"].isna().all()


def test_two_processes_give_the_same_rows(mixed_folder: Path, tmp_path: Path, comparable: Canon) -> None:
    run_batch([mixed_folder], tmp_path / "one.csv", mount="auto", progress=False)
    summary = run_batch([mixed_folder], tmp_path / "two.csv", mount="auto", jobs=2, progress=False)
    assert summary.n_failed == 3
    pd.testing.assert_frame_equal(
        comparable(read_results(tmp_path / "one.csv")), comparable(read_results(tmp_path / "two.csv"))
    )


def test_resume_skips_done_and_redoes_changed(mixed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    run_batch([mixed_folder], out, mount="auto", progress=False)
    before = out.read_bytes()

    again = run_batch([mixed_folder], out, mount="auto", progress=False)
    assert (again.n_skipped, again.n_analyzed) == (6, 0)
    assert out.read_bytes() == before

    changed = mixed_folder / GOOD[0]
    st = changed.stat()
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    fixed = mixed_folder / "sub" / "empty.csv"
    fixed.write_bytes((mixed_folder / GOOD[1]).read_bytes())
    third = run_batch([mixed_folder], out, mount="auto", progress=False)
    assert (third.n_skipped, third.n_analyzed, third.n_failed) == (4, 2, 0)

    files = _files(read_results(out))
    assert len(files) == 6 and files.index.is_unique
    assert files.loc[str(changed), "mtime_ns"] == st.st_mtime_ns + 10**9
    assert pd.isna(files.loc[str(fixed), "error"]) and files.loc[str(fixed), "n_reps"] > 10
    table = read_results(out)
    n_reps = table[table["row_type"] == "rep"].groupby("path").size()
    assert (n_reps == files["n_reps"].dropna().astype(int).loc[n_reps.index]).all()


def test_a_torn_write_loses_only_the_file_being_written(
    mixed_folder: Path, tmp_path: Path, comparable: Canon
) -> None:
    out = tmp_path / "results.csv"
    run_batch([mixed_folder], out, mount="auto", progress=False)
    reference = comparable(read_results(out))
    lines = out.read_bytes().split(b"\n")
    last_good_file = max(i for i, line in enumerate(lines) if line.startswith(b"rep,")) + 1
    # Cut the file in the middle of the rows of the last good file: its rep rows without file row.
    cut = b"\n".join(lines[: last_good_file - 3]) + b"\n" + lines[last_good_file - 3][:20]
    out.write_bytes(cut)

    summary = run_batch([mixed_folder], out, mount="auto", progress=False)
    later = sum(1 for line in lines[last_good_file + 1 :] if line.startswith(b"file,"))
    assert summary.n_analyzed == 1 + later
    pd.testing.assert_frame_equal(comparable(read_results(out)), reference)


def test_parquet_output_and_resume(mixed_folder: Path, tmp_path: Path, comparable: Canon) -> None:
    out = tmp_path / "results.parquet"
    run_batch([mixed_folder], out, mount="auto", progress=False)
    assert not os.path.exists(journal_path(str(out)))
    raw = pd.read_parquet(out)
    assert list(raw.columns) == list(COLUMNS)
    assert str(raw["n_reps"].dtype) == "Int64" and str(raw["start_s"].dtype) == "float64"
    run_batch([mixed_folder], tmp_path / "results.csv", mount="auto", progress=False)
    pd.testing.assert_frame_equal(
        comparable(read_results(out)), comparable(read_results(tmp_path / "results.csv"))
    )

    # A run that died before merging leaves its journal; the next run takes it in.
    extra = mixed_folder / "late.csv"
    extra.write_bytes((mixed_folder / GOOD[0]).read_bytes())
    run_batch([extra], tmp_path / "late.csv.out.csv", mount="auto", progress=False)
    os.replace(tmp_path / "late.csv.out.csv", journal_path(str(out)))
    summary = run_batch([mixed_folder], out, mount="auto", progress=False)
    assert (summary.n_skipped, summary.n_analyzed) == (7, 0)
    assert str(extra) in set(_files(read_results(out)).index)
    assert not os.path.exists(journal_path(str(out)))


def test_refuses_to_overwrite_a_foreign_file(mixed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    out.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not an imurep batch table"):
        run_batch([mixed_folder], out, progress=False)
    assert out.read_text() == "a,b\n1,2\n"
    with pytest.raises(InputError, match=r"\.csv or \.parquet"):
        run_batch([mixed_folder], tmp_path / "results.xlsx", progress=False)
    with pytest.raises(InputError, match="no such file"):
        run_batch([tmp_path / "missing"], tmp_path / "r.csv", progress=False)
