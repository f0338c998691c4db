"""Due versus paid: statement lines posted as owed, and the payments that settle them.

A statement posted with ``paid=False`` (:meth:`Ledger.post <flexsecure.Ledger.post>`) puts
one ``due`` entry per line in
:attr:`Ledger.dues <flexsecure.calculations.accounts.Ledger.dues>`: what the line asks for,
not money on the account. :meth:`Ledger.pay <flexsecure.Ledger.pay>` takes a
:class:`~flexsecure.calculations.schedules.Reconciliation` and books what each payment paid as
``contribution`` entries, on the day it was paid, under the payment's reference. Balances,
interest, contributed months, pension projections and transfers read only those entries, so
an unpaid month counts for nothing (《社会保险法》 Art. 16 counts years 累计缴费, paid; Art. 60
asks for contributions 按时足额, in full).

How a payment is spread, and when a month counts:

- **A payer's own schedule** (the installment's party is the ledger's worker): each payment
  applied to an installment pays the due lines of the installment's payer and region, oldest
  month first and then in the order they were posted, each up to what it still owes. A
  payment that does not fit the dues on the ledger is an error: post the statements with
  ``paid=False`` first.
- **Another party's remittance** (a platform's, for all its workers): its lines of this worker
  count as paid only once the whole installment is paid; a remittance paid in part leaves
  them unpaid, as the lines of one worker cannot be told from the others' (a project reading).
- Within a line, the amount paid is split over the line's funds by the largest-remainder rule
  on the running total, so a line paid in parts ends with exactly its funds.
- A (scheme, region, month) counts as a contributed month as the pack's
  ``schedule.<payer>.partial_month`` says: ``not_counted`` (only once every due line of it is
  paid in full) or ``counted`` (from its first payment). The entry that makes it count carries
  ``months=1`` and the month's base.

Each payment entry's id is the line's contribution id with ``/paid/<payment reference>``, so
paying the same reconciliation again is a no-op, and a later reconciliation that moves a
payment already booked to another month is a :class:`~flexsecure.values.errors.LedgerConflict`
(entries are never rewritten).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from flexsecure.calculations.accounts.entries import (
    ENTRY_FIELDS,
    EntryKind,
    LedgerEntry,
    unchecked_entry,
)
from flexsecure.calculations.accounts.index import MonthSlot, month_slot
from flexsecure.calculations.schedules.installments import Installment
from flexsecure.calculations.schedules.payments import (
    AppliedPayment,
    InstallmentStatus,
    Reconciliation,
)
from flexsecure.calculations.schedules.rules import PartialMonth
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "DUE_PREFIX",
    "as_due",
    "due_of_payment",
    "outstanding_by_due",
    "payment_entries",
    "payment_entry_id",
]

DUE_PREFIX = "due/"
_CONTRIBUTION_PREFIX = "contribution/"
_PAID = "/paid/"


def as_due(entry: LedgerEntry) -> LedgerEntry:
    """The ``due`` entry of a statement line's contribution entry: same line, owed, no month."""
    values = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    values.update(
        id=DUE_PREFIX + entry.id.removeprefix(_CONTRIBUTION_PREFIX),
        kind=EntryKind.DUE,
        months=0,
    )
    return unchecked_entry(**values)


def payment_entry_id(due_id: str, reference: str) -> str:
    """``contribution/<the line's id>/paid/<payment reference>``."""
    return f"{_CONTRIBUTION_PREFIX}{due_id.removeprefix(DUE_PREFIX)}{_PAID}{reference}"


def due_of_payment(entry: LedgerEntry) -> str | None:
    """The id of the due line ``entry`` paid, or ``None`` when it is not a payment entry."""
    reference = entry.reference
    if entry.kind is not EntryKind.CONTRIBUTION or reference is None:
        return None
    tail = _PAID + reference
    if not entry.id.endswith(tail) or not entry.id.startswith(_CONTRIBUTION_PREFIX):
        return None
    return DUE_PREFIX + entry.id[len(_CONTRIBUTION_PREFIX) : -len(tail)]


def _first_day(month: Month | None) -> dt.date:
    return dt.date.min if month is None else month.first_day


def _total(entry: LedgerEntry) -> Decimal:
    return sum((amount.amount for _, amount in entry.funds), Decimal(0))


def outstanding_by_due(
    dues: Iterable[LedgerEntry],
    entries: Iterable[LedgerEntry],
    *,
    on: dt.date | None = None,
    leave_out: Callable[[LedgerEntry], bool] | None = None,
) -> dict[str, tuple[Decimal, Decimal]]:
    """Due id → (owed, paid so far) over ``entries`` booked on or before ``on``, leaving out
    the payment entries ``leave_out`` says."""
    result = {due.id: (_total(due), Decimal(0)) for due in dues}
    for entry in entries:
        due_id = due_of_payment(entry)
        if (
            due_id is None
            or due_id not in result
            or (leave_out is not None and leave_out(entry))
            or (on is not None and entry.booked_on > on)
        ):
            continue
        owed, paid = result[due_id]
        result[due_id] = (owed, paid + _total(entry))
    return result


def _candidates(
    dues: tuple[LedgerEntry, ...],
    position: Mapping[str, int],
    installment: Installment,
    platform: str | None,
) -> list[LedgerEntry]:
    """The due lines an installment pays: its payer's and region's in its months (and of
    ``platform`` when given), oldest month first, then in the order posted."""
    months = set(installment.months)
    chosen = [
        due
        for due in dues
        if due.payer == installment.payer
        and due.region == installment.region
        and due.month in months
        and (platform is None or due.platform_id == platform)
    ]
    return sorted(chosen, key=lambda d: (_first_day(d.month), position[d.id]))


class _Booking:
    """The payment entries of one reconciliation, built against the dues they pay.

    What the reconciliation's own payments booked on these dues before (the same
    reconciliation paid again, or an earlier one with fewer payments) is left out and booked
    anew, so paying is idempotent and the result depends only on the reconciliation."""

    def __init__(
        self,
        dues: tuple[LedgerEntry, ...],
        entries: tuple[LedgerEntry, ...],
        leave_out: Callable[[LedgerEntry], bool],
    ) -> None:
        state = outstanding_by_due(dues, entries, leave_out=leave_out)
        self.owed = {due_id: owed for due_id, (owed, _) in state.items()}
        self.paid = {due_id: paid for due_id, (_, paid) in state.items()}
        self.counted: set[MonthSlot] = {
            month_slot(entry)
            for entry in entries
            if entry.months and entry.kind is EntryKind.CONTRIBUTION and not leave_out(entry)
        }
        self.slots: dict[MonthSlot, list[LedgerEntry]] = {}
        for due in dues:
            self.slots.setdefault(month_slot(due), []).append(due)
        self.new: list[LedgerEntry] = []

    def pay(
        self, due: LedgerEntry, amount: Decimal, applied: AppliedPayment, rule: PartialMonth
    ) -> None:
        """Book ``amount`` of ``applied`` on ``due``."""
        before = self.paid[due.id]
        after = before + amount
        funds = _increment(due, before, after)
        self.paid[due.id] = after
        slot = month_slot(due)
        months, base = 0, due.base
        if slot not in self.counted and self._counts(slot, rule):
            self.counted.add(slot)
            months = 1
            if base is None:
                base = next((d.base for d in self.slots[slot] if d.base is not None), None)
            if base is None:
                months = 0  # a per-order line: no base, no month
        self.new.append(
            unchecked_entry(
                id=payment_entry_id(due.id, applied.reference),
                kind=EntryKind.CONTRIBUTION,
                worker_id=due.worker_id,
                scheme=due.scheme,
                region=due.region,
                month=due.month,
                booked_on=applied.paid_on,
                funds=funds,
                base=base,
                months=months,
                reference=applied.reference,
                note=f"paid against {applied.installment}",
                account=due.account,
                payer=due.payer,
                platform_id=due.platform_id,
                rate=due.rate,
            )
        )

    def _counts(self, slot: MonthSlot, rule: PartialMonth) -> bool:
        if rule is PartialMonth.COUNTED:
            return True
        return all(self.paid[d.id] >= self.owed[d.id] for d in self.slots[slot])


def _increment(due: LedgerEntry, before: Decimal, after: Decimal) -> tuple[tuple[str, Money], ...]:
    """The funds of a payment taking ``due`` from ``before`` to ``after`` paid: the
    largest-remainder split of the running total, less the split of what was paid before."""
    if not due.funds:
        return ()
    currency = due.funds[0][1].currency
    weights = [amount.amount for _, amount in due.funds]
    owed = sum(weights, Decimal(0))
    if after >= owed:
        upto = [amount for _, amount in due.funds]
    else:
        upto = list(Money.unchecked(after, currency).allocate(weights))
    if before:
        earlier = Money.unchecked(before, currency).allocate(weights)
        pairs = zip(upto, earlier, strict=True)
        parts = [Money.unchecked(a.amount - b.amount, currency) for a, b in pairs]
    else:
        parts = upto
    return tuple((name, part) for (name, _), part in zip(due.funds, parts, strict=True))


def payment_entries(
    worker_id: str,
    dues: tuple[LedgerEntry, ...],
    entries: tuple[LedgerEntry, ...],
    reconciliation: Reconciliation,
) -> list[LedgerEntry]:
    """The contribution entries of what ``reconciliation``'s payments paid on ``dues``."""
    if not isinstance(reconciliation, Reconciliation):
        raise InvalidInput(
            f"reconciliation must be a Reconciliation (schedule.reconcile(payments, on=...)), "
            f"got {reconciliation!r}"
        )
    references = frozenset(payment.reference for payment in reconciliation.payments)
    position = {due.id: index for index, due in enumerate(dues)}
    plans: list[tuple[InstallmentStatus, list[LedgerEntry]]] = []
    for status in reconciliation.statuses:
        installment = status.installment
        own = installment.party_id == worker_id
        platform = None if own else installment.party_id
        plans.append((status, _candidates(dues, position, installment, platform)))
    targets = {due.id for _, chosen in plans for due in chosen}

    def leave_out(entry: LedgerEntry) -> bool:
        return entry.reference in references and due_of_payment(entry) in targets

    booking = _Booking(dues, entries, leave_out)
    for status, dues_here in plans:
        installment = status.installment
        rule = installment.rules.partial_month
        if installment.party_id == worker_id:
            for applied in status.applied:
                left = applied.amount.amount
                for due in dues_here:
                    open_amount = booking.owed[due.id] - booking.paid[due.id]
                    take = min(left, open_amount)
                    if take > 0:
                        booking.pay(due, take, applied, rule)
                        left -= take
                if left:
                    raise InvalidInput(
                        f"payment {applied.reference!r} paid {applied.amount} on installment "
                        f"{installment.key}, and {left} of it matches no due line left on "
                        "this ledger; post the statements with paid=False before paying them"
                    )
        elif status.applied and not status.outstanding and not status.lapsed:
            # another party's remittance: this worker's lines are paid once all of it is
            last = max(status.applied, key=lambda a: (a.paid_on, a.reference))
            for due in dues_here:
                open_amount = booking.owed[due.id] - booking.paid[due.id]
                if open_amount > 0:
                    booking.pay(due, open_amount, last, rule)
    return booking.new
