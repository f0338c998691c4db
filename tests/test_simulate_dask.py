"""The simulation's Dask option on a real 2-worker LocalCluster (processes) gives the tables of
the same partitions run one after the other in one process, for the same seed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

import flexsecure as fs  # noqa: E402
from flexsecure import simulate as sim  # noqa: E402

CN = fs.load_jurisdiction("CN")
START = fs.Month(2026, 1)
SETTINGS = sim.PensionSettings(wage_growth=Decimal("0.03"), interest_rate=Decimal("0.02"), sample=8)


@pytest.mark.cluster
def test_dask_partitions_on_a_local_cluster_give_the_one_process_tables() -> None:
    spec = sim.PopulationSpec(workers=240)
    policy = sim.named_policy("opt-in + per-order micro-contribution")
    options: dict[str, Any] = {"partitions": 3, "start": START, "years": 1, "seed": 13,
                               "pensions": SETTINGS, "worker_years": True}  # fmt: skip
    one = sim.run_partitions(CN, spec, policy, **options)
    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    try:
        with distributed.Client(cluster) as client:
            spread = sim.run_partitions(CN, spec, policy, scheduler=client, **options)
    finally:
        cluster.close()
    for name in ("monthly", "yearly", "pensions", "worker_years"):
        assert getattr(spread, name).equals(getattr(one, name)), name
    assert spread.summary() == one.summary()
    assert one.summary()["paid_worker"] > 0
    assert one.worker_years is not None
    assert one.worker_years.num_rows == 240
