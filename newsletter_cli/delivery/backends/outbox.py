"""The outbox backend: one ``.eml`` file per recipient under ``outbox/<send-id>/``.

Nothing leaves the machine. Each file is a complete message (text and HTML
parts, one recipient in To:) that any mail program can open: the same bytes the
SMTP backend sends (:mod:`newsletter_cli.delivery.message`). Files are written
to a temporary name and renamed, so a crash never leaves half a message. The files
hold names and addresses: only their owner may read them (files 0600, folders 0700,
whatever the umask). A message whose headers could not be written safely is not
written: that recipient fails with the reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
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
from newsletter_cli.delivery.message import Letterhead
from newsletter_cli.delivery.personalise import PersonalMessages
from newsletter_cli.errors import DeliveryError
from newsletter_cli.headertext import UnsafeHeader
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.project import Project

_UNSAFE = re.compile(r"[^a-z0-9@._+-]+")
#: Outbox folders and files: readable by their owner only, like the journal.
FOLDER_MODE = 0o700
FILE_MODE = 0o600


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
            private_folder(self.folder)
            private_folder(target)
        except OSError as exc:
            raise DeliveryError(
                f"cannot create the outbox folder: {exc.strerror}", path=target
            ) from None
        result = BatchResult(requests=len(contacts))
        messages = PersonalMessages(self.letterhead, context.issue_name, context.send_id)
        for contact in contacts:
            path = target / file_name(contact.email)
            try:
                self._write(path, messages.wire(email, contact))
            except OSError as exc:
                result.outcomes.append(
                    Outcome(contact.email, Status.FAILED, reason=f"{path}: {exc.strerror}")
                )
                continue
            except UnsafeHeader as exc:
                result.outcomes.append(
                    Outcome(contact.email, Status.FAILED, reason=f"not written: {exc}")
                )
                continue
            written = Outcome(contact.email, Status.ACCEPTED, message_id=path.name)
            result.outcomes.append(written)
            if context.report is not None:
                context.report([written])  # progress moves with every message
        return result

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        temporary = path.with_suffix(".eml.part")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with open(os.open(temporary, flags, FILE_MODE), "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), FILE_MODE)  # a .part left by an earlier run
            handle.write(data)
        os.replace(temporary, path)


def private_folder(folder: Path) -> None:
    """``folder`` made (parents too) or narrowed so only its owner may open it."""
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
    current = folder.stat().st_mode & 0o777
    if current & ~FOLDER_MODE:
        try:
            os.chmod(folder, current & FOLDER_MODE)
        except PermissionError:
            pass  # not ours: the files in it are still 0600
