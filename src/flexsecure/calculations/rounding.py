"""Rounding rules: how a scheme turns its payers' exact amounts into amounts that can be paid.

A pack's ``[scheme.rounding]`` names a ``method`` registered here, with a mode and a unit. The
engine rounds all payers of a line together, so a rule may treat them as a whole:

* ``each`` (built in) — every payer's amount on its own, by the mode, to the unit; China's
  contributions, e.g. 7,460.00 × 20 % = 1,492.00 (half up to the fen).
* a jurisdiction may register others: Singapore's CPF rounds the total to the dollar and
  derives one payer's share from the other (registered by :mod:`flexsecure.jurisdictions.sg`).

Whatever the method, the rounded amounts are whole units of the rule and in the currency they
came in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flexsecure.rules.schemes import EACH_PAYER, RoundingRule
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import Money

__all__ = ["PayerRounding", "register_rounding", "registered_roundings", "round_payers"]

PayerRounding = Callable[[Mapping[str, Money], RoundingRule], dict[str, Money]]
"""Exact amounts per payer and the scheme's rule in, rounded amounts per payer out."""

_ROUNDINGS: dict[str, PayerRounding] = {}


def register_rounding(name: str, rule: PayerRounding) -> None:
    """Register ``rule`` as the rounding method called ``name``."""
    if not isinstance(name, str) or not name.isidentifier():
        raise InvalidInput(f"a rounding method name must be an identifier, got {name!r}")
    if not callable(rule):
        raise InvalidInput(f"a rounding rule must be callable, got {rule!r}")
    _ROUNDINGS[name] = rule


def registered_roundings() -> tuple[str, ...]:
    """The names of every registered rounding method."""
    return tuple(sorted(_ROUNDINGS))


def round_payers(amounts: Mapping[str, Money], rule: RoundingRule) -> dict[str, Money]:
    """``amounts`` (payer → exact amount) rounded by ``rule``'s registered method."""
    try:
        method = _ROUNDINGS[rule.method]
    except KeyError:
        raise RuleNotFound(
            f"no rounding method {rule.method!r} is registered (registered: "
            f"{', '.join(registered_roundings())})"
        ) from None
    return method(amounts, rule)


def round_each_payer(amounts: Mapping[str, Money], rule: RoundingRule) -> dict[str, Money]:
    """Every payer's amount on its own, by ``rule``'s mode, to its unit."""
    return {payer: rule.apply(amount) for payer, amount in amounts.items()}


register_rounding(EACH_PAYER, round_each_payer)
