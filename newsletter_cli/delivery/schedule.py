"""When a send goes: ``--at`` read as a time, and whether the send waits in the journal.

:class:`Choice` is the request checked against the settings (the backend, sandbox mode,
the time); :func:`newsletter_cli.delivery.plan.validate` makes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from newsletter_cli.delivery.backends.base import Backend
from newsletter_cli.environment import LONDON
from newsletter_cli.errors import InputError

#: How far ahead ``--at`` may be: further is taken for a typo in the year.
MAX_HOLD_AHEAD = timedelta(days=366)


def parse_at(text: str, now: datetime) -> datetime:
    """'2025-10-01 09:00' (London time) or ISO with offset; ahead, within a year."""
    value = text.strip()
    try:
        when = datetime.fromisoformat(value.replace(" ", "T", 1) if " " in value else value)
    except ValueError:
        raise InputError(
            f"--at {text!r}: write a date and time as YYYY-MM-DD HH:MM (UK time)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=LONDON)
    if when <= now:
        raise InputError(f"--at {text!r} is in the past")
    if when - now > MAX_HOLD_AHEAD:
        raise InputError(f"--at {text!r} is more than a year ahead; is the year right?")
    return when


def held_until(backend: type[Backend], send_at: datetime | None, now: datetime) -> bool:
    """True when a send at ``send_at`` must wait in the journal: further ahead than the
    backend itself can schedule (any time ahead, for a backend that cannot)."""
    if send_at is None:
        return False
    return not backend.can_schedule or send_at - now > backend.schedule_ahead


@dataclass(frozen=True)
class Choice:
    """A request checked against the settings: the backend, sandbox mode, the time."""

    backend: type[Backend]
    sandbox: bool
    send_at: datetime | None
    now: datetime
    held: bool = False  # kept in the journal until send --due hands it over

    @property
    def day(self) -> date:
        """The day the email goes (dates in the issue are compared with it)."""
        return (self.send_at or self.now).astimezone(LONDON).date()
