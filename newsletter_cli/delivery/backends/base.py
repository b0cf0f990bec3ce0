"""What every delivery backend promises: one small protocol and a fixed set of statuses.

A backend takes one rendered email (with recipient tokens still in it) and a
batch of contacts, and says for each contact what happened. The orchestrator
(:mod:`newsletter_cli.delivery.deliver`) does the journal, batching and resuming.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from newsletter_cli.journal.status import HAS_IT, SENDABLE, Outcome, Status

__all__ = [
    "HAS_IT", "SENDABLE", "Backend", "BatchResult", "Outcome", "SendContext", "Status",
]

if TYPE_CHECKING:
    from newsletter_cli.errors import NewsletterError
    from newsletter_cli.recipients.contact import Contact
    from newsletter_cli.render import RenderedEmail


@dataclass
class BatchResult:
    """The per-recipient outcomes of one batch, and maybe a reason to stop the whole send."""

    outcomes: list[Outcome] = field(default_factory=list)
    stop: NewsletterError | None = None
    requests: int = 0


@dataclass(frozen=True)
class SendContext:
    """What a backend needs to know about the send a batch belongs to."""

    send_id: str
    issue_name: str
    test: bool = False
    sandbox: bool = False
    send_at: int | None = None  # unix time, for a scheduled send
    batch_id: str | None = None  # the service's id for a scheduled send (to cancel it)
    batch: int | None = None  # this request's number within the send (custom_args, journal)
    #: Called with outcomes the moment they are known (a 413 half's 202, one outbox
    #: file), so they are journalled before the rest of the batch is tried.
    report: Callable[[Sequence[Outcome]], None] | None = field(default=None, compare=False)


class Backend(Protocol):
    """A way of delivering: the outbox folder, or SendGrid."""

    name: str
    #: Most recipients one call of :meth:`send_batch` may carry.
    max_batch: int
    #: False when nothing leaves the machine (the outbox).
    delivers: bool
    #: True when ``send_at`` (``--at``) is supported.
    can_schedule: bool

    def send_batch(
        self, email: RenderedEmail, contacts: Sequence[Contact], context: SendContext
    ) -> BatchResult:
        """Deliver ``email`` to each contact; one outcome per contact, in any order.

        A backend that learns some outcomes before the whole batch is done (one half of a
        split request, one outbox file) passes them to ``context.report`` at once.
        """
        ...

    def schedule(self) -> str:
        """Prepare a scheduled send; return the id that can cancel it later."""
        ...

    def cancel(self, batch_id: str) -> None:
        """Cancel a scheduled send that has not gone yet."""
        ...
