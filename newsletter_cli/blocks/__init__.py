"""Block kinds: the built-in ones and those a template declares in its blocks/ folder.

:func:`issue_model` gives the issue schema for one template: its ``blocks`` is a
discriminated union of every built-in kind and every kind the template declares, so
both are validated on one path with the same file:line messages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Union

from pydantic import Field, create_model

import newsletter_cli.issue  # noqa: F401  (first: the block kinds build on its types)
from newsletter_cli.blocks.builtin import (
    BUILTIN,
    BUILTIN_KINDS,
    Article,
    Block,
    ButtonBlock,
    Callout,
    EventBlock,
    Events,
    Foreword,
    ImageBlock,
    People,
    Person,
    Quote,
)
from newsletter_cli.issue import Issue
from newsletter_cli.project import Project
from newsletter_cli.sourcefile import register_union_tags

__all__ = [
    "BUILTIN", "BUILTIN_KINDS", "Article", "Block", "ButtonBlock", "Callout", "EventBlock",
    "Events", "Foreword", "ImageBlock", "People", "Person", "Quote", "declared_kinds",
    "issue_model",
]

register_union_tags(*BUILTIN_KINDS)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What the declared kinds depend on: each declaration and partial's name, mtime, size."""
    from newsletter_cli.blocks.declared import declaration_files

    found = []
    for path in declaration_files(folder):
        for part in (path, path.with_name(f"{path.stem}.mjml.j2")):
            try:
                stat = part.stat()
            except OSError:
                found.append((str(part), 0, -1))
                continue
            found.append((str(part), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@lru_cache(maxsize=16)
def _declared(folder: str, signature: tuple[Any, ...]) -> tuple[type[Block], ...]:
    from newsletter_cli.blocks.declared import declaration_files, load_declaration

    models = tuple(load_declaration(path) for path in declaration_files(Path(folder)))
    register_union_tags(*(model.model_fields["kind"].annotation.__args__[0] for model in models))
    return models


def declared_kinds(template_folder: Path) -> tuple[type[Block], ...]:
    """The kinds declared in ``template_folder/blocks/`` (cached until a file changes)."""
    if not (template_folder / "blocks").is_dir():
        return ()
    return _declared(str(template_folder), _signature(template_folder))


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
