"""What every delivery backend promises and is asked: one base class, a fixed set of statuses.

A backend takes one rendered email (with recipient tokens still in it) and a
batch of contacts, and says for each contact what happened. The orchestrator
(:mod:`newsletter_cli.delivery.deliver`) does the journal, batching and resuming.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from newsletter_cli.errors import DeliveryError, InputError, Refused
from newsletter_cli.journal.status import HAS_IT, SENDABLE, Outcome, Status

__all__ = [
    "HAS_IT", "SENDABLE", "Backend", "BatchResult", "Outcome", "Readiness", "SendContext",
    "Status",
]

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.errors import NewsletterError
    from newsletter_cli.project import Project
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


@dataclass
class Readiness:
    """What a backend's pre-flight check found before anything is sent."""

    warnings: list[str] = field(default_factory=list)  # for the send screen
    settings: object = None  # what the check read (SMTP: the server), for the send screen


#: How every backend that cannot schedule says so (``--at``).
SCHEDULE_HINT = "add --backend sendgrid to schedule, or leave out --at"
SANDBOX_HINT = "add --backend sendgrid, or leave out --sandbox"


class Backend:
    """A way of delivering (django-anymail's shape): each backend is a subclass in its own
    module, registered by :attr:`name` in :mod:`.registry`, and carries what callers ask
    about it, so no caller compares backend names."""

    #: The name in newsletter.toml, ``--backend`` and the journal.
    name: ClassVar[str] = ""
    #: Most recipients one call of :meth:`send_batch` may carry.
    max_batch: ClassVar[int] = 1
    #: False when nothing leaves the machine (the outbox): it never counts as having
    #: reached a person (once per person per issue), and needs no test send first.
    delivers: ClassVar[bool] = True
    #: True when ``send_at`` (``--at``) is supported.
    can_schedule: ClassVar[bool] = False
    #: How far ahead the service itself takes a scheduled send. A send further ahead (any
    #: ``--at`` for a backend that cannot schedule) is held in the journal until then:
    #: ``send --due`` hands it over once its time is this close (at the time, for none).
    schedule_ahead: ClassVar[timedelta] = timedelta(0)
    #: True when the service has a sandbox mode (``--sandbox``: checked, not delivered).
    has_sandbox: ClassVar[bool] = False
    #: True when the service keeps an activity log that can settle uncertain recipients
    #: (``send --check-uncertain``) and give figures (``report``).
    has_activity: ClassVar[bool] = False
    #: Added to the send id, so a rehearsal never resumes a real send.
    send_id_tail: ClassVar[str] = ""
    #: What the send screen asks and the progress bar says ("Send", "sending").
    verb: ClassVar[str] = "Send"
    doing: ClassVar[str] = "sending"
    #: Who took the email, for the final sentence ("SendGrid accepted the email...").
    accepted_by: ClassVar[str] = ""
    #: What to do about uncertain recipients, for the final screen.
    uncertain_advice: ClassVar[str] = ""

    # -- known before it is set up ---------------------------------------------------

    @classmethod
    def from_config(cls, project: Project, config: Config, **options: Any) -> Backend:
        """The backend set up from newsletter.toml and the environment."""
        raise NotImplementedError

    @classmethod
    def sandbox_default(cls, config: Config) -> bool:
        """Whether newsletter.toml asks for sandbox mode when ``--sandbox`` is not given."""
        return False

    @classmethod
    def refusal(cls, *, sandbox: bool, scheduled: bool) -> tuple[str, str] | None:
        """(why, hint) when this backend cannot do what was asked; None when it can."""
        if sandbox and not cls.has_sandbox:
            return f"--sandbox is SendGrid's sandbox mode; the {cls.name} backend has none", (
                SANDBOX_HINT
            )
        if scheduled and not cls.can_schedule:
            return f"the {cls.name} backend cannot schedule a send (--at)", SCHEDULE_HINT
        return None

    @classmethod
    def refuse_unsupported(cls, *, sandbox: bool, scheduled: bool) -> None:
        """Refuse a request this backend cannot carry out: ``--sandbox`` with :class:`Refused`,
        ``--at`` as a mistake in the command (:class:`InputError`)."""
        found = cls.refusal(sandbox=sandbox, scheduled=scheduled)
        if found is not None:
            error = Refused if sandbox and not cls.has_sandbox else InputError
            raise error(found[0], hint=found[1])

    @classmethod
    def preflight(cls, project: Project, config: Config, *, dry_run: bool) -> Readiness:
        """Check keys, host and settings before anything is sent; raise when a real send
        could not go (a dry run gets a warning instead where that makes sense)."""
        return Readiness()

    @classmethod
    def describe(
        cls, project: Project, config: Config, ready: Readiness, *, mode: str, to_send: int,
        now: float,
    ) -> tuple[str, list[str]]:  # fmt: skip
        """The send screen's line for this backend, and notes to show under it."""
        raise NotImplementedError

    # -- once set up -------------------------------------------------------------------

    def send_batch(
        self, email: RenderedEmail, contacts: Sequence[Contact], context: SendContext
    ) -> BatchResult:
        """Deliver ``email`` to each contact; one outcome per contact, in any order.

        A backend that learns some outcomes before the whole batch is done (one half of a
        split request, one outbox file) passes them to ``context.report`` at once.
        """
        raise NotImplementedError

    def check_context(self, context: SendContext) -> None:
        """Raise :class:`DeliveryError` when a batch asks what this backend cannot do."""
        found = self.refusal(sandbox=context.sandbox, scheduled=context.send_at is not None)
        if found is not None:
            raise DeliveryError(found[0], hint=found[1])

    def schedule(self) -> str:
        """Prepare a scheduled send; return the id that can cancel it later."""
        raise DeliveryError(f"the {self.name} backend cannot schedule a send (--at)",
                            hint=SCHEDULE_HINT)  # fmt: skip

    def cancel(self, batch_id: str) -> None:
        """Cancel a scheduled send that has not gone yet."""
        raise DeliveryError(f"the {self.name} backend has nothing to cancel: it never "
                            "schedules a send")  # fmt: skip

    def close(self) -> None:
        """Let go of what the backend holds (an SMTP connection says QUIT)."""
