"""The journal's one storage interface, and the records it hands back.

Every implementation (SQLite today, PostgreSQL for a shared journal) behaves the
same: the same statuses, the same guarantees, the same answers. Code outside
``journal/`` uses only :class:`JournalStore`; the tests run against each
implementation through one ``journal`` fixture.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from newsletter_cli.journal.status import Outcome, Status

#: The journal layout this release writes. A journal without a version is from the first
#: release (version 1) and is upgraded in place; a newer one is refused.
SCHEMA_VERSION = 3


class Person(NamedTuple):
    """What proof of a send needs about one recipient, stored when they are queued.

    A named tuple: a send makes one for each recipient (100,000 in a blink)."""

    email: str
    name: str = ""
    organisation: str = ""
    lists: tuple[str, ...] = ()  # the send's lists they are on


@dataclass(frozen=True)
class SendRecord:
    """One send as the journal knows it."""

    id: str
    issue: str
    lists: tuple[str, ...]
    mode: str  # live | sandbox | test
    backend: str
    subject: str
    issue_sha: str
    send_at: int | None
    batch_id: str | None
    state: str  # held | open | done | cancelled
    created: float
    updated: float
    delivers: bool = True  # False for the outbox: nothing left the machine
    #: A held send: the unix time from which ``send --due`` may hand it to its backend.
    hand_over_from: int | None = None
    handed_over: float | None = None  # when a scheduled send went to its backend
    hold_note: str | None = None  # why the last hand-over was refused (the send stays held)
    request: str | None = None  # JSON: how to plan a held send again at hand-over

    @property
    def held(self) -> bool:
        """True while the send waits in the journal: nothing handed over yet."""
        return self.state == "held"


@dataclass(frozen=True)
class RecipientRecord:
    """One recipient of one send."""

    email: str
    status: Status
    message_id: str | None
    reason: str | None
    attempts: int
    send_id: str = ""
    name: str = ""
    organisation: str = ""
    lists: tuple[str, ...] = ()
    batch: int | None = None  # the request that carried them (custom_args newsletter_batch)
    sent_at: float | None = None  # when that request left
    updated: float | None = None


@dataclass
class Claim:
    """What :meth:`JournalStore.claim` decided for one batch."""

    sending: list[str] = field(default_factory=list)  # now in flight: send to these
    skipped: dict[str, str] = field(default_factory=dict)  # email -> the send that has it


class JournalStore(Protocol):
    """Every send and every recipient's status, committed before each step is taken.

    A crash at any moment (even ``kill -9``) leaves each recipient ``queued``
    (nothing left for them), ``sending`` (a request was in flight: ``uncertain`` on
    the next run) or a final status.
    """

    #: Where the journal is, for messages (a file path, or a database name).
    where: str

    def close(self) -> None: ...

    def __enter__(self) -> JournalStore: ...

    def __exit__(self, *exc: object) -> None: ...

    def schema_version(self) -> int:
        """The layout version the store holds (:data:`SCHEMA_VERSION` once opened)."""
        ...

    # -- locking -----------------------------------------------------------------------

    def send_lock(self, send_id: str) -> AbstractContextManager[None]:
        """Hold the one-run-per-send lock; Refused if another run holds it."""
        ...

    def running(self, send_id: str) -> bool:
        """True while some run holds the send's lock."""
        ...

    # -- sends -------------------------------------------------------------------------

    def open_send(
        self, send_id: str, *, issue: str, lists: Iterable[str], mode: str, backend: str,
        subject: str, issue_sha: str, delivers: bool = True,
    ) -> SendRecord:  # fmt: skip
        """The send with this id, created if new."""
        ...

    def get_send(self, send_id: str) -> SendRecord | None: ...

    def update_send(self, send_id: str, **fields: object) -> None:
        """Change send_at, batch_id, state, subject, issue_sha or the hold's fields
        (hand_over_from, handed_over, hold_note, request)."""
        ...

    def sends(self, issue: str | None = None) -> list[SendRecord]:
        """Every send (of one issue), oldest first."""
        ...

    def held_sends(self, due_by: float | None = None) -> list[SendRecord]:
        """The sends held in the journal (those whose hand-over time is at or before unix
        time ``due_by``), soonest first."""
        ...

    # -- recipients --------------------------------------------------------------------

    def enqueue(self, send_id: str, people: Iterable[Person]) -> int:
        """Record new recipients as queued (known ones keep their status); return how many."""
        ...

    def set_new(self, send_id: str, rows: Iterable[tuple[Person, Status, str | None]]) -> None:
        """Record a status decided before sending (suppressed, invalid); accepted stays."""
        ...

    def set_status(
        self, send_id: str, emails: Iterable[str], status: Status, *, reason: str | None = None,
        only_from: Iterable[Status] | None = None,
    ) -> None:  # fmt: skip
        """Move these recipients to ``status`` in one commit (optionally only from some)."""
        ...

    def skip_received(
        self, send_id: str, issue: str, *, delivering: bool, among: Iterable[Status]
    ) -> dict[str, str]:
        """Mark ``skipped`` this send's recipients (in ``among``) that another live send of
        ``issue`` reached; return them with that send's id."""
        ...

    def claim(
        self, send_id: str, emails: Iterable[str], *, among: Iterable[Status], batch: int,
        issue: str | None = None, delivering: bool = True, record: Sequence[Outcome] = (),
    ) -> Claim:  # fmt: skip
        """Atomically put a batch in flight. With ``issue``, anyone another live send of
        that issue has reached meanwhile is ``skipped`` instead (decided under a lock, so two
        concurrent sends of one issue never both take the same person). ``record``: the
        outcomes of the batch before, recorded in the same commit (one commit a message)."""
        ...

    def move_all(
        self, send_id: str, to: Status, *, among: Iterable[Status], reason: str | None = None
    ) -> int:
        """Move every recipient of the send with a status in ``among`` to ``to`` in one
        commit (hold, release or cancel a held send); return how many moved."""
        ...

    def record(self, send_id: str, outcomes: Iterable[Outcome]) -> None:
        """Record what a batch did, in one commit."""
        ...

    def recover_in_flight(self, send_id: str) -> int:
        """After a crash: ``sending`` becomes ``uncertain``; return how many."""
        ...

    def last_batch(self, send_id: str) -> int:
        """The highest batch number used by this send so far (0 if none)."""
        ...

    def statuses(self, send_id: str) -> dict[str, Status]: ...

    def counts(self, send_id: str) -> Counter[Status]: ...

    def recipients(
        self, send_id: str, statuses: Iterable[Status] | None = None
    ) -> list[RecipientRecord]:
        """This send's recipients (with some statuses), by address."""
        ...

    def accepted_since(self, backend: str, since: float) -> int:
        """Recipients accepted through ``backend`` since unix time ``since`` (daily limits)."""
        ...

    # -- across the sends of one issue -------------------------------------------------

    def received(
        self, issue: str, *, exclude: str | None = None, delivering: bool = True,
        among: Iterable[str] | None = None,
    ) -> dict[str, str]:  # fmt: skip
        """Who another live send of ``issue`` reached (or may have): email -> first such send.

        ``delivering``: count only sends whose backend delivers (the outbox counts only
        for another outbox send). ``among``: look only at these addresses.
        """
        ...

    def issue_recipients(self, issue: str) -> list[RecipientRecord]:
        """Every recipient row of every live send of ``issue``, oldest send first."""
        ...
