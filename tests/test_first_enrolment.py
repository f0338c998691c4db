"""A first-ever enrolment away from the hukou region at 50+ (men) / 40+ (women) opens a
temporary account, as a move does (国办发〔2009〕66号 Art. 5 (2) as provincial measures apply
it to a first enrolment: Gansu measures §11 and a Q&A page, CN.md §4.3 [S3], unverified)."""

from __future__ import annotations

import datetime as dt

import pytest

import flexsecure as fs
from flexsecure import Ledger, Month

CN = fs.load_jurisdiction("CN")
SEPTEMBER = Month(2025, 9)


def worker(born: dt.date, sex: str, hukou: str = "CN-SC") -> fs.Worker:
    category = "male" if sex == "male" else "female_50"
    return fs.Worker(
        id="f-1", birth_date=born, sex=sex, hukou_region=hukou, retirement_category=category
    )


def month_in(person: fs.Worker, region: str, month: Month = SEPTEMBER) -> fs.ContributionStatement:
    return CN.monthly_contributions(person, [], month, enrolments=[fs.Enrolment("pension", region)])


@pytest.mark.parametrize(
    ("born", "sex", "region", "account"),
    [
        (dt.date(1974, 3, 1), "male", "CN-SH", "temporary"),  # 51 in Shanghai, hukou Sichuan
        (dt.date(1976, 3, 1), "male", "CN-SH", None),  # 49: an ordinary relation
        (dt.date(1984, 3, 1), "female", "CN-SH", "temporary"),  # 41
        (dt.date(1986, 3, 1), "female", "CN-SH", None),  # 39
        (dt.date(1974, 3, 1), "male", "CN-SC", None),  # at home: never temporary
    ],
)
def test_the_first_enrolment_picks_the_account_by_age_sex_and_hukou(
    born: dt.date, sex: str, region: str, account: str | None
) -> None:
    person = worker(born, sex)
    statement = month_in(person, region)
    routes = CN.posting_accounts(Ledger.for_worker(person), statement)
    assert routes.get(("pension", region)) == account
    ledger = Ledger.for_worker(person).post(statement, accounts=routes)
    expected = "596.80" if region == "CN-SH" else None
    if expected is not None:
        held = ledger.balance("pension", "individual_account", account=account or "regular")
        assert held == fs.Money(expected, "CNY")  # 7460 × 8 %


def test_only_the_first_enrolment_opens_one() -> None:
    """A worker who already holds a relation moves by a transfer quote, which decides."""
    person = worker(dt.date(1974, 3, 1), "male")
    at_home = Ledger.for_worker(person).post(month_in(person, "CN-SC", Month(2025, 8)))
    later = month_in(person, "CN-SH")
    assert CN.posting_accounts(at_home, later) == {}


def test_a_first_enrolment_account_is_collected_home_whole() -> None:
    """Everything in the temporary account (全部缴费本息) is collected to the hukou region."""
    person = worker(dt.date(1974, 3, 1), "male")
    ledger = Ledger.for_worker(person)
    for month in Month.range(Month(2025, 7), Month(2025, 10)):
        statement = month_in(person, "CN-SH", month)
        ledger = ledger.post(statement, accounts=CN.posting_accounts(ledger, statement))
    assert ledger.balance("pension", "individual_account", account="temporary") == fs.Money(
        "1790.40", "CNY"
    )  # 3 × 596.80
    quote = CN.quote_temporary_collection(
        ledger, region="CN-SH", to_region="CN-SC", on=dt.date(2025, 12, 31)
    )
    collected = ledger.apply(quote.execute())
    assert collected.balance("pension", "individual_account", region="CN-SH") == fs.Money(
        "0.00", "CNY"
    )
    assert collected.contributed_months("pension", region="CN-SC") == 3


def test_the_rule_is_cited_and_marked_unverified() -> None:
    value = CN.parameter("transfer.temporary_account_at_first_enrolment", on=dt.date(2025, 9, 1))
    assert value.value is True
    assert not value.verified
    assert value.citation.article == "Gansu implementing measures §11"


def test_singapore_has_no_such_rule() -> None:
    sg = fs.load_jurisdiction("SG")
    rider = fs.Worker(id="p-1", birth_date=dt.date(1960, 1, 1))
    statement = sg.monthly_contributions(rider, [], Month(2026, 5))
    with pytest.raises(fs.NotInJurisdiction, match="posting_accounts"):
        sg.posting_accounts(Ledger.for_worker(rider), statement)
