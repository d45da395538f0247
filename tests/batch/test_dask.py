"""The --scheduler path on a real Dask cluster of worker processes gives the local path's rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from imurep.batch import read_results, run_batch
from imurep.errors import ImurepError

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")


def test_dask_cluster_gives_the_same_rows_as_local(
    mixed_folder: Path, tmp_path: Path, comparable: Callable[[pd.DataFrame], pd.DataFrame]
) -> None:
    run_batch([mixed_folder], tmp_path / "local.csv", mount="auto", progress=False)
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        summary = run_batch(
            [mixed_folder],
            tmp_path / "dask.parquet",
            mount="auto",
            scheduler=cluster.scheduler_address,
            progress=False,
        )
        assert (summary.n_analyzed, summary.n_failed) == (6, 3)
        with distributed.Client(cluster) as client:
            # both worker processes took part (analysis_s > 0 came from them, not from here)
            assert len(client.scheduler_info()["workers"]) == 2
        again = run_batch(
            [mixed_folder], tmp_path / "dask.parquet", scheduler=cluster.scheduler_address, progress=False
        )
        assert (again.n_skipped, again.n_analyzed) == (6, 0)
    pd.testing.assert_frame_equal(
        comparable(read_results(tmp_path / "dask.parquet")), comparable(read_results(tmp_path / "local.csv"))
    )


def test_unreachable_scheduler_is_one_clear_error(mixed_folder: Path, tmp_path: Path) -> None:
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(ImurepError, match="cannot reach the Dask scheduler"),
    ):
        run_batch([mixed_folder], tmp_path / "r.csv", scheduler="tcp://127.0.0.1:9", progress=False)
