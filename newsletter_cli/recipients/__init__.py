"""Contacts, named lists and suppression (recipients/).

``load_roster(project)`` reads the folder; ``roster.resolve(["send-network"])`` gives
who a send reaches. See :mod:`newsletter_cli.recipients.roster`.

Names are imported on first use, so that rendering (which needs only
:mod:`newsletter_cli.recipients.contact`) does not load the whole roster machinery.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsletter_cli.recipients.contact import PERSONAL_FIELDS, Contact
    from newsletter_cli.recipients.problems import Problem
    from newsletter_cli.recipients.roster import Resolution, Roster, load_roster
    from newsletter_cli.recipients.suppression import Suppression
    from newsletter_cli.recipients.tags import tag_key, visible

_WHERE = {
    "PERSONAL_FIELDS": "contact",
    "Contact": "contact",
    "Problem": "problems",
    "Resolution": "roster",
    "Roster": "roster",
    "load_roster": "roster",
    "Suppression": "suppression",
    "tag_key": "tags",
    "visible": "tags",
}

__all__ = [
    "PERSONAL_FIELDS",
    "Contact",
    "Problem",
    "Resolution",
    "Roster",
    "Suppression",
    "load_roster",
    "tag_key",
    "visible",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
