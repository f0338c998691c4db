"""The Dask recipe on a real 2-worker LocalCluster (processes) gives one process's totals."""

from __future__ import annotations

from decimal import Decimal

import pytest

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

import flexsecure as fs  # noqa: E402
from flexsecure.batch.distributed import dask_lines, partition_lines  # noqa: E402

ENROLMENTS = [fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.EARNINGS)]


def engagements(count: int = 1200) -> object:
    return pd.DataFrame(
        {
            "worker_id": [f"w-{i % 300:03d}" for i in range(count)],
            "platform_id": [("ride-co", "food-co", "van-co")[i % 3] for i in range(count)],
            "industry": [("ride_hailing", "instant_delivery")[i % 2] for i in range(count)],
            "region": "CN-SH",
            "month": [("2025-06", "2025-07")[(i // 300) % 2] for i in range(count)],
            "earnings": [str(Decimal((i * 7919) % 600_000).scaleb(-2)) for i in range(count)],
            "orders": [i % 97 for i in range(count)],
        }
    )


@pytest.mark.cluster
def test_map_partitions_on_a_local_cluster_gives_the_same_totals() -> None:
    jurisdiction = fs.load_jurisdiction("CN").with_reform("platform_cofunding")
    frame = engagements()
    one = partition_lines(frame, jurisdiction, ENROLMENTS)
    expected = one.groupby(["payer", "scheme"])["amount_fen"].sum().sort_index()
    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    try:
        with distributed.Client(cluster):
            lines = dask_lines(
                dd.from_pandas(frame, npartitions=4), jurisdiction, enrolments=ENROLMENTS
            )
            got = lines.groupby(["payer", "scheme"])["amount_fen"].sum().compute()
    finally:
        cluster.close()
    assert got.sort_index().to_dict() == expected.to_dict()
    assert len(expected) == 3  # worker and platform pension shares, injury premiums
