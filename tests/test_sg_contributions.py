"""Singapore's CPF contributions through the public API (fact sheet OTHERS.md §1.9).

``fs.load_jurisdiction("SG").monthly_contributions(...)`` for the sheet's public cases, each
citing its CPF, MOM or ask.gov.sg page, then properties over generated months: adding an
operator never changes another operator's lines, the amounts are continuous at $500 and $750
and never fall as net earnings rise, and every statement's accounts add up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import ContributionStatement, Engagement, InvalidInput, Money, Month, Worker
from flexsecure.rules.schemes import RoundingRule
from flexsecure.values.money import Rounding
from tests.strategies import sgd

SG = fs.load_jurisdiction("SG")
CPF_OPT_IN = fs.Enrolment(scheme="cpf", region="SG", opted_in=True)


def job(
    gross: str | Money,
    vehicle: str | tuple[str, ...] = "car",
    *,
    month: Month,
    platform: str = "op-a",
    worker: str = "p-1",
    industry: str = "ride_hailing",
) -> Engagement:
    earnings = gross if isinstance(gross, Money) else Money(gross, "SGD")
    return Engagement(
        worker_id=worker,
        platform_id=platform,
        industry=industry,
        region="SG",
        month=month,
        earnings=earnings,
        vehicle=vehicle,
    )


def month_of(
    born: dt.date, jobs: list[Engagement], month: Month, *, opted_in: bool = False
) -> ContributionStatement:
    rider = Worker(id="p-1", birth_date=born)
    enrolments = [CPF_OPT_IN] if opted_in else []
    return SG.monthly_contributions(rider, jobs, month, enrolments=enrolments)


def sgd_(amount: str) -> Money:
    return Money(amount, "SGD")


def totals(stmt: ContributionStatement) -> tuple[Money, ...]:
    return (
        stmt.total(payer="platform"),
        stmt.total(payer="worker"),
        stmt.total(fund="ordinary"),
        stmt.total(fund="special") + stmt.total(fund="retirement"),
        stmt.total(fund="medisave"),
    )


# -- the pack ------------------------------------------------------------------------------


def test_the_pack_marks_what_the_sheet_does_not_confirm() -> None:
    """Fact sheet §1.5: the bands above 55 for 2026–2029 are provisional; §1.4: CPF's
    rounding for platform work, and the age-band timing, are [U]; §1.6–1.7: Group B's
    MediSave rates per band and the allocation ratios are [U]."""
    assert (SG.pack.code, SG.pack.currency, tuple(SG.pack.regions)) == ("SG", "SGD", ("SG",))

    def verified(name: str, year: int) -> bool:
        return SG.parameter(name, region="SG", on=dt.date(year, 6, 1)).citation.verified

    for year in range(2025, 2030):
        assert verified("cpf.operator_rate", year)
        assert verified("cpf.worker_rate", year)
        assert verified("cpf.operator_rate_over_55", year) is (year == 2025)
        assert verified("cpf.worker_rate_over_55", year) is (year == 2025)
    for unconfirmed in (
        "cpf.medisave_rate",
        "cpf.special_share",
        "cpf.age_band_months_after_birthday",
        "cpf.group_b_worker_tiers",
    ):
        assert not verified(unconfirmed, 2026)
    rounding = SG.pack.scheme("cpf").rounding
    assert (rounding.method, rounding.citation.verified) == ("cpf_total_nearest_worker_down", False)
    assert verified("net_earnings.fixed_expense_deduction.motorcycle", 2025)


def test_no_rule_before_the_act() -> None:
    """The Act's CPF duties start on 1 January 2025 (MOM press release, 17 Dec 2024)."""
    december = Month(2024, 12)
    with pytest.raises(fs.RuleNotFound, match="2025-01-01"):
        month_of(dt.date(1998, 3, 4), [job("1000", month=december)], december)


# -- the public cases --------------------------------------------------------------------


def test_sg1_motorcycle_2029_age_30() -> None:
    """SG-1 (CPF, saving as a platform worker): 2029, age 30, Group A, motorcycle, gross
    $4,000 → NE $2,600; PO 17 % = $442, PW 20 % = $520, total $962. The accounts follow the
    employee allocation at 35 and below (23 / 6 / 8 % of NE: $598 / $156 / $208) [D]."""
    may = Month(2029, 5)
    stmt = month_of(dt.date(1999, 6, 1), [job("4000", "motorcycle", month=may)], may)
    assert [line.base for line in stmt.lines] == [sgd_("2600"), sgd_("2600")]
    assert totals(stmt) == (sgd_("442"), sgd_("520"), sgd_("598"), sgd_("156"), sgd_("208"))
    assert stmt.total() == sgd_("962")


def test_sg2_opted_in_2029_age_50() -> None:
    """SG-2 (CPF, born before 1995): 2029, age 50 (band above 45 to 50), opted in, NE $2,000
    → PW $400, PO $340, total $740 → OA $380, SA $160, MA $200."""
    may = Month(2029, 5)
    stmt = month_of(dt.date(1979, 8, 10), [job("5000", month=may)], may, opted_in=True)
    assert totals(stmt) == (sgd_("340"), sgd_("400"), sgd_("380"), sgd_("160"), sgd_("200"))
    for line in stmt.lines:
        assert sum(part.amount for _, part in line.funds) == line.amount.amount


def test_sg2b_not_opted_in_pays_medisave_only() -> None:
    """SG-2b (CPF, born before 1995): the same worker not opted in → MA $200 (10 %) from the
    worker's share; no operator share."""
    may = Month(2029, 5)
    stmt = month_of(dt.date(1979, 8, 10), [job("5000", month=may)], may)
    assert [line.payer for line in stmt.lines] == ["worker"]
    assert totals(stmt) == (sgd_("0"), sgd_("200"), sgd_("0"), sgd_("0"), sgd_("200"))


def test_sg3_opted_in_2025_age_40() -> None:
    """SG-3 (ask.gov.sg cmbzq646q003grvtontprvctn): 2025, age 40, opted in, NE $3,000 → OA
    $135 and $75 more from the worker than without opting in [S]; PW $345, PO $105, MA $270,
    SA $45 with the rate file [D]."""
    may = Month(2025, 5)
    born = dt.date(1985, 9, 1)
    opted = month_of(born, [job("7500", month=may)], may, opted_in=True)
    assert totals(opted) == (sgd_("105"), sgd_("345"), sgd_("135"), sgd_("45"), sgd_("270"))
    not_opted = month_of(born, [job("7500", month=may)], may)
    assert opted.total(payer="worker") - not_opted.total(payer="worker") == sgd_("75")


def test_sg4_bonus_over_two_modes_takes_the_lowest_deduction() -> None:
    """SG-4 (ask.gov.sg cm144t2n900ihkisxr8csctse): bicycle jobs $1,000, motorcycle jobs
    $2,000 and a $1,000 bonus earned on both → NE $2,900 for the operator."""
    may = Month(2026, 5)
    jobs = [
        job("1000", "bicycle", month=may, industry="instant_delivery"),
        job("2000", "motorcycle", month=may, industry="instant_delivery"),
        job("1000", ("bicycle", "motorcycle"), month=may, industry="instant_delivery"),
    ]
    stmt = month_of(dt.date(2000, 1, 1), jobs, may)
    assert {line.base for line in stmt.lines} == {sgd_("2900")}


def test_sg5_car_2025_age_35_and_below() -> None:
    """SG-5 (ask.gov.sg cm144t2n800ifkisxb0e7s2uk): car, gross $3,000 → NE $1,200; 2025, 35
    and below, Group A → total $168, PW $126, PO $42."""
    may = Month(2025, 5)
    stmt = month_of(dt.date(1998, 3, 4), [job("3000", month=may)], may)
    assert stmt.total(payer="worker") == sgd_("126")
    assert stmt.total(payer="platform") == sgd_("42")


def test_sg7_below_500_only_the_operator_pays() -> None:
    """SG-7 (CPF tiers [D]): 2025, 35 and below, Group A, NE $400 → PO $14, PW $0."""
    may = Month(2025, 5)
    stmt = month_of(dt.date(1998, 3, 4), [job("500", "bicycle", month=may)], may)
    assert (stmt.total(payer="platform"), stmt.total(payer="worker")) == (sgd_("14"), sgd_("0"))


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028, 2029])
def test_sg8_fifty_dollars_pays_nothing(year: int) -> None:
    """SG-8 (CPF, born in 1995 or later): NE $50 from an operator → $0 / $0, any year."""
    month = Month(year, 3)
    stmt = month_of(
        dt.date(1960, 1, 1), [job("62.50", "bicycle", month=month)], month, opted_in=True
    )
    assert stmt.total() == sgd_("0")
    assert {line.base for line in stmt.lines} == {sgd_("50")}


def test_operators_are_computed_separately() -> None:
    """CPF calculator: "computed on a per-platform basis" — two operators' NE of $650 each
    are two phase-in months, not one month of $1,300."""
    may = Month(2026, 5)
    jobs = [job("1000", "motorcycle", month=may, platform=p) for p in ("op-a", "op-b")]
    stmt = month_of(dt.date(1998, 3, 4), jobs, may)
    for operator in ("op-a", "op-b"):
        # PO 7 % × 650 = 45.50, PW 3 × 13 % × 150 = 58.50: total 104, worker 58, operator 46
        assert stmt.total(platform_id=operator, payer="worker") == sgd_("58")
        assert stmt.total(platform_id=operator, payer="platform") == sgd_("46")


def test_explanation_cites_the_act_and_cpf_pages() -> None:
    may = Month(2026, 5)
    stmt = month_of(dt.date(1998, 3, 4), [job("1000", "motorcycle", month=may)], may)
    text = stmt.explain().render(locale="en")
    assert "Platform Workers Bill 2024" in text
    assert "CPF Board employer FAQ" in text
    assert "[unverified]" in text
    assert "motorcycle" in text
    assert "worker's share phasing in" in text
    chinese = stmt.explain().render(locale="zh_CN")
    assert "保健储蓄" in chinese
    assert "公积金" in chinese


def test_statements_post_to_an_sgd_ledger_and_sg_offers_no_transfers() -> None:
    """The ledger takes its currency from the statement; Singapore registers no transfer
    rule, so asking for one is a typed error naming what SG offers, not an AttributeError."""
    may = Month(2026, 5)
    rider = Worker(id="p-1", birth_date=dt.date(1998, 3, 4))
    stmt = SG.monthly_contributions(rider, [job("2000", month=may)], may)
    ledger = fs.Ledger.for_worker(rider).post(stmt)
    assert ledger.currency == "SGD"
    with pytest.raises(fs.NotInJurisdiction, match="SG"):
        SG.quote_transfer(ledger, scheme="cpf", from_region="SG", to_region="SG", on=may.first_day)


def test_a_reform_can_replace_the_unverified_cpf_rounding() -> None:
    """CPF's employee rounding is assumed for platform work (fact sheet [U]); if CPF states
    another rule, a reform's rounding table replaces it and the pack stays untouched."""
    to_the_cent = RoundingRule(
        Rounding.HALF_UP,
        Decimal("0.01"),
        fs.Citation(
            "scenario: each share to the cent", evidence=fs.Evidence.UNVERIFIED, verified=False
        ),
        method="each",
    )
    cents = SG.with_reform(fs.Reform(name="cpf_cents", rounding={"cpf": to_the_cent}))
    may = Month(2026, 5)
    rider = Worker(id="p-1", birth_date=dt.date(1998, 3, 4))
    jobs = [job("1000", "motorcycle", month=may)]
    reformed = cents.monthly_contributions(rider, jobs, may)
    assert (reformed.total(payer="worker"), reformed.total(payer="platform")) == (
        sgd_("58.50"),
        sgd_("45.50"),
    )
    current = SG.monthly_contributions(rider, jobs, may)
    assert (current.total(payer="worker"), current.total(payer="platform")) == (
        sgd_("58"),
        sgd_("46"),
    )


def test_a_reform_can_change_when_the_age_band_moves() -> None:
    """The band moves the month after the birthday month for employees [S3]; the platform
    rule is unverified, so a reform may move it to the birthday month itself."""
    may = Month(2025, 5)
    born = dt.date(1990, 5, 15)  # turns 35 in May 2025
    jobs = [job("5000", month=may)]  # NE $2,000
    assert month_of(born, jobs, may, opted_in=True).total(payer="worker") == sgd_("210")  # 10.5 %
    same_month = SG.with_reform(
        fs.Reform(
            name="band_in_birthday_month",
            set_values=[
                fs.SetValue(
                    parameter="cpf.age_band_months_after_birthday",
                    value=0,
                    effective_from=dt.date(2025, 1, 1),
                )
            ],
        )
    )
    stmt = same_month.monthly_contributions(
        Worker(id="p-1", birth_date=born), jobs, may, enrolments=[CPF_OPT_IN]
    )
    assert stmt.total(payer="worker") == sgd_("230")  # 11.5 %, above 35


def test_bad_vehicles_are_named() -> None:
    may = Month(2026, 5)
    with pytest.raises(InvalidInput, match="vehicle is needed"):
        SG.monthly_contributions(
            Worker(id="p-1", birth_date=dt.date(1998, 3, 4)),
            [
                Engagement(
                    worker_id="p-1",
                    platform_id="op-a",
                    industry="ride_hailing",
                    region="SG",
                    month=may,
                    earnings=sgd_("100"),
                )
            ],
            may,
        )
    with pytest.raises(InvalidInput, match="'hovercraft'"):
        month_of(dt.date(1998, 3, 4), [job("100", "hovercraft", month=may)], may)


# -- properties ---------------------------------------------------------------------------

years = st.integers(2025, 2029)
births = st.dates(dt.date(1940, 1, 1), dt.date(2005, 12, 31))
vehicles = st.sampled_from(["car", "motorcycle", "bicycle", ("bicycle", "motorcycle")])


def operator_jobs(platform: str, month: Month) -> st.SearchStrategy[list[Engagement]]:
    return st.lists(
        st.builds(
            lambda gross, vehicle: job(gross, vehicle, month=month, platform=platform),
            sgd(0, 800_000),
            vehicles,
        ),
        min_size=1,
        max_size=3,
    )


@settings(max_examples=60, deadline=None)
@given(data=st.data(), year=years, born=births, opted_in=st.booleans())
def test_adding_an_operator_never_changes_another_operators_lines(
    data: st.DataObject, year: int, born: dt.date, opted_in: bool
) -> None:
    month = Month(year, 6)
    first = data.draw(operator_jobs("op-a", month))
    second = data.draw(operator_jobs("op-b", month))
    alone = month_of(born, first, month, opted_in=opted_in)
    together = month_of(born, first + second, month, opted_in=opted_in)
    assert together.select(platform_id="op-a") == alone.select(platform_id="op-a")
    assert (
        together.total() == alone.total() + month_of(born, second, month, opted_in=opted_in).total()
    )


def _bicycle(cents: int, month: Month) -> list[Engagement]:
    """One bicycle job of ``cents`` gross: NE = 80 % of it."""
    return [job(Money(Decimal(cents).scaleb(-2), "SGD"), "bicycle", month=month)]


@settings(max_examples=60, deadline=None)
@given(
    year=years,
    born=births,
    opted_in=st.booleans(),
    near=st.sampled_from([625_00, 937_50]),  # gross of NE $500 and $750 by bicycle
    offset=st.integers(-300, 300),
)
def test_amounts_are_continuous_at_500_and_750(
    year: int, born: dt.date, opted_in: bool, near: int, offset: int
) -> None:
    """A cent more NE around $500 or $750 changes each payer's amount by at most a dollar
    (the rounding unit): no jump at the tier boundaries."""
    month = Month(year, 6)
    before = month_of(born, _bicycle(near + offset, month), month, opted_in=opted_in)
    after = month_of(born, _bicycle(near + offset + 1, month), month, opted_in=opted_in)
    for payer in ("worker", "platform"):
        step = after.total(payer=payer) - before.total(payer=payer)
        assert abs(step.amount) <= 1


@settings(max_examples=60, deadline=None)
@given(
    year=years,
    born=births,
    opted_in=st.booleans(),
    low=st.integers(0, 1_000_000),
    extra=st.integers(0, 1_000_000),
)
def test_more_net_earnings_never_mean_less_cpf(
    year: int, born: dt.date, opted_in: bool, low: int, extra: int
) -> None:
    month = Month(year, 6)
    before = month_of(born, _bicycle(low, month), month, opted_in=opted_in)
    after = month_of(born, _bicycle(low + extra, month), month, opted_in=opted_in)
    assert before.total() <= after.total()
    assert before.total(payer="worker") <= after.total(payer="worker")
    for stmt in (before, after):
        accounts = totals(stmt)[2:]
        assert sum(part.amount for part in accounts) == stmt.total().amount
