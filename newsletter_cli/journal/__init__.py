"""The send journal: every send and every recipient's status, committed before each step.

:class:`Journal` is the storage (SQLite); :func:`send_lock` keeps one run per send;
:mod:`newsletter_cli.journal.history` answers questions about past sends.
"""

from newsletter_cli.journal.lock import send_lock
from newsletter_cli.journal.sqlite import Journal, RecipientRecord, SendRecord

__all__ = ["Journal", "RecipientRecord", "SendRecord", "send_lock"]
