"""A rider follows the work: Sichuan, Shanghai, Guangdong and home again.

The rider's hukou is in Sichuan (CN-SC). They pay flexible employees' pension contributions in
Sichuan, move to Shanghai, then to Guangdong, then come home. Each move is a transfer of the
pension relation under 国办发〔2009〕66号: a quote (the whole individual account with interest
to the day, 12 % of the contribution bases from the pooled fund, the months), then its
execution on the ledger. At the end: which region pays the pension (66号 Art. 6), and the
projected monthly pension.

The bundled pack has no contribution-base band for Sichuan, so the Sichuan months are booked
explicitly, as ledger entries on a declared base, with the pack's national rates (8 % to the
individual account, 12 % to the pooled fund). Shanghai and Guangdong months come from
``monthly_contributions`` at the regions' floors.

Run it with ``python examples/moving_rider.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import flexsecure as fs
from flexsecure.calculations.accounts import EntryKind, LedgerEntry, contribution_entry_id
from flexsecure.calculations.contributions import fund_amounts, monthly_contributions
from flexsecure.jurisdictions.cn.transfers import benefit_region, quote_transfer

PACK = fs.load_jurisdiction("CN").pack
RIDER = fs.Worker(
    id="rider-7",
    birth_date=dt.date(1988, 4, 20),
    sex=fs.Sex.MALE,
    hukou_region="CN-SC",
    retirement_category=fs.RetirementCategory.MALE,
)
SICHUAN_BASE = fs.Money("3500", "CNY")
"""A declared monthly base for the Sichuan months (no band for Sichuan in the pack)."""


def _illustrative(parameter: str, value: str, region: str, year: int) -> fs.SetValue:
    return fs.SetValue(parameter, Decimal(value), dt.date(year, 1, 1), region=region)


ILLUSTRATIVE_WAGES = fs.Reform(
    name="illustrative_wages",
    title="Illustrative Sichuan and Guangdong wages for this example; not data",
    set_values=[
        _illustrative("pension.average_wage", "6000", "CN-SC", 2016),
        _illustrative("pension.calculation_base", "6000", "CN-SC", 2016),
        _illustrative("pension.base_floor", "3600", "CN-SC", 2016),
        _illustrative("pension.base_ceiling", "18000", "CN-SC", 2016),
        _illustrative("pension.average_wage", "8000", "CN-GD", 2024),
    ],
)
"""Round figures standing in for Sichuan's and Guangdong's published wages and Sichuan's
band, which the bundled pack does not have. They are set by the caller: every explanation
that uses them says so."""


def months(first: fs.Month, last: fs.Month) -> list[fs.Month]:
    return list(first.through(last))


def sichuan_month(month: fs.Month) -> LedgerEntry:
    """One Sichuan month booked explicitly: the pack's national rates on the declared base."""
    funds = dict(fund_amounts(PACK, "pension", "CN-SC", month.first_day, SICHUAN_BASE))
    return LedgerEntry(
        id=contribution_entry_id(RIDER.id, "pension", "CN-SC", month, "worker", None),
        kind=EntryKind.CONTRIBUTION,
        worker_id=RIDER.id,
        scheme="pension",
        region="CN-SC",
        month=month,
        booked_on=month.last_day,
        funds=funds,
        base=SICHUAN_BASE,
        months=1,
        payer="worker",
    )


def at_the_floor(region: str, span: list[fs.Month]) -> list[fs.ContributionStatement]:
    """Statements of months paid at ``region``'s floor (no platform work needed for this)."""
    enrolments = [fs.Enrolment(scheme="pension", region=region, base=fs.BaseChoice.FLOOR)]
    return [monthly_contributions(PACK, RIDER, [], month, enrolments=enrolments) for month in span]


def move(ledger: fs.Ledger, from_region: str, to_region: str, on: dt.date) -> fs.Ledger:
    """Quote the transfer, show it, execute it."""
    quote = quote_transfer(PACK, ledger, from_region=from_region, to_region=to_region, on=on)
    print(f"\n== Transfer {from_region} -> {to_region} on {on} ==")
    print(quote.explain().render("en"))
    return ledger.apply(quote.execute())


def main() -> None:
    ledger = fs.Ledger.for_worker(RIDER)

    # Sichuan, 2016-2018 (explicit entries: no band in the pack)
    ledger = ledger.apply(sichuan_month(m) for m in months(fs.Month(2016, 1), fs.Month(2018, 12)))
    # Shanghai, 2019-01 to 2024-06, at the floor; the relation follows on 2019-01-01
    ledger = move(ledger, "CN-SC", "CN-SH", dt.date(2019, 1, 1))
    ledger = ledger.post(*at_the_floor("CN-SH", months(fs.Month(2019, 1), fs.Month(2024, 6))))
    # Guangdong, 2024-07 (its band year starts in July) to 2025-06, at the floor; the relation
    # follows after the first month
    ledger = ledger.post(*at_the_floor("CN-GD", months(fs.Month(2024, 7), fs.Month(2024, 7))))
    ledger = move(ledger, "CN-SH", "CN-GD", dt.date(2024, 8, 1))
    ledger = ledger.post(*at_the_floor("CN-GD", months(fs.Month(2024, 8), fs.Month(2025, 6))))
    # home to Sichuan for the second half of 2025; the relation comes home on 2026-01-01
    ledger = ledger.apply(sichuan_month(m) for m in months(fs.Month(2025, 7), fs.Month(2025, 12)))
    ledger = move(ledger, "CN-GD", "CN-SC", dt.date(2026, 1, 1))

    print("\n== Where the pension is paid ==")
    decision = benefit_region(PACK, RIDER, ledger, on=dt.date(2026, 1, 1))
    print(decision.explain().render("en"))
    paying = ledger.balance("pension", "individual_account", region=decision.region)
    print(
        f"\ncontributed months: {ledger.contributed_months('pension')}, individual account "
        f"{ledger.balance('pension', 'individual_account')}, of which in {decision.region}: "
        f"{paying}"
    )

    print("\n== Projected pension ==")
    # The pension index needs each month's regional average wage, and Sichuan's pension its
    # calculation base; the bundled pack has neither for Sichuan or Guangdong. A vendor would
    # load a pack that has them; this example supplies round ILLUSTRATIVE figures through a
    # caller's Reform, so every explanation marks them as set by the caller, unverified.
    cn = fs.load_jurisdiction("CN").with_reform(ILLUSTRATIVE_WAGES)
    assumptions = fs.Assumptions(
        start=fs.Month(2026, 1),
        region="CN-SC",
        base=fs.BaseChoice.FLOOR,
        wage_growth=Decimal("0.03"),
        interest_rate=Decimal("0.02"),
    )
    projection = cn.project_pension(RIDER, ledger, region=decision.region, assumptions=assumptions)
    print(projection.explain().render("en"))
    print(
        f"\nprojected monthly pension paid by {decision.region} from "
        f"{projection.retirement.date}: {projection.monthly_amount} (basic "
        f"{projection.basic_pension} + account {projection.account_pension})"
    )


if __name__ == "__main__":
    main()
