"""Marking texts for translation: ``N_("...")`` where a text is written, translated where shown.

Texts of explanations and terms are written in English in the layer that knows them (the
engine, a jurisdiction) and translated only by the surfaces (:mod:`flexsecure.i18n`), which
look them up in gettext catalogs. ``N_`` returns its argument unchanged; its only job is to
let ``pybabel extract -k N_`` find the text (``make catalogs``).
"""

from __future__ import annotations

__all__ = ["N_"]


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for "translate later"
    """Mark ``message`` for extraction into the catalogs; returns it unchanged."""
    return message
