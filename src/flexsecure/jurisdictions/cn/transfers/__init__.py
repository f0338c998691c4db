"""Portability across regions: transfers of the pension relation, temporary accounts, the region
that pays the pension, and the link with the resident scheme.

A platform worker follows the work from province to province. China's employee pension
follows the person (《社会保险法》 Art. 19: years add up; the pension is "分段计算、统一支付"),
by the rules of 国办发〔2009〕66号 (in force 2010-01-01; fact sheet CN.md §4):

* **what moves** (Art. 4): the whole individual account with interest, and 12 % of the
  contribution bases since 1998 from the pooled fund —
  :func:`~flexsecure.jurisdictions.cn.transfers.relation.quote_transfer`;
* **temporary accounts** (Art. 5 (2)): a man of 50+ or woman of 40+ moving to a region that is
  not the hukou region keeps the relation where it is and pays into a temporary account at
  the new place, collected later —
  :func:`~flexsecure.jurisdictions.cn.transfers.collection.quote_temporary_collection`;
* **who pays** (Art. 6, four rules) —
  :func:`~flexsecure.jurisdictions.cn.transfers.places.benefit_region`;
* **duplicate months** paid in two places: listed, one kept, the other cleared —
  :mod:`~flexsecure.jurisdictions.cn.transfers.moves`;
* **the resident scheme link** (人社部发〔2014〕17号) —
  :func:`~flexsecure.jurisdictions.cn.transfers.links.quote_scheme_link`.

Every movement is a quote computed from the ledger, then an atomic execution::

    >>> import datetime as dt
    >>> from flexsecure import Ledger, Month, Worker
    >>> from flexsecure.calculations.contributions import monthly_contributions
    >>> from flexsecure.facts.engagements import BaseChoice, Enrolment
    >>> import flexsecure as fs
    >>> cn = fs.load_jurisdiction("CN").pack
    >>> rider = Worker(id="w-9", birth_date=dt.date(1990, 3, 1), sex="male",
    ...                hukou_region="CN-SC", retirement_category="male")
    >>> floor = [Enrolment(scheme="pension", region="CN-SH", base=BaseChoice.FLOOR)]
    >>> ledger = Ledger.for_worker(rider).post(*(
    ...     monthly_contributions(cn, rider, [], Month(2025, m), enrolments=floor)
    ...     for m in range(1, 13)))
    >>> quote = quote_transfer(cn, ledger, from_region="CN-SH", to_region="CN-SC",
    ...                        on=dt.date(2026, 1, 1))
    >>> quote.months, quote.pooled      # 12 % × (6 × 7384 + 6 × 7460)
    (12, Money('10687.68', 'CNY'))
    >>> moved = ledger.apply(quote.execute())
    >>> moved.balance("pension", "individual_account", region="CN-SH")
    Money('0.00', 'CNY')
    >>> moved.apply(quote.execute()) is moved
    True
"""

from __future__ import annotations

from flexsecure.jurisdictions.cn.transfers.collection import quote_temporary_collection
from flexsecure.jurisdictions.cn.transfers.links import (
    LinkDirection,
    SchemeLinkQuote,
    quote_scheme_link,
    resident_account_pension,
)
from flexsecure.jurisdictions.cn.transfers.moves import (
    AccountMove,
    DuplicateMonth,
    InterestCredit,
    PooledMode,
)
from flexsecure.jurisdictions.cn.transfers.places import BenefitRegion, benefit_region
from flexsecure.jurisdictions.cn.transfers.quotes import TransferKind, TransferQuote
from flexsecure.jurisdictions.cn.transfers.relation import quote_transfer
from flexsecure.jurisdictions.cn.transfers.temporary import TemporaryAccountRule
from flexsecure.jurisdictions.cn.transfers.view import (
    relation_region,
    temporary_accounts,
)

__all__ = [
    "AccountMove",
    "BenefitRegion",
    "DuplicateMonth",
    "InterestCredit",
    "LinkDirection",
    "PooledMode",
    "SchemeLinkQuote",
    "TemporaryAccountRule",
    "TransferKind",
    "TransferQuote",
    "benefit_region",
    "quote_scheme_link",
    "quote_temporary_collection",
    "quote_transfer",
    "relation_region",
    "resident_account_pension",
    "temporary_accounts",
]
