"""The built-in block kinds: what an issue is made of, top to bottom.

Every kind is a pydantic model with a literal ``kind``; :mod:`newsletter_cli.model.blocks`
puts them, and any kinds a template declares, into one discriminated union.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from newsletter_cli.model.parts import EventDetails, Image, Link, Model, check_link_url

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str | None) -> str | None:
    if value and not _EMAIL.match(value):
        raise ValueError("not an email address")
    return value


class Block(Model):
    """A content block; ``only_for`` limits it to members of these lists or tags."""

    only_for: list[str] = []

    #: Fields holding Markdown, checked for links and images like any body text.
    markdown_fields: ClassVar[tuple[str, ...]] = ()
    #: Fields holding one link address each (checked for placeholders).
    url_fields: ClassVar[tuple[str, ...]] = ()

    @field_validator("only_for", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        """``only_for: send-network`` (one name) or ``dcs, send-leads`` mean a list."""
        if isinstance(value, str):
            return [name.strip() for name in value.split(",") if name.strip()]
        return value

    @property
    def label(self) -> str:
        """How findings and the text part name this block: its heading, else its kind."""
        return getattr(self, "heading", "") or getattr(self, "kind", "block")

    def markdown_sources(self) -> Iterator[tuple[Model, str]]:
        """(model, field name) for every Markdown text in the block."""
        for name in self.markdown_fields:
            yield self, name

    def link_lists(self) -> Iterator[tuple[Model, list[Link]]]:
        """(model, links) for every list of links in the block."""
        links = getattr(self, "links", None)
        if links:
            yield self, links

    def pictures(self) -> Iterator[Image]:
        """Every image the block shows (each needs alt text)."""
        image = getattr(self, "image", None)
        if image is not None:
            yield image


class Foreword(Block):
    """The opening letter."""

    kind: Literal["foreword"]
    heading: str = Field(min_length=1)
    author: str = Field(min_length=1)
    role: str = ""
    body: str = Field(min_length=1)
    sign_off: str = "Kind regards"
    image: Image | None = None
    markdown_fields = ("body",)


class Article(Block):
    """A news item."""

    kind: Literal["article"]
    heading: str = Field(min_length=1)
    body: str = Field(min_length=1)
    contact: str | None = None
    contact_name: str | None = None
    links: list[Link] = []
    image: Image | None = None
    markdown_fields = ("body",)

    @field_validator("contact")
    @classmethod
    def _contact(cls, value: str | None) -> str | None:
        return _email(value)


class EventBlock(Block, EventDetails):
    """A single event shown among the news (with its own date, place and booking)."""

    kind: Literal["event"]

    @property
    def heading(self) -> str:
        return self.title

    def link_lists(self) -> Iterator[tuple[Model, list[Link]]]:
        return iter(())  # an event's links are checked with the event


class Events(Block):
    """The "Upcoming Conferences and Events" list."""

    kind: Literal["events"]
    heading: str = "Upcoming Conferences and Events"
    intro: str = ""
    events: list[EventDetails] = Field(min_length=1)
    markdown_fields = ("intro",)


class Callout(Block):
    """A highlighted notice: a deadline, a change, something not to miss."""

    kind: Literal["callout"]
    heading: str = ""
    body: str = Field(min_length=1)
    links: list[Link] = []
    markdown_fields = ("body",)


class ButtonBlock(Block):
    """One call to action on its own: a button, and an optional line beside it."""

    kind: Literal["button"]
    text: str = Field(min_length=1)
    url: str
    note: str = ""
    url_fields = ("url",)

    @field_validator("url")
    @classmethod
    def _url(cls, url: str) -> str:
        return check_link_url(url)

    @property
    def heading(self) -> str:
        return ""


class Quote(Block):
    """Someone's words, with who said them."""

    kind: Literal["quote"]
    text: str = Field(min_length=1)
    author: str = ""
    role: str = ""
    markdown_fields = ("text",)

    @property
    def heading(self) -> str:
        return ""


class ImageBlock(Block, Image):
    """A picture on its own, with alt text, an optional caption and an optional link."""

    kind: Literal["image"]
    caption: str = ""
    width: int | None = Field(default=None, ge=40, le=552)
    url_fields = ("href",)

    @property
    def heading(self) -> str:
        return ""

    def pictures(self) -> Iterator[Image]:
        yield self


class Person(Model):
    """One person in a ``people`` block: an appointment, a new starter, a leaver."""

    name: str = Field(min_length=1)
    role: str = ""
    organisation: str = ""
    photo: Image | None = None
    text: str = ""
    contact: str | None = None

    @field_validator("contact")
    @classmethod
    def _contact(cls, value: str | None) -> str | None:
        return _email(value)


class People(Block):
    """Appointments and people news: name, role, organisation, photo, a few words."""

    kind: Literal["people"]
    heading: str = "Appointments"
    intro: str = ""
    people: list[Person] = Field(min_length=1)
    markdown_fields = ("intro",)

    def markdown_sources(self) -> Iterator[tuple[Model, str]]:
        yield from super().markdown_sources()
        for person in self.people:
            yield person, "text"

    def pictures(self) -> Iterator[Image]:
        for person in self.people:
            if person.photo is not None:
                yield person.photo


#: The built-in kinds, in the order the README lists them.
BUILTIN: tuple[type[Block], ...] = (
    Foreword, Article, EventBlock, Events, Callout, ButtonBlock, Quote, ImageBlock, People,
)
BUILTIN_KINDS: tuple[str, ...] = tuple(
    model.model_fields["kind"].annotation.__args__[0] for model in BUILTIN  # type: ignore[union-attr]
)
