"""Where a value comes from.

Every figure in a rule pack names its source: the document's title and number, the article,
a public URL where there is one, and how strong the evidence is. The evidence grades follow
the project's fact sheets: ``official`` (read in an official text or a verbatim quotation of
one), ``third_party`` (calculator code, data files, news), ``derived`` (arithmetic on sourced
figures) and ``unverified`` (recall or inference). A value is ``verified`` only when someone
has checked it against its source; an ``unverified`` value can never be marked verified.
"""

from __future__ import annotations

from enum import StrEnum

import attrs

__all__ = ["Citation", "Evidence"]


class Evidence(StrEnum):
    """How a figure was established (the [S] / [S3] / [D] / [U] tags of the fact sheets)."""

    OFFICIAL = "official"
    THIRD_PARTY = "third_party"
    DERIVED = "derived"
    UNVERIFIED = "unverified"


@attrs.frozen
class Citation:
    """The source of one value."""

    title: str
    """Document title and number, e.g. 《社会保险法》 or 国办发〔2009〕66号."""
    url: str | None = None
    article: str | None = None
    """Article or table within the document, e.g. ``Art. 4``."""
    evidence: Evidence = Evidence.OFFICIAL
    verified: bool = True
    note: str | None = None
    source_id: str | None = None
    """The pack's key for the source, e.g. ``SRC-DATA``."""

    def __str__(self) -> str:
        parts = [self.title]
        if self.article:
            parts.append(self.article)
        if self.url:
            parts.append(self.url)
        text = ", ".join(parts)
        if not self.verified:
            text += " [unverified]"
        return text
