"""The outbox backend: one ``.eml`` file per recipient under ``outbox/<send-id>/``.

Nothing leaves the machine. Each file is a complete message (text and HTML
parts, one recipient in To:) that any mail program can open: the same bytes the
SMTP backend sends (:mod:`newsletter_cli.delivery.message`). Files are written
to a temporary name and renamed, so a crash never leaves half a message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsletter_cli.delivery.backends.base import (
    Backend,
    BatchResult,
    Outcome,
    Readiness,
    SendContext,
    Status,
)
from newsletter_cli.delivery.message import Letterhead, personal_message
from newsletter_cli.errors import DeliveryError
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.project import Project

_UNSAFE = re.compile(r"[^a-z0-9@._+-]+")


def file_name(email: str) -> str:
    """A safe, unique file name for one recipient's message."""
    return _UNSAFE.sub("_", email.lower()) + ".eml"


class OutboxBackend(Backend):
    """Writes messages to files instead of sending them."""

    name = "outbox"
    max_batch = 500
    delivers = False
    send_id_tail = "-outbox"
    verb, doing = "Write", "writing"
    accepted_by = "The outbox"

    @classmethod
    def from_config(cls, project: Project, config: Config, **options: Any) -> OutboxBackend:
        sender = config.sender
        return cls(project.outbox_dir, from_email=sender.from_email, from_name=sender.from_name,
                   reply_to=sender.reply_to)  # fmt: skip

    @classmethod
    def describe(
        cls, project: Project, config: Config, ready: Readiness, *, mode: str, to_send: int,
        now: float,
    ) -> tuple[str, list[str]]:  # fmt: skip
        return ("outbox (writes .eml files; nothing leaves this machine; unsubscribe is a mailto "
                "to the reply-to address)", [])  # fmt: skip

    def __init__(
        self, folder: Path, *, from_email: str, from_name: str, reply_to: str | None
    ) -> None:
        self.folder = Path(folder)
        self.letterhead = Letterhead(from_email, from_name, reply_to)

    def send_batch(
        self, email: RenderedEmail, contacts: Sequence[Contact], context: SendContext
    ) -> BatchResult:
        self.check_context(context)
        target = self.folder / context.send_id
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeliveryError(
                f"cannot create the outbox folder: {exc.strerror}", path=target
            ) from None
        result = BatchResult(requests=len(contacts))
        for contact in contacts:
            path = target / file_name(contact.email)
            try:
                self._write(path, self.message(email, contact, context))
            except OSError as exc:
                result.outcomes.append(
                    Outcome(contact.email, Status.FAILED, reason=f"{path}: {exc.strerror}")
                )
                continue
            written = Outcome(contact.email, Status.ACCEPTED, message_id=path.name)
            result.outcomes.append(written)
            if context.report is not None:
                context.report([written])  # progress moves with every message
        return result

    def message(self, email: RenderedEmail, contact: Contact, context: SendContext):
        """The complete message for one recipient (the same bytes SMTP would send)."""
        return personal_message(
            email, contact, self.letterhead, issue_name=context.issue_name, send_id=context.send_id
        )

    @staticmethod
    def _write(path: Path, msg: EmailMessage) -> None:
        temporary = path.with_suffix(".eml.part")
        with open(temporary, "wb") as handle:
            handle.write(msg.as_bytes())
        os.replace(temporary, path)
