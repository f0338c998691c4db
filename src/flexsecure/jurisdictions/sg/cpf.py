"""CPF contributions of platform workers, per operator (Platform Workers Act 2024).

Each platform operator computes on the net earnings (NE, :mod:`.earnings`) the worker earned
through it that month, on its own — contributions are never pooled across operators (CPF
calculator: "CPF contributions are computed on a per-platform basis"). The tiers of one
operator's NE (CPF, *born in 1995 or later*; pack: ``cpf.no_contribution_up_to``,
``cpf.worker_share_from``, ``cpf.full_worker_share_from``):

=====================  =====================  ==========================================
NE                     operator (PO)          worker (PW)
=====================  =====================  ==========================================
≤ $50                  0                      0
$50 – $500             PO rate × NE           0
$500 – $750            PO rate × NE           k × (NE − 500), k = 3 × PW rate
> $750                 PO rate × NE           PW rate × NE
=====================  =====================  ==========================================

so the worker's share is continuous at $500 and $750. Rates rise each year from 2025 to
2029 and depend on the worker's age band (pack: ``cpf.operator_rate``, ``cpf.worker_rate``
and their ``_over_55`` tables). Group A — born on or after 1 Jan 1995, or opted in — pays
this in full; Group B — born before 1995 and not opted in — pays MediSave only, from its
own share, and the operator pays nothing (MOM).

The total is credited MediSave first (the band's MediSave rate × NE, the same whether or
not the worker opted in — ask.gov.sg), then the Special Account (the Retirement Account from
55), the Ordinary Account taking the rest.

Every function is pure: figures come in as arguments, from the pack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import Money, Rounding
from flexsecure.values.periods import Month

__all__ = [
    "Allocation",
    "allocate",
    "band_age",
    "band_rate",
    "fill_in_order",
    "is_group_a",
    "medisave_only_share",
    "operator_share",
    "round_total_nearest_worker_down",
    "worker_share",
]


# -- who and which band ------------------------------------------------------------------


def is_group_a(birth_date: dt.date, opted_in: bool, mandatory_birth_year_from: int) -> bool:
    """Group A: born on or after 1 January of the mandatory year (1995), or opted in.

    MOM: increased CPF is mandatory for workers born on or after 1 Jan 1995; older workers
    may opt in (irreversibly, for all their operators) and then pay the same rates.
    """
    return birth_date.year >= mandatory_birth_year_from or opted_in


def band_age(birth_date: dt.date, month: Month, months_after_birthday: int) -> int:
    """The age (in whole years) that picks the worker's age band in ``month``.

    A band "above N" applies from the month that is ``months_after_birthday`` months after
    the month of the N-th birthday (1 for CPF employees: the month after the birthday month;
    pack: ``cpf.age_band_months_after_birthday``). So a worker is "above 50" from the month
    after the month they turn 50, and this returns 50 from then on.
    """
    if months_after_birthday < 0:
        raise InvalidInput(f"months_after_birthday must be >= 0, got {months_after_birthday}")
    elapsed = month.months_since(Month.of(birth_date)) - months_after_birthday
    if elapsed < 0:
        raise InvalidInput(f"month {month} is before the worker's birth ({birth_date})")
    return elapsed // 12


def band_rate(tables: Sequence[Mapping[int, Decimal]], age: int) -> tuple[int, Decimal]:
    """The cell of the worker's band: the greatest key ≤ ``age`` over ``tables``.

    A table's keys are the ages a band is *above* (0: 35 and below, 35: above 35 to 45, …);
    the rates up to 55 and above 55 live in separate tables (their evidence differs), so
    several tables may be given. Returns ``(key, rate)``.
    """
    cells: dict[int, Decimal] = {}
    for table in tables:
        for key, rate in table.items():
            if key in cells:
                raise InvalidInput(f"age band {key} is given by two tables")
            cells[key] = rate
    keys = [key for key in cells if key <= age]
    if not keys:
        raise RuleNotFound(f"no age band covers age {age}; bands start at {min(cells, default=0)}")
    key = max(keys)
    return key, cells[key]


# -- the shares ---------------------------------------------------------------------------


def operator_share(net_earnings: Money, rate: Decimal, no_contribution_up_to: Money) -> Money:
    """The operator's exact share: PO rate × NE once NE is above the $50 threshold."""
    if net_earnings <= no_contribution_up_to:
        return Money.zero(net_earnings.currency)
    return net_earnings * rate


def worker_share(
    net_earnings: Money,
    rate: Decimal,
    phase_in_factor: Decimal,
    share_from: Money,
    full_share_from: Money,
) -> Money:
    """The worker's exact share: 0 to $500, k × (NE − 500) to $750, PW rate × NE above.

    k = ``phase_in_factor`` × PW rate (3 × rate, so that k × 250 = rate × 750 and the share
    is continuous at $750; every coefficient of CPF's rate file fits it).
    """
    if net_earnings <= share_from:
        return Money.zero(net_earnings.currency)
    if net_earnings <= full_share_from:
        return (net_earnings - share_from) * (phase_in_factor * rate)
    return net_earnings * rate


def medisave_only_share(
    net_earnings: Money,
    medisave_rate: Decimal,
    phase_in_factor: Decimal,
    no_contribution_up_to: Money,
    share_from: Money,
    full_share_from: Money,
    *,
    worker_tiers: bool,
) -> Money:
    """Group B's exact share: MediSave only, paid by the worker (MOM); no operator share.

    With ``worker_tiers`` (pack: ``cpf.group_b_worker_tiers``, unverified) it follows the
    worker's tiers of Group A at the MediSave rate; otherwise it is the MediSave rate × NE
    above the $50 threshold.
    """
    if worker_tiers:
        return worker_share(
            net_earnings, medisave_rate, phase_in_factor, share_from, full_share_from
        )
    return operator_share(net_earnings, medisave_rate, no_contribution_up_to)


# -- rounding -------------------------------------------------------------------------------


def round_total_nearest_worker_down(
    exact: Mapping[str, Money], unit: Decimal, mode: Rounding
) -> dict[str, Money]:
    """CPF's rounding for employees, applied to one operator's two shares.

    CPF employer FAQ: the total is rounded to the nearest dollar (50 cents count as a
    dollar: ``mode`` half-up, ``unit`` 1); the employee's share has its cents dropped; the
    employer pays the total less the employee's share. Here the worker is the employee and
    the other payer (the operator) the employer. A worker paying alone (Group B) pays their
    share with the cents dropped; any single other payer pays its amount rounded by ``mode``.
    """
    if not exact:
        return {}
    others = [payer for payer in exact if payer != "worker"]
    if len(others) > 1:
        raise InvalidInput(
            f"CPF rounding splits a total between the worker and one other payer, got "
            f"{', '.join(sorted(exact))}"
        )
    if "worker" not in exact:
        (payer,) = others
        return {payer: exact[payer].quantize(unit, mode)}
    worker = exact["worker"].quantize(unit, Rounding.DOWN)
    if not others:
        return {"worker": worker}
    (other,) = others
    total = (exact["worker"] + exact[other]).quantize(unit, mode)
    return {"worker": worker, other: total - worker}


# -- allocation to accounts -------------------------------------------------------------------


@attrs.frozen
class Allocation:
    """One operator's total split over the worker's accounts (summing to it exactly)."""

    ordinary: Money
    special: Money
    """The Special Account, or the Retirement Account from 55."""
    medisave: Money

    @property
    def total(self) -> Money:
        return self.ordinary + self.special + self.medisave


def allocate(
    total: Money, net_earnings: Money, medisave_rate: Decimal, special_share: Decimal
) -> Allocation:
    """Credit ``total`` MediSave first, then Special/Retirement, Ordinary the rest.

    MediSave gets the band's MediSave rate × NE (ask.gov.sg: the MediSave allocation is the
    same whether or not the worker opts in; the increase goes to the other accounts), never
    more than the total; the Special (or Retirement) Account gets ``special_share`` of what
    is left; the Ordinary Account the remainder — CPF's order of allocation for employees.
    Parts are rounded half-up to the cent (a project choice: no rule was found).
    """
    if total.is_negative:
        raise InvalidInput(f"a contribution total must be >= 0, got {total!r}")
    medisave = min((net_earnings * medisave_rate).quantize(), total)
    special = ((total - medisave) * special_share).quantize()
    return Allocation(ordinary=total - medisave - special, special=special, medisave=medisave)


def fill_in_order(amounts: Sequence[Money], buckets: Sequence[Money]) -> list[list[Money]]:
    """Split each amount over the buckets, filling the buckets in order.

    ``amounts`` (the payers' shares, the worker's first) and ``buckets`` (the accounts, in
    order of allocation) must have the same sum. Row ``i`` of the result is how amount ``i``
    splits over the buckets; every row sums to its amount and every column to its bucket.
    CPF credits a member's accounts, not a payer's: which payer's dollars fill which account
    is a presentation choice, and this one puts the worker's share into MediSave first — the
    account Group B's share goes to alone.
    """
    if not amounts or not buckets:
        raise InvalidInput("fill_in_order needs amounts and buckets")
    currency = amounts[0].currency
    if any(money.currency != currency for money in (*amounts, *buckets)):
        raise InvalidInput(f"fill_in_order needs amounts and buckets all in {currency}")
    left = [bucket.amount for bucket in buckets]
    wanted = sum((amount.amount for amount in amounts), Decimal(0))
    if wanted != sum(left, Decimal(0)):
        raise InvalidInput(
            f"amounts sum to {wanted} {currency}, buckets to {sum(left, Decimal(0))} {currency}"
        )
    rows: list[list[Money]] = []
    for amount in amounts:
        remaining = amount.amount
        row = []
        for index, space in enumerate(left):
            part = min(remaining, space)
            left[index] = space - part
            remaining -= part
            row.append(Money.unchecked(part, currency))
        rows.append(row)
    return rows
