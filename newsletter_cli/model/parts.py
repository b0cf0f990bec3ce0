"""The parts an issue is made of: links, images, events and their sittings, dates.

Value types shared by the block kinds (:mod:`newsletter_cli.model.blocks`), the safety check
(:mod:`newsletter_cli.model.safety`) and everything that reads an issue; the ``Issue``
itself and its loader are in :mod:`newsletter_cli.model.issue`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from newsletter_cli.humandates import reading

# The URL itself is a placeholder ('TODO', 'TBC', '#', empty, 'http://'); a real address
# that merely contains "todo" (https://example.org/todo-list) is not.
PLACEHOLDER_URL = re.compile(
    r"^\s*$|^#$|^https?://$|^(todo|tbc|tba|tbd|placeholder)\b", re.IGNORECASE
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def is_placeholder(url: str) -> bool:
    """A link still to be filled in: empty, '#', 'http://', or starting TODO/TBC/placeholder."""
    return bool(PLACEHOLDER_URL.search(url))


def _when(value: Any) -> Any:
    """'2025-10-15' -> date; '2025-10-15 09:30' -> datetime (Europe/London wall time)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _DATE.match(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise ValueError("not a real date") from None
        m = _DATETIME.match(text)
        if m:
            try:
                return datetime.combine(date.fromisoformat(m[1]), time(int(m[2]), int(m[3])))
            except ValueError:
                raise ValueError("not a real date and time") from None
        raise ValueError(how_to_write(text))
    raise ValueError(HOW_TO_WRITE)


HOW_TO_WRITE = "write a date as YYYY-MM-DD, or a date and time as YYYY-MM-DD HH:MM"


def how_to_write(text: str, *, end: bool = False) -> str:
    """How a date written as people write it goes in an issue file, converted.

    "Tuesday 10th February 2026, 10:00" -> 'write it as "2026-02-10 10:00"'; an end
    "10:00 – 11:30" -> 'an end can be a time only: end: "11:30"'.
    """
    found = reading(text, date.today())
    if found is None:
        return HOW_TO_WRITE
    if end and found.day is None:
        clock = f"{(found.end or found.start):%H:%M}"
        if found.end:
            return f'an end can be a time only: end: "{clock}"; the start time goes in start'
        return f'write it as end: "{clock}" (24-hour clock)'
    clock = found.end if end and found.end else found.start
    when = f"{found.day or 'YYYY-MM-DD'}" + (f" {clock:%H:%M}" if clock else "")
    message = f'write it as "{when}"'
    if found.day is None:
        message = f'a date is needed too: write it as "{when}"'
    if found.end and not end:
        message += f', and the end time as end: "{found.end:%H:%M}"'
    if found.weekday_mismatch and found.day:
        message += f" (check the day: {found.day.day} {found.day:%B %Y} is a {found.day:%A})"
    return message


def _end(value: Any) -> Any:
    """An end may be a time only ('11:00'), meaning the same day as the start."""
    if isinstance(value, time):
        return value
    if isinstance(value, str) and _TIME.match(value.strip()):
        m = _TIME.match(value.strip())
        hour, minute = int(m[1]), int(m[2])
        if hour > 23 or minute > 59:
            raise ValueError("not a real time of day")
        return time(hour, minute)
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads 11:00 as a sexagesimal number (660): turn it back into a time.
        hour, minute = divmod(value, 60)
        if hour > 23:
            raise ValueError("not a real time of day")
        return time(hour, minute)
    if isinstance(value, str) and not _DATE.match(value.strip()):
        if not _DATETIME.match(value.strip()):
            raise ValueError(how_to_write(value.strip(), end=True))
    return _when(value)


When = Annotated[date | datetime, BeforeValidator(_when)]
EndWhen = Annotated[date | datetime | time, BeforeValidator(_end)]


class Model(BaseModel):
    """Strict base: unknown fields are mistakes, strings are stripped."""

    #: defer_build: each model's validator is built when first used, not at import
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=False, defer_build=True
    )
    _line: int | None = PrivateAttr(default=None)
    _field_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def line(self) -> int | None:
        """The line in the issue file where this item starts."""
        return self._line

    def field_line(self, name: str) -> int | None:
        """The line of one of this item's fields, else the item's own line."""
        return self._field_lines.get(name, self._line)


def check_link_url(url: str) -> str:
    """A link's address: https://, http:// or mailto:, or a placeholder still to fill in."""
    if is_placeholder(url):
        return url
    if not re.match(r"^(https?://\S+|mailto:\S+@\S+)$", url):
        raise ValueError("a link must start with https://, http:// or mailto:")
    return url


class Link(Model):
    text: str = Field(min_length=1)
    url: str = ""

    @field_validator("url")
    @classmethod
    def _scheme(cls, url: str) -> str:
        return check_link_url(url)

    @property
    def placeholder(self) -> bool:
        return is_placeholder(self.url)


class Image(Model):
    src: str = Field(min_length=1)
    alt: str | None = None
    href: str | None = None


class Session(Model):
    """One sitting of an event: a start, an optional end, its own booking link."""

    label: str | None = None
    start: When
    end: EndWhen | None = None
    links: list[Link] = []

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: Any, info: Any) -> Any:
        start = info.data.get("start")
        if start is None or end is None:
            return end
        if isinstance(end, time):
            if not isinstance(start, datetime):
                raise ValueError("an end time needs a start time (YYYY-MM-DD HH:MM)")
            end = datetime.combine(start.date(), end)
        if isinstance(start, datetime) and isinstance(end, date) and not isinstance(end, datetime):
            end = datetime.combine(end, time(23, 59))
        start_day = start.date() if isinstance(start, datetime) else start
        end_day = end.date() if isinstance(end, datetime) else end
        if end_day < start_day or (
            isinstance(start, datetime) and isinstance(end, datetime) and end <= start
        ):
            raise ValueError("the end is before the start")
        return end


class EventDetails(Model):
    """An event: what, when, where, what it costs, how and by when to book."""

    title: str = Field(min_length=1)
    cost: str | None = None
    start: When | None = None
    end: EndWhen | None = None
    when: str | None = None
    sessions: list[Session] = []
    location: str | None = None
    online: bool = False
    deadline: When | None = None
    booking: str | None = None
    links: list[Link] = []
    description: str = ""

    @model_validator(mode="after")
    def _own_session(self) -> EventDetails:
        if self.end is not None and self.start is None:
            raise ValueError("an end needs a start")
        if self.start is not None:
            try:
                self.end = Session(start=self.start, end=self.end).end
            except ValidationError as exc:
                raise ValueError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
        return self

    def all_sessions(self) -> list[Session]:
        """The event's sittings: its own start/end as one, then any listed sessions."""
        found = list(self.sessions)
        if self.start is not None:
            own = Session(start=self.start, end=self.end)
            own._line = self._line
            found.insert(0, own)
        return found
