"""Contribution statements as tables, and two statements side by side."""

from __future__ import annotations

from collections.abc import Sequence

from flexsecure.calculations.statements import ContributionStatement
from flexsecure.i18n.formatting import format_money, format_month, format_value, term
from flexsecure.values.money import Money

__all__ = ["render_comparison", "render_statement"]


def _line_cells(statement: ContributionStatement, locale: str) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for line in statement.lines:
        payer = term(line.payer, locale)
        if line.platform_id:
            payer += f" {line.platform_id}"
        if line.base is not None:
            basis = format_money(line.base, locale)
            rate = format_value("rate", line.rate, locale)
        else:
            basis = f"{line.orders} {term('orders_unit', locale)}"
            assert isinstance(line.rate, Money)
            rate = format_money(line.rate, locale) + term("per_order", locale)
        rows.append(
            (term(line.scheme, locale), payer, basis, rate, format_money(line.amount, locale))
        )
    return rows


def _width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _table(rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        out.append("  ".join(cells).rstrip())
    return out


def render_statement(statement: ContributionStatement, locale: str = "en") -> str:
    """A statement as a table: one row per line, then totals per payer."""
    header = tuple(
        term(key, locale) for key in ("scheme", "payer", "base_or_orders", "rate", "amount")
    )
    rows = [header, *_line_cells(statement, locale)]
    title = (
        f"{term('statement_title', locale)} · {statement.worker_id} · "
        f"{format_month(statement.month, locale)}"
    )
    if statement.reforms:
        title += f" · {', '.join(statement.reforms)}"
    out = [title, *_table(rows, right={2, 3, 4})]
    for payer in sorted({line.payer for line in statement.lines}, reverse=True):
        out.append(
            f"{term('total', locale)} {term(payer, locale)}: "
            f"{format_money(statement.total(payer=payer), locale)}"
        )
    out.append(f"{term('total', locale)}: {format_money(statement.total(), locale)}")
    return "\n".join(out)


def render_comparison(
    before: ContributionStatement, after: ContributionStatement, locale: str = "en"
) -> str:
    """Two statements of the same worker-month side by side, per scheme, payer and platform."""
    keys: dict[tuple[str, str, str], None] = {}
    for line in (*before.lines, *after.lines):
        keys.setdefault((line.scheme, line.payer, line.platform_id or ""), None)
    reform = ", ".join(after.reforms) or term("current_law", locale)
    rows: list[tuple[str, ...]] = [
        (
            term("scheme", locale),
            term("payer", locale),
            term("current_law", locale),
            reform,
            term("difference", locale),
        )
    ]

    def subtotal(statement: ContributionStatement, scheme: str, payer: str, platform: str) -> Money:
        lines = statement.select(scheme=scheme, payer=payer)
        return Money.sum(
            (line.amount for line in lines if (line.platform_id or "") == platform),
            statement.currency,
        )

    schemes = list(dict.fromkeys(scheme for scheme, _, _ in keys))
    for scheme, payer, platform in sorted(keys, key=lambda key: schemes.index(key[0])):
        old = subtotal(before, scheme, payer, platform)
        new = subtotal(after, scheme, payer, platform)
        who = term(payer, locale) + (f" {platform}" if platform else "")
        rows.append(
            (
                term(scheme, locale),
                who,
                format_money(old, locale),
                format_money(new, locale),
                format_money(new - old, locale),
            )
        )
    for payer in ("worker", "platform"):
        old, new = before.total(payer=payer), after.total(payer=payer)
        rows.append(
            (
                term("total", locale),
                term(payer, locale),
                format_money(old, locale),
                format_money(new, locale),
                format_money(new - old, locale),
            )
        )
    return "\n".join(_table(rows, right={2, 3, 4}))
