"""What a ledger answers: balances, contributed months, regions, and what is still owed.

Every answer is a sum over the ledger's entries, filtered by scheme, region, account and date;
nothing derived is stored. :class:`LedgerQueries` is the part of
:class:`~flexsecure.calculations.accounts.ledger.Ledger` that reads; the ledger itself appends.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flexsecure.calculations.accounts.dues import outstanding_by_due
from flexsecure.calculations.accounts.entries import EntryKind, LedgerEntry
from flexsecure.calculations.accounts.index import ContributionMonth, month_slot
from flexsecure.facts.vocabulary import Fund, Scheme
from flexsecure.values.checks import plain_name
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = ["LedgerQueries"]

_SCHEMES = frozenset(member.value for member in Scheme)
_FUNDS = frozenset(member.value for member in Fund)


class LedgerQueries:
    """Balances, months and what is owed, read from ``entries`` and ``dues``."""

    __slots__ = ()

    worker_id: str
    entries: tuple[LedgerEntry, ...]
    dues: tuple[LedgerEntry, ...]
    currency: str | None

    def balance(
        self,
        scheme: str,
        fund: str,
        *,
        region: str | None = None,
        on: dt.date | None = None,
        account: str | None = None,
    ) -> Money:
        """The sum of ``fund`` over the entries of ``scheme`` booked on or before ``on``.

        For ``individual_account`` this is the account balance with the interest credited so
        far; for ``pooled`` it is a record of what was paid into the pooled fund, which buys
        years of service, not a balance of the worker's. ``region=None`` sums all regions,
        ``account=None`` all accounts. A scheme or fund that is neither a common name
        (:class:`~flexsecure.Scheme`, :class:`~flexsecure.Fund`) nor on any entry is a
        misspelling and raises :class:`~flexsecure.values.errors.InvalidInput` (not a zero).
        """
        self._check_names(scheme, fund)
        total = Decimal(0)
        for entry in self.entries:
            if (
                entry.scheme != scheme
                or (region is not None and entry.region != region)
                or (on is not None and entry.booked_on > on)
                or (account is not None and entry.account != account)
            ):
                continue
            for name, amount in entry.funds:
                if name == fund:
                    total += amount.amount
        return Money.unchecked(total, self.money_currency)

    def _check_names(self, scheme: object, fund: object) -> None:
        scheme, fund = plain_name(scheme), plain_name(fund)
        if not isinstance(scheme, str) or not isinstance(fund, str):
            raise InvalidInput(f"scheme and fund must be names, got {scheme!r} and {fund!r}")
        if scheme not in _SCHEMES and all(entry.scheme != scheme for entry in self.entries):
            known = sorted(_SCHEMES | {entry.scheme for entry in self.entries})
            raise InvalidInput(f"no scheme {scheme!r} on this ledger; known: {', '.join(known)}")
        if fund not in _FUNDS and all(entry.fund(fund) is None for entry in self.entries):
            known = sorted(_FUNDS | {name for entry in self.entries for name, _ in entry.funds})
            raise InvalidInput(f"no fund {fund!r} on this ledger; known: {', '.join(known)}")

    @property
    def money_currency(self) -> str:
        """The ledger's currency, for amounts derived from it; an empty ledger with no currency
        given has none yet and raises :class:`~flexsecure.values.errors.InvalidInput`."""
        if self.currency is None:
            raise InvalidInput(
                f"the ledger of {self.worker_id!r} has no currency yet: nothing is posted; give "
                "currency= to Ledger.for_worker (the jurisdiction's, e.g. cn.currency)"
            )
        return self.currency

    def contributed_months(
        self, scheme: str, *, region: str | None = None, on: dt.date | None = None
    ) -> int:
        """Contributed months of ``scheme`` booked on or before ``on``.

        Distinct calendar months of contribution, plus the months carried by transfer and
        adjustment entries. A month paid in two regions counts once here when ``region`` is
        ``None`` and once in each region when asked per region, so a duplicate month shows
        as ``sum over regions > total``.
        """
        months: set[Month | None] = set()
        carried = 0
        for entry in self.entries:
            if (
                entry.scheme != scheme
                or (region is not None and entry.region != region)
                or (on is not None and entry.booked_on > on)
            ):
                continue
            if entry.kind is EntryKind.CONTRIBUTION:
                if entry.months:
                    months.add(entry.month)
            else:
                carried += entry.months
        return len(months) + carried

    def contribution_months(
        self, scheme: str, region: str | None = None, *, on: dt.date | None = None
    ) -> tuple[ContributionMonth, ...]:
        """Each (month, region) contributed to ``scheme``, with its base, sorted.

        The history as paid: months later carried to another region by a transfer still show
        under the region that collected them. A month paid in two regions appears twice.
        """
        chosen: dict[tuple[Month, str], LedgerEntry] = {}
        for entry in self.entries:
            if (
                entry.kind is not EntryKind.CONTRIBUTION
                or not entry.months
                or entry.scheme != scheme
                or (region is not None and entry.region != region)
                or (on is not None and entry.booked_on > on)
            ):
                continue
            assert entry.month is not None
            key = (entry.month, entry.region)
            earlier = chosen.get(key)
            if earlier is None or entry.id < earlier.id:
                chosen[key] = entry
        result = []
        for (month, where), entry in sorted(chosen.items(), key=lambda item: item[0]):
            assert entry.base is not None
            result.append(ContributionMonth(month, where, entry.base))
        return tuple(result)

    def regions(self, scheme: str, *, on: dt.date | None = None) -> tuple[str, ...]:
        """The regions with entries of ``scheme`` booked on or before ``on``, sorted."""
        return tuple(
            sorted(
                {
                    entry.region
                    for entry in self.entries
                    if entry.scheme == scheme and (on is None or entry.booked_on <= on)
                }
            )
        )

    # -- due versus paid ------------------------------------------------------------------
    def unpaid(
        self,
        scheme: str | None = None,
        *,
        region: str | None = None,
        payer: str | None = None,
        on: dt.date | None = None,
    ) -> Money:
        """What the due lines (:attr:`dues`) still lack: posted with ``paid=False`` and not
        yet paid by the payments booked on or before ``on``; ``None`` filters nothing.
        Whether it can still be paid, and what it costs late, is the schedule's to say
        (:meth:`ContributionSchedule.reconcile
        <flexsecure.calculations.schedules.ContributionSchedule.reconcile>`)."""
        if scheme is not None:
            scheme = str(plain_name(scheme))
        chosen = [
            due
            for due in self.dues
            if (scheme is None or due.scheme == scheme)
            and (region is None or due.region == region)
            and (payer is None or due.payer == payer)
        ]
        state = outstanding_by_due(chosen, self.entries, on=on)
        total = sum((max(owed - paid, Decimal(0)) for owed, paid in state.values()), Decimal(0))
        return Money.unchecked(total, self.money_currency)

    def unpaid_months(
        self, scheme: str, *, region: str | None = None, on: dt.date | None = None
    ) -> tuple[Month, ...]:
        """The months of ``scheme`` posted as due that do not count yet: some line of them is
        still owed on ``on`` and no payment made the month count (sorted, each once)."""
        scheme = str(plain_name(scheme))
        chosen = [
            due
            for due in self.dues
            if due.scheme == scheme and (region is None or due.region == region)
        ]
        state = outstanding_by_due(chosen, self.entries, on=on)
        counted = {
            month_slot(entry)
            for entry in self.entries
            if entry.kind is EntryKind.CONTRIBUTION
            and entry.months
            and entry.scheme == scheme
            and (on is None or entry.booked_on <= on)
        }
        months: set[Month] = set()
        for due in chosen:
            owed, paid = state[due.id]
            if paid < owed and month_slot(due) not in counted and due.month is not None:
                months.add(due.month)
        return tuple(sorted(months))
