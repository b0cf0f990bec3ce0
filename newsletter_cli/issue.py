"""The issue file: one YAML file per newsletter issue, written by a non-developer.

``load_issue(path)`` parses and validates it; every mistake is an InputError that
names the file and line. Body text is Markdown, rendered later by
:mod:`newsletter_cli.markdown`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Union

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

from newsletter_cli.errors import InputError
from newsletter_cli.sourcefile import line_of, load_yaml, validate

# The URL itself is a placeholder ('TODO', 'TBC', '#', empty, 'http://'); a real address
# that merely contains "todo" (https://example.org/todo-list) is not.
PLACEHOLDER_URL = re.compile(
    r"^\s*$|^#$|^https?://$|^(todo|tbc|tba|tbd|placeholder)\b", re.IGNORECASE
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: An issue name taken from a file name: letters, digits, '-', '_' and '.', never '.' first
#: (so no '..', no hidden name, nothing a path or a web address would read differently).
PLAIN_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")


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
    raise ValueError("write a date as YYYY-MM-DD, or a date and time as YYYY-MM-DD HH:MM")


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
    return _when(value)


When = Annotated[date | datetime, BeforeValidator(_when)]
EndWhen = Annotated[date | datetime | time, BeforeValidator(_end)]


class Model(BaseModel):
    """Strict base: unknown fields are mistakes, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)
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


class Issue(Model):
    title: str = Field(min_length=1)
    issue_date: When
    subject: str = ""
    preheader: str = ""
    #: Who the web page names as its author (default: the sender's organisation).
    author: str = ""
    template: str = "regional-update"
    slug: str | None = None
    view_online_url: str | None = None
    #: The built-in kinds; :func:`newsletter_cli.blocks.issue_model` adds a template's own.
    blocks: list[BuiltinBlock] = Field(min_length=1)
    _path: Path | None = PrivateAttr(default=None)

    @field_validator("issue_date")
    @classmethod
    def _a_day(cls, value: Any) -> date:
        return value.date() if isinstance(value, datetime) else value

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is not None and not SLUG.match(value):
            raise ValueError("use lower-case letters, digits and hyphens only")
        return value

    @property
    def path(self) -> Path | None:
        """The file this issue was read from."""
        return self._path

    @property
    def name(self) -> str:
        """The issue's slug: its file name without the suffix unless set explicitly."""
        if self.slug:
            return self.slug
        if self._path is not None:
            return name_from_file(self._path)
        return f"{self.issue_date.isoformat()}-{re.sub(r'[^a-z0-9]+', '-', self.title.lower())}"

    def all_events(self) -> list[tuple[Any, EventDetails]]:
        """Every event in the issue with the block that holds it, in order."""
        from newsletter_cli.blocks import EventBlock, Events

        found: list[tuple[Any, EventDetails]] = []
        for block in self.blocks:
            if isinstance(block, EventBlock):
                found.append((block, block))
            elif isinstance(block, Events):
                found.extend((block, event) for event in block.events)
        return found


def name_from_file(path: Path) -> str:
    """The issue name ``path`` gives (its name without .yaml); InputError unless it is plain."""
    if not PLAIN_NAME.match(path.stem):
        raise InputError(
            f"the file name {path.name!r} cannot name an issue: rename it using letters, "
            "digits, '-', '_' and '.' (not first), e.g. 2025-10-regional-update.yaml, "
            "or set slug: in the file",
            path=path,
        )
    return path.stem


def _attach_lines(model: Any, data: Any, loc: tuple[Any, ...] = ()) -> None:
    """Record on every parsed model the line where it starts in the file."""
    if isinstance(model, Model):
        model._line = line_of(data, loc) if loc else 1
        for name in type(model).model_fields:
            line = line_of(data, (*loc, name))
            if line is not None:
                model._field_lines[name] = line
            _attach_lines(getattr(model, name), data, (*loc, name))
    elif isinstance(model, list):
        for index, item in enumerate(model):
            _attach_lines(item, data, (*loc, index))


def _project(path: Path) -> Any:
    """The project an issue file belongs to."""
    from newsletter_cli.project import Project

    project = Project.find(path.resolve().parent)
    if not project.config_path.is_file():
        project = Project.find()
    return project


def load_issue(path: str | Path, templates_dir: Path | None = None) -> Issue:
    """Read and validate an issue file; raise InputError naming file and line.

    Blocks are checked against the built-in kinds and the kinds the issue's template
    declares in ``<templates_dir>/<template>/blocks/`` (default: the project's template
    folder, or the built-in one: see :meth:`Project.template_folder`).
    """
    from newsletter_cli.blocks import issue_model
    from newsletter_cli.issue_safety import refuse_not_xml, refuse_unsafe_text

    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(
            "an issue file must be a set of 'field: value' lines (title, issue_date, blocks, ...)",
            path=path,
            line=1,
        )
    refuse_not_xml(data, path)
    template = data.get("template", Issue.model_fields["template"].default)
    model = issue_model(templates_dir or _project(path), template)
    issue = validate(model, data, path)
    issue._path = path
    _attach_lines(issue, data)
    if issue.slug is None:
        name_from_file(path)
    refuse_unsafe_text(issue, path)
    return issue


# The block kinds build on the types above, and Issue's blocks on them: import them last.
from newsletter_cli.blocks.builtin import BUILTIN  # noqa: E402

BuiltinBlock = Annotated[Union[BUILTIN], Field(discriminator="kind")]  # noqa: UP007
Issue.model_rebuild()


_MOVED = {
    "Block", "Foreword", "Article", "EventBlock", "Events", "Callout", "ButtonBlock", "Quote",
    "ImageBlock", "Person", "People",
}


def __getattr__(name: str) -> Any:
    """Block kinds live in :mod:`newsletter_cli.blocks`; older imports from here still work."""
    if name in _MOVED:
        from newsletter_cli import blocks

        return getattr(blocks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
