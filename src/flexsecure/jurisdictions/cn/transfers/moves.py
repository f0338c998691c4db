"""What one account hands over when it moves: money with interest to the day, pooled part, months.

Every movement of this package — a transfer between regions, a temporary account opened or
collected, the link with the resident scheme — is one or more *account moves*. An account is
a (region, account) pair of one scheme in the ledger: ``("CN-SH", "regular")`` is the
relation in Shanghai, ``("CN-GD", "temporary")`` a temporary contribution account in
Guangdong. A move computes, from the ledger as it stands:

* **interest to the day** (《社会保险法》 Art. 14; 国办发〔2009〕66号 Art. 4 (1) moves the account
  "with interest"). Complete years not yet credited are credited as
  :func:`~flexsecure.calculations.accounts.credit_interest` does, with the same entries (ids
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
  the other cleared — recorded with an ``adjustment`` entry without money
  (``…/cleared/<region>/<month>``), not carried, its base not counted toward the pooled part.
  The refund of a cleared payment is the agencies' business and is not booked. A payment
  already carried on by an earlier transfer is always the one kept.

"Held" means booked after the account's last ``transfer_out`` (in ledger order): what a
transfer out took is gone, what came after stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

import attrs

from flexsecure.calculations.accounts.ledger import (
    REGULAR_ACCOUNT,
    EntryKind,
    Ledger,
    LedgerEntry,
)
from flexsecure.calculations.statements import parameter_node
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.interest import (
    CURRENT_YEAR_FACTOR,
    annual_interest,
    credit_interest,
    crediting_rate,
    interest_entry_id,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput, RuleNotFound, TransferError
from flexsecure.values.explanation import Explanation, ExplanationValue
from flexsecure.values.money import Money, minor_unit
from flexsecure.values.periods import Month

__all__ = [
    "TEMPORARY_ACCOUNT",
    "AccountMove",
    "DuplicateMonth",
    "InterestCredit",
    "PooledMode",
    "open_temporary_regions",
    "regular_relation",
    "relation_region",
    "temporary_accounts",
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


# -- the ledger as the moves see it --------------------------------------------------------


def is_cleared_marker(entry: LedgerEntry) -> bool:
    """True for the entry that records a duplicate month's payment as cleared."""
    return (
        entry.kind is EntryKind.ADJUSTMENT
        and entry.month is not None
        and not entry.funds
        and entry.months == 0
        and "/cleared/" in entry.id
    )


def is_open_marker(entry: LedgerEntry) -> bool:
    """True for the entry that opens a temporary account (the relation stays where it was)."""
    return (
        entry.kind is EntryKind.ADJUSTMENT
        and entry.account == TEMPORARY_ACCOUNT
        and not entry.funds
        and entry.id.endswith("/temporary-opened")
    )


def kept_relation(view: View, region: str) -> str | None:
    """Where the relation was kept when the temporary account in ``region`` was opened (the
    "原参保地" of 66号 Art. 5 (2)); the relation now if no opening is recorded."""
    opened = [
        position
        for position, entry in view.by_key.get((region, TEMPORARY_ACCOUNT), [])
        if is_open_marker(entry)
    ]
    if not opened:
        return regular_relation(view)
    return regular_relation(View(view.ledger, view.scheme, before=opened[-1]))


def is_seal_marker(entry: LedgerEntry) -> bool:
    """True for the entry that seals a temporary account after its collection."""
    return (
        entry.kind is EntryKind.ADJUSTMENT
        and entry.account == TEMPORARY_ACCOUNT
        and not entry.funds
        and entry.id.endswith("/temporary-sealed")
    )


class View:
    """One scheme's entries of a ledger up to a date (or before a ledger position), indexed by
    account, for the moves."""

    def __init__(
        self, ledger: Ledger, scheme: str, on: dt.date | None = None, *, before: int | None = None
    ) -> None:
        self.ledger = ledger
        self.scheme = scheme
        self.currency = ledger.money_currency
        self.by_key: dict[Key, list[tuple[int, LedgerEntry]]] = {}
        self.last_out: dict[Key, int] = {}
        self.cleared: set[tuple[Month, str, str]] = set()
        self.own: dict[Key, dict[Month, tuple[int, LedgerEntry]]] = {}
        for position, entry in enumerate(ledger.entries):
            if before is not None and position >= before:
                break
            if entry.scheme != scheme or (on is not None and entry.booked_on > on):
                continue
            key = (entry.region, entry.account)
            self.by_key.setdefault(key, []).append((position, entry))
            if entry.kind is EntryKind.TRANSFER_OUT:
                self.last_out[key] = position
            elif entry.kind is EntryKind.CONTRIBUTION and entry.months:
                assert entry.month is not None
                copies = self.own.setdefault(key, {})
                earlier = copies.get(entry.month)
                if earlier is None or entry.id < earlier[1].id:
                    copies[entry.month] = (position, entry)
            elif is_cleared_marker(entry):
                assert entry.month is not None
                self.cleared.add((entry.month, entry.region, entry.account))

    def accounts(self) -> list[Key]:
        return sorted(self.by_key)

    def entries(self, key: Key) -> list[LedgerEntry]:
        return [entry for _, entry in self.by_key.get(key, [])]

    def held(self, key: Key) -> list[LedgerEntry]:
        """Entries booked after the account's last transfer out, in ledger order."""
        cut = self.last_out.get(key, -1)
        return [entry for position, entry in self.by_key.get(key, []) if position > cut]

    def held_own(self, key: Key) -> dict[Month, LedgerEntry]:
        """The account's own contributed months not yet carried away, with their entries."""
        cut = self.last_out.get(key, -1)
        return {
            month: entry
            for month, (position, entry) in self.own.get(key, {}).items()
            if position > cut
        }

    def carried_away(self, month: Month, key: Key) -> bool:
        """True when the account's payment of ``month`` left with an earlier transfer out."""
        copy = self.own.get(key, {}).get(month)
        return copy is not None and copy[0] < self.last_out.get(key, -1)

    def months_held(self, key: Key) -> int:
        """Contributed months the account holds: its own months plus those carried in or out
        (what :meth:`Ledger.contributed_months` counts, for one account)."""
        carried = sum(
            entry.months for entry in self.entries(key) if entry.kind is not EntryKind.CONTRIBUTION
        )
        return len(self.own.get(key, {})) + carried

    def balance(self, key: Key, fund: str) -> Money:
        total = Decimal(0)
        for entry in self.entries(key):
            amount = entry.fund(fund)
            if amount is not None:
                total += amount.amount
        return Money.unchecked(total, self.currency).quantize()  # exact: whole fen

    def held_sum(self, key: Key, fund: str, *, contributions: bool) -> Money:
        """The sum of ``fund`` over held entries: contributions only, or everything else."""
        total = Decimal(0)
        for entry in self.held(key):
            if (entry.kind is EntryKind.CONTRIBUTION) != contributions:
                continue
            amount = entry.fund(fund)
            if amount is not None:
                total += amount.amount
        return Money.unchecked(total, self.currency).quantize()  # exact: whole fen

    def last_booked(self) -> LedgerEntry | None:
        latest: LedgerEntry | None = None
        for entries in self.by_key.values():
            for _, entry in entries:
                if latest is None or entry.booked_on > latest.booked_on:
                    latest = entry
        return latest


def relation_region(ledger: Ledger, scheme: str = "pension", *, on: dt.date | None = None) -> str:
    """The region where the worker's ``scheme`` relation is: where the latest contribution or
    transfer into a *regular* account still held there was booked (by date, then ledger order).

    A temporary account never holds the relation (66号 Art. 5 (2): it stays at the previous
    place). Raises :class:`~flexsecure.values.errors.TransferError` when the ledger holds no
    relation (nothing contributed, or everything moved away).
    """
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    found = regular_relation(View(ledger, scheme, on))
    if found is None:
        raise TransferError(
            f"the ledger of worker {ledger.worker_id!r} holds no {scheme} relation"
            + (f" on {on}" if on is not None else "")
            + ": no contribution or transfer into a regular account is held anywhere"
        )
    return found


def regular_relation(view: View) -> str | None:
    """The region holding the regular relation: the latest contribution or transfer in that
    was not moved out since; ``None`` if there is none."""
    best: tuple[dt.date, int] | None = None
    region: str | None = None
    for key in view.accounts():
        if key[1] != REGULAR_ACCOUNT:
            continue
        cut = view.last_out.get(key, -1)
        for position, entry in view.by_key[key]:
            if position <= cut or entry.kind not in (EntryKind.CONTRIBUTION, EntryKind.TRANSFER_IN):
                continue
            rank = (entry.booked_on, position)
            if best is None or rank > best:
                best, region = rank, key[0]
    return region


def temporary_accounts(ledger: Ledger, scheme: str = "pension") -> dict[tuple[str, str], str]:
    """The open temporary contribution accounts of ``scheme``, as ``Ledger.post`` takes them.

    ``{("pension", "CN-GD"): "temporary"}`` while a temporary account is open in Guangdong
    (opened by a transfer quote, not yet sealed by its collection), so that
    ``ledger.post(statement, accounts=temporary_accounts(ledger))`` books the new place's
    contributions into it (66号 Art. 5 (2)).
    """
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    return {
        (scheme, region): TEMPORARY_ACCOUNT
        for region in open_temporary_regions(View(ledger, scheme))
    }


def open_temporary_regions(view: View) -> list[str]:
    """Regions where a temporary account is open (not sealed by a collection)."""
    regions = []
    for region, account in view.accounts():
        if account != TEMPORARY_ACCOUNT:
            continue
        last = view.by_key[(region, account)][-1][1]
        if not is_seal_marker(last):
            regions.append(region)
    return regions


# -- planning one move -----------------------------------------------------------------------


@attrs.frozen
class Plan:
    """An account move and the entries that settle it (interest, cleared duplicates, out)."""

    move: AccountMove
    entries: tuple[LedgerEntry, ...]
    cleared: frozenset[tuple[Month, str, str]]


def resolve_worker(ledger: Ledger, worker: Worker | None, needed_for: str) -> Worker:
    """``worker``, else the ledger's own; both must be the ledger's worker."""
    if worker is not None:
        if not isinstance(worker, Worker):
            raise InvalidInput(f"worker must be a Worker, got {worker!r}")
        if worker.id != ledger.worker_id:
            raise InvalidInput(
                f"worker {worker.id!r} is not the ledger's worker {ledger.worker_id!r}"
            )
        known = ledger.worker
        if known is not None and worker.without_personal_facts() != known:
            raise InvalidInput(
                f"worker {worker.id!r} differs from the worker kept on the ledger "
                f"({known!r}); pass the same facts or leave worker= out"
            )
        return worker
    if ledger.worker is None:
        raise TransferError(
            f"worker= is needed: {needed_for} depends on the worker's birth date, sex and hukou "
            "region, and this ledger does not keep its worker; pass worker= or build the "
            "ledger with Ledger.for_worker(worker)"
        )
    return ledger.worker


def check_date(ledger: Ledger, view: View, on: object, what: str) -> dt.date:
    """``on`` must be a date on or after the scheme's last booked entry."""
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidInput(f"on must be a datetime.date, got {on!r}")
    last = view.last_booked()
    if last is not None and on < last.booked_on:
        raise TransferError(
            f"{what} on {on} is before the ledger's last {view.scheme} entry {last.id!r} "
            f"(booked {last.booked_on}); quote on {last.booked_on} or later"
        )
    return on


def check_assumed(rate: object) -> Decimal | None:
    if rate is None:
        return None
    if isinstance(rate, bool) or not isinstance(rate, Decimal) or not rate.is_finite():
        raise InvalidInput(
            f"assumed_rate must be a Decimal such as Decimal('0.015'), got {rate!r}"
            + ("; floats cannot hold rates exactly" if isinstance(rate, float) else "")
        )
    if not 0 <= rate <= 1:
        raise InvalidInput(f"assumed_rate must be a fraction between 0 and 1, got {rate!r}")
    return rate


def plan_move(
    pack: RulePack,
    view: View,
    key: Key,
    on: dt.date,
    *,
    pooled_mode: PooledMode,
    resolve_duplicates: bool,
    prefix: str,
    out_id: str,
    interest_id: str,
    destination: str,
    assumed_rate: Decimal | None,
    used: Used,
    pending: frozenset[tuple[Month, str, str]] = frozenset(),
) -> Plan:
    """Settle and empty account ``key`` on ``on``: see the module docstring.

    ``prefix`` starts the ids of the cleared-duplicate entries (``<prefix>/cleared/...``) and
    is every entry's ``reference``; ``out_id`` is the id of the transfer-out entry and
    ``interest_id`` of the part year's interest; ``destination`` is said in the transfer-out's
    note. ``pending`` are duplicates cleared by other moves of the same quote. ``used``
    collects the parameter values read.
    """
    region, account = key
    entries: list[LedgerEntry] = []
    credits, interest_entries = _settle_interest(
        pack, view, key, on, prefix, interest_id, assumed_rate, used
    )
    entries.extend(interest_entries)

    duplicates: list[DuplicateMonth] = []
    cleared = set(pending)
    if resolve_duplicates:
        duplicates, new_cleared = _duplicates(pack, view, key, on, cleared, used)
        for month, where, which in sorted(new_cleared):
            entries.append(_cleared_marker(view, prefix, month, where, which, on, duplicates))
        cleared |= new_cleared
    all_cleared = cleared | view.cleared

    own = view.held_own(key)
    months_held = view.months_held(key)
    months_cleared = sum(1 for (_m, r, a) in all_cleared if (r, a) == key)
    months = months_held - months_cleared

    zero = Money.zero(view.currency).quantize()
    rate: Decimal | None = None
    bases, counted, share, forwarded = zero, 0, zero, zero
    if pooled_mode is PooledMode.SHARE:
        rate_value = use(used, pack.value(POOLED_RATE, None, on))
        from_value = use(used, pack.value(POOLED_FROM_YEAR, None, on))
        rate, first_year = rate_value.decimal(), from_value.integer()
        total = Decimal(0)
        for month, entry in own.items():
            if month.year >= first_year and (month, region, account) not in all_cleared:
                assert entry.base is not None
                total += entry.base.amount
                counted += 1
        bases = Money.unchecked(total, view.currency)
        rounding = pack.scheme(view.scheme).rounding
        share = rounding.apply(bases * rate)
        forwarded = view.held_sum(key, POOLED_FUND, contributions=False)
        pooled = share + forwarded
    elif pooled_mode is PooledMode.WHOLE:
        pooled = view.held_sum(key, POOLED_FUND, contributions=True) + view.held_sum(
            key, POOLED_FUND, contributions=False
        )
    else:
        pooled = zero

    principal = view.balance(key, ACCOUNT_FUND)  # before the interest settled here
    interest_total = Money.sum((credit.amount for credit in credits), view.currency)
    individual = principal + interest_total
    if individual.is_negative or pooled.is_negative or months < 0:
        raise TransferError(
            f"account {region}/{account} cannot move: individual account {individual.amount}, "
            f"pooled {pooled.amount}, months {months} (a negative amount means a correction "
            "is missing; book it as an adjustment first)"
        )
    move = AccountMove(
        region=region,
        account=account,
        principal=principal,
        interest=tuple(credits),
        individual_account=individual,
        pooled_mode=pooled_mode,
        pooled_rate=rate,
        pooled_bases=bases,
        pooled_months=counted,
        pooled_share=share,
        pooled_forwarded=forwarded,
        pooled=pooled,
        months_held=months_held,
        months_cleared=months_cleared,
        months=months,
        duplicates=tuple(duplicates),
    )
    funds = {ACCOUNT_FUND: -individual}
    if pooled_mode is not PooledMode.NONE:
        funds[POOLED_FUND] = -pooled
    entries.append(
        LedgerEntry(
            id=out_id,
            kind=EntryKind.TRANSFER_OUT,
            worker_id=view.ledger.worker_id,
            scheme=view.scheme,
            region=region,
            month=None,
            booked_on=on,
            funds=funds,
            months=-months,
            reference=prefix,
            note=f"to {destination}",
            account=account,
        )
    )
    return Plan(move, tuple(entries), frozenset(cleared - set(pending)))


def arrival(
    view: View,
    move: AccountMove,
    *,
    entry_id: str,
    prefix: str,
    region: str,
    account: str,
    on: dt.date,
    origin: str,
) -> LedgerEntry:
    """The transfer-in entry that receives ``move`` in (``region``, ``account``)."""
    funds = {ACCOUNT_FUND: move.individual_account}
    if move.pooled_mode is not PooledMode.NONE:
        funds[POOLED_FUND] = move.pooled
    return LedgerEntry(
        id=entry_id,
        kind=EntryKind.TRANSFER_IN,
        worker_id=view.ledger.worker_id,
        scheme=view.scheme,
        region=region,
        month=None,
        booked_on=on,
        funds=funds,
        months=move.months,
        reference=prefix,
        note=f"from {origin}",
        account=account,
    )


def marker(
    view: View, *, entry_id: str, prefix: str, region: str, account: str, on: dt.date, note: str
) -> LedgerEntry:
    """An entry without money or months that records a decision (a temporary account opened
    or sealed)."""
    return LedgerEntry(
        id=entry_id,
        kind=EntryKind.ADJUSTMENT,
        worker_id=view.ledger.worker_id,
        scheme=view.scheme,
        region=region,
        month=None,
        booked_on=on,
        funds={},
        months=0,
        reference=prefix,
        note=note,
        account=account,
    )


# -- duplicates ------------------------------------------------------------------------------


def _duplicates(
    pack: RulePack,
    view: View,
    key: Key,
    on: dt.date,
    cleared: set[tuple[Month, str, str]],
    used: Used,
) -> tuple[list[DuplicateMonth], set[tuple[Month, str, str]]]:
    gone = cleared | view.cleared
    others: dict[Month, list[Key]] = {}
    for other in view.accounts():
        if other == key:
            continue
        for month in view.own.get(other, {}):
            if (month, *other) not in gone:
                others.setdefault(month, []).append(other)
    found: list[DuplicateMonth] = []
    new: set[tuple[Month, str, str]] = set()
    keep_sending: bool | None = None
    for month in sorted(view.held_own(key)):
        if (month, *key) in gone or month not in others:
            continue
        if keep_sending is None:
            keep_sending = use(used, pack.value(KEEP_SENDING, None, on)).flag()
        copies = others[month]
        carried = any(view.carried_away(month, other) for other in copies)
        if keep_sending and not carried:
            kept = key
            new.update((month, *other) for other in copies)
        else:
            kept = copies[0]
            new.add((month, *key))
        for other in copies:
            found.append(
                DuplicateMonth(
                    month=month,
                    region=key[0],
                    account=key[1],
                    other_region=other[0],
                    other_account=other[1],
                    kept_region=(kept if kept == key else other)[0],
                    kept_account=(kept if kept == key else other)[1],
                )
            )
    return found, new


def _cleared_marker(
    view: View,
    prefix: str,
    month: Month,
    region: str,
    account: str,
    on: dt.date,
    duplicates: list[DuplicateMonth],
) -> LedgerEntry:
    kept = sorted(
        {d.kept_region for d in duplicates if d.month == month and d.cleared == (region, account)}
    )
    suffix = "" if account == REGULAR_ACCOUNT else f"/{account}"
    return LedgerEntry(
        id=f"{prefix}/cleared/{region}/{month}{suffix}",
        kind=EntryKind.ADJUSTMENT,
        worker_id=view.ledger.worker_id,
        scheme=view.scheme,
        region=region,
        month=month,
        booked_on=on,
        funds={},
        months=0,
        reference=prefix,
        note=(
            f"duplicate month {month}: the payment in {region} is cleared (kept in "
            f"{', '.join(kept)}); not carried, its refund is not booked here"
        ),
        account=account,
    )


# -- interest to the day ---------------------------------------------------------------------


def completed_months(on: dt.date) -> int:
    """Months of ``on``'s year completed on ``on``: Jan 1 → 0, Jan 31 → 1, Dec 31 → 12."""
    month = Month.of(on)
    return on.month - 1 + (1 if on == month.last_day else 0)


def _settle_interest(
    pack: RulePack,
    view: View,
    key: Key,
    on: dt.date,
    prefix: str,
    interest_id: str,
    assumed: Decimal | None,
    used: Used,
) -> tuple[list[InterestCredit], list[LedgerEntry]]:
    region, account = key
    worker, scheme, currency = view.ledger.worker_id, view.scheme, view.currency
    own = view.entries(key)
    flow_years = {e.booked_on.year for e in own if e.fund(ACCOUNT_FUND) is not None}
    if not flow_years:
        return [], []
    standard = {
        e.booked_on.year
        for e in own
        if e.kind is EntryKind.INTEREST
        and e.id == interest_entry_id(worker, scheme, region, e.booked_on.year, account=account)
    }
    year = on.year
    start = max(min(flow_years), max(standard) + 1 if standard else min(flow_years))
    sub = Ledger(worker_id=worker, entries=own, currency=currency)
    credits: list[InterestCredit] = []
    made: list[LedgerEntry] = []
    for y in range(start, year):
        standard_id = interest_entry_id(worker, scheme, region, y, account=account)
        cut = _last_out_in(sub, y)
        opening = Money.zero(currency).quantize() if cut is not None else _opening(sub, y)
        current = _flows(sub, y, cut, standard_id)
        if not opening and not current:
            continue
        rate, published = _rate(pack, region, y, assumed, 0, used)
        factor = use(used, pack.value(CURRENT_YEAR_FACTOR, None, dt.date(y, 1, 1))).decimal()
        if cut is None:
            # the year as credit_interest credits it, with its very entry (a later call is a
            # no-op)
            sub = credit_interest(pack, sub, y, scheme=scheme, region=region, assumed_rate=assumed)
            entry = sub.get(standard_id)
            assert entry is not None
            amount = entry.fund(ACCOUNT_FUND)
            assert amount is not None
        else:
            # emptied by a transfer out during the year, which settled the interest before it
            amount = annual_interest(opening, current, rate, factor)
            entry = LedgerEntry(
                id=standard_id,
                kind=EntryKind.INTEREST,
                worker_id=worker,
                scheme=scheme,
                region=region,
                month=None,
                booked_on=dt.date(y, 12, 31),
                funds={ACCOUNT_FUND: amount},
                reference=prefix,
                note=(
                    f"{y}: the account was emptied by a transfer out during the year, which "
                    f"settled the interest before it; {current.amount} booked after it × "
                    f"{rate} × {factor}"
                ),
                account=account,
                rate=rate,
            )
            sub = sub.apply([entry])
        made.append(entry)
        credits.append(
            InterestCredit(
                entry.id,
                region,
                account,
                y,
                12,
                opening,
                current,
                rate,
                y,
                published is None,
                amount,
            )
        )

    months = completed_months(on)
    if not use(used, pack.value(PART_YEAR, None, on)).flag() or months == 0 or year in standard:
        return credits, made
    cut = _last_out_in(sub, year)
    opening = Money.zero(currency).quantize() if cut is not None else _opening(sub, year)
    current = _flows(sub, year, cut, None)
    if not opening and not current:
        return credits, made
    lag = use(used, pack.value(PART_YEAR_LAG, None, on)).integer()
    rate, published = _rate(pack, region, year - lag, assumed, lag, used)
    factor = use(used, pack.value(CURRENT_YEAR_FACTOR, None, dt.date(year, 1, 1))).decimal()
    exact = opening.amount * rate + current.amount * rate * factor
    amount = Money.unchecked(_round_half_up(Fraction(exact) * months / 12, currency), currency)
    if not amount:
        return credits, made
    entry = LedgerEntry(
        id=interest_id,
        kind=EntryKind.INTEREST,
        worker_id=worker,
        scheme=scheme,
        region=region,
        month=None,
        booked_on=on,
        funds={ACCOUNT_FUND: amount},
        reference=prefix,
        note=(
            f"part year {year} to {on} ({months} months) at the {year - lag} rate {rate}"
            + (" (ASSUMED: none published)" if published is None else "")
            + f": ({opening.amount} × {rate} + {current.amount} × {rate} × {factor}) "
            f"× {months} / 12"
        ),
        account=account,
        rate=rate,
    )
    made.append(entry)
    credits.append(
        InterestCredit(
            entry.id,
            region,
            account,
            year,
            months,
            opening,
            current,
            rate,
            year - lag,
            published is None,
            amount,
        )
    )
    return credits, made


def _last_out_in(ledger: Ledger, year: int) -> int | None:
    """Position of the last transfer out booked in ``year``, if any."""
    cut = None
    for position, entry in enumerate(ledger.entries):
        if entry.kind is EntryKind.TRANSFER_OUT and entry.booked_on.year == year:
            cut = position
    return cut


def _opening(ledger: Ledger, year: int) -> Money:
    """The individual-account balance at the end of ``year`` − 1."""
    total = Decimal(0)
    for entry in ledger.entries:
        amount = entry.fund(ACCOUNT_FUND)
        if amount is not None and entry.booked_on.year < year:
            total += amount.amount
    return Money.unchecked(total, ledger.money_currency).quantize()  # exact: whole fen


def _flows(ledger: Ledger, year: int, cut: int | None, skip: str | None) -> Money:
    """The individual-account amounts booked in ``year`` after position ``cut``, leaving out
    the entry ``skip`` (the year's own interest)."""
    total = Decimal(0)
    for position, entry in enumerate(ledger.entries):
        if entry.booked_on.year != year or (cut is not None and position <= cut):
            continue
        amount = entry.fund(ACCOUNT_FUND)
        if amount is not None and entry.id != skip:
            total += amount.amount
    return Money.unchecked(total, ledger.money_currency).quantize()  # exact: whole fen


def _rate(
    pack: RulePack, region: str, year: int, assumed: Decimal | None, lag: int, used: Used
) -> tuple[Decimal, ParameterValue | None]:
    """The published crediting rate of ``year`` (recorded as used), else ``assumed``."""
    try:
        value = crediting_rate(pack, region, year)
    except RuleNotFound as error:
        if assumed is None:
            why = (
                f" (the part year of a transfer earns the rate of {lag} year(s) before: "
                f"{PART_YEAR_LAG})"
                if lag
                else ""
            )
            raise RuleNotFound(f"{error}{why}") from None
        return assumed, None
    use(used, value)
    return value.decimal(), value


def _round_half_up(value: Fraction, currency: str) -> Decimal:
    """``value`` rounded half up (away from zero) to the currency's minor unit, exactly."""
    unit = minor_unit(currency)
    units = value / Fraction(unit)
    sign = -1 if units < 0 else 1
    whole = int(abs(units) + Fraction(1, 2))
    return (Decimal(sign * whole) * unit).quantize(unit, rounding=ROUND_HALF_UP)
