"""Re-enrolment after a lapse, and the per-order pension micro-contribution as a policy.

Small populations and few months, so the module runs in seconds.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import simulate as sim
from flexsecure.simulate.run import PAYERS, retirement_months, run_months

CN = fs.load_jurisdiction("CN")
START = fs.Month(2026, 1)
PEOPLE = sim.synthetic_population(CN, sim.PopulationSpec(workers=300), start=START, seed=3)
BEHAVIOUR = sim.Behaviour.from_pack(CN, on=START.first_day)
DEFAULT = sim.named_policy("default enrolment")
MICRO = sim.named_policy("opt-in + per-order micro-contribution")

# Covered workers per month and region (CN-BJ, CN-SH) of the 300-worker run, seed 3, two years
# of default enrolment, recorded from the model before re-enrolment existed (a lapse was for
# good): with the pack's re-enrolment rate of 0 the run must not change.
BEFORE_REENROLMENT = [
    64, 65, 68, 55, 67, 57, 68, 54, 75, 54, 70, 54, 66, 62, 63, 55, 67, 53, 71, 55, 64, 59, 59,
    53, 60, 59, 55, 51, 58, 46, 61, 55, 58, 53, 49, 48, 63, 45, 50, 57, 55, 43, 49, 48, 53, 45,
    51, 51,
]  # fmt: skip


# -- re-enrolment -----------------------------------------------------------------------------


def test_the_pack_assumes_no_re_enrolment_and_says_so() -> None:
    value = CN.parameter("behaviour.reenrolment_rate", on=START.first_day)
    assert value.value == Decimal(0)
    assert not value.citation.verified
    assert value.citation.evidence is fs.Evidence.UNVERIFIED
    assert "ASSUMPTION" in (value.citation.note or "")


def test_no_re_enrolment_gives_the_runs_of_the_model_without_it() -> None:
    assert BEHAVIOUR.reenrolment_rate == 0
    result = sim.simulate(CN, PEOPLE, DEFAULT, start=START, years=2, seed=3)
    assert result.monthly["covered"].to_pylist() == BEFORE_REENROLMENT
    assert result.summary()["paid_worker"] == Decimal("4041174.40")


def test_with_re_enrolment_1_a_lapsed_worker_comes_back_the_next_month() -> None:
    behaviour = attrs.evolve(
        BEHAVIOUR, reenrolment_rate=Decimal(1), persistence_rate=Decimal("0.5"),
        persistence_months=3,
    )  # fmt: skip
    months = [result for result, _ in run_months(CN, PEOPLE, DEFAULT, behaviour, start=START,
                                                 months=12, seed=3, money=False)]  # fmt: skip
    retire = retirement_months(CN, PEOPLE)
    ever = np.zeros(PEOPLE.size, np.bool_)
    came_back = 0
    for before, after in itertools.pairwise(months):
        ever |= before.enrolled
        lapsed = ever & ~before.enrolled  # enrolled once, not at the end of the month
        assert (after.reenrolled == (lapsed & (after.month.index < retire))).all()
        came_back += int(after.reenrolled.sum())
    assert came_back > 50


@settings(max_examples=6, deadline=None)
@given(
    rates=st.tuples(st.integers(0, 100), st.integers(0, 100)).map(sorted),
    persistence=st.integers(30, 95),
    architecture=st.sampled_from(list(sim.Architecture)),
    seed=st.integers(0, 10_000),
)
def test_more_re_enrolment_never_lowers_coverage(
    rates: list[int], persistence: int, architecture: sim.Architecture, seed: int
) -> None:
    """Same seed, same draws: a higher re-enrolment rate enrols a superset of workers in every
    month, so coverage never falls."""
    people = sim.synthetic_population(CN, sim.PopulationSpec(workers=150), start=START, seed=seed)
    policy = sim.Policy("p", architecture)
    low, high = (
        attrs.evolve(BEHAVIOUR, reenrolment_rate=Decimal(r) / 100,
                     persistence_rate=Decimal(persistence) / 100, persistence_months=12)
        for r in rates
    )  # fmt: skip
    runs = [
        list(run_months(CN, people, policy, b, start=START, months=18, seed=seed, money=False))
        for b in (low, high)
    ]
    for (few, _), (more, _) in zip(*runs, strict=True):
        assert not (few.covered & ~more.covered).any()
        assert not (few.enrolled & ~more.enrolled).any()
    coverage = [
        sim.simulated_coverage(CN, people, b, year=2027, region=None, start=START, seed=seed,
                               policy=policy)
        for b in (low, high)
    ]  # fmt: skip
    assert coverage[1] >= coverage[0]


# -- the per-order micro-contribution as a policy ---------------------------------------------


def test_every_active_worker_pays_per_order_and_only_enrolled_ones_are_covered() -> None:
    """Nobody opts in: coverage is 0, yet every order of 2026 paid 0.10 yuan from the worker
    and 0.10 from the platform (reforms/pension_per_order.toml, amounts assumed)."""
    nobody = attrs.evolve(BEHAVIOUR, opt_in_enrolment_rate=Decimal(0))
    result = sim.simulate(CN, PEOPLE, MICRO, start=START, years=1, seed=3, behaviour=nobody)
    summary = result.summary()
    assert summary["coverage_rate"] == 0.0
    orders = int(sum(result.yearly["orders"].to_pylist()))
    assert orders > 0
    assert summary["paid_worker"] == summary["paid_platform"] == Decimal(orders) / 10
    assert summary["platform_cost_per_order"] == Decimal("0.1000")
    plain = sim.simulate(CN, PEOPLE, sim.named_policy("opt-in"), start=START, years=1, seed=3,
                         behaviour=nobody).summary()  # fmt: skip
    assert plain["paid_worker"] == plain["paid_platform"] == Decimal(0)


def test_micro_contribution_runs_reconcile_with_monthly_contributions() -> None:
    """Every active worker-month of a per-order run, by payer, against the per-object
    statement's pension lines (base lines for the enrolled, per-order lines for everyone)."""
    people = sim.synthetic_population(CN, sim.PopulationSpec(workers=30), start=START, seed=5)
    reformed = CN.with_reform("pension_per_order")
    workers = people.workers.to_pylist()
    checked = enrolled = 0
    for result, state in run_months(CN, people, MICRO, BEHAVIOUR, start=START, months=2,
                                    seed=5):  # fmt: skip
        work = people.month(result.month)
        for row in np.flatnonzero(result.active).tolist():
            record = workers[row]
            worker = fs.Worker(id=str(row), birth_date=record["birth_date"], sex=record["sex"],
                               hukou_region=record["hukou_region"],
                               retirement_category=record["retirement_category"])  # fmt: skip
            jobs = [
                fs.Engagement(worker_id=str(row), platform_id=people.platform_ids[p],
                              industry=CN.pack.industries[i], region=record["region"],
                              month=result.month, earnings=fs.Money(Decimal(int(e)).scaleb(-2),
                                                                    "CNY"), orders=int(o))
                for w, p, i, e, o in zip(work.worker.tolist(), work.platform.tolist(),
                                         work.industry.tolist(), work.earnings.tolist(),
                                         work.orders.tolist(), strict=True)
                if w == row
            ]  # fmt: skip
            enrolments = []
            if result.covered[row]:
                base = MICRO.default_base if state.on_default[row] else MICRO.chosen_base
                enrolments = [fs.Enrolment(scheme="pension", region=record["region"], base=base)]
                enrolled += 1
            statement = reformed.monthly_contributions(worker, jobs, result.month,
                                                       enrolments=enrolments)  # fmt: skip
            for payer in PAYERS:
                expected = sum(
                    (x.amount.amount for x in statement.lines
                     if x.scheme == "pension" and x.payer == payer),
                    Decimal(0),
                )  # fmt: skip
                assert Decimal(int(result.paid[payer][row])).scaleb(-2) == expected, (row, payer)
            checked += 1
    assert checked > 20
    assert enrolled > 3
