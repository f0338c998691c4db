"""Per-order pension money at retirement: the individual account a per-order contribution builds.

A per-order contribution (e.g. the CN pack's ``pension_per_order`` scenario) pays an amount per
order into the pension's individual account, apart from any base contribution. Its lines carry
no base, so they count no contributed month: the money raises the account balance — and the
account pension, ``balance ÷ divisor`` — but never the months a monthly pension needs.

The run observed ``P`` fen of such money over ``a`` active months (months with platform work
before the legal retirement month) of the ``T`` months it simulated; ``M`` months remain from
the start of the run to retirement. The projection extends it as the base career is extended
(:mod:`flexsecure.simulate.pensions`):

* the worker keeps the *density* of active months ``a / T`` until retirement:
  ``K = round(a / T × M)`` active months (the same rounding as the base career's months),
  consecutive and ending at the legal retirement month;
* each of them pays the observed money per active month, ``P / a``, **held flat**: the amount
  per order is a fixed nominal figure of the pack (no indexation is legislated or proposed)
  and the orders per active month are the observed ones. Month ``j`` (1 … ``K``) gets
  ``R(j) − R(j − 1)`` fen, ``R(j) = round_half_up(j × P / a)``: whole fen that sum to
  ``round_half_up(K × P / a)`` exactly;
* the money earns interest year by year by the library's one interest rule
  (:func:`~flexsecure.jurisdictions.cn.interest.interest_rule` and
  :func:`~flexsecure.jurisdictions.cn.interest.year_interest`, 劳办发〔1997〕116号: the published
  crediting rate where there is one, else the assumed rate), and the part year to the
  retirement date by the projection's own rule (``retirement_year_interest``) — the crediting
  the base career's account gets.

The balance is credited as its own part of the account: interest is linear in the balance, so
crediting it apart from the base career's part differs from crediting their sum by the
rounding of each year's interest only (at most a fen a year). The account pension is then the
whole balance (base part + per-order part) ÷ the divisor, half up to the fen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flexsecure.jurisdictions.cn.account_balance import retirement_year_interest, whole_amount
from flexsecure.jurisdictions.cn.interest import interest_rule, year_interest
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import minor_unit
from flexsecure.values.periods import Month

__all__ = ["extended_months", "order_account_at_retirement", "order_flows"]


def extended_months(observed: int, until: int, simulated: int) -> int:
    """``round(observed / simulated × until)``: months observed in ``simulated`` months of the
    run, kept at that density for the ``until`` months from the start to retirement (numpy's
    rounding of the base career, half to even, so both extensions agree)."""
    if simulated <= 0 or until <= 0:
        return 0
    return round(observed * until / simulated)


def order_flows(total: int, active: int, months: int, retire: Month) -> dict[int, dict[int, int]]:
    """The per-order money of ``months`` consecutive months ending before ``retire`` (the legal
    retirement month), ``total`` fen over ``active`` observed active months held flat a month:
    ``{year: {month (1–12): fen}}`` (see the module docstring)."""
    for name, value in (("total", total), ("active", active), ("months", months)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(f"{name} must be an int >= 0, got {value!r}")
    flows: dict[int, dict[int, int]] = {}
    if not total or not active or not months:
        return flows
    first = retire.index - months
    done = 0
    for j in range(1, months + 1):
        so_far = (2 * j * total + active) // (2 * active)  # round half up, in integers
        month = Month._from_index(first + j - 1)
        flows.setdefault(month.year, {})[month.month] = so_far - done
        done = so_far
    return flows


def order_account_at_retirement(
    pack: RulePack,
    region: str,
    retire_on: dt.date,
    flows: dict[int, dict[int, int]],
    interest_rate: Decimal,
) -> Decimal:
    """The balance at ``retire_on`` (in the currency) that the per-order ``flows`` (fen, from
    :func:`order_flows`) build with the interest of ``region``'s account: each year before the
    retirement year by ``year_interest`` on the opening balance and the year's amounts, the
    retirement year's part year by ``retirement_year_interest`` (``interest_rate`` where no
    crediting rate is published)."""
    if not flows:
        return Decimal(0)
    currency = pack.currency
    unit = minor_unit(currency)
    opening = Decimal(0)
    last = retire_on.year
    for year in range(min(flows), last + 1):
        booked = {m: Decimal(fen) * unit for m, fen in sorted(flows.get(year, {}).items())}
        start = whole_amount(opening, currency)
        if year < last:
            rule = interest_rule(pack, region, year, assumed=interest_rate)
            interest = year_interest(start, booked, rule, currency)
        else:
            interest = retirement_year_interest(
                pack, region, retire_on, start, dict(booked), interest_rate, currency
            )
        opening += sum(booked.values(), Decimal(0)) + interest.amount
    return opening
