"""The ``cpf_platform_earnings`` basis: one worker-month of Singapore CPF lines.

For each platform operator the worker earned through this month, on its own (CPF: "computed
on a per-platform basis"): net earnings from the jobs' gross earnings and modes of transport
(:mod:`.earnings`), the worker's group and age band, each payer's exact share for the tier
(:mod:`.cpf`), the scheme's rounding rule (by default CPF's employee rule,
``cpf_total_nearest_worker_down``), and the allocation of the rounded total to the worker's
accounts. Each operator yields an operator line (Group A only) and a worker line, both with
``platform_id`` = the operator (the operator deducts the worker's share) and ``base`` = the
operator's NE. Nothing here holds a figure: every rate, threshold and rule comes from the
pack (``cpf.*``, ``net_earnings.*``), so a reform can change any of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from flexsecure.calculations.bases import WorkerMonth
from flexsecure.calculations.rounding import round_payers
from flexsecure.calculations.statements import ContributionLine
from flexsecure.facts.engagements import Engagement
from flexsecure.jurisdictions.sg.cpf import (
    Allocation,
    allocate,
    band_age,
    band_rate,
    fill_in_order,
    is_group_a,
    medisave_only_share,
    operator_share,
    worker_share,
)
from flexsecure.jurisdictions.sg.derivation import (
    CpfDerivation,
    JobEarnings,
    OperatorMonth,
    RateCell,
)
from flexsecure.jurisdictions.sg.earnings import net_earnings
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import SchemeRules
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import Money

__all__ = ["BASIS", "FEDA_PREFIX", "cpf_platform_earnings", "modes_of_transport"]

BASIS = "cpf_platform_earnings"
"""The name the SG pack's ``[scheme] basis`` uses for this rule."""

FEDA_PREFIX = "net_earnings.fixed_expense_deduction."
"""Parameters ``<prefix><mode>`` hold the FEDA of each mode of transport."""

ACT_SOURCE = "SRC-PWA-CPF"
"""The pack's source id for the Act's definition of platform earnings."""


def modes_of_transport(pack: RulePack) -> tuple[str, ...]:
    """The modes of transport the pack has a FEDA for (``car``, ``motorcycle``, …)."""
    return tuple(
        sorted(
            name.removeprefix(FEDA_PREFIX)
            for name in pack.parameters
            if name.startswith(FEDA_PREFIX)
        )
    )


@attrs.frozen
class _Figures:
    """The ``cpf.*`` values in force on one date."""

    mandatory_birth_year: ParameterValue
    band_rule: ParameterValue
    no_contribution_up_to: ParameterValue
    worker_share_from: ParameterValue
    full_worker_share_from: ParameterValue
    phase_in_factor: ParameterValue
    operator_rate: tuple[ParameterValue, ...]
    worker_rate: tuple[ParameterValue, ...]
    medisave_rate: tuple[ParameterValue, ...]
    special_share: tuple[ParameterValue, ...]
    retirement_from_age: ParameterValue
    group_b_worker_tiers: ParameterValue

    @property
    def thresholds(self) -> tuple[ParameterValue, ...]:
        return (self.no_contribution_up_to, self.worker_share_from, self.full_worker_share_from)


def _figures(pack: RulePack, scheme: SchemeRules, region: str, on: dt.date) -> _Figures:
    """The values of the scheme's parameter roles (``[scheme.parameters]``) on ``on``."""

    def value(role: str) -> ParameterValue:
        try:
            name = scheme.parameters[role]
        except KeyError:
            raise RuleNotFound(
                f"the {pack.code} pack's {scheme.name} scheme names no parameter for the role "
                f"{role!r} that the {BASIS} basis needs"
            ) from None
        return pack.value(name, region, on)

    def build() -> _Figures:
        return _Figures(
            mandatory_birth_year=value("mandatory_birth_year_from"),
            band_rule=value("age_band_months_after_birthday"),
            no_contribution_up_to=value("no_contribution_up_to"),
            worker_share_from=value("worker_share_from"),
            full_worker_share_from=value("full_worker_share_from"),
            phase_in_factor=value("worker_phase_in_factor"),
            operator_rate=(value("operator_rate"), value("operator_rate_over_55")),
            worker_rate=(value("worker_rate"), value("worker_rate_over_55")),
            medisave_rate=(value("medisave_rate"),),
            special_share=(value("special_share"),),
            retirement_from_age=value("retirement_account_from_age"),
            group_b_worker_tiers=value("group_b_worker_tiers"),
        )

    return pack.memo((BASIS, scheme.name, region, on), build)  # a reform makes a new pack


def _cell(values: Sequence[ParameterValue], age: int) -> RateCell:
    band, rate = band_rate([value.table() for value in values], age)
    parameter = next(value for value in values if band in value.table())
    return RateCell(parameter, band, rate)


@attrs.frozen
class _Band:
    """The rate cells of one age band, group, region and date."""

    worker: RateCell
    platform: RateCell | None
    medisave: RateCell
    special: RateCell


def _band(
    pack: RulePack,
    scheme: SchemeRules,
    figures: _Figures,
    where: tuple[str, dt.date],
    age: int,
    group_a: bool,
) -> _Band:
    def build() -> _Band:
        medisave = _cell(figures.medisave_rate, age)
        return _Band(
            worker=_cell(figures.worker_rate, age) if group_a else medisave,
            platform=_cell(figures.operator_rate, age) if group_a else None,
            medisave=medisave,
            special=_cell(figures.special_share, age),
        )

    return pack.memo((BASIS, "band", scheme.name, *where, age, group_a), build)


def _deduction(pack: RulePack, mode: str, region: str, on: dt.date) -> ParameterValue | None:
    """The FEDA of ``mode`` in force, or ``None`` when the pack has no such mode."""

    def build() -> ParameterValue | None:
        name = FEDA_PREFIX + mode
        return pack.value(name, region, on) if name in pack.parameters else None

    return pack.memo((BASIS, "feda", mode, region, on), build)


def _job_earnings(pack: RulePack, job: Engagement, on: dt.date) -> JobEarnings:
    vehicle = job.vehicle
    if vehicle is None:
        raise InvalidInput(
            f"{job.label}: vehicle is needed — CPF net earnings deduct a fixed expense share "
            f"by mode of transport (one of {', '.join(modes_of_transport(pack))})"
        )
    modes = (vehicle,) if isinstance(vehicle, str) else tuple(vehicle)
    deductions = []
    for mode in modes:
        deduction = _deduction(pack, mode, job.region, on)
        if deduction is None:
            raise InvalidInput(
                f"{job.label}: vehicle must be one of {', '.join(modes_of_transport(pack))}, "
                f"got {mode!r}"
            )
        deductions.append(deduction)
    lowest = min(deductions, key=lambda value: value.decimal())  # SG-4: lowest FEDA
    net = net_earnings(job.earnings, lowest.decimal())
    return JobEarnings(job.industry, modes, job.earnings, lowest, net)


def _tier(ne: Money, figures: _Figures, group_a: bool) -> str:
    """Which tier of the operator's NE applies: none, operator_only, phase_in or full."""
    floor = figures.no_contribution_up_to.money()
    share_from = figures.worker_share_from.money()
    full_from = figures.full_worker_share_from.money()
    if group_a:
        if ne <= floor:
            return "none"
        if ne <= share_from:
            return "operator_only"
    elif figures.group_b_worker_tiers.flag():
        if ne <= share_from:
            return "none"
    else:
        return "none" if ne <= floor else "full"
    return "phase_in" if ne <= full_from else "full"


def cpf_platform_earnings(month: WorkerMonth, scheme: SchemeRules) -> list[ContributionLine]:
    """Every operator's CPF lines of the worker's month (the SG pack's ``cpf`` basis)."""
    enrolment = month.enrolment(scheme.name)
    opted_in = bool(enrolment is not None and enrolment.opted_in)
    by_operator: dict[str, list[Engagement]] = {}
    for job in month.engagements:
        by_operator.setdefault(job.platform_id, []).append(job)
    lines: list[ContributionLine] = []
    for platform_id, jobs in by_operator.items():
        lines.extend(_operator_lines(month, scheme, platform_id, jobs, opted_in))
    return lines


def _operator_lines(
    month: WorkerMonth,
    scheme: SchemeRules,
    platform_id: str,
    jobs: Sequence[Engagement],
    opted_in: bool,
) -> list[ContributionLine]:
    pack, on, worker = month.pack, month.on, month.worker
    region = jobs[0].region
    figures = _figures(pack, scheme, region, on)
    currency = pack.currency
    earned = tuple(_job_earnings(pack, job, on) for job in jobs)
    ne = Money.sum((job.net for job in earned), currency)
    group_a = is_group_a(worker.birth_date, opted_in, figures.mandatory_birth_year.integer())
    age = band_age(worker.birth_date, month.month, figures.band_rule.integer())
    floor = figures.no_contribution_up_to.money()
    share_from = figures.worker_share_from.money()
    full_from = figures.full_worker_share_from.money()
    factor = figures.phase_in_factor.decimal()
    band = _band(pack, scheme, figures, (region, on), age, group_a)
    medisave, special = band.medisave, band.special
    tier = _tier(ne, figures, group_a)

    pays = {share.payer for share in scheme.shares}  # a reform may drop a payer's share
    rates: dict[str, RateCell] = {}
    exact: dict[str, Money] = {}
    if "worker" in pays:
        rates["worker"] = band.worker
        if group_a:
            exact["worker"] = worker_share(ne, band.worker.rate, factor, share_from, full_from)
        else:
            exact["worker"] = medisave_only_share(
                ne,
                medisave.rate,
                factor,
                floor,
                share_from,
                full_from,
                worker_tiers=figures.group_b_worker_tiers.flag(),
            )
    if band.platform is not None and "platform" in pays:
        rates["platform"] = band.platform
        exact["platform"] = operator_share(ne, band.platform.rate, floor)
    if not exact:
        return []
    rounded = round_payers(exact, scheme.rounding)
    total = Money.sum(rounded.values(), currency)
    if group_a:
        allocation = allocate(total, ne, medisave.rate, special.rate)
    else:
        zero = Money.zero(currency)
        allocation = Allocation(ordinary=zero, special=zero, medisave=total)
    special_fund = "retirement" if age >= figures.retirement_from_age.integer() else "special"
    act = pack.sources.get(ACT_SOURCE)
    operator = OperatorMonth(
        platform_id=platform_id,
        net_earnings=ne,
        jobs=earned,
        group_a=group_a,
        opted_in=opted_in,
        birth_date=worker.birth_date,
        mandatory_birth_year=figures.mandatory_birth_year,
        age=age,
        band=next(iter(rates.values())).band,
        band_rule=figures.band_rule,
        tier=tier,
        thresholds=figures.thresholds,
        exact=exact,
        rounded=rounded,
        rounding=scheme.rounding,
        rounding_method=scheme.rounding.method,
        allocation=allocation,
        special_fund=special_fund,
        allocation_cells=(medisave, special) if group_a else (medisave,),
        allocation_rules=(figures.retirement_from_age,) if group_a else (),
        act=act,
    )
    payers = [payer for payer in ("worker", "platform") if payer in exact]
    rows = fill_in_order(
        [rounded[payer] for payer in payers],
        [allocation.medisave, allocation.special, allocation.ordinary],
    )
    split = dict(zip(payers, rows, strict=True))
    lines = []
    for payer in [share.payer for share in scheme.shares if share.payer in split]:
        to_medisave, to_special, to_ordinary = split[payer]
        phased = payer == "worker" and tier == "phase_in"
        lines.append(
            ContributionLine(
                scheme=scheme.name,
                payer=payer,
                platform_id=platform_id,
                region=region,
                base=ne,
                rate=rates[payer].rate,
                amount=rounded[payer],
                funds=(
                    ("ordinary", to_ordinary),
                    (special_fund, to_special),
                    ("medisave", to_medisave),
                ),
                derivation=CpfDerivation(
                    operator,
                    payer,
                    rates[payer],
                    phase_in_factor=figures.phase_in_factor if phased else None,
                ),
            )
        )
    return lines
