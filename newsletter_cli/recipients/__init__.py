"""Contacts, named lists and suppression (recipients/).

``load_roster(project)`` reads the folder; ``roster.resolve(["send-network"])`` gives
who a send reaches. See :mod:`newsletter_cli.recipients.roster`.
"""

from newsletter_cli.recipients.contact import PERSONAL_FIELDS, Contact
from newsletter_cli.recipients.problems import Problem
from newsletter_cli.recipients.roster import Resolution, Roster, load_roster
from newsletter_cli.recipients.suppression import Suppression
from newsletter_cli.recipients.tags import tag_key, visible

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
