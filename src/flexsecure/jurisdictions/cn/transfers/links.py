"""The link between the resident pension and the employee pension (人社部发〔2014〕17号).

A worker who paid into the urban-rural residents' scheme (城乡居民基本养老保险, at the hukou
place) and into the employee scheme draws one pension. On reaching the employee scheme's legal
retirement age (fact sheet CN.md §5):

* with at least ``resident_pension.link_min_employee_years`` (15) of employee contributions the
  **resident account joins the employee account**: its whole balance merges into the employee
  individual account and the resident years are not added to the employee years
  (``resident_pension.link_counts_resident_years``: false; Art. 5);
* with fewer, the **employee account joins the resident scheme**: each employee individual
  account, with interest to the day, moves to the resident account and the employee years
  count as resident years (``resident_pension.link_counts_employee_years``; Art. 6, recalled,
  unverified); the pooled fund stays. The resident pension's account part is then the
  resident balance ÷ ``resident_pension.account_divisor`` (139) a month.

:func:`quote_scheme_link` computes the link from the ledger (the employee side) and the
resident account's balance and months (the resident scheme is not in the ledger), and
:meth:`SchemeLinkQuote.execute` gives the entries, with the same guarantees as a transfer:
all or nothing, once, only on the ledger version quoted. Overlapping periods paid in both
schemes (Art. 7: the resident contributions are refunded) are not modelled: the resident
scheme's months carry no calendar here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

import attrs

from flexsecure.calculations.accounts.ledger import (
    REGULAR_ACCOUNT,
    EntryBatch,
    EntryKind,
    Ledger,
    LedgerBasis,
    LedgerEntry,
)
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.retirement import retirement_date
from flexsecure.jurisdictions.cn.transfers.moves import (
    ACCOUNT_FUND,
    AccountMove,
    PooledMode,
    Used,
    leaves,
    use,
)
from flexsecure.jurisdictions.cn.transfers.planning import (
    check_assumed,
    check_date,
    plan_move,
    resolve_worker,
)
from flexsecure.jurisdictions.cn.transfers.view import (
    View,
    regular_relation,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput, TransferError
from flexsecure.values.explanation import Explanation, ExplanationValue
from flexsecure.values.money import Money, Rounding
from flexsecure.values.periods import Month

__all__ = ["LinkDirection", "SchemeLinkQuote", "quote_scheme_link", "resident_account_pension"]

MIN_EMPLOYEE_YEARS = "resident_pension.link_min_employee_years"
COUNTS_RESIDENT = "resident_pension.link_counts_resident_years"
COUNTS_EMPLOYEE = "resident_pension.link_counts_employee_years"
DIVISOR = "resident_pension.account_divisor"


class LinkDirection(StrEnum):
    """Which scheme joins which."""

    RESIDENT_TO_EMPLOYEE = "resident_to_employee"
    """Enough employee years: the resident account merges into the employee account."""
    EMPLOYEE_TO_RESIDENT = "employee_to_resident"
    """Too few: the employee accounts move to the resident scheme."""


def resident_account_pension(pack: RulePack, balance: Money, on: dt.date) -> Money:
    """The resident pension's monthly account part: ``balance`` ÷ the account divisor (139,
    国发〔2014〕8号 as reported), rounded half up to the fen."""
    if not isinstance(balance, Money):
        raise InvalidInput(f"balance must be Money, got {balance!r}")
    divisor = pack.value(DIVISOR, None, on).decimal()
    return (balance / divisor).quantize(rounding=Rounding.HALF_UP)


@attrs.frozen
class SchemeLinkQuote:
    """The link of the two schemes at retirement, and the entries that make it (:meth:`execute`)."""

    link_id: str
    direction: LinkDirection
    jurisdiction: str
    worker_id: str
    scheme: str
    currency: str
    on: dt.date
    legal_retirement_date: dt.date
    employee_months: int
    """Employee contribution months on ``on`` (all regions, duplicates once)."""
    min_employee_months: int
    resident_balance: Money
    """The resident account's balance before the link."""
    resident_months: int
    """Resident contribution months before the link."""
    region: str | None
    """``RESIDENT_TO_EMPLOYEE``: the employee region whose account receives the resident one."""
    moves: tuple[AccountMove, ...]
    """``EMPLOYEE_TO_RESIDENT``: what each employee account hands over."""
    employee_months_after: int
    resident_balance_after: Money
    resident_months_after: int
    resident_account_pension: Money | None
    """``EMPLOYEE_TO_RESIDENT``: the resident pension's monthly account part after the link."""
    basis: LedgerBasis
    entries: tuple[LedgerEntry, ...]
    parameters: tuple[ParameterValue, ...] = attrs.field(repr=False)

    @property
    def moved(self) -> Money:
        """Money that changes scheme: the resident balance, or the employee accounts."""
        if self.direction is LinkDirection.RESIDENT_TO_EMPLOYEE:
            return self.resident_balance
        return Money.sum((move.individual_account for move in self.moves), self.currency)

    def execute(self) -> tuple[LedgerEntry, ...]:
        """The entries that make the link, bound to the ledger version quoted (see
        :meth:`flexsecure.jurisdictions.cn.transfers.TransferQuote.execute`)."""
        return EntryBatch(self.entries, basis=self.basis, purpose=f"scheme link {self.link_id!r}")

    def explain(self) -> Explanation:
        values: dict[str, ExplanationValue] = {
            "direction": self.direction.value,
            "worker": self.worker_id,
            "on": self.on,
            "employee_months": self.employee_months,
            "min_employee_months": self.min_employee_months,
            "moved": self.moved,
            "resident_balance_after": self.resident_balance_after,
            "resident_months_after": self.resident_months_after,
            "employee_months_after": self.employee_months_after,
        }
        children = [
            Explanation(
                "link.condition",
                {
                    "legal_retirement_date": self.legal_retirement_date,
                    "employee_months": self.employee_months,
                    "min_employee_months": self.min_employee_months,
                },
                formula="employee months ≥ minimum: the resident account joins the employee "
                "scheme; otherwise the employee accounts join the resident scheme",
                children=leaves(self.parameters, (MIN_EMPLOYEE_YEARS,)),
            )
        ]
        if self.direction is LinkDirection.RESIDENT_TO_EMPLOYEE:
            children.append(
                Explanation(
                    "link.merge",
                    {
                        "region": self.region,
                        "amount": self.resident_balance,
                        "resident_months": self.resident_months,
                    },
                    formula="the whole resident balance merges; resident years are counted "
                    "only if the pack says so",
                    children=leaves(self.parameters, (COUNTS_RESIDENT,)),
                )
            )
        else:
            for move in self.moves:
                children.append(
                    Explanation(
                        "link.move",
                        {"region": move.region, "account": move.account},
                        children=move.explain(self.parameters),
                    )
                )
            children.append(
                Explanation(
                    "link.resident",
                    {
                        "balance": self.resident_balance_after,
                        "months": self.resident_months_after,
                        "pension": self.resident_account_pension,
                    },
                    formula="resident account pension = balance / divisor",
                    children=leaves(self.parameters, (COUNTS_EMPLOYEE, DIVISOR)),
                )
            )
        formula = (
            "the resident account joins the employee account"
            if self.direction is LinkDirection.RESIDENT_TO_EMPLOYEE
            else "the employee accounts join the resident scheme; the pooled fund stays"
        )
        return Explanation("link.quote", values, formula=formula, children=children)


def _check_resident(balance: object, months: object, currency: str) -> tuple[Money, int]:
    if not isinstance(balance, Money) or balance.currency != currency:
        raise InvalidInput(f"resident_balance must be Money in {currency}, got {balance!r}")
    if balance.is_negative or not balance.is_whole():
        raise InvalidInput(
            f"resident_balance must be >= 0 and a whole number of fen, got {balance!r}"
        )
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise InvalidInput(f"resident_months must be a whole number >= 0, got {months!r}")
    return balance, months


def quote_scheme_link(
    pack: RulePack,
    ledger: Ledger,
    *,
    resident_balance: Money,
    on: dt.date,
    resident_months: int = 0,
    worker: Worker | None = None,
    scheme: str = "pension",
    region: str | None = None,
    link_id: str | None = None,
    assumed_rate: Decimal | None = None,
) -> SchemeLinkQuote:
    """Quote linking the resident scheme with the employee scheme on ``on`` (人社部发〔2014〕17号;
    see the module docstring).

    ``on`` must be on or after the worker's legal retirement date
    (:func:`~flexsecure.jurisdictions.cn.retirement.retirement_date`) and the ledger's last entry.
    ``resident_balance`` and ``resident_months`` describe the resident account, which the
    ledger does not hold. ``region`` (resident → employee) is the employee region receiving
    the resident balance; by default the region where the relation is. ``link_id`` (default
    ``<worker>/<scheme>/link/<date>``) names the entries ``link/<link id>/...``.
    """
    ledger = ledger.in_currency(pack.currency)
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    pack.scheme(scheme)
    if region is not None:
        pack.region(region)
    balance, months = _check_resident(resident_balance, resident_months, ledger.money_currency)
    assumed = check_assumed(assumed_rate)
    if link_id is not None and (
        not isinstance(link_id, str) or link_id != link_id.strip() or not link_id
    ):
        raise InvalidInput(f"link_id must be a non-empty string, got {link_id!r}")
    view = View(ledger, scheme)
    on = check_date(ledger, view, on, "a scheme link")
    person = resolve_worker(ledger, worker, "the scheme link (legal retirement age)")
    legal = retirement_date(pack, person).legal_date
    if on < legal:
        raise TransferError(
            f"the schemes are linked on reaching the legal retirement age: worker "
            f"{person.id!r} reaches it on {legal}, got on={on}"
        )
    used: Used = {}
    employee = ledger.contributed_months(scheme, on=on)
    minimum = use(used, pack.value(MIN_EMPLOYEE_YEARS, None, on)).integer() * 12
    lid = link_id or f"{ledger.worker_id}/{scheme}/link/{on.isoformat()}"
    prefix = f"link/{lid}"
    zero = Money.zero(ledger.money_currency).quantize()
    entries: list[LedgerEntry] = []
    moves: list[AccountMove] = []
    if employee >= minimum:
        direction = LinkDirection.RESIDENT_TO_EMPLOYEE
        counts = use(used, pack.value(COUNTS_RESIDENT, None, on)).flag()
        target = region or regular_relation(view)
        if target is None:
            raise TransferError(
                f"worker {person.id!r} holds no employee relation to merge the resident "
                "account into; pass region="
            )
        entries.append(
            LedgerEntry(
                id=f"{prefix}/in",
                kind=EntryKind.TRANSFER_IN,
                worker_id=ledger.worker_id,
                scheme=scheme,
                region=target,
                month=None,
                booked_on=on,
                funds={ACCOUNT_FUND: balance},
                months=months if counts else 0,
                reference=prefix,
                note="resident scheme account merged into the employee account",
                account=REGULAR_ACCOUNT,
            )
        )
        employee_after = employee + (months if counts else 0)
        resident_after, resident_months_after, pension = zero, 0, None
    else:
        direction = LinkDirection.EMPLOYEE_TO_RESIDENT
        target = None
        counts = use(used, pack.value(COUNTS_EMPLOYEE, None, on)).flag()
        pending: frozenset[tuple[Month, str, str]] = frozenset()
        for key in view.accounts():
            if not view.held(key) and not view.balance(key, ACCOUNT_FUND):
                continue
            suffix = key[0] + ("" if key[1] == REGULAR_ACCOUNT else f"/{key[1]}")
            plan = plan_move(
                pack,
                view,
                key,
                on,
                pooled_mode=PooledMode.NONE,
                resolve_duplicates=True,
                prefix=prefix,
                out_id=f"{prefix}/out/{suffix}",
                interest_id=f"{prefix}/interest/{suffix}",
                destination="the resident scheme",
                assumed_rate=assumed,
                used=used,
                pending=pending,
            )
            if plan.move.individual_account or plan.move.months:
                pending = pending | plan.cleared
                moves.append(plan.move)
                entries.extend(plan.entries)
        if not moves:
            raise TransferError(
                f"worker {person.id!r} has no employee account to move to the resident scheme"
            )
        moved = Money.sum((move.individual_account for move in moves), ledger.money_currency)
        carried = sum(move.months for move in moves)
        employee_after = employee - carried
        resident_after = balance + moved
        resident_months_after = months + (carried if counts else 0)
        use(used, pack.value(DIVISOR, None, on))
        pension = resident_account_pension(pack, resident_after, on)
    return SchemeLinkQuote(
        link_id=lid,
        direction=direction,
        jurisdiction=pack.code,
        worker_id=ledger.worker_id,
        scheme=scheme,
        currency=ledger.money_currency,
        on=on,
        legal_retirement_date=legal,
        employee_months=employee,
        min_employee_months=minimum,
        resident_balance=balance,
        resident_months=months,
        region=target,
        moves=tuple(moves),
        employee_months_after=employee_after,
        resident_balance_after=resident_after,
        resident_months_after=resident_months_after,
        resident_account_pension=pension,
        basis=ledger.basis(),
        entries=tuple(entries),
        parameters=tuple(used.values()),
    )
