"""The outbox backend: one ``.eml`` file per recipient under ``outbox/<send-id>/``.

Nothing leaves the machine. Each file is a complete message (text and HTML
parts, one recipient in To:) that any mail program can open. Files are written
to a temporary name and renamed, so a crash never leaves half a message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from urllib.parse import quote

from newsletter_cli.delivery.base import BatchResult, Outcome, SendContext, Status
from newsletter_cli.delivery.sendgrid_body import display_name
from newsletter_cli.errors import DeliveryError
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail

_UNSAFE = re.compile(r"[^a-z0-9@._+-]+")
#: Long headers (List-Unsubscribe) stay plain text instead of being RFC 2047-encoded.
POLICY = policy.SMTP.clone(max_line_length=998)


def unsubscribe_url(reply_to: str, email: str) -> str:
    """The outbox's stand-in for an unsubscribe link: a mail to the sender."""
    return f"mailto:{reply_to}?subject={quote(f'unsubscribe {email}')}"


def file_name(email: str) -> str:
    """A safe, unique file name for one recipient's message."""
    return _UNSAFE.sub("_", email.lower()) + ".eml"


class OutboxBackend:
    """Writes messages to files instead of sending them."""

    name = "outbox"
    max_batch = 500
    delivers = False
    can_schedule = False

    def __init__(
        self, folder: Path, *, from_email: str, from_name: str, reply_to: str | None
    ) -> None:
        self.folder = Path(folder)
        self.from_email, self.from_name = from_email, from_name
        self.reply_to = reply_to or from_email

    def send_batch(
        self, email: RenderedEmail, contacts: Sequence[Contact], context: SendContext
    ) -> BatchResult:
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
        """The complete message for one recipient."""
        unsubscribe = unsubscribe_url(self.reply_to, contact.email)
        filled = email.personalise(contact.fields(), unsubscribe_url=unsubscribe)
        msg = EmailMessage(policy=POLICY)
        msg["From"] = formataddr((display_name(self.from_name), self.from_email))
        msg["To"] = formataddr((display_name(contact.name), contact.email))
        msg["Subject"] = filled.subject
        msg["Reply-To"] = self.reply_to
        msg["Date"] = formatdate(localtime=True)
        msg["Message-ID"] = make_msgid(domain=self.from_email.split("@")[-1])
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"
        msg["X-Newsletter-Issue"] = context.issue_name
        msg["X-Newsletter-Send"] = context.send_id
        msg.set_content(filled.text)
        msg.add_alternative(filled.html, subtype="html")
        return msg

    @staticmethod
    def _write(path: Path, msg: EmailMessage) -> None:
        temporary = path.with_suffix(".eml.part")
        with open(temporary, "wb") as handle:
            handle.write(msg.as_bytes())
        os.replace(temporary, path)

    def schedule(self) -> str:
        raise DeliveryError(
            "the outbox backend cannot schedule a send (--at)",
            hint="use --backend sendgrid to schedule, or leave out --at",
        )

    def cancel(self, batch_id: str) -> None:
        raise DeliveryError("the outbox backend has nothing to cancel: nothing left the machine")
