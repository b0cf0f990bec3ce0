"""An example of every block kind, for the bottom of an issue `newsletter new` starts.

Built-in kinds have a written example each; a kind a template declares gets one made
from its declared fields. Dates are counted from the issue's date, so an example that
is copied into the issue is not already over.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from newsletter_cli.model.blocks.builtin import BUILTIN, Block


def _day(issue_date: date, days: int, time: str = "") -> str:
    return f"{issue_date + timedelta(days=days):%Y-%m-%d}" + (f" {time}" if time else "")


def builtin_examples(when: date) -> dict[str, dict[str, Any]]:
    """The written example of each built-in kind, for an issue dated ``when``."""
    link = {"text": "Read more about it", "url": "https://www.example.org/news"}
    return {
        "foreword": {
            "kind": "foreword", "heading": "A word from our chair", "author": "Sam Example",
            "role": "Chair of the Regional Leadership Group",
            "body": "The opening letter. A blank line starts a new paragraph.\n\n"
                    "**Bold** and [a link](https://www.example.org/) work here.\n",
            "sign_off": "Kind regards",
        },
        "article": {
            "kind": "article", "heading": "A news item", "body": "What happened, and why it "
            "matters to readers.\n", "links": [link], "contact_name": "Jo Example",
            "contact": "jo.example@example.org",
        },
        "people": {
            "kind": "people", "heading": "Appointments", "people": [{
                "name": "Robin Example", "role": "Director of Children's Services",
                "organisation": "Northshire Council", "text": "A few words about Robin.\n",
                "contact": "robin.example@example.org",
            }],
        },
        "event": {
            "kind": "event", "title": "An event among the news",
            "start": _day(when, 21, "10:00"), "end": "12:00", "location": "Online (Teams)",
            "online": True, "cost": "Free", "deadline": _day(when, 14),
            "description": "What it is and who it is for.\n",
            "links": [{"text": "Book a place", "url": "https://www.example.org/book"}],
        },
        "events": {
            "kind": "events", "heading": "Upcoming Conferences and Events", "events": [
                {"title": "A conference", "start": _day(when, 28, "09:30"), "end": "16:00",
                 "location": "The Conference Centre, Exampletown", "cost": "Free",
                 "links": [{"text": "Register for the conference",
                            "url": "https://www.example.org/conference"}]},
                {"title": "A webinar held twice", "online": True, "sessions": [
                    {"start": _day(when, 35, "11:00"), "end": "12:00", "links": [
                        {"text": "Sign up for the first", "url": "https://www.example.org/w1"}]},
                    {"start": _day(when, 42, "14:00"), "end": "15:00", "links": [
                        {"text": "Sign up for the second", "url": "https://www.example.org/w2"}]},
                ]},
                {"title": "An event with no date yet", "when": "Date to be announced"},
            ],
        },
        "callout": {
            "kind": "callout", "heading": "Applications close soon",
            "body": "A notice readers must not miss.\n", "links": [link],
        },
        "button": {
            "kind": "button", "text": "Read the annual report",
            "url": "https://www.example.org/report", "note": "A 20-page PDF",
        },
        "quote": {
            "kind": "quote", "text": "Someone's own words.", "author": "Sam Example",
            "role": "Chair",
        },
        "image": {
            "kind": "image", "src": "images/photo.jpg",
            "alt": "What the picture shows, for people who cannot see it",
            "caption": "A caption under the picture", "href": "https://www.example.org/",
        },
    }  # fmt: skip


def _declared_value(kind: str, when: date, name: str) -> Any:
    return {
        "str": f"The {name.replace('_', ' ')}",
        "markdown": "Some text: **bold** and [a link](https://www.example.org/) work here.\n",
        "url": "https://www.example.org/",
        "date": _day(when, 21),
        "datetime": _day(when, 21, "10:00"),
        "list": ["one", "two"],
        "bool": True,
    }[kind]


def declared_example(model: type[Block], when: date) -> dict[str, Any]:
    """An example of a declared kind: each of its fields with a value of its type."""
    kind = model.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]
    example: dict[str, Any] = {"kind": kind}
    for name, field_type in model.field_types.items():  # type: ignore[attr-defined]
        example[name] = _declared_value(field_type, when, name)
    return example


def examples(when: date, declared: tuple[type[Block], ...] = ()) -> list[tuple[str, dict]]:
    """(what the kind is for, an example block) for every built-in and declared kind."""
    written = builtin_examples(when)
    found = []
    for model in BUILTIN:
        kind = model.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]
        found.append(((model.__doc__ or kind).strip().splitlines()[0], written[kind]))
    for model in declared:
        found.append(((model.__doc__ or "").strip().splitlines()[0], declared_example(model, when)))
    return found
