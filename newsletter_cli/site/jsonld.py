"""schema.org ``Event`` data (JSON-LD) for each event on an issue's web page.

Search engines and calendar tools read these blocks: name, start and end (with
their UTC offset), where (a ``Place``, or a ``VirtualLocation`` for an online
event), what it costs (``Offer`` in GBP; "FREE" is a price of 0), who organises
it, and where to book. An event with several sittings gives one ``Event`` per
sitting, as search engines expect; one with no date yet gives an ``Event``
without a start.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from newsletter_cli import markdown
from newsletter_cli.calendar import LONDON

if TYPE_CHECKING:
    from newsletter_cli.model.parts import EventDetails, Session

SCHEMA = "https://schema.org"
FREE = re.compile(r"^\s*(free|free of charge|no charge|none|£?0(\.00)?)\b", re.IGNORECASE)
PRICE = re.compile(r"£\s*(\d+(?:,\d{3})*(?:\.\d{1,2})?)")


def when(value: date | datetime | None) -> str | None:
    """ISO 8601 as schema.org wants it: a date, or a date-time with its UTC offset."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=LONDON).isoformat()
    return value.isoformat()


def price(cost: str) -> float | int | None:
    """'FREE' -> 0; '£25' -> 25; '£12.50 per person' -> 12.5; anything else -> None."""
    if FREE.match(cost):
        return 0
    found = PRICE.search(cost)
    if not found:
        return None
    number = float(found[1].replace(",", ""))
    return int(number) if number.is_integer() else number


def _first_link(event: EventDetails, session: Session | None) -> str | None:
    links = [*(session.links if session else []), *event.links]
    return next((link.url for link in links if not link.placeholder), None)


def _location(event: EventDetails, url: str) -> tuple[dict[str, Any] | None, str | None]:
    """(location, eventAttendanceMode) for the event."""
    if event.online:
        place: dict[str, Any] = {"@type": "VirtualLocation", "url": url}
        if event.location:
            place["name"] = event.location
        return place, f"{SCHEMA}/OnlineEventAttendanceMode"
    if event.location:
        return (
            {"@type": "Place", "name": event.location, "address": event.location},
            f"{SCHEMA}/OfflineEventAttendanceMode",
        )
    return None, None


def _offer(event: EventDetails, url: str) -> dict[str, Any] | None:
    if not event.cost:
        return None
    offer: dict[str, Any] = {"@type": "Offer", "url": url}
    amount = price(event.cost)
    if amount is None:
        offer["description"] = event.cost
    else:
        offer.update(price=amount, priceCurrency="GBP")
    if event.deadline is not None:
        offer["validThrough"] = when(event.deadline)
    return offer


def event_data(
    event: EventDetails, session: Session | None, *, page_url: str, organizer: dict[str, Any]
) -> dict[str, Any]:
    """One schema.org Event for one sitting (or for an event with no date yet)."""
    url = _first_link(event, session) or page_url
    name = f"{event.title} ({session.label})" if session and session.label else event.title
    data: dict[str, Any] = {"@context": SCHEMA, "@type": "Event", "name": name}
    if session is not None:
        data["startDate"] = when(session.start)
        if isinstance(session.end, date):
            data["endDate"] = when(session.end)
    data["eventStatus"] = f"{SCHEMA}/EventScheduled"
    location, mode = _location(event, url)
    if mode:
        data["eventAttendanceMode"] = mode
    if location:
        data["location"] = location
    description = " ".join(markdown.to_text(event.description).split())
    if description:
        data["description"] = description
    offer = _offer(event, url)
    if offer:
        data["offers"] = offer
    data["organizer"] = organizer
    data["url"] = url
    return data


def event_list(
    event: EventDetails, *, page_url: str, organizer: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every sitting of the event as schema.org Events (one without a date if it has none)."""
    sessions: list[Session | None] = list(event.all_sessions()) or [None]
    return [event_data(event, s, page_url=page_url, organizer=organizer) for s in sessions]


def script(data: Any) -> Markup:
    """A ``<script type="application/ld+json">`` element; ``</script>`` in text cannot end it."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')
