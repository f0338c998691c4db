"""Payment rules of a payer in a region: frequencies, due dates, late charges, as pack data.

A schedule asks the pack, per payer (``worker``, ``platform``) and region, for the parameters
of the topic file ``schedule.toml``, all named ``schedule.<payer>.<rule>``:

``frequencies`` (names)
    the payment frequencies allowed (``monthly``, ``quarterly``, ``half_yearly``, ``yearly``);
``due_month_offset``, ``due_day`` (integers)
    an installment is due on day ``due_day`` (0: the last day) of the month ``due_month_offset``
    months after the last month it covers; a day past the month's end means its last day;
``application`` (name)
    the order payments are applied in (``oldest_first``);
``late_payment_accepted`` (flag)
    whether an installment can still be paid after its due date; where it cannot (a missed
    month cannot be made up later) the month lapses instead;
``back_payment`` (name), ``back_payment_months`` (integer)
    how long after its due date a late installment can still be paid (补缴): ``unlimited``,
    ``same_year`` (until the end of the calendar year of the last month it covers) or
    ``months`` (``back_payment_months`` months after the due date); after that it lapses.
    Read only where late payment is accepted;
``partial_month`` (name)
    when a month paid in part counts as a contributed month: ``not_counted`` (only once every
    line of it is paid in full) or ``counted`` (from its first payment);
``late_charge`` (name)
    the late-charge method: ``none``, ``daily_rate`` or ``monthly_rate_per_day`` (see
    :mod:`flexsecure.calculations.schedules.late`), with ``late_rate``, ``late_minimum``,
    ``late_rounding``, ``late_rounding_unit``, ``late_precision`` and
    ``late_count_payment_day`` as the method needs them.

The engine knows these mechanisms, never a country: which one applies, at what rate and with
what source is the pack's to say.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

import attrs
from dateutil.relativedelta import relativedelta

from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import PAYERS
from flexsecure.values.citations import Citation
from flexsecure.values.errors import InvalidInput, PackError, RuleNotFound
from flexsecure.values.money import Money, Rounding

__all__ = [
    "ApplicationOrder",
    "BackPayment",
    "DueRule",
    "Frequency",
    "LateChargeMethod",
    "LateChargeRule",
    "PartialMonth",
    "PaymentRules",
    "payment_rules",
]


class Frequency(StrEnum):
    """How often a payer pays: each installment covers this many calendar months, aligned to
    the calendar (quarters start in January, April, July and October)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        return _FREQUENCY_MONTHS[self]


_FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


class LateChargeMethod(StrEnum):
    """Generic late-charge mechanisms a pack can select."""

    NONE = "none"
    """No charge (the pack says why, e.g. the month lapses instead)."""
    DAILY_RATE = "daily_rate"
    """Amount × rate × days late (e.g. a daily 0.05 %)."""
    MONTHLY_RATE_PER_DAY = "monthly_rate_per_day"
    """Amount × monthly rate × days late ÷ days in the month of payment, with a minimum."""


class BackPayment(StrEnum):
    """How long after its due date a late installment can still be paid (补缴)."""

    UNLIMITED = "unlimited"
    """Any time (with the late charge the pack names)."""
    SAME_YEAR = "same_year"
    """Until 31 December of the year of the last month the installment covers."""
    MONTHS = "months"
    """Until ``back_payment_months`` months after the due date (the same day of the month, or
    that month's last day)."""


class PartialMonth(StrEnum):
    """When a month paid in part counts as a contributed month."""

    NOT_COUNTED = "not_counted"
    """Only once every due line of it (every payer's) is paid in full."""
    COUNTED = "counted"
    """From its first payment."""


class ApplicationOrder(StrEnum):
    """The order in which payments are applied to installments."""

    OLDEST_FIRST = "oldest_first"
    """The installment due earliest first (then the earliest month covered)."""


def _rounding(value: Rounding | str) -> Rounding:
    try:
        return Rounding(value)
    except ValueError:
        raise InvalidInput(
            f"rounding must be one of {', '.join(r.value for r in Rounding)}, got {value!r}"
        ) from None


def _rate(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvalidInput(f"late-charge rate must be a Decimal >= 0, got {value!r}")
    return value


@attrs.frozen
class LateChargeRule:
    """How a late charge is computed; built from the pack by :func:`payment_rules`, or by hand
    (with a ``citation``) to use a mechanism on its own."""

    method: LateChargeMethod = attrs.field(converter=LateChargeMethod)
    rate: Decimal = attrs.field(default=Decimal(0), converter=_rate)
    minimum: Money | None = None
    """Least charge for an installment paid late (``None``: no minimum)."""
    rounding: Rounding = attrs.field(default=Rounding.HALF_UP, converter=_rounding)
    rounding_unit: Decimal | None = None
    """Unit the charge is rounded to (``None``: the currency's minor unit)."""
    precision: Decimal | None = None
    """Each part of a ``monthly_rate_per_day`` charge is cut (rounded down) to this unit
    before the parts are added and rounded (``None``: 28 significant digits)."""
    count_payment_day: bool = True
    """Whether the day of payment counts as a day late; the first day after the due date
    always does."""
    citation: Citation | None = attrs.field(default=None, eq=False)
    sources: tuple[ParameterValue, ...] = attrs.field(default=(), eq=False, repr=False)
    """The pack values the rule was built from, for explanations."""


@attrs.frozen
class DueRule:
    """An installment is due on ``day`` (0: the last day) of the month ``month_offset`` months
    after the last month it covers."""

    month_offset: int
    day: int


@attrs.frozen
class PaymentRules:
    """Everything a schedule needs to know about one payer in one region on one date."""

    payer: str
    region: str
    frequencies: tuple[Frequency, ...]
    due: DueRule
    application: ApplicationOrder
    late_payment_accepted: bool
    late_charge: LateChargeRule
    sources: tuple[ParameterValue, ...] = attrs.field(eq=False, repr=False)
    """Every pack value used, for explanations."""
    back_payment: BackPayment = BackPayment.UNLIMITED
    """How long a late installment can still be paid (only where late payment is accepted)."""
    back_payment_months: int = 0
    """For :attr:`BackPayment.MONTHS`: how many months after the due date."""
    partial_month: PartialMonth = PartialMonth.NOT_COUNTED

    def last_payment_day(self, due: dt.date, last_month_covered: dt.date) -> dt.date | None:
        """The last day an installment due on ``due`` (covering months up to the one of
        ``last_month_covered``) can be paid; ``None`` when no day ends it."""
        if not self.late_payment_accepted:
            return due
        if self.back_payment is BackPayment.SAME_YEAR:
            return max(due, dt.date(last_month_covered.year, 12, 31))
        if self.back_payment is BackPayment.MONTHS:
            return due + relativedelta(months=self.back_payment_months)
        return None


def _vocabulary(pack: RulePack, value: ParameterValue, kind: type[StrEnum], word: str) -> StrEnum:
    try:
        return kind(word)
    except ValueError:
        raise PackError(
            pack.origin,
            value.name,
            f"unknown {kind.__name__} {word!r} for {value.region or 'the national series'} from "
            f"{value.effective_from}; known: {', '.join(k.value for k in kind)}",
        ) from None


def payment_rules(pack: RulePack, *, payer: str, region: str, on: dt.date) -> PaymentRules:
    """The payment rules of ``payer`` in ``region`` in force on ``on``, from ``pack``."""
    if payer not in PAYERS:
        raise InvalidInput(f"payer must be one of {', '.join(sorted(PAYERS))}, got {payer!r}")
    pack.region(region)
    return pack.memo(("payment_rules", payer, region, on), lambda: _build(pack, payer, region, on))


def _build(pack: RulePack, payer: str, region: str, on: dt.date) -> PaymentRules:
    used: list[ParameterValue] = []

    def get(rule: str) -> ParameterValue:
        name = f"schedule.{payer}.{rule}"
        try:
            value = pack.value(name, region, on)
        except RuleNotFound as error:
            raise RuleNotFound(
                f"no payment rule {name} for {payer}s in {region} on {on}: {error}"
            ) from None
        used.append(value)
        return value

    frequencies_value = get("frequencies")
    frequencies = tuple(
        Frequency(_vocabulary(pack, frequencies_value, Frequency, word))
        for word in frequencies_value.names()
    )
    due = DueRule(get("due_month_offset").integer(), get("due_day").integer())
    if due.day > 31:
        raise PackError(pack.origin, f"schedule.{payer}.due_day", f"must be 0..31, got {due.day}")
    application_value = get("application")
    application = ApplicationOrder(
        _vocabulary(pack, application_value, ApplicationOrder, application_value.text())
    )
    accepted = get("late_payment_accepted").flag()
    back_payment, back_months = BackPayment.UNLIMITED, 0
    if accepted:
        window = get("back_payment")
        back_payment = BackPayment(_vocabulary(pack, window, BackPayment, window.text()))
        if back_payment is BackPayment.MONTHS:
            back_months = get("back_payment_months").integer()
            if back_months < 0:
                raise PackError(
                    pack.origin,
                    f"schedule.{payer}.back_payment_months",
                    f"must be >= 0, got {back_months}",
                )
    partial_value = get("partial_month")
    partial = PartialMonth(_vocabulary(pack, partial_value, PartialMonth, partial_value.text()))
    method_value = get("late_charge")
    method = LateChargeMethod(
        _vocabulary(pack, method_value, LateChargeMethod, method_value.text())
    )
    late_sources = [method_value]
    late = LateChargeRule(method, citation=method_value.citation)
    if method is not LateChargeMethod.NONE:
        rate = get("late_rate")
        count = get("late_count_payment_day")
        rounding = get("late_rounding")
        unit = get("late_rounding_unit")
        late_sources += [rate, count, rounding, unit]
        minimum = None
        precision = None
        if method is LateChargeMethod.MONTHLY_RATE_PER_DAY:
            minimum_value = get("late_minimum")
            precision_value = get("late_precision")
            late_sources += [minimum_value, precision_value]
            minimum = minimum_value.money()
            precision = precision_value.decimal()
        rounding_mode = _vocabulary(pack, rounding, Rounding, rounding.text())
        late = LateChargeRule(
            method,
            rate=rate.decimal(),
            minimum=minimum,
            rounding=Rounding(rounding_mode),
            rounding_unit=unit.decimal(),
            precision=precision,
            count_payment_day=count.flag(),
            citation=method_value.citation,
            sources=tuple(late_sources),
        )
    else:
        late = attrs.evolve(late, sources=tuple(late_sources))
    return PaymentRules(
        payer=payer,
        region=region,
        frequencies=frequencies,
        due=due,
        application=application,
        late_payment_accepted=accepted,
        late_charge=late,
        sources=tuple(used),
        back_payment=back_payment,
        back_payment_months=back_months,
        partial_month=partial,
    )
