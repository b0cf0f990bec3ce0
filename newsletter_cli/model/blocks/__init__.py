"""Block kinds: the built-in ones and those a template declares in its blocks/ folder.

:func:`newsletter_cli.model.issue.issue_model` gives the issue schema for one template: its
``blocks`` is a discriminated union of every built-in kind and every kind the template
declares, so both are validated on one path with the same file:line messages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from newsletter_cli.model.blocks.builtin import (
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
from newsletter_cli.model.blocks.declared import declaration_files, load_declaration
from newsletter_cli.sourcefile import register_union_tags

__all__ = [
    "BUILTIN", "BUILTIN_KINDS", "Article", "Block", "ButtonBlock", "Callout", "EventBlock",
    "Events", "Foreword", "ImageBlock", "People", "Person", "Quote", "declared_kinds",
]

register_union_tags(*BUILTIN_KINDS)


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What the declared kinds depend on: each declaration and partial's name, mtime, size."""
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
    models = tuple(load_declaration(path) for path in declaration_files(Path(folder)))
    register_union_tags(*(model.model_fields["kind"].annotation.__args__[0] for model in models))
    return models


def declared_kinds(template_folder: Path) -> tuple[type[Block], ...]:
    """The kinds declared in ``template_folder/blocks/`` (cached until a file changes)."""
    if not (template_folder / "blocks").is_dir():
        return ()
    return _declared(str(template_folder), _signature(template_folder))
