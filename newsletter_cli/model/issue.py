"""The issue file: one YAML file per newsletter issue, written by a non-developer.

``load_issue(path)`` parses and validates it; every mistake is an InputError that
names the file and line, and all of them are reported at once, in line order. Body text
is Markdown, rendered later by :mod:`newsletter_cli.markdown`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Union

from pydantic import Field, PrivateAttr, create_model, field_validator

from newsletter_cli.errors import InputError, raise_all
from newsletter_cli.model.blocks import BUILTIN, Block, EventBlock, Events, declared_kinds
from newsletter_cli.model.parts import EventDetails, Model, When
from newsletter_cli.model.safety import not_xml, unsafe_text
from newsletter_cli.project import Project
from newsletter_cli.sourcefile import line_of, load_yaml, validate_all

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: An issue name taken from a file name: letters, digits, '-', '_' and '.', never '.' first
#: (so no '..', no hidden name, nothing a path or a web address would read differently).
PLAIN_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: The built-in kinds; :func:`issue_model` adds a template's own.
BuiltinBlock = Annotated[Union[BUILTIN], Field(discriminator="kind")]  # noqa: UP007


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
    #: The built-in kinds; :func:`issue_model` adds a template's own.
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
        found: list[tuple[Any, EventDetails]] = []
        for block in self.blocks:
            if isinstance(block, EventBlock):
                found.append((block, block))
            elif isinstance(block, Events):
                found.extend((block, event) for event in block.events)
        return found


@lru_cache(maxsize=16)
def _issue_model(models: tuple[type[Block], ...]) -> type[Issue]:
    union = Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007
    return create_model("Issue", __base__=Issue, __module__=Issue.__module__,
                        blocks=(list[union], Field(min_length=1)))


def issue_model(where: Path | Project, template: Any) -> type[Issue]:
    """The issue schema for ``template``: the built-in kinds and the ones it declares.

    ``where`` is a project (its template folder, else the built-in one) or a folder of
    templates.
    """
    declared: tuple[type[Block], ...] = ()
    if isinstance(template, str) and _SAFE_NAME.match(template) and ".." not in template:
        folder = where.template_folder(template) if isinstance(where, Project) else where / template
        declared = declared_kinds(folder)
    return _issue_model(BUILTIN + declared) if declared else Issue


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


def _project(path: Path) -> Project:
    """The project an issue file belongs to (newsletter.toml from its folder up, never
    the current folder's); with none, its own folder (so only built-in templates)."""
    folder = path.resolve().parent
    return Project.nearest(folder) or Project(folder)


def load_issue(path: str | Path, templates_dir: Path | None = None) -> Issue:
    """Read and validate an issue file; raise InputError naming file and line.

    Blocks are checked against the built-in kinds and the kinds the issue's template
    declares in ``<templates_dir>/<template>/blocks/`` (default: the project's template
    folder, or the built-in one: see :meth:`Project.template_folder`).
    """
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(
            "an issue file must be a set of 'field: value' lines (title, issue_date, blocks, ...)",
            path=path,
            line=1,
        )
    problems = not_xml(data, path)
    template = data.get("template", Issue.model_fields["template"].default)
    model = issue_model(templates_dir or _project(path), template)
    issue, found = validate_all(model, data, path)
    problems += found
    if issue is not None:
        issue._path = path
        _attach_lines(issue, data)
        problems += unsafe_text(issue, path)
        if issue.slug is None:
            try:
                name_from_file(path)
            except InputError as exc:
                problems.append(exc)
    raise_all(problems)  # every mistake found, in line order (a YAML syntax error stops sooner)
    assert issue is not None
    return issue
