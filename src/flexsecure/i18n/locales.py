"""Which of our languages to speak: locale negotiation from BCP 47 tags and POSIX names.

People and systems name languages in two ways: BCP 47 tags (``zh-CN``, ``zh-Hans-CN``,
``en-US``, what browsers and HTTP send) and POSIX locale names (``zh_CN.UTF-8``, what ``LANG``
holds). Both are parsed with Babel's CLDR data, which also knows each region's script, and
reduced to a locale we have texts for:

* Simplified Chinese — ``zh``, ``zh-CN``, ``zh-Hans``, ``zh_Hans_CN``, ``zh-SG`` — is ``zh_CN``;
* Traditional Chinese — ``zh-TW``, ``zh-HK``, ``zh-MO``, ``zh-Hant`` — is ``en``: there are no
  Traditional Chinese texts yet, and showing Simplified characters to a reader who asked for
  Traditional ones would pass one script off as the other; English is the documented choice
  until a ``zh_TW`` catalog exists (then it is ``zh_TW``);
* a language with a catalog of its own (a vendor's ``fr``, see :mod:`flexsecure.i18n.catalogs`)
  is that language;
* everything else is ``en``.

>>> from flexsecure.i18n.locales import from_environment, negotiate
>>> negotiate("zh-Hans-CN"), negotiate("zh_CN.UTF-8"), negotiate("zh-TW"), negotiate("fr-FR")
('zh_CN', 'zh_CN', 'en', 'en')
>>> from_environment({"LANG": "zh_CN.UTF-8"}), from_environment({"LANG": "C.UTF-8"})
('zh_CN', 'en')
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from babel import Locale, UnknownLocaleError

from flexsecure.values.errors import InvalidInput

__all__ = ["SUPPORTED", "TRADITIONAL_CHINESE_FALLBACK", "from_environment", "negotiate"]

SUPPORTED = ("en", "zh_CN")
"""The locales with texts, the fallback first."""

TRADITIONAL_CHINESE_FALLBACK = "en"
"""What a request for Traditional Chinese gets while no ``zh_TW`` texts exist."""

_ENVIRONMENT = ("LC_ALL", "LC_MESSAGES", "LANG")
"""POSIX order of precedence for the language of messages."""


def parse(tag: str) -> Locale:
    """Babel's :class:`~babel.core.Locale` for a BCP 47 tag or a POSIX locale name."""
    if not isinstance(tag, str) or not tag.strip():
        raise InvalidInput(f"locale must be a tag such as 'zh-CN' or 'en', got {tag!r}")
    name = tag.strip().split(".")[0].split("@")[0].replace("-", "_")
    try:
        return Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        raise InvalidInput(
            f"locale must be a BCP 47 tag or a POSIX name such as 'zh-CN', 'zh_Hans_CN' or "
            f"'en-US', got {tag!r}"
        ) from None


def negotiate(tag: str, available: Collection[str] = SUPPORTED) -> str:
    """The locale of ``available`` (those with texts) for ``tag``; see the module docstring.

    A language with a catalog of its own — a vendor's ``fr`` folder — is chosen by its
    language and, when there are several, its territory; Chinese by its script.
    """
    locale = parse(tag)
    if locale.language == "zh":
        wanted = "zh_TW" if locale.script == "Hant" else "zh_CN"
        if wanted in available:
            return wanted
        return TRADITIONAL_CHINESE_FALLBACK if locale.script == "Hant" else "en"
    if locale.territory and f"{locale.language}_{locale.territory}" in available:
        return f"{locale.language}_{locale.territory}"
    if locale.language in available:
        return locale.language
    same_language = sorted(a for a in available if a.split("_")[0] == locale.language)
    return same_language[0] if same_language else "en"


def from_environment(environ: Mapping[str, str], available: Collection[str] = SUPPORTED) -> str:
    """The supported locale named by ``LC_ALL``, ``LC_MESSAGES`` or ``LANG``; ``en`` if none
    is set, or it is ``C``/``POSIX`` or unreadable."""
    for variable in _ENVIRONMENT:
        value = environ.get(variable, "")
        if value:
            if value.split(".")[0] in {"C", "POSIX"}:
                return "en"
            try:
                return negotiate(value, available)
            except InvalidInput:
                return "en"
    return "en"
