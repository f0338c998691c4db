"""Populations: flexsecure batch against OpenFisca on the same worker-months, in one process.

The same 10⁶ workers × 12 months of 2025 in Shanghai (one engagement each: earnings, orders,
industry), the same CN-SH rules read from the CN pack — pension (20 % = 8 % account + 12 %
pooled) and medical (10 %) on the month's earnings within the band (floor 7384 until June,
7460 from July), injury premiums per order by industry — computed by:

* **flexsecure batch**, exact on integer fen, from arrays and from a Parquet file;
* **OpenFisca** (openfisca-core, float32 as its variables are), the same formulas, from the
  same arrays and the same file (read with pyarrow, as OpenFisca has no reader of its own);
* the **per-object path** (``Jurisdiction.monthly_contributions``) on a sample.

It prints, side by side: time and worker-months per second, the ratio to OpenFisca's
build-and-calculate, how many worker-months' results differ from the exact fen, and bytes
held per worker-month for per-worker results (plus the dictionary-encoded lines table of a
chunk). OpenFisca is a benchmark-only dependency, never installed by ``make check``; without
it the script says so and measures flexsecure alone. To run everything::

    python -m venv /tmp/ofenv
    /tmp/ofenv/bin/pip install -e '.[batch]' openfisca-core
    /tmp/ofenv/bin/python benchmarks/population.py [--workers 1000000] [--sample 20000] \\
        [--warm 5] [--chunk 524288]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import flexsecure as fs
from flexsecure import batch

REGION = "CN-SH"
YEAR = 2025
MONTHS = [fs.Month(YEAR, m) for m in range(1, 13)]
INDUSTRIES = ("ride_hailing", "instant_delivery", "intra_city_freight")
ENROLMENTS = [
    fs.Enrolment(scheme="pension", region=REGION, base=fs.BaseChoice.EARNINGS),
    fs.Enrolment(scheme="medical", region=REGION, base=fs.BaseChoice.EARNINGS),
]
CHUNK = 1 << 19
RESULTS = ("pension", "account", "medical", "injury")


class Population:
    """One engagement per worker-month: integer fen earnings, orders, an industry code."""

    def __init__(self, workers: int, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        self.workers = workers
        size = workers * len(MONTHS)
        self.earnings = rng.integers(0, 1_500_000, size)  # fen, month-major
        self.orders = rng.integers(0, 600, size)
        self.industry = rng.integers(0, len(INDUSTRIES), size)

    def table(self) -> pa.Table:
        """The engagements table, month by month (all workers of January, then February...),
        the layout OpenFisca takes its inputs in too; every row is its own worker-month."""
        months, size = len(MONTHS), len(self.earnings)
        return pa.table(
            {
                "worker_id": np.tile(np.arange(self.workers, dtype=np.int64), months),
                "platform_id": pa.DictionaryArray.from_arrays(
                    pa.array(np.zeros(size, np.int32)), pa.array(["app-1"])
                ),
                "industry": pa.DictionaryArray.from_arrays(
                    pa.array(self.industry.astype(np.int32)), pa.array(INDUSTRIES)
                ),
                "region": pa.DictionaryArray.from_arrays(
                    pa.array(np.zeros(size, np.int32)), pa.array([REGION])
                ),
                "month": pa.DictionaryArray.from_arrays(
                    pa.array(np.repeat(np.arange(months, dtype=np.int32), self.workers)),
                    pa.array([str(m) for m in MONTHS]),
                ),
                "earnings": batch.money_column(self.earnings),
                "orders": self.orders,
            }
        )


# -- flexsecure ---------------------------------------------------------------------------


def flexsecure_batch(cn: fs.Jurisdiction, chunks: Any) -> pa.Table:
    """Per-worker results: worker, month, what each payer pays."""
    per_worker = [
        result.by_worker()
        for result in batch.stream_contributions(cn, chunks, enrolments=ENROLMENTS)
    ]
    return pa.concat_tables(per_worker)


def exact(cn: fs.Jurisdiction, population: Population) -> dict[str, Any]:
    """Exact fen per worker-month, month-major, from the batch lines (the reference)."""
    table = population.table()
    out = {name: np.zeros(len(population.earnings), np.int64) for name in RESULTS}
    for result in batch.stream_contributions(cn, table.to_batches(CHUNK), enrolments=ENROLMENTS):
        lines = result.lines
        worker = lines["worker_id"].to_numpy()
        months = lines["month"].combine_chunks()
        labels = [str(m) for m in MONTHS]
        number = np.asarray([labels.index(v) for v in months.dictionary.to_pylist()], np.int64)
        position = number[months.indices.to_numpy()] * population.workers + worker
        scheme = np.asarray(lines["scheme"].combine_chunks().dictionary)[
            lines["scheme"].combine_chunks().indices.to_numpy()
        ]
        amount = batch.minor_units_of(lines["amount"])
        account = batch.minor_units_of(lines["fund_individual_account"])
        for name, mask, values in (
            ("pension", scheme == "pension", amount),
            ("account", scheme == "pension", account),
            ("medical", scheme == "medical", amount),
            ("injury", scheme == "occupational_injury", amount),
        ):
            np.add.at(out[name], position[mask], values[mask])
    return out


# -- OpenFisca ----------------------------------------------------------------------------


def openfisca_system(cn: fs.Jurisdiction) -> Any:
    """The same CN-SH rules as an OpenFisca tax-benefit system, figures read from the pack."""
    from openfisca_core.entities import build_entity
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.periods import MONTH
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    person = build_entity(key="person", plural="persons", label="worker", is_person=True)

    def series(name: str, region: str | None = REGION) -> dict[str, Any]:
        values = {}
        for month in MONTHS:
            value = cn.parameter(name, region=region, on=month.first_day)
            raw = value.money().amount if isinstance(value.value, fs.Money) else value.decimal()
            values[value.effective_from.isoformat()] = float(raw)  # OpenFisca's own floats
        return {"values": values}

    data = {
        "floor": series("pension.base_floor"),
        "ceiling": series("pension.base_ceiling"),
        "account_rate": series("pension.individual_account_rate"),
        "pooled_rate": series("pension.pooled_rate"),
        "medical_rate": series("medical.worker_rate"),
        "premium": {i: series(f"occupational_injury.premium_per_order.{i}") for i in INDUSTRIES},
    }

    def variable(name: str, value_type: type, formula: Callable[..., Any] | None = None) -> type:
        attributes: dict[str, Any] = {
            "value_type": value_type,
            "entity": person,
            "definition_period": MONTH,
            "label": name,
        }
        if formula is not None:
            attributes["formula"] = formula
        return type(name, (Variable,), attributes)

    def base(p: Any, period: Any, parameters: Any) -> Any:
        rules = parameters(period)
        return np.clip(p("earnings", period), rules.floor, rules.ceiling)

    def pension(p: Any, period: Any, parameters: Any) -> Any:
        rules = parameters(period)
        return np.round(p("base", period) * (rules.account_rate + rules.pooled_rate), 2)

    def account(p: Any, period: Any, parameters: Any) -> Any:
        return np.round(p("base", period) * parameters(period).account_rate, 2)

    def medical(p: Any, period: Any, parameters: Any) -> Any:
        return np.round(p("base", period) * parameters(period).medical_rate, 2)

    def injury(p: Any, period: Any, parameters: Any) -> Any:
        premiums = parameters(period).premium
        table = np.array([premiums[i] for i in INDUSTRIES], np.float32)
        return np.round(p("orders", period) * table[p("industry", period)], 2)

    system = TaxBenefitSystem([person])
    system.add_variables(
        variable("earnings", float),
        variable("orders", int),
        variable("industry", int),
        variable("base", float, base),
        variable("pension", float, pension),
        variable("account", float, account),
        variable("medical", float, medical),
        variable("injury", float, injury),
    )
    system.parameters = ParameterNode("", data=data)
    return system


def openfisca_run(system: Any, workers: int, columns: dict[str, Any]) -> dict[str, Any]:
    """Build the simulation from per-month arrays and calculate the four results."""
    from openfisca_core.simulations import SimulationBuilder

    simulation = SimulationBuilder().build_default_simulation(system, count=workers)
    out: dict[str, list[Any]] = {name: [] for name in RESULTS}
    for index, month in enumerate(MONTHS):
        part = slice(index * workers, (index + 1) * workers)
        period = str(month)
        simulation.set_input("earnings", period, columns["earnings"][part])
        simulation.set_input("orders", period, columns["orders"][part])
        simulation.set_input("industry", period, columns["industry"][part])
        for name in RESULTS:
            out[name].append(simulation.calculate(name, period))
    return {name: np.concatenate(values) for name, values in out.items()} | {
        "_bytes": sum(v.nbytes for values in out.values() for v in values)
    }


# -- the run ------------------------------------------------------------------------------


CPU: list[float] = []
"""CPU seconds of each timed run: on a shared machine wall time also counts other processes."""


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start, result


def main() -> None:
    global CHUNK  # the chunk size every flexsecure run here uses
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="per-object sample size")
    parser.add_argument(
        "--chunk", type=int, default=CHUNK, help="rows per chunk of the flexsecure runs"
    )
    parser.add_argument(
        "--warm",
        type=int,
        default=5,
        help="rounds of both engines from arrays, alternating, after the table (0: none)",
    )
    args = parser.parse_args()
    CHUNK = args.chunk
    cn = fs.load_jurisdiction("CN")
    population = Population(args.workers)
    count = len(population.earnings)
    rows: list[tuple[str, float, float, str, str]] = []

    def row(
        name: str, seconds: float, differ: str = "", held: str = "", cpu: float | None = None
    ) -> None:
        rows.append((name, seconds, CPU[-1] if cpu is None else cpu, differ, held))

    # set-up, not timed (as OpenFisca's tax-benefit system below): the engine's compiled
    # loops are compiled on their first use in a fresh installation (then cached on disk)
    flexsecure_batch(cn, [population.table().slice(0, 1024)])
    reference = exact(cn, population)
    first_chunk = population.table().slice(0, CHUNK)
    sample = batch.contributions(cn, first_chunk, enrolments=ENROLMENTS).lines
    sample_size = min(args.sample, count)
    statements = _statements(population, sample_size)
    seconds, checked = timed(
        lambda: [
            (p, cn.monthly_contributions(w, jobs, m, enrolments=ENROLMENTS))
            for p, w, jobs, m in statements
        ]
    )
    per_object = seconds * count / sample_size
    per_object_cpu = CPU[-1] * count / sample_size
    fen_off = sum(_statement_differs(statement, reference, p) for p, statement in checked)

    prepared = population.table()  # as OpenFisca's float32 arrays, prepared before timing
    seconds, per_worker = timed(lambda: flexsecure_batch(cn, prepared.to_batches(CHUNK)))
    batch_bytes = per_worker.nbytes / count
    totals = batch.minor_units_of(per_worker["worker"])
    month = per_worker.unify_dictionaries()["month"].combine_chunks()
    labels = np.asarray([[str(m) for m in MONTHS].index(v) for v in month.dictionary.to_pylist()])
    at = labels[month.indices.to_numpy()] * args.workers + per_worker["worker_id"].to_numpy()
    assert np.array_equal(totals, (reference["pension"] + reference["medical"])[at])
    differ = f"{fen_off} of {sample_size:,}"
    row("flexsecure batch, from arrays", seconds, differ, f"{batch_bytes:.0f}")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "engagements.parquet"
        pq.write_table(population.table(), path)
        seconds, _ = timed(
            lambda: flexsecure_batch(cn, batch.read_engagements(path, chunk_rows=CHUNK))
        )
        row("flexsecure batch, from Parquet", seconds, differ, f"{batch_bytes:.0f}")
        try:
            system = openfisca_system(cn)
        except ImportError:
            system = None
            print(
                "OpenFisca is not installed: its rows are skipped (see this script's "
                "docstring to install it in a separate venv)",
                file=sys.stderr,
            )
        if system is not None:
            arrays = {
                "earnings": (population.earnings / 100).astype(np.float32),
                "orders": population.orders,
                "industry": population.industry,
            }
            seconds, result = timed(lambda: openfisca_run(system, args.workers, arrays))
            row(
                "OpenFisca, from arrays",
                seconds,
                str(_differences(result, reference)),
                f"{result['_bytes'] / count:.0f}",
            )

            def from_file() -> Any:
                table = pq.read_table(path)
                floats = pc.cast(table["earnings"], pa.float64()).to_numpy()
                earnings = floats.astype(np.float32)
                industry = table["industry"].combine_chunks().indices.to_numpy()
                orders = table["orders"].to_numpy()
                columns = {"earnings": earnings, "orders": orders, "industry": industry}
                return openfisca_run(system, args.workers, columns)

            seconds, result = timed(from_file)
            row(
                "OpenFisca, from Parquet",
                seconds,
                str(_differences(result, reference)),
                f"{result['_bytes'] / count:.0f}",
            )

    row(
        f"per-object path ({sample_size:,} sample)",
        per_object,
        "(the reference)",
        "",
        cpu=per_object_cpu,
    )

    print(
        f"python {platform.python_version()} on {sys.platform}, numpy {np.__version__}, "
        f"pyarrow {pa.__version__}; {args.workers:,} workers x 12 months = {count:,} "
        "worker-months, CN-SH 2025 (pension + medical on earnings, injury per order)"
    )
    openfisca = {n: (wall, cpu) for n, wall, cpu, _, _ in rows if n.startswith("OpenFisca")}
    print(
        f"{'':34} {'seconds':>9} {'worker-months/s':>16} {'vs OpenFisca':>13} "
        f"{'cpu s':>8} {'vs OF (cpu)':>12} {'differ from fen':>16} {'bytes/wm held':>14}"
    )
    for name, seconds, cpu, differ, held in rows:
        source = "from Parquet" if "Parquet" in name else "from arrays"
        base = next((s for n, s in openfisca.items() if source in n), None)
        ratio = f"{seconds / base[0]:.2f}" if base and "flexsecure" in name else ""
        cpu_ratio = f"{cpu / base[1]:.2f}" if base and "flexsecure" in name else ""
        print(
            f"{name:34} {seconds:9.2f} {count / seconds:16,.0f} {ratio:>13} {cpu:8.2f} "
            f"{cpu_ratio:>12} {differ:>16} {held:>14}"
        )
    print(
        f"lines table of one chunk: {sample.num_rows:,} lines, {sample.nbytes:,} bytes "
        f"({sample.nbytes / sample.num_rows:.0f} bytes a line, dictionary-encoded)"
    )
    print(
        "ratio = flexsecure time / OpenFisca build-and-calculate time (<= 1.0: as fast or "
        "faster); 'per-object path' extrapolates the sample to the whole population"
    )
    if system is not None and args.warm:
        _warm(cn, system, population, args.warm)
    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def _warm(cn: fs.Jurisdiction, system: Any, population: Population, rounds: int) -> None:
    """Both engines from arrays again, alternating, in a process whose memory is already
    in use: the single runs above also pay for first-touching fresh memory, which favours
    whichever engine runs on a warmer heap; the best of several rounds shows the work.
    CPU time is split into user (the computing) and system (mostly the kernel handing out
    fresh pages for results: it varies with the allocator's state, run to run)."""
    table = population.table()
    arrays = {
        "earnings": (population.earnings / 100).astype(np.float32),
        "orders": population.orders,
        "industry": population.industry,
    }
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    for _ in range(rounds):
        ours.append(_user_system(lambda: flexsecure_batch(cn, table.to_batches(CHUNK))))
        theirs.append(_user_system(lambda: openfisca_run(system, population.workers, arrays)))
    for label, pick in (("CPU", sum), ("user CPU", lambda times: times[0])):
        mine = min(pick(t) for t in ours)
        other = min(pick(t) for t in theirs)
        print(
            f"warm, best of {rounds} alternating rounds from arrays ({label} s): flexsecure "
            f"{mine:.2f}, OpenFisca {other:.2f}, ratio {mine / other:.2f}"
        )


def _user_system(work: Callable[[], Any]) -> tuple[float, float]:
    """User and system CPU seconds of ``work``."""
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF)
    work()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def _differences(result: dict[str, Any], reference: dict[str, Any]) -> int:
    """Worker-months where any float result, read to the fen, is not the exact fen."""
    wrong = np.zeros(len(reference["pension"]), np.bool_)
    for name in RESULTS:
        fen = np.rint(result[name].astype(np.float64) * 100).astype(np.int64)
        wrong |= fen != reference[name]
    return int(wrong.sum())


def _statement_differs(statement: fs.ContributionStatement, reference: Any, at: int) -> bool:
    """Whether the per-object statement differs from the batch reference anywhere."""
    fen = {
        "pension": statement.total(scheme="pension"),
        "account": statement.total(scheme="pension", fund="individual_account"),
        "medical": statement.total(scheme="medical"),
        "injury": statement.total(scheme="occupational_injury"),
    }
    return any(int(money.amount * 100) != int(reference[name][at]) for name, money in fen.items())


def _statements(
    population: Population, size: int
) -> list[tuple[int, fs.Worker, list[fs.Engagement], fs.Month]]:
    """A sample spread over the population: (month-major position, worker, jobs, month)."""
    out = []
    step = max(1, len(population.earnings) // size)
    for position in range(0, step * size, step):
        index = position
        month = MONTHS[position // population.workers]
        worker = fs.Worker(
            id=f"w-{index}",
            birth_date=dt.date(1990, 1, 1),
            sex=fs.Sex.MALE,
            hukou_region="CN-SC",
            retirement_category=fs.RetirementCategory.MALE,
        )
        job = fs.Engagement(
            worker_id=worker.id,
            platform_id="app-1",
            industry=INDUSTRIES[int(population.industry[index])],
            region=REGION,
            month=month,
            earnings=fs.Money(Decimal(int(population.earnings[index])).scaleb(-2), "CNY"),
            orders=int(population.orders[index]),
        )
        out.append((position, worker, [job], month))
    return out


if __name__ == "__main__":
    main()
