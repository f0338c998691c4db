"""Month plans: a statement computed from its month's plan is the one its schemes' rules give.

``monthly_contributions`` resolves, once per set of enrolments and month, what every scheme's
registered basis rule would ask of the pack (:mod:`flexsecure.calculations.month_plans`), and
keeps the premium lines of each platform and order count. These tests hold the result to the
rules themselves — each scheme's rule asked in the pack's order with the checked worker-month —
line by line, with explanations, notes and errors, and check that what is kept is asked again
when it may have changed: another list of enrolments, a list changed in place, a basis
registered again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import BaseChoice, ContributionStatement, Engagement, Enrolment, Month
from flexsecure.calculations.bases import BasisResult, WorkerMonth, basis_rule, register_basis
from flexsecure.calculations.contributions import worker_month
from flexsecure.calculations.order_contributions import order_contribution_lines
from flexsecure.calculations.statements import ContributionLine, StatementNote
from flexsecure.rules.schemes import SchemeRules
from tests.strategies import RIDER, base_choices, engagements

CN = fs.load_jurisdiction("CN")
JURISDICTIONS = {
    "CN": CN,
    "platform_cofunding": CN.with_reform("platform_cofunding"),
    "pension_per_order": CN.with_reform("pension_per_order"),
}
SEP = Month(2025, 9)
REGIONS = ("CN-SH", "CN-BJ", "CN-GD", "CN-ZJ", "CN-SC", "CN-GD-GZ", "CN-TJ")
"""Shanghai (one band for pension and medical), Beijing (a fixed medical amount), provinces
and cities with and without medical figures or injury protection in 2025-2026."""


def by_rules(
    jurisdiction: fs.Jurisdiction,
    jobs: Sequence[Engagement],
    month: Month,
    enrolments: Sequence[Enrolment],
    platforms: Sequence[fs.Platform] = (),
) -> ContributionStatement:
    """The statement as every scheme's registered rule gives it, asked in the pack's order."""
    pack = jurisdiction.pack
    facts = worker_month(pack, RIDER, jobs, month, enrolments, platforms)
    lines: list[ContributionLine] = []
    notes: list[StatementNote] = []
    for scheme in pack.schemes.values():
        result = basis_rule(scheme.basis)(facts, scheme)
        if isinstance(result, BasisResult):
            lines.extend(result.lines)
            notes.extend(result.notes)
        else:
            lines.extend(result)
        if scheme.order_contributions:
            lines.extend(order_contribution_lines(facts, scheme))
    return ContributionStatement(
        RIDER.id, month, pack.currency, tuple(lines), pack.code, pack.applied_reforms,
        facts.earnings, tuple(notes),
    )  # fmt: skip


def outcome(compute: Callable[[], ContributionStatement]) -> object:
    """Everything a caller sees of a statement (its repr, every line's and note's explanation,
    whether lines are derived), or the error it raised."""
    try:
        statement = compute()
    except fs.FlexsecureError as error:
        return (type(error).__name__, str(error))
    return (
        repr(statement),
        [(repr(line.explanation), line.derived) for line in statement.lines],
        [repr(note.explanation) for note in statement.notes],
        repr(statement.explain()),
    )


@st.composite
def worker_months(
    draw: st.DrawFn,
) -> tuple[str, Month, list[Engagement], list[Enrolment], list[fs.Platform]]:
    month = draw(st.builds(Month, st.sampled_from([2025, 2026]), st.integers(1, 12)))
    regions = tuple(draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=2)))
    jobs = draw(engagements(RIDER.id, month, regions))
    enrolments = [
        Enrolment(scheme=scheme, region=draw(st.sampled_from(REGIONS)), base=draw(base_choices))
        for scheme in draw(st.sampled_from([(), ("pension",), ("medical", "pension")]))
    ]
    keys = [None, "meituan", "didi", "not_listed"]
    platforms = [
        fs.Platform(job.platform_id, registry_key=draw(st.sampled_from(keys)))
        for job in jobs
        if draw(st.booleans())
    ]
    return draw(st.sampled_from(sorted(JURISDICTIONS))), month, jobs, enrolments, platforms


@settings(max_examples=150, deadline=None)
@given(case=worker_months())
def test_a_planned_statement_is_what_the_schemes_rules_give(
    case: tuple[str, Month, list[Engagement], list[Enrolment], list[fs.Platform]],
) -> None:
    name, month, jobs, enrolments, platforms = case
    jurisdiction = JURISDICTIONS[name]
    planned = outcome(
        lambda: jurisdiction.monthly_contributions(
            RIDER, jobs, month, enrolments=enrolments, platforms=platforms
        )
    )
    assert planned == outcome(lambda: by_rules(jurisdiction, jobs, month, enrolments, platforms))
    again = outcome(  # from the kept plan and lines, with other month and list objects
        lambda: jurisdiction.monthly_contributions(
            RIDER, list(jobs), str(month), enrolments=tuple(enrolments), platforms=platforms
        )
    )
    assert again == planned


def test_workers_with_the_same_orders_on_a_platform_get_equal_lines() -> None:
    """Premium lines are kept per platform and order count: a second worker's lines are equal
    to the first's, name the same platform, and explain the same premium."""

    def statement(worker_id: str) -> ContributionStatement:
        job = Engagement(
            worker_id=worker_id, platform_id="food-co", industry="instant_delivery",
            region="CN-SH", month=SEP, earnings=fs.Money("2100.50", "CNY"), orders=233,
        )  # fmt: skip
        worker = fs.Worker(id=worker_id, birth_date=dt.date(1990, 1, 1))
        return CN.monthly_contributions(worker, [job], SEP)

    first, second = statement("w-1"), statement("w-2")
    assert first.lines == second.lines
    assert [line.platform_id for line in second.lines] == ["food-co"]
    assert repr(first.lines[0].explanation) == repr(second.lines[0].explanation)
    assert second.total() == fs.Money("16.31", "CNY")  # 233 × 0.07


def test_a_list_of_enrolments_changed_in_place_is_checked_again() -> None:
    enrolments = [Enrolment(scheme="pension", region="CN-SH", base=BaseChoice.FLOOR)]
    floor = CN.monthly_contributions(RIDER, [], SEP, enrolments=enrolments)
    enrolments[0] = Enrolment(scheme="pension", region="CN-SH", base=BaseChoice.CEILING)
    ceiling = CN.monthly_contributions(RIDER, [], SEP, enrolments=enrolments)
    assert [line.base for line in floor.lines] == [fs.Money("7460", "CNY")]
    assert [line.base for line in ceiling.lines] == [fs.Money("37302", "CNY")]
    enrolments.append(Enrolment(scheme="occupational_injury", region="CN-SH"))
    with pytest.raises(fs.InvalidInput, match="takes no enrolment"):
        CN.monthly_contributions(RIDER, [], SEP, enrolments=enrolments)


def test_a_basis_registered_again_is_asked_from_then_on() -> None:
    """A month plan resolves the engine's own bases once; registering a basis retires every
    plan made before, so the rule registered last is the one asked."""
    job = Engagement(
        worker_id=RIDER.id, platform_id="ride-co", industry="ride_hailing", region="CN-SH",
        month=SEP, earnings=fs.Money("6200.00", "CNY"), orders=410,
    )  # fmt: skip
    before = CN.monthly_contributions(RIDER, [job], SEP)
    original = basis_rule("orders")
    asked: list[str] = []

    def counting(
        month: WorkerMonth, scheme: SchemeRules
    ) -> Sequence[ContributionLine] | BasisResult:
        asked.append(scheme.name)
        return original(month, scheme)

    register_basis("orders", counting)
    try:
        during = CN.monthly_contributions(RIDER, [job], SEP)
    finally:
        register_basis("orders", original)
    assert asked == ["occupational_injury"]
    assert during == before
    assert CN.monthly_contributions(RIDER, [job], SEP) == before
    assert asked == ["occupational_injury"]  # the engine's own rule again
