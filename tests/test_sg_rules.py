"""Singapore's CPF rules for platform workers, function by function (fact sheet OTHERS.md §1).

The worked examples are the fact sheet's public cases (§1.9), each citing its CPF, MOM or
ask.gov.sg page; the figures they feed in are the sheet's rate tables (§1.5–§1.7), the same
ones the SG pack holds. Properties: the worker's share is continuous at $500 and $750, every
share is monotonic in NE, rounding never loses or makes a dollar, and allocations add up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexsecure import InvalidInput, Money, Month, RuleNotFound
from flexsecure.jurisdictions.sg.cpf import (
    allocate,
    band_age,
    band_rate,
    fill_in_order,
    is_group_a,
    medisave_only_share,
    operator_share,
    round_total_nearest_worker_down,
    worker_share,
)
from flexsecure.jurisdictions.sg.earnings import (
    lowest_deduction,
    net_earnings,
    operator_net_earnings,
)
from flexsecure.values.money import Rounding
from tests.strategies import sgd

D = Decimal
CAR, MOTORCYCLE, BICYCLE = D("0.60"), D("0.35"), D("0.20")
FLOOR, SHARE_FROM, FULL_FROM = Money("50", "SGD"), Money("500", "SGD"), Money("750", "SGD")
FACTOR = D(3)
DOLLAR = D(1)


def sgd_(amount: str) -> Money:
    return Money(amount, "SGD")


def shares(ne: Money, po: Decimal, pw: Decimal) -> dict[str, Money]:
    exact = {
        "platform": operator_share(ne, po, FLOOR),
        "worker": worker_share(ne, pw, FACTOR, SHARE_FROM, FULL_FROM),
    }
    return round_total_nearest_worker_down(exact, DOLLAR, Rounding.HALF_UP)


# -- the public cases ---------------------------------------------------------------------


def test_sg1_motorcycle_2029_age_30() -> None:
    """SG-1 (CPF, saving as a platform worker): 2029, age 30, Group A, motorcycle, gross
    $4,000 → NE $2,600; PO 17 % = $442, PW 20 % = $520, total 37 % = $962."""
    ne = net_earnings(sgd_("4000"), MOTORCYCLE)
    assert ne == sgd_("2600")
    assert shares(ne, D("0.17"), D("0.20")) == {"worker": sgd_("520"), "platform": sgd_("442")}


def test_sg2_opted_in_2029_age_50_allocation() -> None:
    """SG-2 (CPF, born before 1995): 2029, age 50, opted in, NE $2,000 → PW $400, PO $340,
    total $740 → OA $380, SA $160, MA $200 (MediSave 10 %, SA 8/27 of the rest)."""
    ne = sgd_("2000")
    paid = shares(ne, D("0.17"), D("0.20"))
    assert paid == {"worker": sgd_("400"), "platform": sgd_("340")}
    split = allocate(paid["worker"] + paid["platform"], ne, D("0.10"), D("0.2963"))
    assert (split.ordinary, split.special, split.medisave) == (
        sgd_("380"),
        sgd_("160"),
        sgd_("200"),
    )


def test_sg2b_not_opted_in_medisave_only() -> None:
    """SG-2b (CPF, born before 1995): the same worker not opted in pays MediSave only, 10 %
    of $2,000 = $200; the operator pays nothing."""
    assert not is_group_a(dt.date(1979, 8, 10), opted_in=False, mandatory_birth_year_from=1995)
    exact = medisave_only_share(
        sgd_("2000"), D("0.10"), FACTOR, FLOOR, SHARE_FROM, FULL_FROM, worker_tiers=True
    )
    assert round_total_nearest_worker_down({"worker": exact}, DOLLAR, Rounding.HALF_UP) == {
        "worker": sgd_("200")
    }


def test_sg3_opted_in_2025_age_40() -> None:
    """SG-3 (ask.gov.sg cmbzq646q003grvtontprvctn): 2025, age 40, opted in, NE $3,000 → OA
    $135 [S], PW share $75 above not opting in [S]; with the rate file: PW $345, PO $105,
    total $450, MA $270, SA $45."""
    ne = sgd_("3000")
    paid = shares(ne, D("0.035"), D("0.115"))
    assert paid == {"worker": sgd_("345"), "platform": sgd_("105")}
    split = allocate(sgd_("450"), ne, D("0.09"), D("0.25"))
    assert (split.ordinary, split.special, split.medisave) == (
        sgd_("135"),
        sgd_("45"),
        sgd_("270"),
    )
    not_opted = medisave_only_share(
        ne, D("0.09"), FACTOR, FLOOR, SHARE_FROM, FULL_FROM, worker_tiers=True
    )
    assert paid["worker"] - not_opted == sgd_("75")


def test_sg4_mixed_modes_bonus_takes_lowest_deduction() -> None:
    """SG-4 (ask.gov.sg cm144t2n900ihkisxr8csctse): bicycle jobs $1,000, motorcycle jobs
    $2,000 and a $1,000 bonus earned on both → NE = 800 + 1,300 + 800 = $2,900."""
    bonus = lowest_deduction([BICYCLE, MOTORCYCLE])
    assert bonus == BICYCLE
    payments = [(sgd_("1000"), BICYCLE), (sgd_("2000"), MOTORCYCLE), (sgd_("1000"), bonus)]
    assert operator_net_earnings(payments, "SGD") == sgd_("2900")


def test_sg5_car_2025_age_35_and_below() -> None:
    """SG-5 (ask.gov.sg cm144t2n800ifkisxb0e7s2uk): car, gross $3,000 → NE $1,200; in 2025,
    35 and below, Group A: total $168, PW $126, PO $42."""
    ne = net_earnings(sgd_("3000"), CAR)
    assert ne == sgd_("1200")
    assert shares(ne, D("0.035"), D("0.105")) == {"worker": sgd_("126"), "platform": sgd_("42")}


def test_sg7_below_500_operator_only() -> None:
    """SG-7 (CPF tiers, [D]): 2025, 35 and below, Group A, NE $400 → PO $14, PW $0."""
    assert shares(sgd_("400"), D("0.035"), D("0.105")) == {
        "worker": sgd_("0"),
        "platform": sgd_("14"),
    }


@pytest.mark.parametrize(("po", "pw"), [("0.035", "0.105"), ("0.17", "0.20"), ("0.075", "0.05")])
def test_sg8_fifty_dollars_pays_nothing(po: str, pw: str) -> None:
    """SG-8 (CPF, born in 1995 or later): NE $50 from an operator → nothing, any year."""
    assert shares(sgd_("50"), D(po), D(pw)) == {"worker": sgd_("0"), "platform": sgd_("0")}
    assert operator_share(sgd_("50.01"), D(po), FLOOR) > sgd_("0")


# -- bands and groups -------------------------------------------------------------------------


def test_band_changes_the_month_after_the_birthday_month() -> None:
    """Employees move band from the month after the birthday month (Talenox [S3])."""
    born = dt.date(1990, 5, 15)
    assert band_age(born, Month(2025, 5), 1) == 34
    assert band_age(born, Month(2025, 6), 1) == 35
    assert band_age(born, Month(2025, 5), 0) == 35
    with pytest.raises(InvalidInput, match="before the worker's birth"):
        band_age(born, Month(1990, 4), 0)


def test_band_rate_takes_the_greatest_key_not_above_the_age() -> None:
    up_to_55 = {0: D("0.105"), 35: D("0.115"), 45: D("0.125"), 50: D("0.13")}
    over_55 = {55: D("0.13"), 60: D("0.105"), 65: D("0.105"), 70: D("0.09")}
    assert band_rate([up_to_55, over_55], 34) == (0, D("0.105"))
    assert band_rate([up_to_55, over_55], 35) == (35, D("0.115"))
    assert band_rate([up_to_55, over_55], 54) == (50, D("0.13"))
    assert band_rate([up_to_55, over_55], 90) == (70, D("0.09"))
    with pytest.raises(InvalidInput, match="two tables"):
        band_rate([up_to_55, up_to_55], 40)
    with pytest.raises(RuleNotFound):
        band_rate([over_55], 40)


def test_group_a_by_birth_year_or_opt_in() -> None:
    """MOM: born on or after 1 Jan 1995 is mandatory; older workers may opt in."""
    assert is_group_a(dt.date(1995, 1, 1), False, 1995)
    assert not is_group_a(dt.date(1994, 12, 31), False, 1995)
    assert is_group_a(dt.date(1960, 1, 1), True, 1995)


def test_employee_rounding_rule() -> None:
    """CPF employer FAQ: total to the nearest dollar, employee's cents dropped."""
    exact = {"worker": sgd_("34.50"), "platform": sgd_("21.00")}
    assert round_total_nearest_worker_down(exact, DOLLAR, Rounding.HALF_UP) == {
        "worker": sgd_("34"),
        "platform": sgd_("22"),
    }
    only_platform = {"platform": sgd_("17.50")}
    assert round_total_nearest_worker_down(only_platform, DOLLAR, Rounding.HALF_UP) == {
        "platform": sgd_("18")
    }
    with pytest.raises(InvalidInput, match="one other payer"):
        round_total_nearest_worker_down(
            {"worker": sgd_("1"), "platform": sgd_("1"), "government": sgd_("1")},
            DOLLAR,
            Rounding.HALF_UP,
        )


def test_allocation_never_credits_more_medisave_than_the_total() -> None:
    """In the phase-in tier the MediSave rate × NE can exceed what is paid: MediSave takes
    it all and the other accounts nothing."""
    split = allocate(sgd_("56"), sgd_("600"), D("0.10"), D("0.25"))
    assert (split.medisave, split.special, split.ordinary) == (sgd_("56"), sgd_("0"), sgd_("0"))


def test_fill_in_order_worker_first() -> None:
    rows = fill_in_order([sgd_("400"), sgd_("340")], [sgd_("200"), sgd_("160"), sgd_("380")])
    assert rows == [
        [sgd_("200"), sgd_("160"), sgd_("40")],
        [sgd_("0"), sgd_("0"), sgd_("340")],
    ]
    with pytest.raises(InvalidInput, match="sum"):
        fill_in_order([sgd_("1")], [sgd_("2")])


def test_bad_inputs_are_typed_errors() -> None:
    with pytest.raises(InvalidInput, match="at least one mode"):
        lowest_deduction([])
    with pytest.raises(InvalidInput, match="FEDA"):
        net_earnings(sgd_("10"), D("1.5"))
    with pytest.raises(InvalidInput, match=">= 0"):
        net_earnings(sgd_("-1"), CAR)


# -- properties -------------------------------------------------------------------------------

rates = st.decimals("0", "0.30", places=3)


@given(rate=rates)
def test_worker_share_is_continuous_at_500_and_750(rate: Decimal) -> None:
    """k = 3 × PW rate: the phased share meets 0 at $500 and PW rate × NE at $750."""
    cent = sgd_("0.01")

    def share(ne: Money) -> Money:
        return worker_share(ne, rate, FACTOR, SHARE_FROM, FULL_FROM)

    assert share(SHARE_FROM) == sgd_("0")
    assert share(SHARE_FROM + cent) <= cent * (FACTOR * rate)
    assert share(FULL_FROM) == FULL_FROM * rate
    assert share(FULL_FROM + cent) - share(FULL_FROM) == cent * rate


@given(low=sgd(0, 1_000_000), extra=sgd(0, 1_000_000), po=rates, pw=rates)
def test_shares_are_monotonic_in_net_earnings(
    low: Money, extra: Money, po: Decimal, pw: Decimal
) -> None:
    """More NE from an operator never means less CPF, exact or rounded."""
    high = low + extra
    assert operator_share(low, po, FLOOR) <= operator_share(high, po, FLOOR)
    assert worker_share(low, pw, FACTOR, SHARE_FROM, FULL_FROM) <= worker_share(
        high, pw, FACTOR, SHARE_FROM, FULL_FROM
    )
    before, after = shares(low, po, pw), shares(high, po, pw)
    assert before["worker"] <= after["worker"]
    assert before["worker"] + before["platform"] <= after["worker"] + after["platform"]


@given(worker=sgd(0, 1_000_000), platform=sgd(0, 1_000_000))
def test_rounding_keeps_the_total_within_half_a_dollar(worker: Money, platform: Money) -> None:
    """The rounded shares sum to the total rounded to the dollar; the worker never pays more
    than their exact share; no share is negative."""
    rounded = round_total_nearest_worker_down(
        {"worker": worker, "platform": platform}, DOLLAR, Rounding.HALF_UP
    )
    total = rounded["worker"] + rounded["platform"]
    assert total == (worker + platform).quantize(DOLLAR, Rounding.HALF_UP)
    assert rounded["worker"] <= worker
    assert not rounded["platform"].is_negative
    assert all(amount.is_whole(DOLLAR) for amount in rounded.values())


@given(
    total=sgd(0, 1_000_000),
    ne=sgd(0, 5_000_000),
    medisave=st.decimals("0", "0.2", places=3),
    special=st.decimals("0", "1", places=4),
)
def test_allocation_adds_up(total: Money, ne: Money, medisave: Decimal, special: Decimal) -> None:
    split = allocate(total, ne, medisave, special)
    assert split.total == total
    assert not any(part.is_negative for part in (split.ordinary, split.special, split.medisave))
    rows = fill_in_order([total], [split.medisave, split.special, split.ordinary])
    assert rows == [[split.medisave, split.special, split.ordinary]]
