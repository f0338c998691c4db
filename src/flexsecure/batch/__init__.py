"""Populations: every contribution line of millions of worker-months, exact to the fen.

``flexsecure.batch`` computes what :meth:`flexsecure.Jurisdiction.monthly_contributions`
computes, for whole tables of engagements at once, on integer minor units (numpy) over Arrow
columns — with the same pack, the same reforms and the same results to the fen. It needs the
``batch`` extra (``pip install 'flexsecure[batch]'``: numpy, pyarrow, numba, tqdm); the core of
flexsecure never imports it.

* :func:`contributions` — tables (pyarrow or pandas) in, a :class:`BatchResult` out: its
  ``lines`` (a pyarrow Table), ``by_worker()``, ``by_platform_region()``, ``by_payer()``
  and the ``rejected`` rows with ``errors="collect"``.
* :func:`read_engagements` — stream CSV, JSON Lines or Parquet in chunks of bounded size;
  :func:`stream_contributions` computes chunk by chunk.
* :func:`contributions_in_processes` — the same over a process pool; see
  :mod:`flexsecure.batch.distributed` for Dask.
* :func:`project_population` — yearly pension projections, one row per worker-year.
"""

from __future__ import annotations

import importlib.util

try:
    import numpy  # noqa: F401
    import pyarrow  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised without the extra
    raise ImportError(
        f"flexsecure.batch needs the 'batch' extra ({error.name} is not installed): "
        "pip install 'flexsecure[batch]'"
    ) from error
if importlib.util.find_spec("numba") is None:  # pragma: no cover - without the extra
    # imported on first use (batch._kernels); said here, before any work is done
    raise ImportError(
        "flexsecure.batch needs the 'batch' extra (numba is not installed): "
        "pip install 'flexsecure[batch]'"
    )

from flexsecure.batch._money import minor_units_of, money_column
from flexsecure.batch.engine import contributions
from flexsecure.batch.projections import project_population
from flexsecure.batch.readers import TableWriter, read_engagements, read_table
from flexsecure.batch.result import BatchResult
from flexsecure.batch.stream import (
    Totals,
    combine,
    contributions_in_processes,
    stream_contributions,
)

__all__ = [
    "BatchResult",
    "TableWriter",
    "Totals",
    "combine",
    "contributions",
    "contributions_in_processes",
    "minor_units_of",
    "money_column",
    "project_population",
    "read_engagements",
    "read_table",
    "stream_contributions",
]
