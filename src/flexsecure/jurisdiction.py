"""The jurisdiction: one country's validated rule pack, and every calculation over it.

:func:`load_jurisdiction` loads a bundled jurisdiction by code or a vendor's pack from a
folder; :class:`Jurisdiction` is the object callers work with, the same for every country.
Contributions come from the engine; every other calculation (retirement dates, pension
projections, transfers, …) is the rule function the jurisdiction's package registered
(:mod:`flexsecure.jurisdictions`), and asking for one it did not register raises
:class:`~flexsecure.NotInJurisdiction`. A Jurisdiction holds no state beyond the immutable pack,
so one instance can serve any number of threads and requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from flexsecure.calculations.accounts import Ledger
from flexsecure.calculations.contributions import monthly_contributions
from flexsecure.calculations.schedules import (
    ContributionSchedule,
    Frequency,
    PaymentRules,
    Remittance,
    contribution_schedule,
    payment_rules,
    platform_remittance,
)
from flexsecure.calculations.statements import ContributionStatement
from flexsecure.facts.engagements import Engagement, Enrolment, Platform
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions import JurisdictionRules, jurisdiction_rules, registered_jurisdictions
from flexsecure.rules.packs import ListedPlatform, Region, RulePack, load_pack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.reforms import Reform
from flexsecure.values.checks import require_date
from flexsecure.values.errors import InvalidInput, NotInJurisdiction
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

if TYPE_CHECKING:
    from flexsecure.jurisdictions.cn.projections import Assumptions, PensionProjection
    from flexsecure.jurisdictions.cn.retirement import RetirementDate
    from flexsecure.jurisdictions.cn.transfers import BenefitRegion, SchemeLinkQuote, TransferQuote

__all__ = ["Jurisdiction", "load_jurisdiction"]


@attrs.frozen(repr=False)
class Jurisdiction:
    """A country's social-insurance rules, ready to compute with."""

    pack: RulePack
    rules: JurisdictionRules | None = attrs.field(default=None, eq=False)
    """What the jurisdiction's package registered; ``None`` for a pack of a country flexsecure
    has no rule functions for (contributions only)."""

    def _rule(self, name: str) -> Any:
        if self.rules is None:
            raise NotInJurisdiction(self.code, name, ())
        return self.rules.calculation(name)

    @property
    def offers(self) -> tuple[str, ...]:
        """Names of the calculations this jurisdiction offers beyond monthly contributions."""
        return tuple(sorted(self.rules.calculations)) if self.rules is not None else ()

    def __repr__(self) -> str:
        reforms = (
            f" with {', '.join(self.pack.applied_reforms)}" if self.pack.applied_reforms else ""
        )
        return f"<Jurisdiction {self.code}{reforms}>"

    @property
    def code(self) -> str:
        return self.pack.code

    @property
    def currency(self) -> str:
        return self.pack.currency

    @property
    def regions(self) -> tuple[Region, ...]:
        return tuple(self.pack.regions.values())

    @property
    def platforms(self) -> tuple[ListedPlatform, ...]:
        """The platforms the pack's rules name (e.g. which are covered by a scheme), each with
        the registry key a :class:`~flexsecure.Platform` gives as ``registry_key``."""
        return tuple(self.pack.platforms.values())

    @property
    def schemes(self) -> tuple[str, ...]:
        return tuple(self.pack.schemes)

    @property
    def reforms(self) -> tuple[str, ...]:
        """Names of the reforms applied to this jurisdiction, in order."""
        return self.pack.applied_reforms

    def region(self, code: str) -> Region:
        return self.pack.region(code)

    def parameter(self, name: str, *, region: str | None = None, on: dt.date) -> ParameterValue:
        """The value of ``name`` in force in ``region`` on ``on``, with its citation.

        Regions without a series of their own get the national value, if there is one; a
        date before the first value raises :class:`~flexsecure.RuleNotFound` saying where
        the pack starts.
        """
        if not isinstance(name, str):
            raise InvalidInput(
                f"name must be a parameter name such as 'pension.base_floor', got {name!r}"
            )
        if region is not None:
            self.pack.region(region)
        return self.pack.value(name, region, require_date(on, "on"))

    def monthly_contributions(
        self,
        worker: Worker,
        engagements: Iterable[Engagement],
        month: Month | str,
        *,
        enrolments: Iterable[Enrolment] = (),
        platforms: Iterable[Platform] = (),
    ) -> ContributionStatement:
        """Every contribution line of ``worker`` for ``month``, over all their platforms.

        ``enrolments`` say which voluntary schemes the worker belongs to and on what base;
        per-order schemes need none. ``platforms`` say which platform of the pack's registry
        each is (``registry_key``, for the platforms a scheme covers) and the premium classes
        agencies assigned them; an engagement's platform not given is not identified and
        counts as covered. Work that owes a scheme nothing is in ``notes``, with the reason.
        """
        if isinstance(month, str):
            month = Month.parse(month)
        return monthly_contributions(
            self.pack, worker, engagements, month, enrolments=enrolments, platforms=platforms
        )

    def retirement_date(
        self,
        worker: Worker,
        *,
        early_months: int = 0,
        late_months: int = 0,
        contributed_months: int | None = None,
    ) -> RetirementDate:
        """The worker's retirement date under the 2024 gradual reform, to the month.

        ``early_months`` (up to 36, never below the original age, only with the minimum
        contribution months — pass ``contributed_months``) or ``late_months`` (up to 36) move
        it from the legal date; out-of-range elections raise
        :class:`~flexsecure.InvalidInput` stating the allowed range.
        """
        result: RetirementDate = self._rule("retirement_date")(
            self.pack,
            worker,
            early_months=early_months,
            late_months=late_months,
            contributed_months=contributed_months,
        )
        return result

    def minimum_contribution_months(self, retirement_year: int) -> int:
        """Months of contributions needed for a monthly pension, by legal retirement year
        (180 through 2029, +6 a year from 2030, 240 from 2039)."""
        result: int = self._rule("minimum_contribution_months")(self.pack, retirement_year)
        return result

    def credit_interest(
        self,
        ledger: Ledger,
        year: int | Iterable[int],
        *,
        scheme: str = "pension",
        region: str | None = None,
        assumed_rate: Decimal | None = None,
    ) -> Ledger:
        """``ledger`` with the individual account credited for ``year`` (or several years).

        The national crediting rate of each year (记账利率), applied per 劳办发〔1997〕116号: the
        opening balance earns the year's rate, the year's own amounts a factor of it. A year
        without a published rate raises :class:`~flexsecure.RuleNotFound` unless
        ``assumed_rate`` is given (the entry then says it is an assumption).
        """
        result: Ledger = self._rule("credit_interest")(
            self.pack, ledger, year, scheme=scheme, region=region, assumed_rate=assumed_rate
        )
        return result

    def project_pension(
        self,
        worker: Worker,
        ledger: Ledger,
        *,
        region: str,
        retire_on: dt.date | None = None,
        assumptions: Assumptions | None = None,
    ) -> PensionProjection:
        """The monthly pension ``region`` would pay ``worker`` from the retirement date.

        Basic pension W × (1 + I) / 2 × N × 1 % plus the individual account ÷ the divisor of
        the retirement age; eligibility against the minimum contribution months. The ledger
        is extended to the retirement date by ``assumptions``, if given (all explicit).
        """
        result: PensionProjection = self._rule("project_pension")(
            self.pack, worker, ledger, region=region, retire_on=retire_on, assumptions=assumptions
        )
        return result

    def quote_transfer(
        self,
        ledger: Ledger,
        *,
        scheme: str = "pension",
        from_region: str,
        to_region: str,
        on: dt.date,
        worker: Worker | None = None,
        transfer_id: str | None = None,
        assumed_rate: Decimal | None = None,
    ) -> TransferQuote:
        """Quote moving the ``scheme`` relation between regions (国办发〔2009〕66号 Arts. 4–6).

        The whole individual account with interest to ``on``, 12 % of the contribution bases
        since 1998 from the pooled fund, the months carried, duplicate months, and whether the
        receiving region keeps it in a temporary account. ``quote.execute()`` gives the
        entries; ``ledger.apply(...)`` applies them atomically and idempotently. ``worker``
        defaults to the worker kept on the ledger (:meth:`Ledger.for_worker`).
        """
        result: TransferQuote = self._rule("quote_transfer")(
            self.pack, ledger, scheme=scheme, from_region=from_region, to_region=to_region,
            on=on, worker=worker, transfer_id=transfer_id, assumed_rate=assumed_rate,
        )  # fmt: skip
        return result

    def quote_temporary_collection(
        self,
        ledger: Ledger,
        *,
        scheme: str = "pension",
        region: str,
        on: dt.date,
        to_region: str | None = None,
        worker: Worker | None = None,
        transfer_id: str | None = None,
        assumed_rate: Decimal | None = None,
    ) -> TransferQuote:
        """Quote sealing the temporary account in ``region`` and collecting all of it (66号)."""
        result: TransferQuote = self._rule("quote_temporary_collection")(
            self.pack, ledger, scheme=scheme, region=region, on=on, to_region=to_region,
            worker=worker, transfer_id=transfer_id, assumed_rate=assumed_rate,
        )  # fmt: skip
        return result

    def benefit_region(
        self, worker: Worker | None, ledger: Ledger, *, on: dt.date, scheme: str = "pension"
    ) -> BenefitRegion:
        """The region that pays the pension on ``on``, by the four rules of 66号 Art. 6."""
        result: BenefitRegion = self._rule("benefit_region")(
            self.pack, worker, ledger, on=on, scheme=scheme
        )
        return result

    def posting_accounts(
        self, ledger: Ledger, statement: ContributionStatement, *, worker: Worker | None = None
    ) -> dict[tuple[str, str], str]:
        """The accounts ``statement``'s lines go to on ``ledger``, for
        ``ledger.post(statement, accounts=...)``: e.g. China's temporary contribution accounts,
        opened by a move or by a first enrolment away from the hukou region at 50+ / 40+."""
        result: dict[tuple[str, str], str] = self._rule("posting_accounts")(
            self.pack, ledger, statement, worker=worker
        )
        return result

    def quote_scheme_link(
        self,
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
        """Quote linking the resident and employee schemes at retirement (人社部发〔2014〕17号)."""
        result: SchemeLinkQuote = self._rule("quote_scheme_link")(
            self.pack, ledger, resident_balance=resident_balance, on=on,
            resident_months=resident_months, worker=worker, scheme=scheme, region=region,
            link_id=link_id, assumed_rate=assumed_rate,
        )  # fmt: skip
        return result

    def payment_rules(self, *, payer: str, region: str, on: dt.date) -> PaymentRules:
        """How ``payer`` pays in ``region`` on ``on``: frequencies allowed, due rule, order of
        application, whether late payment is accepted, and the late-charge rule (the pack's
        ``schedule.<payer>.*`` values, each cited)."""
        return payment_rules(self.pack, payer=payer, region=region, on=require_date(on, "on"))

    def contribution_schedule(
        self,
        statements: Iterable[ContributionStatement] | None = None,
        *,
        region: str,
        frequency: Frequency | str = Frequency.MONTHLY,
        payer: str = "worker",
        start: Month | str | None = None,
        end: Month | str | None = None,
        worker: Worker | None = None,
        enrolments: Iterable[Enrolment] = (),
        engagements: Iterable[Engagement] = (),
        platforms: Iterable[Platform] = (),
    ) -> ContributionSchedule:
        """The installments ``payer`` owes in ``region`` from ``start`` to ``end`` (both
        included) on ``frequency``, which the pack must allow there.

        Give the worker's monthly ``statements``, or the ``worker`` with their
        ``enrolments`` (and ``engagements``, any months) to have each month computed here.
        """
        first = Month.parse(start) if isinstance(start, str) else start
        last = Month.parse(end) if isinstance(end, str) else end
        if statements is None:
            if worker is None or first is None or last is None:
                raise InvalidInput(
                    "give statements, or a worker with start and end months (and enrolments)"
                )
            if last < first:
                raise InvalidInput(f"end must not be before start, got {first} .. {last}")
            jobs = list(engagements)
            enrolled = list(enrolments)
            known = list(platforms)
            statements = [
                self.monthly_contributions(
                    worker,
                    [job for job in jobs if job.month == month],
                    month,
                    enrolments=enrolled,
                    platforms=known,
                )
                for month in Month.range(first, last + 1)
            ]
        return contribution_schedule(
            self.pack, statements, region=region, frequency=frequency, payer=payer,
            start=first, end=last,
        )  # fmt: skip

    def platform_remittance(
        self,
        statements: Iterable[ContributionStatement],
        *,
        platform_id: str,
        month: Month | str,
    ) -> Remittance:
        """What ``platform_id`` owes for ``month`` over its workers' ``statements``: per region
        and scheme, the due date and the lines behind each amount."""
        if isinstance(month, str):
            month = Month.parse(month)
        return platform_remittance(self.pack, statements, platform_id=platform_id, month=month)

    def with_reform(self, reform: Reform | str) -> Jurisdiction:
        """A new jurisdiction with ``reform`` (or the bundled reform of that name) applied."""
        if isinstance(reform, str):
            reform = self.pack.reform(reform)
        if not isinstance(reform, Reform):
            raise InvalidInput(
                f"reform must be a Reform or a bundled reform's name, got {reform!r}"
            )
        return Jurisdiction(self.pack.with_reform(reform), self.rules)


@lru_cache(maxsize=8)
def _bundled(code: str) -> Jurisdiction:
    rules = jurisdiction_rules(code)
    return Jurisdiction(load_pack(rules.pack), rules)


def load_jurisdiction(source: str | Path) -> Jurisdiction:
    """Load a jurisdiction: a bundled one by code (``"CN"``, ``"SG"``) or a pack folder's path.

    A vendor's pack whose ``code`` is that of a registered jurisdiction gets that
    jurisdiction's rule functions; any other pack offers monthly contributions only.
    """
    if not isinstance(source, (str, Path)):
        raise InvalidInput(
            f"source must be a jurisdiction code such as 'CN' or a folder path, got {source!r}"
        )
    if isinstance(source, str) and source.isalpha() and not Path(source).exists():
        return _bundled(source.upper())
    pack = load_pack(source)
    rules = registered_jurisdictions().get(pack.code)
    if rules is None:
        try:
            rules = jurisdiction_rules(pack.code)
        except LookupError:
            rules = None
    return Jurisdiction(pack, rules)
