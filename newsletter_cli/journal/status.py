"""Where each recipient of a send stands: the statuses the journal records.

Kept in the journal, the lowest layer that stores them; delivery and reports build on them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Status(StrEnum):
    """Where one recipient of one send stands. Every recipient ends in exactly one."""

    QUEUED = "queued"  # to be sent; nothing has left for them yet
    SENDING = "sending"  # a request carrying them is (or was, at a crash) in flight
    ACCEPTED = "accepted"  # the service took the message (or the outbox file was written)
    FAILED = "failed"  # refused or not sent; safe to send again
    UNCERTAIN = "uncertain"  # the request left but no answer came; re-sent only on request
    SUPPRESSED = "suppressed"  # on a suppression list; never sent
    INVALID = "invalid"  # an address no service would take; never sent
    CANCELLED = "cancelled"  # scheduled, then cancelled before it went
    SKIPPED = "skipped"  # another send of the same issue reached them; looked at again each run
    HELD = "held"  # in a send held in the journal until its time (send --due hands it over)


#: Statuses a new run sends to. UNCERTAIN only with ``--resend-uncertain``.
SENDABLE = frozenset({Status.QUEUED, Status.FAILED, Status.CANCELLED})
#: A person with one of these in a live send has (or may have, or is held to get) the issue:
#: no other send of the same issue sends to them again (``--allow-repeat`` aside).
HAS_IT = frozenset({Status.ACCEPTED, Status.UNCERTAIN, Status.SENDING, Status.HELD})


class Outcome(NamedTuple):
    """What happened to one recipient in one batch (a named tuple: one per recipient)."""

    email: str
    status: Status
    message_id: str | None = None
    reason: str | None = None
