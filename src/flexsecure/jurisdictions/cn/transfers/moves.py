"""What one account hands over when it moves: money with interest to the day, pooled part, months.

Every movement of this package — a transfer between regions, a temporary account opened or
collected, the link with the resident scheme — is one or more *account moves*. An account is
a (region, account) pair of one scheme in the ledger: ``("CN-SH", "regular")`` is the
relation in Shanghai, ``("CN-GD", "temporary")`` a temporary contribution account in
Guangdong. A move computes, from the ledger as it stands:

* **interest to the day** (《社会保险法》 Art. 14; 国办发〔2009〕66号 Art. 4 (1) moves the account
  "with interest"). Complete years not yet credited are credited as
  :func:`~flexsecure.jurisdictions.cn.crediting.credit_interest` does, with the same entries (ids
  ``interest/<worker>/<scheme>/<region>/<year>``), so crediting them again later is a no-op.
  A year in which the account was emptied by an earlier transfer earns interest only on what
  arrived after it: the transfer settled the rest. The transfer year itself earns the pack's
  part-year rule (``transfer.part_year_interest``: the year's formula × completed months ÷ 12,
  at the rate of ``transfer.part_year_rate_lag_years`` before; unverified), booked in the
  sending account on the transfer date.
* **the pooled-fund part** (66号 Art. 4 (2)): ``transfer.pooled_rate`` (12 %) × the sum of
  the monthly contribution bases the account was paid on, for months from January of
  ``transfer.pooled_bases_from_year`` (1998), rounded with the scheme's rounding rule; plus,
  whole, what arrived in the account by earlier transfers (it was computed the same way where
  it was paid). A temporary account hands over everything recorded in it ("全部缴费本息").
* **the months**: every contributed month the account holds, except the months *cleared* as
  duplicates (below).
* **duplicate months** (CN.md §4.4, unverified): a month paid both in the moving account and
  in another account is listed; by ``transfer.duplicate_keep_sending`` one payment is kept and
  the other cleared — recorded with an ``adjustment`` entry without money whose marker is
  ``duplicate_cleared``, not carried, its base not counted toward the pooled part.
  The refund of a cleared payment is the agencies' business and is not booked. A payment
  already carried on by an earlier transfer is always the one kept.

"Held" means booked after the account's last ``transfer_out`` (in ledger order): what a
transfer out took is gone, what came after stays.

This module holds what a move *is* (:class:`AccountMove` and its parts); computing one is
split by concern: :mod:`.view` (the ledger by account, markers, where the relation is),
:mod:`.planning` (one move's entries), :mod:`.duplicates` and :mod:`.settlement` (interest to
the day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

import attrs

from flexsecure.calculations.statements import parameter_node
from flexsecure.jurisdictions.cn.interest import (
    CURRENT_YEAR_FACTOR,
)
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.explanation import Explanation, ExplanationValue
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "ACCOUNT_FUND",
    "KEEP_SENDING",
    "PART_YEAR",
    "PART_YEAR_LAG",
    "POOLED_FROM_YEAR",
    "POOLED_FUND",
    "POOLED_RATE",
    "RATE_NAMES",
    "TEMPORARY_ACCOUNT",
    "AccountMove",
    "DuplicateMonth",
    "InterestCredit",
    "PooledMode",
    "leaves",
    "use",
]


TEMPORARY_ACCOUNT = "temporary"
"""The temporary contribution account (临时基本养老保险缴费账户) of 国办发〔2009〕66号: a worker who
moves, aged 50+ (men) or 40+ (women), to a region that is not their hukou region keeps the
relation where it was and pays into a temporary account at the new place
(:mod:`flexsecure.jurisdictions.cn.transfers`)."""


ACCOUNT_FUND = "individual_account"
POOLED_FUND = "pooled"
POOLED_RATE = "transfer.pooled_rate"
POOLED_FROM_YEAR = "transfer.pooled_bases_from_year"
PART_YEAR = "transfer.part_year_interest"
PART_YEAR_LAG = "transfer.part_year_rate_lag_years"
KEEP_SENDING = "transfer.duplicate_keep_sending"
RATE_NAMES = ("account_interest.regional_rate", "account_interest.rate")

Key = tuple[str, str]
"""An account of one scheme: (region, account)."""

Used = dict[tuple[str, str | None, dt.date], ParameterValue]
"""Parameter values read while quoting, by (name, region, effective date)."""


def use(used: Used, value: ParameterValue) -> ParameterValue:
    """Record ``value`` as read and return it."""
    used.setdefault((value.name, value.region, value.effective_from), value)
    return value


class PooledMode(StrEnum):
    """What an account move hands over from the pooled fund."""

    SHARE = "share"
    """``transfer.pooled_rate`` × the contribution bases, plus what arrived by transfer
    (66号 Art. 4 (2)): a move of the relation between regions."""
    WHOLE = "whole"
    """Everything recorded: a temporary account's "全部缴费本息" (66号 Art. 5 (2))."""
    NONE = "none"
    """Nothing: the employee account joining the resident scheme (人社部发〔2014〕17号)."""


@attrs.frozen
class InterestCredit:
    """Interest credited to a moving account before it leaves: a complete year or the part year."""

    entry_id: str
    region: str
    account: str
    year: int
    months: int
    """12 for a complete year; the months completed on the transfer date for the part year."""
    opening: Money
    """The balance the year's interest runs on (0 after a transfer out emptied the account)."""
    current: Money
    """The year's own amounts (after the last transfer out of the year, if any)."""
    rate: Decimal
    rate_year: int
    """The year whose published rate was used (the part year uses an earlier year's)."""
    assumed: bool
    """True when no rate was published for ``rate_year`` and ``assumed_rate`` was used."""
    amount: Money

    def explain(self) -> Explanation:
        return Explanation(
            "transfer.interest",
            {
                "year": self.year,
                "months": self.months,
                "opening": self.opening,
                "current": self.current,
                "rate": self.rate,
                "rate_year": self.rate_year,
                "assumed": "yes" if self.assumed else "no",
                "amount": self.amount,
            },
            formula=(
                "(opening × rate + current × rate × current-year factor) × months / 12, "
                "rounded half up to the fen"
            ),
        )


@attrs.frozen
class DuplicateMonth:
    """A month paid both by the moving account and by another one, and which payment is kept."""

    month: Month
    region: str
    account: str
    other_region: str
    other_account: str
    kept_region: str
    kept_account: str

    @property
    def cleared(self) -> Key:
        """The (region, account) whose payment of the month is cleared."""
        if (self.kept_region, self.kept_account) == (self.region, self.account):
            return (self.other_region, self.other_account)
        return (self.region, self.account)

    def explain(self) -> Explanation:
        return Explanation(
            "transfer.duplicate",
            {
                "month": self.month,
                "region": self.region,
                "other_region": self.other_region,
                "kept_region": self.kept_region,
                "cleared_region": self.cleared[0],
            },
        )


@attrs.frozen
class AccountMove:
    """Everything one account hands over: see the module docstring for the rules."""

    region: str
    account: str
    principal: Money
    """The individual-account balance before the interest settled by the move."""
    interest: tuple[InterestCredit, ...]
    individual_account: Money
    """What moves from the individual account: ``principal`` + the interest."""
    pooled_mode: PooledMode
    pooled_rate: Decimal | None
    pooled_bases: Money
    """The sum of the monthly contribution bases counted (``SHARE``)."""
    pooled_months: int
    """How many months' bases are in ``pooled_bases``."""
    pooled_share: Money
    """``pooled_rate`` × ``pooled_bases``, rounded (``SHARE``)."""
    pooled_forwarded: Money
    """Pooled amounts that arrived by transfer and are passed on whole (``SHARE``)."""
    pooled: Money
    """What moves from the pooled fund."""
    months_held: int
    """Contributed months the account holds (as :meth:`Ledger.contributed_months` counts)."""
    months_cleared: int
    """The account's payments of duplicate months that are cleared (by this move or an
    earlier one): they stay on record where they were paid and never move."""
    months: int
    """Contributed months that move: ``months_held`` − ``months_cleared``."""
    duplicates: tuple[DuplicateMonth, ...]

    @property
    def interest_total(self) -> Money:
        total = Money.sum((credit.amount for credit in self.interest), self.principal.currency)
        return total.quantize()  # exact: whole fen

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to hand over: no money and no months."""
        return not self.individual_account and not self.pooled and not self.months

    def explain(self, parameters: Iterable[ParameterValue]) -> tuple[Explanation, ...]:
        """Nodes for the individual account, the pooled fund, the months and the duplicates."""
        account = Explanation(
            "transfer.individual_account",
            {
                "region": self.region,
                "account": self.account,
                "principal": self.principal,
                "interest": self.interest_total,
                "amount": self.individual_account,
            },
            formula="the whole balance moves, with interest to the transfer date",
            children=[credit.explain() for credit in self.interest]
            + leaves(parameters, (*RATE_NAMES, CURRENT_YEAR_FACTOR, PART_YEAR, PART_YEAR_LAG)),
        )
        pooled_values: dict[str, ExplanationValue] = {
            "mode": self.pooled_mode.value,
            "amount": self.pooled,
        }
        if self.pooled_mode is PooledMode.SHARE:
            pooled_values.update(
                rate=self.pooled_rate,
                bases=self.pooled_bases,
                months=self.pooled_months,
                share=self.pooled_share,
                forwarded=self.pooled_forwarded,
            )
            formula = "round(rate × sum of monthly bases) + amounts that arrived by transfer"
        elif self.pooled_mode is PooledMode.WHOLE:
            formula = "everything recorded in the account"
        else:
            formula = "the pooled fund stays"
        pooled = Explanation(
            "transfer.pooled." + self.pooled_mode.value,
            pooled_values,
            formula=formula,
            children=leaves(parameters, (POOLED_RATE, POOLED_FROM_YEAR)),
        )
        months = Explanation(
            "transfer.months",
            {"months": self.months, "held": self.months_held, "cleared": self.months_cleared},
            formula="months held − duplicate months cleared",
            children=[d.explain() for d in self.duplicates]
            + (leaves(parameters, (KEEP_SENDING,)) if self.duplicates else []),
        )
        return (account, pooled, months)


def leaves(parameters: Iterable[ParameterValue], names: tuple[str, ...]) -> list[Explanation]:
    """Cited leaves for the values of ``parameters`` named in ``names``, in that order."""
    chosen = [value for value in parameters if value.name in names]
    chosen.sort(key=lambda v: (names.index(v.name), v.region or "", v.effective_from))
    return [parameter_node(value) for value in chosen]
