"""Where the pension is paid: the four rules of 国办发〔2009〕66号 Art. 6.

A worker insured in several regions draws one pension, computed in parts and paid by one
region (《社会保险法》 Art. 19: "分段计算、统一支付"). Art. 6 decides which, in this order
(fact sheet CN.md §4.3):

1. the relation is in the **hukou** region → the hukou region pays;
2. the relation is elsewhere and the worker has at least **10 years** of contributions
   there (``transfer.benefit_region_min_years``) → that region pays;
3. fewer than 10 years there → the relation goes back to the **previous** place with at
   least 10 years, which pays;
4. fewer than 10 years at **every** place → the relation and its money are gathered in the
   hukou region, which pays.

"Years at a place" are the months paid *there* — the history as paid, not what transfers
carried in — plus months booked there by adjustments (an opening balance). A cleared
duplicate month counts where it was kept. Two points are unverified and set in the pack:
which earlier place rule 3 takes when several qualify (``transfer.benefit_region_most_recent``:
the most recent, by its last paid month) and whether months paid into a temporary account
count (``transfer.temporary_years_count``: no).
"""

from __future__ import annotations

import datetime as dt

import attrs

from flexsecure.calculations.accounts.ledger import REGULAR_ACCOUNT, EntryKind, Ledger
from flexsecure.calculations.statements import parameter_node
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.facts import hukou_region_of
from flexsecure.jurisdictions.cn.transfers.moves import (
    Used,
    use,
)
from flexsecure.jurisdictions.cn.transfers.planning import (
    resolve_worker,
)
from flexsecure.jurisdictions.cn.transfers.view import (
    View,
    regular_relation,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.checks import require_date
from flexsecure.values.errors import InvalidInput, TransferError
from flexsecure.values.explanation import Explanation
from flexsecure.values.periods import Month

__all__ = ["BenefitRegion", "benefit_region", "months_by_region"]

MIN_YEARS = "transfer.benefit_region_min_years"
MOST_RECENT = "transfer.benefit_region_most_recent"
TEMPORARY_YEARS = "transfer.temporary_years_count"


@attrs.frozen
class PlaceMonths:
    """Months paid at one place, and the last month paid there."""

    region: str
    months: int
    last: Month | None


def months_by_region(pack: RulePack, view: View, on: dt.date, used: Used) -> dict[str, PlaceMonths]:
    """The months paid at each place, as Art. 6 counts them (see the module docstring)."""
    temporary = use(used, pack.value(TEMPORARY_YEARS, None, on)).flag()
    paid: dict[str, set[Month]] = {}
    extra: dict[str, int] = {}
    last: dict[str, Month] = {}
    for region, account in view.accounts():
        if account != REGULAR_ACCOUNT and not temporary:
            continue
        for month in view.own.get((region, account), {}):
            if (month, region, account) in view.cleared:
                continue
            paid.setdefault(region, set()).add(month)
            if region not in last or month > last[region]:
                last[region] = month
        for entry in view.entries((region, account)):
            if entry.kind is EntryKind.ADJUSTMENT and entry.months:
                extra[region] = extra.get(region, 0) + entry.months
                when = entry.month or Month.of(entry.booked_on)
                if region not in last or when > last[region]:
                    last[region] = when
    regions = sorted(set(paid) | set(extra))
    return {
        region: PlaceMonths(
            region, len(paid.get(region, ())) + extra.get(region, 0), last.get(region)
        )
        for region in regions
    }


@attrs.frozen
class BenefitRegion:
    """The region that pays the pension on ``on``, and which rule of Art. 6 decided."""

    region: str
    rule: int
    """1..4: the rule of 66号 Art. 6 that decided (see the module docstring)."""
    relation_region: str
    hukou_region: str
    on: dt.date
    min_years: int
    months: tuple[tuple[str, int], ...]
    """Months paid at each place as Art. 6 counts them, by region."""
    earlier: tuple[str, ...] = ()
    """Rule 3: the earlier places with at least ``min_years``, in the order they were tried."""
    parameters: tuple[ParameterValue, ...] = attrs.field(default=(), repr=False)

    def months_in(self, region: str) -> int:
        """Months counted at ``region`` (0 where the worker never paid)."""
        return dict(self.months).get(region, 0)

    def explain(self) -> Explanation:
        """The decision, the months counted at each place and the cited parameters."""
        formulas = {
            1: "the relation is in the hukou region: the hukou region pays (rule 1)",
            2: "the relation is not in the hukou region and has at least the minimum years "
            "there: that region pays (rule 2)",
            3: "fewer than the minimum years where the relation is: the previous place with the "
            "minimum years pays (rule 3)",
            4: "fewer than the minimum years at every place: the hukou region pays (rule 4)",
        }
        places = [
            Explanation(
                "benefit.place",
                {
                    "region": region,
                    "months": months,
                    "years": f"{months // 12}y{months % 12}m",
                    "qualifies": "yes" if months >= self.min_years * 12 else "no",
                },
            )
            for region, months in self.months
        ]
        return Explanation(
            "benefit.region",
            {
                "region": self.region,
                "rule": self.rule,
                "relation_region": self.relation_region,
                "hukou_region": self.hukou_region,
                "on": self.on,
                "min_years": self.min_years,
            },
            formula=formulas[self.rule],
            children=places + [parameter_node(value) for value in self.parameters],
        )


def benefit_region(
    pack: RulePack,
    worker: Worker | None,
    ledger: Ledger,
    *,
    on: dt.date,
    scheme: str = "pension",
) -> BenefitRegion:
    """The region that pays ``worker``'s pension on ``on`` (66号 Art. 6, four rules).

    Counts the ledger's entries booked on or before ``on``. ``worker=None`` takes the worker
    kept on the ledger (:meth:`Ledger.for_worker`). Raises
    :class:`~flexsecure.values.errors.TransferError` when the ledger holds no relation.
    """
    ledger = ledger.in_currency(pack.currency)
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    on = require_date(on, "on")
    pack.scheme(scheme)
    person = resolve_worker(ledger, worker, "the benefit region (66号 Art. 6)")
    return decide(pack, person, View(ledger, scheme, on), on)


def decide(pack: RulePack, worker: Worker, view: View, on: dt.date) -> BenefitRegion:
    """:func:`benefit_region` on a prepared view."""
    used: Used = {}
    relation = regular_relation(view)
    if relation is None:
        raise TransferError(
            f"worker {worker.id!r} holds no {view.scheme} relation on {on}: nothing paid into, "
            "or transferred to, a regular account is held anywhere"
        )
    minimum = use(used, pack.value(MIN_YEARS, None, on)).integer()
    places = months_by_region(pack, view, on, used)
    counted = tuple((region, place.months) for region, place in places.items())
    hukou = hukou_region_of(worker, "the benefit-region rule (66号 Art. 6)")

    def result(region: str, rule: int, earlier: tuple[str, ...] = ()) -> BenefitRegion:
        return BenefitRegion(
            region=region,
            rule=rule,
            relation_region=relation,
            hukou_region=hukou,
            on=on,
            min_years=minimum,
            months=counted,
            earlier=earlier,
            parameters=tuple(used.values()),
        )

    if relation == hukou:
        return result(hukou, 1)
    enough = minimum * 12
    here = places.get(relation)
    if here is not None and here.months >= enough:
        return result(relation, 2)
    qualified = [
        place for region, place in places.items() if region != relation and place.months >= enough
    ]
    if qualified:
        most_recent = use(used, pack.value(MOST_RECENT, None, on)).flag()
        qualified.sort(
            key=lambda place: (place.last or Month(1, 1), place.region), reverse=most_recent
        )
        return result(qualified[0].region, 3, tuple(place.region for place in qualified))
    return result(hukou, 4)
