"""Population simulations of enrolment: the behaviour pack, the run, reconciliation, calibration.

Small populations and few months, so the module runs in seconds: the million-worker run is
examples/default_enrolment.py (tests/test_examples.py runs it with a tiny size).
"""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal
from pathlib import Path

import attrs
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import simulate as sim
from flexsecure.simulate import plots
from flexsecure.simulate.behaviour import BEHAVIOUR_PARAMETERS
from flexsecure.simulate.run import PAYERS, run_months

CN = fs.load_jurisdiction("CN")
START = fs.Month(2026, 1)
SPEC = sim.PopulationSpec(workers=300)
PEOPLE = sim.synthetic_population(CN, SPEC, start=START, seed=3)
PACK_BEHAVIOUR = sim.Behaviour.from_pack(CN, on=START.first_day)
OPT_IN = sim.Policy("opt-in", sim.Architecture.OPT_IN)
DEFAULT = sim.Policy("default", sim.Architecture.DEFAULT)
COFUNDED = sim.Policy("co-funded", sim.Architecture.DEFAULT, reform="platform_cofunding")
SETTINGS = sim.PensionSettings(
    wage_growth=Decimal("0.03"), interest_rate=Decimal("0.02"), sample=40
)


# -- the behaviour pack -----------------------------------------------------------------------


def test_pack_values_are_the_studies_figures() -> None:
    """Madrian & Shea (2001): 37 % under opt-in; DWP (2019): 9 % opted out, so 91 % stay;
    Carroll et al. (2009): active decisions +28 points; Duflo et al. (2006): 3 → 14 % take-up
    from a 0 to a 50 % match, 0.22 per unit of match; DWP persistency 70 % over 36 months."""
    b = PACK_BEHAVIOUR
    assert b.enrolment_probability(sim.Architecture.OPT_IN) == Decimal("0.37")
    assert b.enrolment_probability(sim.Architecture.DEFAULT) == Decimal("0.91")
    assert b.enrolment_probability(sim.Architecture.ACTIVE_CHOICE) == Decimal("0.65")
    with_match = b.enrolment_probability(sim.Architecture.OPT_IN, match_rate=Decimal("0.5"))
    assert with_match == Decimal("0.48")  # 0.37 + 0.22 × 0.5
    # a match beyond the evidence (50 %) is not extrapolated: 200 % counts as 50 %
    assert b.enrolment_probability(sim.Architecture.OPT_IN, match_rate=Decimal(2)) == with_match
    assert (1 - b.lapse_hazard) ** 36 == pytest.approx(Decimal("0.70"), abs=Decimal("1e-20"))
    assert (1 - b.default_base_hazard) ** 12 == pytest.approx(Decimal("0.5"), abs=Decimal("1e-20"))


def test_every_behaviour_value_is_cited_and_literature_transfer_is_called_an_assumption() -> None:
    for name in BEHAVIOUR_PARAMETERS:
        parameter = CN.pack.parameter(f"behaviour.{name}")
        for value in (v for values in parameter.series.values() for v in values):
            citation = value.citation
            assert citation.source_id, name
            assert citation.note, name
            assert not (citation.evidence is fs.Evidence.UNVERIFIED and citation.verified)
            if name != "persistence_months" and value.region is None:
                assert "ASSUMPTION" in citation.note or "project choice" in citation.note, name


def test_the_residents_minimum_pension_is_in_the_pack() -> None:
    """88 yuan from 2018-01-01 (MOHRSS); 143 yuan in 2025, derived (123 + 20) and unverified."""
    value = CN.parameter("resident_pension.minimum_basic_pension", on=dt.date(2025, 6, 1))
    assert value.value == fs.Money("143", "CNY")
    assert not value.citation.verified
    early = CN.parameter("resident_pension.minimum_basic_pension", on=dt.date(2019, 1, 1))
    assert early.value == fs.Money("88", "CNY")
    assert early.citation.verified


def test_bad_behaviour_and_policy_inputs_raise_typed_errors() -> None:
    with pytest.raises(fs.InvalidInput, match="opt_out_rate"):
        attrs.evolve(PACK_BEHAVIOUR, opt_out_rate=Decimal("1.5"))
    with pytest.raises(fs.InvalidInput, match="default_base"):
        sim.Policy("x", sim.Architecture.DEFAULT, default_base=fs.BaseChoice.EARNINGS)
    with pytest.raises(fs.InvalidInput, match="match_rate"):
        sim.Policy("x", sim.Architecture.OPT_IN, match_rate=Decimal(-1))
    with pytest.raises(fs.InvalidInput, match="nudge"):
        sim.Policy("x", "nudge")
    with pytest.raises(fs.InvalidInput, match="workers"):
        sim.PopulationSpec(workers=0)


# -- validation: the simulation reproduces its inputs -----------------------------------------


def _coverage(result: sim.SimulationResult) -> tuple[int, int]:
    monthly = result.monthly
    return sum(monthly["covered"].to_pylist()), sum(monthly["active"].to_pylist())


def test_a_default_with_no_opt_out_and_no_lapse_covers_everyone() -> None:
    behaviour = attrs.evolve(PACK_BEHAVIOUR, opt_out_rate=Decimal(0), persistence_rate=Decimal(1))
    result = sim.simulate(CN, PEOPLE, DEFAULT, start=START, years=1, seed=3, behaviour=behaviour)
    covered, active = _coverage(result)
    assert active > 0
    assert covered == active
    assert result.summary()["coverage_rate"] == 1.0


def test_zero_propensity_covers_nobody_and_costs_nothing() -> None:
    behaviour = attrs.evolve(PACK_BEHAVIOUR, opt_in_enrolment_rate=Decimal(0))
    result = sim.simulate(CN, PEOPLE, OPT_IN, start=START, years=1, seed=3, behaviour=behaviour)
    covered, active = _coverage(result)
    assert active > 0
    assert covered == 0
    summary = result.summary()
    assert summary["coverage_rate"] == 0.0
    assert summary["paid_worker"] == summary["paid_platform"] == Decimal(0)


def test_totals_reconcile_to_the_fen_with_monthly_contributions() -> None:
    """Every covered worker-month of a co-funded run, by payer, against the per-object
    statement of the same worker, engagements and enrolment (earnings apportioned among the
    month's platforms by the same rule); the worker-year table adds the months up."""
    people = sim.synthetic_population(CN, sim.PopulationSpec(workers=40), start=START, seed=5)
    reformed = CN.with_reform("platform_cofunding")
    workers = people.workers.to_pylist()
    checked = 0
    for result, state in run_months(CN, people, COFUNDED, PACK_BEHAVIOUR, start=START,
                                    months=3, seed=5):  # fmt: skip
        work = people.month(result.month)
        for row in range(people.size):
            if not result.covered[row]:
                assert all(result.paid[p][row] == 0 for p in PAYERS)
                continue
            record = workers[row]
            worker = fs.Worker(id=str(row), birth_date=record["birth_date"], sex=record["sex"],
                               hukou_region=record["hukou_region"],
                               retirement_category=record["retirement_category"])  # fmt: skip
            jobs = [
                fs.Engagement(worker_id=str(row), platform_id=people.platform_ids[p],
                              industry=CN.pack.industries[i], region=record["region"],
                              month=result.month,
                              earnings=fs.Money(Decimal(int(e)).scaleb(-2), "CNY"))
                for w, p, i, e in zip(work.worker.tolist(), work.platform.tolist(),
                                      work.industry.tolist(), work.earnings.tolist(),
                                      strict=True)
                if w == row
            ]  # fmt: skip
            base = COFUNDED.default_base if state.on_default[row] else COFUNDED.chosen_base
            enrolment = fs.Enrolment(scheme="pension", region=record["region"], base=base)
            statement = reformed.monthly_contributions(worker, jobs, result.month,
                                                       enrolments=[enrolment])  # fmt: skip
            for payer in PAYERS:
                expected = statement.total(payer=payer).amount
                assert Decimal(int(result.paid[payer][row])).scaleb(-2) == expected, (row, payer)
            checked += 1
    assert checked > 20
    summary = sim.simulate(CN, people, COFUNDED, start=START, years=1, seed=5,
                           worker_years=True).worker_years  # fmt: skip
    assert summary is not None
    assert summary.num_rows == 40


def test_the_same_seed_gives_the_same_tables_and_another_seed_others() -> None:
    def run(seed: int) -> sim.SimulationResult:
        people = sim.synthetic_population(CN, SPEC, start=START, seed=seed)
        return sim.simulate(CN, people, DEFAULT, start=START, years=1, seed=seed,
                            pensions=SETTINGS, worker_years=True)  # fmt: skip

    first, again, other = run(11), run(11), run(12)
    for name in ("monthly", "yearly", "pensions", "worker_years"):
        assert getattr(first, name).equals(getattr(again, name)), name
    assert not first.monthly.equals(other.monthly)
    assert first.summary() == again.summary() != other.summary()


@settings(max_examples=5, deadline=None)
@given(
    opt_out=st.tuples(st.integers(0, 100), st.integers(0, 100)).map(sorted),
    persistence=st.integers(50, 100),
    seed=st.integers(0, 10_000),
)
def test_more_generous_defaults_never_lower_coverage(
    opt_out: list[int], persistence: int, seed: int
) -> None:
    """A lower opt-out rate (a more generous default) never gives lower coverage: the draws
    are shared, so the workers enrolled at the higher rate are a superset."""
    behaviour = attrs.evolve(PACK_BEHAVIOUR, persistence_rate=Decimal(persistence) / 100)
    people = sim.synthetic_population(CN, sim.PopulationSpec(workers=150), start=START, seed=seed)
    low, high = (attrs.evolve(behaviour, opt_out_rate=Decimal(x) / 100) for x in opt_out)
    generous, stingy = (
        sim.simulated_coverage(CN, people, b, year=2026, region=None, start=START, seed=seed,
                               policy=DEFAULT)
        for b in (low, high)
    )  # fmt: skip
    assert generous >= stingy


# -- outputs ----------------------------------------------------------------------------------


def test_yearly_table_adds_up_and_costs_are_split_by_payer() -> None:
    result = sim.simulate(CN, PEOPLE, COFUNDED, start=START, years=1, seed=3,
                          worker_years=True)  # fmt: skip
    yearly = result.yearly.to_pandas()
    assert yearly["workers"].sum() == PEOPLE.size
    assert set(yearly["region"]) == {"CN-SH", "CN-BJ"}
    assert set(yearly["policy"]) == set(result.monthly.to_pandas()["policy"]) == {"co-funded"}
    assert yearly["covered_months"].sum() == sum(result.monthly["covered"].to_pylist())
    worker_years = result.worker_years
    assert worker_years is not None
    for payer in ("worker", "platform"):
        assert sum(worker_years[f"paid_{payer}"].to_pylist()) == sum(yearly[f"paid_{payer}"])
    summary = result.summary()
    # platform_cofunding: platforms pay 16 % and the worker 8 % of the same base
    assert summary["paid_platform"] == 2 * summary["paid_worker"]
    assert summary["platform_cost_per_order"] > 0
    assert summary["fiscal_cost"] == Decimal(0)


def test_pensions_of_the_sample_and_the_residents_minimum() -> None:
    result = sim.simulate(CN, PEOPLE, DEFAULT, start=START, years=1, seed=3, pensions=SETTINGS)
    pensions = result.pensions
    assert pensions is not None
    assert pensions.num_rows == 40
    rows = pensions.to_pylist()
    for row in rows:
        assert row["problem"] is None
        if row["career_months"] == 0:
            assert row["monthly_pension"] == 0
            assert row["below_resident_minimum"]
        if row["eligible"]:
            assert row["monthly_pension"] > 143
            assert not row["below_resident_minimum"]
    assert any(row["eligible"] for row in rows)
    summary = result.summary()
    assert 0 < summary["eligible_share"] < 1
    assert summary["below_minimum_share"] == 1 - summary["eligible_share"]


def test_compare_gives_intervals_over_seeds() -> None:
    def people(seed: int) -> sim.Population:
        return sim.synthetic_population(CN, sim.PopulationSpec(workers=150), start=START, seed=seed)

    table, results = sim.compare(CN, people, [OPT_IN, DEFAULT], seeds=[1, 2, 3], start=START,
                                 years=1)  # fmt: skip
    assert len(results) == 6
    rows = {(r["policy"], r["measure"]): r for r in table.to_pylist()}
    for policy in ("opt-in", "default"):
        row = rows[(policy, "coverage_rate")]
        assert row["seeds"] == 3
        assert row["ci_low"] <= row["mean"] <= row["ci_high"]
    assert rows[("default", "coverage_rate")]["mean"] > rows[("opt-in", "coverage_rate")]["mean"]
    with pytest.raises(fs.InvalidInput, match="unique"):
        sim.compare(CN, people, [OPT_IN, OPT_IN], seeds=[1], start=START, years=1)


def test_a_user_supplied_population() -> None:
    workers = pa.table({
        "worker_id": ["a", "b"], "birth_date": [dt.date(1990, 3, 1), dt.date(1985, 7, 9)],
        "sex": ["male", "female"], "retirement_category": ["male", "female_50"],
        "region": ["CN-SH", "CN-BJ"],
    })  # fmt: skip
    engagements = pa.table({
        "worker_id": ["a", "a", "b"], "platform_id": ["ride-co", "food-co", "food-co"],
        "industry": ["ride_hailing", "instant_delivery", "instant_delivery"],
        "region": ["CN-SH", "CN-SH", "CN-BJ"], "month": ["2026-01", "2026-01", "2026-02"],
        "earnings": ["6200.00", "2100.50", "5000.00"], "orders": [410, 233, 300],
    })  # fmt: skip
    people = sim.Population.from_tables(CN, workers, engagements)
    behaviour = attrs.evolve(PACK_BEHAVIOUR, opt_out_rate=Decimal(0))
    result = sim.simulate(CN, people, DEFAULT, start=START, years=1, seed=1, behaviour=behaviour)
    monthly = {(r["month"], r["region"]): r for r in result.monthly.to_pylist()}
    assert monthly[("2026-01", "CN-SH")]["covered"] == 1
    assert monthly[("2026-02", "CN-BJ")]["covered"] == 1
    # Shanghai's floor 7460 from 2025-07 (pack): 20 % = 1492.00; Beijing's 7162: 1432.40
    assert result.summary()["paid_worker"] == Decimal("1492.00") + Decimal("1432.40")
    floats = engagements.set_column(5, "earnings", pa.array([1.0, 2.0, 3.0]))
    with pytest.raises(fs.InvalidInput, match="float"):
        sim.Population.from_tables(CN, workers, floats)


# -- calibration ------------------------------------------------------------------------------


def test_calibration_meets_the_observed_coverage() -> None:
    """Target: the pack's observed coverage of flexible workers (≤ 35 %, end-2024, derived
    from the State Council's report); bisection at a fixed seed lands within the tolerance."""
    target = CN.parameter("behaviour.observed_pension_coverage", on=dt.date(2025, 1, 1)).decimal()
    people = sim.synthetic_population(CN, sim.PopulationSpec(workers=1500), start=START, seed=4)
    fit = sim.calibrate_opt_in(CN, people, target=target, year=2026, region="CN-SH",
                               start=START, seed=4)  # fmt: skip
    assert abs(fit.coverage - float(target)) <= 0.002
    assert 0 < fit.rate < 1
    assert fit.behaviour.opt_in_enrolment_rate == fit.rate
    again = sim.simulated_coverage(CN, people, fit.behaviour, year=2026, region="CN-SH",
                                   start=START, seed=4)  # fmt: skip
    assert again == fit.coverage
    with pytest.raises(fs.InvalidInput, match="out of reach"):
        sim.calibrate_opt_in(CN, people, target=Decimal("0.999"), year=2027, start=START, seed=4)


# -- plots ------------------------------------------------------------------------------------


def test_plots_are_written_as_png_and_chinese_falls_back_without_a_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = [sim.simulate(CN, PEOPLE, p, start=START, years=1, seed=s)
               for p in (OPT_IN, DEFAULT) for s in (1, 2)]  # fmt: skip
    coverage = plots.plot_coverage(results[::2], tmp_path / "coverage.png")
    frontier = plots.plot_frontier(results, tmp_path / "frontier.png", language="zh")
    for path in (coverage, frontier):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    with pytest.warns(UserWarning, match="no CJK font"):
        plots.plot_coverage(results[:1], tmp_path / "fallback.png", language="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plots.plot_coverage(results[:1], tmp_path / "english.png")
    with pytest.raises(fs.InvalidInput, match="language"):
        plots.plot_coverage(results[:1], tmp_path / "x.png", language="fr")


def test_partitions_combine_into_one_result() -> None:
    """Two partitions of 200 workers: the combined tables add the parts up exactly."""
    spec = sim.PopulationSpec(workers=200)
    parts = [sim.run_partition(CN, spec, COFUNDED, k, partitions=2, start=START, years=1, seed=9,
                               pensions=SETTINGS)
             for k in range(2)]  # fmt: skip
    whole = sim.combine(parts)
    assert whole.monthly.num_rows == parts[0].monthly.num_rows
    for column in ("active", "covered"):
        assert sum(whole.monthly[column].to_pylist()) == sum(
            sum(p.monthly[column].to_pylist()) for p in parts
        )
    summary = whole.summary()
    assert summary["paid_platform"] == sum(p.summary()["paid_platform"] for p in parts)
    assert whole.ever_active == sum(p.ever_active for p in parts)
    assert whole.pensions is not None
    ids = whole.pensions["worker_id"].to_pylist()
    assert len(ids) == len(set(ids)) == 80
    with pytest.raises(fs.InvalidInput, match="one policy"):
        sim.combine([parts[0], attrs.evolve(parts[1], policy=DEFAULT)])


def test_a_government_subsidy_is_the_fiscal_cost() -> None:
    """A reform (illustrative, built in Python): the government pays 10 % of the base into the
    pooled fund and the worker 8 % + 2 %; the fiscal cost is what the government pays, and the
    match the worker sees (10 / 10 = 1) counts at the evidence's 50 %."""
    subsidy = fs.Reform(
        name="government_subsidy",
        set_values=[
            fs.SetValue("pension.worker_pooled_rate", "0.02", dt.date(2006, 1, 1),
                        unit=fs.Unit.RATE),
            fs.SetValue("pension.government_pooled_rate", "0.10", dt.date(2006, 1, 1),
                        unit=fs.Unit.RATE),
        ],
        shares={"pension": [
            fs.Share("worker", {"individual_account": "pension.individual_account_rate",
                                "pooled": "pension.worker_pooled_rate"}),
            fs.Share("government", {"pooled": "pension.government_pooled_rate"}),
        ]},
    )  # fmt: skip
    policy = sim.Policy("subsidised opt-in", sim.Architecture.OPT_IN, reform=subsidy)
    assert policy.match_rate_in(policy.jurisdiction(CN), "CN-SH", START.first_day) == 1
    summary = sim.simulate(CN, PEOPLE, policy, start=START, years=1, seed=3).summary()
    assert summary["fiscal_cost"] == summary["paid_government"] == summary["paid_worker"]
    assert summary["fiscal_cost"] > 0
    assert summary["paid_platform"] == 0
    plain = sim.simulate(CN, PEOPLE, OPT_IN, start=START, years=1, seed=3).summary()
    assert summary["coverage_rate"] > plain["coverage_rate"]  # 0.37 + 0.22 × 0.5 = 0.48
