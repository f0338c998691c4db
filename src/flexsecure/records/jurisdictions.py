"""Which rules a record is checked with: a bundled jurisdiction by code, never a path.

A record names its jurisdiction (``"jurisdiction": "CN"``). That name picks one of the
jurisdictions shipped with flexsecure and nothing else: a record never chooses a folder to load
rules from. A vendor's pack is given by the caller (``flexsecure --pack PATH``,
``fs.load_jurisdiction(path)``), and a record must then name that pack's code.
"""

from __future__ import annotations

from flexsecure.jurisdiction import Jurisdiction, load_jurisdiction
from flexsecure.jurisdictions import bundled_codes
from flexsecure.values.errors import InvalidInput, RecordMismatch

__all__ = ["record_jurisdiction"]


def record_jurisdiction(
    code: object,
    path: str,
    *,
    reforms: tuple[str, ...] = (),
    pack: Jurisdiction | None = None,
) -> Jurisdiction:
    """The jurisdiction a record at ``path`` names, with ``reforms`` applied.

    Without ``pack``: the bundled jurisdiction of that code. With ``pack`` (the caller's
    jurisdiction): that one, which the record must name.
    """
    if not (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isupper()):
        raise InvalidInput(f"{path} must be a jurisdiction code such as 'CN', got {code!r}")
    if pack is not None:
        if not isinstance(pack, Jurisdiction):
            raise InvalidInput(f"pack must be a Jurisdiction, got {pack!r}")
        if pack.code != code:
            raise RecordMismatch(path, pack.code, code)
        jurisdiction = pack
    else:
        if code not in bundled_codes():
            raise InvalidInput(
                f"{path}: {code!r} is not a bundled jurisdiction ({', '.join(bundled_codes())}); "
                "give the pack for it explicitly"
            )
        jurisdiction = load_jurisdiction(code)
    for reform in reforms:
        jurisdiction = jurisdiction.with_reform(reform)
    return jurisdiction
