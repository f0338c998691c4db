"""The shared words: schemes, payers, funds and platform industries.

A rule pack declares which schemes, funds and industries it has; these enums name the ones the
bundled packs use so callers can write ``Scheme.PENSION`` instead of ``"pension"``. They are
``str`` enums, so a member and its plain name are interchangeable everywhere, and a pack may
declare a name that is not listed here.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Fund", "Industry", "Payer", "Scheme"]


class Scheme(StrEnum):
    """A kind of insurance."""

    PENSION = "pension"
    MEDICAL = "medical"
    OCCUPATIONAL_INJURY = "occupational_injury"


class Payer(StrEnum):
    """Who pays a contribution line."""

    WORKER = "worker"
    PLATFORM = "platform"
    GOVERNMENT = "government"


class Fund(StrEnum):
    """Where a contribution goes inside its scheme."""

    INDIVIDUAL_ACCOUNT = "individual_account"
    """The worker's own account: portable, inheritable, paid out over the divisor months."""
    POOLED = "pooled"
    """The pooled (social) fund: buys years of service, not a balance of the worker's."""


class Industry(StrEnum):
    """Platform industries with their own per-order injury premium."""

    RIDE_HAILING = "ride_hailing"
    INSTANT_DELIVERY = "instant_delivery"
    INTRA_CITY_FREIGHT = "intra_city_freight"
