"""Message catalogs: the texts of explanations and terms as gettext ``.po`` files, per domain.

Texts live in Babel's ``.po`` catalogs, one per locale and *domain*: the core's words in the
``flexsecure`` domain (``flexsecure/i18n/locale/<locale>/LC_MESSAGES/flexsecure.po``), each
jurisdiction's own terms in its own domain beside its package (China's in ``flexsecure_cn``).
The message ids are the English texts, marked in the code with
:func:`~flexsecure.values.messages.N_` and extracted with ``pybabel extract``
(``make catalogs``); a translator edits the ``.po`` files only, and a vendor adds a locale by
adding a folder — no code.

The ``.po`` files are the only source: the first time a catalog is asked for, it is compiled
(``babel.messages.mofile.write_mo``) in memory and kept for the life of the process, so a fresh
clone, an editable install and a wheel all work without a build step. Plural forms follow each
catalog's ``Plural-Forms`` header (English two forms, Chinese one).

>>> from flexsecure.i18n.catalogs import Catalogs
>>> from importlib import resources
>>> core = Catalogs("flexsecure", resources.files("flexsecure.i18n").joinpath("locale"))
>>> core.gettext("Total", "zh_CN"), core.ngettext("{n} month", "{n} months", 3, "en")
('合计', '{n} months')
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable

import attrs
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from flexsecure.jurisdictions import JurisdictionRules, registered_jurisdictions

__all__ = ["CORE", "Catalogs", "jurisdiction_catalogs", "translate", "translated"]


@attrs.frozen
class Catalogs:
    """The catalogs of one domain: ``<folder>/<locale>/LC_MESSAGES/<domain>.po``."""

    domain: str
    folder: Traversable = attrs.field(eq=False)

    def translations(self, locale: str) -> gettext.NullTranslations:
        """The compiled catalog of ``locale``; a null one (English ids) if there is none."""
        return _compiled(self.domain, self.folder, locale).translations

    def gettext(self, message: str, locale: str) -> str:
        return self.translations(locale).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int, locale: str) -> str:
        return self.translations(locale).ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str, locale: str) -> str:
        return self.translations(locale).pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, count: int, locale: str) -> str:
        return self.translations(locale).npgettext(context, singular, plural, count)

    def knows(self, message: str, locale: str) -> bool:
        """True when the catalog of ``locale`` translates ``message``."""
        return message in _compiled(self.domain, self.folder, locale).ids

    def locales(self) -> tuple[str, ...]:
        """The locales this domain has a catalog for (looked up once per process)."""
        key = (self.domain, str(self.folder))
        found = _LOCALES.get(key)
        if found is None:
            found = _LOCALES[key] = (
                tuple(
                    sorted(
                        entry.name
                        for entry in self.folder.iterdir()
                        if entry.joinpath("LC_MESSAGES").joinpath(f"{self.domain}.po").is_file()
                    )
                )
                if self.folder.is_dir()
                else ()
            )
        return found


@attrs.frozen
class _Compiled:
    translations: gettext.NullTranslations
    ids: frozenset[str]
    """The messages the catalog translates (singular ids of plural messages)."""


_LOCALES: dict[tuple[str, str], tuple[str, ...]] = {}
_COMPILED: dict[tuple[str, str, str], _Compiled] = {}
"""Catalogs compiled so far, by (domain, folder, locale): a cache, never state."""


def _compiled(domain: str, folder: Traversable, locale: str) -> _Compiled:
    key = (domain, str(folder), locale)
    found = _COMPILED.get(key)
    if found is None:
        found = _COMPILED[key] = _compile(domain, folder, locale)
    return found


def _compile(domain: str, folder: Traversable, locale: str) -> _Compiled:
    po = folder.joinpath(locale).joinpath("LC_MESSAGES").joinpath(f"{domain}.po")
    if not po.is_file():
        return _Compiled(gettext.NullTranslations(), frozenset())
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    ids = frozenset(
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalog
        if message.id and message.string and not message.fuzzy
    )
    return _Compiled(gettext.GNUTranslations(buffer), ids)


CORE = Catalogs("flexsecure", resources.files("flexsecure.i18n").joinpath("locale"))
"""The core's catalogs: the engine's words, formulas and explanation messages."""


def jurisdiction_catalogs(rules: JurisdictionRules) -> Catalogs | None:
    """The catalogs a jurisdiction registered, if any."""
    if rules.domain is None or rules.catalogs is None:
        return None
    return Catalogs(rules.domain, rules.catalogs)


def translated(text: str | Mapping[str, str], catalogs: Catalogs | None, locale: str) -> str:
    """``text`` in ``locale``: an English message through ``catalogs``, or an inline table of
    texts by locale (a jurisdiction without catalogs) with English as the fallback."""
    if isinstance(text, str):
        return catalogs.gettext(text, locale) if catalogs is not None else text
    return text.get(locale) or text.get("en") or ""


def translate(message: str, locale: str) -> str:
    """``message`` in ``locale`` from the core's catalog, else from the first registered
    jurisdiction's that has it; the English message itself when none does (e.g. a formula
    with numbers in it)."""
    if CORE.knows(message, locale):
        return CORE.gettext(message, locale)
    for rules in registered_jurisdictions().values():
        catalogs = jurisdiction_catalogs(rules)
        if catalogs is not None and catalogs.knows(message, locale):
            return catalogs.gettext(message, locale)
    return message
